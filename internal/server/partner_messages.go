package server

import (
	"net/http"
	"strconv"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"npq/internal/messages"
	"npq/web/pages/partner"
)

// messageRoutes registers the compose page and sending, for partner staff (their own
// partner's participants) and admins (everyone's).
func (s *Server) messageRoutes(r chi.Router) {
	s.handle(r, "GET", "/partner/messages/new", partnerStaff, s.partnerMessageNew)
	s.handle(r, "POST", "/partner/messages", partnerStaff, s.partnerMessageSend)
	s.handle(r, "GET", "/admin/messages/new", admins, s.partnerMessageNew)
	s.handle(r, "POST", "/admin/messages", admins, s.partnerMessageSend)
}

func (s *Server) messageStore() messages.Store {
	return messages.Store{DB: s.pool, BaseURL: s.cfg.BaseURL, ProviderName: s.cfg.ProviderName}
}

// messageArea is "/admin" or "/partner": where the viewer's pages are.
func messageArea(r *http.Request) string {
	if scopeFor(r).All() {
		return "/admin"
	}
	return "/partner"
}

// messageBack is where the compose page returns: the page it came from when that is one of
// ours, or the viewer's home.
func messageBack(r *http.Request, back string) string {
	if b := safeNext(back); b != "" {
		return b
	}
	return messageArea(r)
}

// readIDs reads ids from a list of values, each once; anything that is not an id is a 400.
func readIDs(values []string) ([]int64, error) {
	seen := map[int64]bool{}
	var ids []int64
	for _, v := range values {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return nil, badRequest("The list of people could not be read.")
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// partnerMessageNew shows the compose page for the people in ?to=. Anyone the viewer may not
// message (another partner's participant, staff, an unknown id) makes it a 404.
func (s *Server) partnerMessageNew(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	ids, err := readIDs(q["to"])
	if err != nil {
		return err
	}
	v := partner.MessageView{Action: messageArea(r) + "/messages", Back: messageBack(r, q.Get("back")), Key: messages.NewKey(), Chosen: map[string]bool{}}
	if len(ids) > messages.MaxRecipients {
		return badRequest("A message can go to at most " + strconv.Itoa(messages.MaxRecipients) + " people at once.")
	}
	if len(ids) == 0 {
		v.Errors.Add("to", "Choose at least one person to send the message to: go back and tick the people in the list")
		return s.invalid(w, r, partner.MessageNew(v))
	}
	if v.Recipients, err = s.messageStore().Recipients(r.Context(), ids, scopeFor(r)); err != nil {
		return err
	}
	if len(v.Recipients) != len(ids) {
		return errNotFound
	}
	for _, p := range v.Recipients {
		v.Chosen[strconv.FormatInt(p.UserID, 10)] = true
	}
	return s.ok(w, r, partner.MessageNew(v))
}

// partnerMessageSend sends the message to each ticked person and returns to where the page
// came from. Problems re-render the form (422) with nothing sent; a repeated submit of the
// same form sends nothing again.
func (s *Server) partnerMessageSend(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	to, err := readIDs(r.PostForm["to"])
	if err != nil {
		return err
	}
	offered, err := readIDs(r.PostForm["offered"])
	if err != nil {
		return err
	}
	d := messages.Draft{Key: r.PostForm.Get("key"), To: to, Subject: field(r, "subject"), Body: field(r, "body")}
	v := partner.MessageView{Action: messageArea(r) + "/messages", Back: messageBack(r, r.PostForm.Get("back")), Key: d.Key,
		Subject: d.Subject, Body: d.Body}
	v.Chosen, _ = chosen(r.PostForm["to"])
	ps := d.Check()
	if ps.For("key") != "" {
		return badRequest("The form could not be read. Go back and start the message again.")
	}
	// Everyone offered or ticked is shown again, as far as the viewer may see them.
	if v.Recipients, err = s.messageStore().Recipients(r.Context(), append(offered, to...), scopeFor(r)); err != nil {
		return err
	}
	if len(ps) == 0 && !allSeen(to, v.Recipients) {
		ps.Add("to", messages.ErrOutOfScope.Message)
	}
	page := func() templ.Component { return partner.MessageNew(v) }
	if len(ps) > 0 {
		addProblems(&v.Errors, ps.Sorted("to", "subject", "body"))
		return s.invalid(w, r, page())
	}
	u := currentUser(r.Context())
	res, err := s.messageStore().Send(r.Context(), d, messages.Sender{UserID: u.ID, Name: u.Name}, scopeFor(r))
	if err != nil {
		return onField(err, &v.Errors, "to", page)
	}
	if res.AlreadySent {
		return s.seeOther(w, r, v.Back, "This message was already sent to "+partner.People(res.Recipients)+"; it was not sent again")
	}
	return s.seeOther(w, r, v.Back, "Message sent to "+partner.People(res.Recipients))
}

// allSeen reports whether every id is among the people found.
func allSeen(ids []int64, found []messages.Recipient) bool {
	seen := map[int64]bool{}
	for _, p := range found {
		seen[p.UserID] = true
	}
	for _, id := range ids {
		if !seen[id] {
			return false
		}
	}
	return true
}
