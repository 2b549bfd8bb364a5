package admin

import (
	"time"

	"npq/web/components"
)

// AuditFilterForm is the audit trail's filter, as typed into the address.
type AuditFilterForm struct {
	Actor  string // email address or account number
	Person string
	Kind   string
	From   string // YYYY-MM-DD
	To     string
	Kinds  []components.Option
	Errors components.Errors
}

// AuditRow is one entry of the audit trail.
type AuditRow struct {
	At          time.Time
	ActorID     int64
	ActorName   string
	ActorEmail  string
	NotSignedIn bool // nobody was signed in (a failed sign-in, say); otherwise no actor means the service itself
	What        string
	Detail      string
	PersonID    int64
	PersonName  string
	Subject     string
	SubjectHref string
	IP          string
	RequestID   string
}

// AuditView is the audit trail page.
type AuditView struct {
	Filter  AuditFilterForm
	Rows    []AuditRow
	CSVHref string
	Pager   components.SeekPagination
}
