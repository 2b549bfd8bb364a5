// Package listing reads a long list's search, page size and position from its address, and
// cuts keyset (seek) pages: a page is found from the sort key of the row before it, never by
// counting rows with OFFSET, so the last page costs what the first does.
package listing

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// DefaultSize is the number of rows on a page unless the address asks for another.
const DefaultSize = 50

// MinSize and MaxSize bound the page size an address may ask for.
const (
	MinSize = 10
	MaxSize = 200
)

// maxQuery is the longest search kept, in characters.
const maxQuery = 100

// maxCursor is the longest cursor accepted, in bytes as sent.
const maxCursor = 512

// ErrBadRequest is returned for a cursor or page size that this package did not write.
var ErrBadRequest = errors.New("listing: the page asked for does not exist")

// Cursor is a position in a sorted list: the sort-key values of one row, in sort order.
type Cursor []string

// String is the cursor as it travels in an address.
func (c Cursor) String() string {
	if len(c) == 0 {
		return ""
	}
	b, _ := json.Marshal([]string(c))
	return base64.RawURLEncoding.EncodeToString(b)
}

// ParseCursor reads a cursor written by String.
func ParseCursor(s string) (Cursor, error) {
	if s == "" {
		return nil, nil
	}
	if len(s) > maxCursor {
		return nil, ErrBadRequest
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, ErrBadRequest
	}
	var c []string
	if err := json.Unmarshal(b, &c); err != nil || len(c) == 0 {
		return nil, ErrBadRequest
	}
	for _, v := range c {
		if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
			return nil, ErrBadRequest
		}
	}
	return c, nil
}

// Request is what a list's address asks for.
type Request struct {
	Query  string // the search, trimmed; "" for none
	Size   int    // rows on a page
	after  Cursor
	before Cursor
}

// Read takes ?q=, ?size=, ?after= and ?before= from an address's query. A cursor or size it
// did not write is ErrBadRequest, which handlers answer with 400.
func Read(v url.Values) (Request, error) {
	r := Request{Query: strings.TrimSpace(v.Get("q")), Size: DefaultSize}
	if utf8.RuneCountInString(r.Query) > maxQuery {
		r.Query = string([]rune(r.Query)[:maxQuery])
	}
	if s := v.Get("size"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < MinSize || n > MaxSize {
			return Request{}, ErrBadRequest
		}
		r.Size = n
	}
	var err error
	if r.after, err = ParseCursor(v.Get("after")); err != nil {
		return Request{}, err
	}
	if r.before, err = ParseCursor(v.Get("before")); err != nil {
		return Request{}, err
	}
	if r.after != nil && r.before != nil {
		return Request{}, ErrBadRequest
	}
	return r, nil
}

// Backward says the page is the one before a cursor: the store reverses its comparison and
// its ORDER BY, and Cut puts the rows back in display order.
func (r Request) Backward() bool { return r.before != nil }

// Cursor is the position the page starts after (or ends before, when Backward), or nil on the
// first page.
func (r Request) Cursor() Cursor {
	if r.before != nil {
		return r.before
	}
	return r.after
}

// Limit is the number of rows a store fetches: one more than a page, to tell whether there is
// another page beyond it.
func (r Request) Limit() int { return r.Size + 1 }

// Page is one page of a list, in display order, with the positions of its neighbours.
type Page[T any] struct {
	Rows []T
	Prev Cursor // nil on the first page
	Next Cursor // nil on the last page
}

// Cut takes the rows a store fetched for r (at most r.Limit(), in the query's order) and
// returns the page, with key giving the sort-key values of a row.
func Cut[T any](rows []T, r Request, key func(T) Cursor) Page[T] {
	more := len(rows) > r.Size
	if more {
		rows = rows[:r.Size]
	}
	var p Page[T]
	if r.Backward() {
		rows = slices.Clone(rows)
		slices.Reverse(rows)
	}
	p.Rows = rows
	if len(rows) == 0 {
		if r.Backward() && r.before != nil {
			// Nothing before this position: offer the way forward only.
			p.Next = r.before
		}
		return p
	}
	first, last := key(rows[0]), key(rows[len(rows)-1])
	if r.Backward() {
		if more {
			p.Prev = first
		}
		p.Next = last
	} else {
		if r.after != nil {
			p.Prev = first
		}
		if more {
			p.Next = last
		}
	}
	return p
}

// Links are the addresses of the previous and next pages ("" where there is none), keeping
// every other parameter of u (search, filters, sort, size).
func (p Page[T]) Links(u *url.URL) (prev, next string) {
	return link(u, "before", p.Prev), link(u, "after", p.Next)
}

func link(u *url.URL, param string, c Cursor) string {
	if c == nil {
		return ""
	}
	q := u.Query()
	q.Del("after")
	q.Del("before")
	q.Set(param, c.String())
	return u.Path + "?" + q.Encode()
}
