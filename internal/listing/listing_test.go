package listing

import (
	"net/url"
	"slices"
	"strconv"
	"testing"
)

func TestRead(t *testing.T) {
	good := Cursor{"2026-01-02T10:00:00Z", "7"}.String()
	tests := []struct {
		name    string
		query   string
		wantErr bool
		want    Request
	}{
		{"empty", "", false, Request{Size: DefaultSize}},
		{"search trimmed", "q=+Amara+", false, Request{Query: "Amara", Size: DefaultSize}},
		{"size", "size=20", false, Request{Size: 20}},
		{"size too small", "size=1", true, Request{}},
		{"size too big", "size=100000", true, Request{}},
		{"size not a number", "size=x", true, Request{}},
		{"after", "after=" + good, false, Request{Size: DefaultSize, after: Cursor{"2026-01-02T10:00:00Z", "7"}}},
		{"before", "before=" + good, false, Request{Size: DefaultSize, before: Cursor{"2026-01-02T10:00:00Z", "7"}}},
		{"both", "after=" + good + "&before=" + good, true, Request{}},
		{"not base64", "after=%25%25", true, Request{}},
		{"not json", "after=" + "bm90IGpzb24", true, Request{}},
		{"empty list", "after=" + "W10", true, Request{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, _ := url.ParseQuery(tt.query)
			got, err := Read(v)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			if got.Query != tt.want.Query || got.Size != tt.want.Size || !slices.Equal(got.after, tt.want.after) || !slices.Equal(got.before, tt.want.before) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestReadLongSearchIsCut(t *testing.T) {
	long := make([]rune, 150)
	for i := range long {
		long[i] = 'é'
	}
	r, err := Read(url.Values{"q": {string(long)}})
	if err != nil || len([]rune(r.Query)) != maxQuery {
		t.Fatalf("got %d runes, %v", len([]rune(r.Query)), err)
	}
}

// store pretends to be a keyset query over the numbers 1..n.
func store(n int, r Request) []int {
	var rows []int
	var at int
	if c := r.Cursor(); c != nil {
		at, _ = strconv.Atoi(c[0])
	}
	if r.Backward() {
		for i := at - 1; i >= 1 && len(rows) < r.Limit(); i-- {
			rows = append(rows, i)
		}
		return rows
	}
	for i := at + 1; i <= n && len(rows) < r.Limit(); i++ {
		rows = append(rows, i)
	}
	return rows
}

func key(i int) Cursor { return Cursor{strconv.Itoa(i)} }

func TestCutWalksForwardAndBack(t *testing.T) {
	r := Request{Size: 10}
	var seen []int
	var pages []Page[int]
	for {
		p := Cut(store(25, r), r, key)
		pages = append(pages, p)
		seen = append(seen, p.Rows...)
		if p.Next == nil {
			break
		}
		r = Request{Size: 10, after: p.Next}
	}
	if len(pages) != 3 || len(seen) != 25 || seen[0] != 1 || seen[24] != 25 {
		t.Fatalf("forward walk: %d pages, rows %v", len(pages), seen)
	}
	if pages[0].Prev != nil {
		t.Errorf("first page has a previous link")
	}
	// Back from the last page.
	back := Request{Size: 10, before: pages[2].Prev}
	p := Cut(store(25, back), back, key)
	if !slices.Equal(p.Rows, []int{11, 12, 13, 14, 15, 16, 17, 18, 19, 20}) {
		t.Fatalf("back a page: %v", p.Rows)
	}
	if p.Prev == nil || p.Next == nil {
		t.Fatalf("middle page should link both ways: %+v", p)
	}
	first := Request{Size: 10, before: p.Prev}
	p = Cut(store(25, first), first, key)
	if p.Rows[0] != 1 || p.Prev != nil || p.Next == nil {
		t.Fatalf("back to the first page: %+v", p)
	}
}

func TestLinksKeepFilters(t *testing.T) {
	u, _ := url.Parse("/partner/events?course=3&q=webinar&after=abc")
	p := Page[int]{Prev: Cursor{"1"}, Next: Cursor{"9"}}
	prev, next := p.Links(u)
	pq, _ := url.Parse(prev)
	nq, _ := url.Parse(next)
	if pq.Query().Get("course") != "3" || pq.Query().Get("q") != "webinar" || pq.Query().Get("after") != "" || pq.Query().Get("before") != (Cursor{"1"}).String() {
		t.Errorf("prev = %s", prev)
	}
	if nq.Query().Get("course") != "3" || nq.Query().Get("after") != (Cursor{"9"}).String() || nq.Path != "/partner/events" {
		t.Errorf("next = %s", next)
	}
	if prev, next := (Page[int]{}).Links(u); prev != "" || next != "" {
		t.Errorf("no neighbours should give no links: %q %q", prev, next)
	}
}
