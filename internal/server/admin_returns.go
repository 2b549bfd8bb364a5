package server

import (
	"net/http"

	"npq/internal/lifecycle"
	"npq/internal/programme"
	"npq/web/pages/admin"
)

func (s *Server) adminReturns(w http.ResponseWriter, r *http.Request) error {
	list, err := s.lifecycle.Returns(r.Context())
	if err != nil {
		return err
	}
	today := programme.Today(s.now())
	v := admin.ReturnsView{}
	for _, req := range list {
		if lifecycle.DueForReturnCheck(*req.ReturnOn, today) {
			v.Due = append(v.Due, req)
		} else {
			v.Later = append(v.Later, req)
		}
	}
	return s.ok(w, r, admin.Returns(v))
}
