package admin

import (
	"npq/internal/lifecycle"
	"npq/web/components"
)

// ReturnsView lists deferred participants and their returns, a page at a time: the page's
// rows due back within 3 months, the page's later ones, and how many there are of each in all.
type ReturnsView struct {
	Due              []lifecycle.Request
	Later            []lifecycle.Request
	DueAll, LaterAll int
	Pages            components.SeekPagination
}
