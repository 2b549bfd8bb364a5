package admin

import "npq/internal/lifecycle"

// ReturnsView lists deferred participants and their returns.
type ReturnsView struct {
	Due   []lifecycle.Request
	Later []lifecycle.Request
}
