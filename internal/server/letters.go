package server

import (
	"net/http"
	"strconv"

	"npq/internal/lifecycle"
	"npq/web/pages/letters"

	"github.com/a-h/templ"
)

func lettersPage(l lifecycle.Letter, back string) templ.Component { return letters.Letter(l, back) }

// letterPage shows a letter to the participant it is for, their partner's staff, or admins.
func (s *Server) letterPage(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r, "letter")
	if err != nil {
		return err
	}
	sc := scopeFor(r)
	l, err := s.lifecycle.LetterByID(r.Context(), id, sc)
	if err != nil {
		return err
	}
	back := "/requests"
	switch {
	case sc.All():
		back = "/admin/enrolments/" + strconv.FormatInt(l.EnrolmentID, 10)
	case sc.PartnerID() != 0:
		back = "/partner/decisions"
	}
	return s.ok(w, r, lettersPage(l, back))
}
