// Package scope says whose records a signed-in person may read and change. It is built once
// per request from the signed-in user and passed to every scoped store method, whose SQL
// checks it on every query (`WHERE ... AND ($n OR h.delivery_partner_id = $m)`). The zero
// Scope sees nothing: no store reads "no scope" as "everything".
package scope

import "npq/internal/auth"

// Scope is what one person may see. Build it with For, or with Admin, Partner, Participant or
// Assessor; the zero value sees nothing.
type Scope struct {
	all       bool
	partnerID int64
	userID    int64
	markerID  int64
}

// Admin sees every record, as a lead-provider admin does.
func Admin() Scope { return Scope{all: true} }

// Partner sees one delivery partner's records, as its staff do. A partner id of 0 sees
// nothing.
func Partner(partnerID int64) Scope { return Scope{partnerID: partnerID} }

// Participant sees a participant's own records.
func Participant(userID int64) Scope { return Scope{userID: userID} }

// Assessor sees the submissions allocated to an assessor for marking.
func Assessor(userID int64) Scope { return Scope{markerID: userID} }

// For is the scope of the signed-in user u by their role; nobody signed in, or a role without
// what it needs (partner staff with no partner), sees nothing.
func For(u *auth.User) Scope {
	if u == nil {
		return Scope{}
	}
	switch u.Role {
	case auth.RoleProviderAdmin:
		return Admin()
	case auth.RolePartnerStaff:
		if u.DeliveryPartnerID != nil {
			return Partner(*u.DeliveryPartnerID)
		}
	case auth.RoleParticipant:
		return Participant(u.ID)
	case auth.RoleAssessor:
		return Assessor(u.ID)
	}
	return Scope{}
}

// All reports whether the scope sees every record. Stores pass it as the first alternative of
// their condition.
func (s Scope) All() bool { return s.all }

// PartnerID is the delivery partner whose records the scope sees, or 0 (which matches no
// partner) when it is not a partner's.
func (s Scope) PartnerID() int64 { return s.partnerID }

// UserID is the participant whose own records the scope sees, or 0 (which matches no user).
func (s Scope) UserID() int64 { return s.userID }

// MarkerID is the assessor whose allocated submissions the scope sees, or 0 (which matches no
// user).
func (s Scope) MarkerID() int64 { return s.markerID }

// SeesPartner reports whether the scope sees the records of delivery partner id.
func (s Scope) SeesPartner(id int64) bool { return s.all || (s.partnerID != 0 && s.partnerID == id) }
