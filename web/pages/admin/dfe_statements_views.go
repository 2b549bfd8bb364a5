package admin

import (
	"time"

	"npq/internal/dfe/statements"
	"npq/internal/timefmt"
)

// DfEStatementsView is DfE's statement calendar as admins read it.
type DfEStatementsView struct {
	Enabled bool
	Synced  time.Time              // when the calendar was last read from DfE; zero if never
	Next    []statements.Statement // each cohort's next statement: the cut-off to beat now
	Rows    []DfEStatementRow
}

// DfEStatementRow is one statement with where it stands today.
type DfEStatementRow struct {
	statements.Statement
	Standing string // "Paid", "Next cut-off", "Waiting for payment" or "Upcoming"
}

// StatementsView builds the page from the calendar (sorted by cut-off) at today.
func StatementsView(list []statements.Statement, today, synced time.Time, enabled bool) DfEStatementsView {
	v := DfEStatementsView{Enabled: enabled, Synced: synced}
	next := map[string]bool{}
	for _, s := range list {
		row := DfEStatementRow{Statement: s}
		switch {
		case s.Paid:
			row.Standing = "Paid"
		case s.CutOff.Before(today):
			row.Standing = "Waiting for payment"
		case !next[s.Cohort]:
			next[s.Cohort] = true
			row.Standing = "Next cut-off"
			v.Next = append(v.Next, s)
		default:
			row.Standing = "Upcoming"
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// paidOn says when a statement is paid: "on 25 January 2027", or "when DfE sets the date".
func paidOn(day time.Time) string {
	if day.IsZero() {
		return "when DfE sets the payment date"
	}
	return "on " + timefmt.Date(day)
}
