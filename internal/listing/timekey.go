package listing

import (
	"strconv"
	"time"
)

// TimeKey is the cursor of a row sorted by a time and then its id, the commonest sort key.
func TimeKey(t time.Time, id int64) Cursor {
	return Cursor{t.UTC().Format(time.RFC3339Nano), strconv.FormatInt(id, 10)}
}

// TimeID reads a cursor written by TimeKey: a zero time and id for none (the first page), and
// ErrBadRequest for a cursor of another shape.
func (c Cursor) TimeID() (time.Time, int64, error) {
	if c == nil {
		return time.Time{}, 0, nil
	}
	if len(c) != 2 {
		return time.Time{}, 0, ErrBadRequest
	}
	t, err := time.Parse(time.RFC3339Nano, c[0])
	if err != nil {
		return time.Time{}, 0, ErrBadRequest
	}
	id, err := strconv.ParseInt(c[1], 10, 64)
	if err != nil || id <= 0 {
		return time.Time{}, 0, ErrBadRequest
	}
	return t, id, nil
}

// Seek is the comparison and ORDER BY direction of a keyset page: forward through an
// ascending list, or backward through a descending one, goes to greater keys.
func Seek(ascending bool, r Request) (cmp, dir string) {
	if ascending != r.Backward() {
		return ">", "ASC"
	}
	return "<", "DESC"
}
