package server

import (
	"net/http"
	"regexp"
	"strconv"

	"github.com/go-chi/chi/v5"

	"npq/internal/listing"
	"npq/internal/notify"
	"npq/web/components"
	"npq/web/pages/admin"
)

func (s *Server) adminOutbox(w http.ResponseWriter, r *http.Request) error {
	req, err := listRequest(r)
	if err != nil {
		return err
	}
	delivery, ok := notify.ParseDelivery(r.URL.Query().Get("status"))
	if !ok {
		return badRequest("The list could not be filtered.")
	}
	entries, err := notify.OutboxPage(r.Context(), s.pool, notify.OutboxFilter{Query: req.Query, Delivery: delivery}, req)
	if err != nil {
		return listFailed(err)
	}
	page := listing.Cut(entries, req, notify.OutboxKey)
	v := admin.OutboxView{SMTP: s.cfg.SMTPHost != "", Query: req.Query, Status: string(delivery), Pages: seekPager(r, page),
		Statuses: []components.Option{{Value: "", Label: "Any status"}}}
	for _, d := range notify.Deliveries {
		v.Statuses = append(v.Statuses, components.Option{Value: string(d), Label: d.Label()})
	}
	for _, e := range page.Rows {
		v.Rows = append(v.Rows, admin.OutboxRow{ID: e.ID, To: e.Message.ToAddress, Subject: e.Message.Subject,
			CreatedAt: e.CreatedAt, SentAt: e.SentAt, Delivery: e.Delivery(), GaveUp: e.GaveUp()})
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
	{regexp.MustCompile(`\S*/reset-password/[A-Za-z0-9_-]{16,}`), "[password link hidden: only the recipient can use it]"},
	{regexp.MustCompile(`\S*/account/email/[A-Za-z0-9_-]{16,}`), "[confirmation link hidden: only the recipient can use it]"},
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
