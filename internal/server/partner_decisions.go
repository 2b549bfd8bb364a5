package server

import (
	"net/http"

	"npq/internal/lifecycle"
	"npq/internal/listing"
	"npq/web/pages/partner"
)

// partnerDecisions lists the partner's participants' deferral and withdrawal requests,
// newest first, each with the letters sent about it.
func (s *Server) partnerDecisions(w http.ResponseWriter, r *http.Request) error {
	req, err := listRequest(r)
	if err != nil {
		return err
	}
	filter, f, err := readRequestsFilter(r, req)
	if err != nil {
		return err
	}
	if filter.State == "all" {
		return badRequest("The list could not be filtered.")
	}
	v := partner.DecisionsView{Filter: filter, Sorted: requestsSorted(false)}
	if v.Choices, err = s.requestsChoices(r, "Any state", "", ""); err != nil {
		return err
	}
	rows, err := s.lifecycle.RequestsPage(r.Context(), scopeFor(r), f, s.now(), req)
	if err != nil {
		return listFailed(err)
	}
	page := listing.Cut(rows, req, lifecycle.RequestKey)
	v.Requests, v.Pages = page.Rows, seekPager(r, page)
	return s.ok(w, r, partner.Decisions(v))
}
