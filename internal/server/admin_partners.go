package server

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"npq/internal/auth"
	"npq/internal/programme"
	"npq/web/pages/admin"
)

func (s *Server) adminPartners(w http.ResponseWriter, r *http.Request) error {
	partners, err := s.programme.Partners(r.Context())
	if err != nil {
		return err
	}
	return s.ok(w, r, admin.Partners(partners))
}

func (s *Server) adminPartnerNew(w http.ResponseWriter, r *http.Request) error {
	return s.ok(w, r, admin.PartnerEdit(admin.PartnerForm{}))
}

func (s *Server) adminPartnerEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r, "partner")
	if err != nil {
		return err
	}
	p, err := s.programme.PartnerByID(r.Context(), id)
	if err != nil {
		return err
	}
	dfeID, err := s.dfeIdentifiers().PartnerDfEID(r.Context(), id)
	if err != nil {
		return err
	}
	return s.ok(w, r, admin.PartnerEdit(admin.PartnerForm{ID: p.ID, Name: p.Name, ContactName: p.ContactName, ContactEmail: p.ContactEmail, Region: p.Region,
		DfE: admin.DfEPartnerID(p.ID, dfeID)}))
}

func (s *Server) adminPartnerSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := admin.PartnerForm{Name: field(r, "name"), ContactName: field(r, "contact_name"), ContactEmail: field(r, "contact_email"), Region: field(r, "region")}
	// The same handler creates (no id in the address) and edits; an id of 0 would create.
	if chi.URLParam(r, "partner") != "" {
		id, err := urlID(r, "partner")
		if err != nil {
			return err
		}
		f.ID = id
	}
	if f.Name == "" {
		f.Errors.Add("name", "Enter the delivery partner's name")
	}
	f.Errors.Add("name", maxLength("Name", f.Name, 200))
	f.Errors.Add("region", maxLength("Region", f.Region, 100))
	f.Errors.Add("contact_name", maxLength("Contact name", f.ContactName, 200))
	if f.ContactEmail != "" {
		f.Errors.Add("contact_email", auth.EmailProblem(f.ContactEmail))
	}
	if f.Errors.Any() {
		return s.invalid(w, r, admin.PartnerEdit(f))
	}
	_, err := s.programme.SavePartner(r.Context(), programme.Partner{ID: f.ID, Name: f.Name, ContactName: f.ContactName,
		ContactEmail: auth.NormaliseEmail(f.ContactEmail), Region: f.Region})
	if errors.Is(err, programme.ErrDuplicateName) {
		f.Errors.Add("name", "There is already a delivery partner with this name")
		return s.invalid(w, r, admin.PartnerEdit(f))
	}
	if err != nil {
		return err
	}
	return s.seeOther(w, r, "/admin/partners", "Saved "+f.Name)
}
