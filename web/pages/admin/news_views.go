package admin

import (
	"npq/internal/programme"
	"npq/web/components"
)

// NewsView lists posts.
type NewsView struct {
	Posts []programme.NewsPost
}

// NewsForm is the post news form.
type NewsForm struct {
	Title, Body, Audience string
	Audiences             []components.Option
	Errors                components.Errors
}
