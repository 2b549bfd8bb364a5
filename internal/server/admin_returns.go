package server

import (
	"net/http"

	"npq/internal/lifecycle"
	"npq/internal/listing"
	"npq/internal/programme"
	"npq/web/pages/admin"
)

func (s *Server) adminReturns(w http.ResponseWriter, r *http.Request) error {
	req, err := listRequest(r)
	if err != nil {
		return err
	}
	today := programme.Today(s.now())
	list, due, later, err := s.lifecycle.ReturnsPage(r.Context(), today.AddDate(0, lifecycle.ReturnWindow, 0), req)
	if err != nil {
		return listFailed(err)
	}
	page := listing.Cut(list, req, lifecycle.ReturnKey)
	v := admin.ReturnsView{DueAll: due, LaterAll: later, Pages: seekPager(r, page)}
	for _, req := range page.Rows {
		if lifecycle.DueForReturnCheck(*req.ReturnOn, today) {
			v.Due = append(v.Due, req)
		} else {
			v.Later = append(v.Later, req)
		}
	}
	return s.ok(w, r, admin.Returns(v))
}
