package components

import (
	"regexp"
	"strconv"
)

// TextPart is a piece of plain text, or a link when Href is set.
type TextPart struct {
	Text string
	Href string
}

var urlPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

// Linkify splits text into plain parts and http(s) links.
func Linkify(text string) []TextPart {
	var parts []TextPart
	last := 0
	for _, m := range urlPattern.FindAllStringIndex(text, -1) {
		if m[0] > last {
			parts = append(parts, TextPart{Text: text[last:m[0]]})
		}
		parts = append(parts, TextPart{Text: text[m[0]:m[1]], Href: text[m[0]:m[1]]})
		last = m[1]
	}
	if last < len(text) {
		parts = append(parts, TextPart{Text: text[last:]})
	}
	return parts
}

// Pagination describes where a list page is.
type Pagination struct {
	Page    int
	Pages   int
	BaseURL string // e.g. "/admin/outbox?page="
}

// NewPagination works out the number of pages for total items.
func NewPagination(page, total, perPage int, baseURL string) Pagination {
	pages := max((total+perPage-1)/perPage, 1)
	return Pagination{Page: page, Pages: pages, BaseURL: baseURL}
}

func (p Pagination) href(page int) string { return p.BaseURL + strconv.Itoa(page) }

// SeekPagination holds the addresses of a keyset-paged list's neighbouring pages, as
// listing.Page.Links gives them; "" where there is none.
type SeekPagination struct {
	PrevHref string
	NextHref string
	Label    string // names the list when a page has more than one; "Pagination" otherwise
}

func (p SeekPagination) label() string {
	if p.Label != "" {
		return p.Label
	}
	return "Pagination"
}
