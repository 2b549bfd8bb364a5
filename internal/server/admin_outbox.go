package server

import (
	"net/http"
	"regexp"
	"strconv"

	"github.com/go-chi/chi/v5"

	"npq/internal/notify"
	"npq/web/components"
	"npq/web/pages/admin"
)

// pageParam reads ?page=N; anything else is page 1.
func pageParam(r *http.Request) int {
	p, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || p < 1 || p > 100000 {
		return 1
	}
	return p
}

func (s *Server) adminOutbox(w http.ResponseWriter, r *http.Request) error {
	page := pageParam(r)
	entries, total, err := notify.Outbox(r.Context(), s.pool, page)
	if err != nil {
		return err
	}
	v := admin.OutboxView{SMTP: s.cfg.SMTPHost != "",
		Pagination: components.NewPagination(page, total, notify.OutboxPageSize, "/admin/outbox?page=")}
	for _, e := range entries {
		v.Rows = append(v.Rows, admin.OutboxRow{ID: e.ID, To: e.Message.ToAddress, Subject: e.Message.Subject,
			CreatedAt: e.CreatedAt, SentAt: e.SentAt})
	}
	return s.ok(w, r, admin.Outbox(v))
}

func (s *Server) adminOutboxMessage(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	e, err := notify.OutboxEntryByID(r.Context(), s.pool, id)
	if err != nil {
		return err
	}
	body, hidden := hideSecretLinks(e.Message.Body)
	return s.ok(w, r, admin.OutboxMessage(admin.OutboxMessageView{To: e.Message.ToAddress, Subject: e.Message.Subject,
		CreatedAt: e.CreatedAt, SentAt: e.SentAt, LastError: e.LastError, Body: components.Linkify(body), LinksHidden: hidden}))
}

// secretLinks are links that work as keys (whoever has one can set the invitee's password,
// or read the participant's calendar). The outbox shows them to no one; the email itself
// carries them.
var secretLinks = []struct {
	pattern     *regexp.Regexp
	replacement string
}{
	{regexp.MustCompile(`\S*/invitations/[A-Za-z0-9_-]{16,}`), "[invitation link hidden: only the recipient can use it]"},
	{regexp.MustCompile(`\S*/calendar/[A-Za-z0-9_-]{16,}(\.ics)?`), "[calendar link hidden: only the recipient can use it]"},
}

// hideSecretLinks replaces the secret links in a message body, and says whether it found any.
func hideSecretLinks(body string) (string, bool) {
	hidden := false
	for _, l := range secretLinks {
		if l.pattern.MatchString(body) {
			body, hidden = l.pattern.ReplaceAllLiteralString(body, l.replacement), true
		}
	}
	return body, hidden
}
