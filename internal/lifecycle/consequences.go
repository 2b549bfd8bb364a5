package lifecycle

import (
	"fmt"
	"strings"

	"npq/internal/events"
	"npq/internal/plural"
	"npq/internal/timefmt"
)

// Consequence is one thing recording a decision does, in plain words, with the particulars
// (such as the bookings it cancels) listed under it.
type Consequence struct {
	Text  string
	Items []string
}

// Consequences says what recording decision d on request r will do, for the admin to check
// before confirming: the training status DfE is told, content closing, the future bookings
// (given) that are cancelled, the return, the refund, and the letter and who receives it.
// returnCohort names the chosen return cohort of a deferral.
func Consequences(r Request, d DecisionDraft, bookings []events.Offer, returnCohort string) []Consequence {
	letterTo := fmt.Sprintf("%s (%s), with a copy to %s, their delivery partner.", r.Name, r.Email, r.PartnerName)
	if !d.Approve {
		return []Consequence{
			{Text: fmt.Sprintf("Nothing changes to %s's place, training status or bookings, and DfE is not told.", r.Name)},
			{Text: "A letter refusing the " + string(r.Kind) + " request, giving your notes as the reason, is emailed to " + letterTo},
		}
	}
	status := "withdrawn"
	if r.Kind == KindDeferral {
		status = "deferred"
	}
	out := []Consequence{{Text: fmt.Sprintf("%s's training status becomes %s from %s. DfE will be told, with the reason “%s”.",
		r.Name, status, timefmt.Date(d.EffectiveOn), r.ReasonLabel())}}
	if r.Kind == KindDeferral {
		out = append(out, Consequence{Text: fmt.Sprintf("Their course content closes until they return to %s on %s.", returnCohort, timefmt.Date(d.ReturnOn))})
	} else {
		out = append(out, Consequence{Text: "Their course content closes."})
	}
	out = append(out, bookingsCancelled(bookings))
	if RefundApplies(r.Kind, r.FundingRoute) {
		out = append(out, Consequence{Text: "Refund recorded: " + refundText(d.Refund, d.RefundPence) + "."})
	}
	letter := "confirming the withdrawal"
	if r.Kind == KindDeferral {
		letter = "confirming the deferral and the return"
	}
	return append(out, Consequence{Text: "A letter " + letter + " is emailed to " + letterTo})
}

func refundText(refund string, pence int) string {
	switch refund {
	case "full":
		return "full refund"
	case "partial":
		return fmt.Sprintf("partial refund of £%d.%02d", pence/100, pence%100)
	}
	return "no refund"
}

// bookingsCancelled says which future bookings an approval or a move cancels.
func bookingsCancelled(bookings []events.Offer) Consequence {
	if len(bookings) == 0 {
		return Consequence{Text: "They have no future bookings to cancel."}
	}
	c := Consequence{Text: plural.Count(len(bookings), "future booking is", "future bookings are") + " cancelled, and the places offered to the people waiting:"}
	for _, b := range bookings {
		item := b.Title + ", " + b.Timing()
		if b.BookingStatus == events.StatusWaiting {
			item += " (waiting list)"
		}
		c.Items = append(c.Items, item)
	}
	return c
}

// MoveConsequences says what moving the participant of request r to another cohort (named
// cohort) instead of deferring does: problems are why they cannot defer yet.
func MoveConsequences(r Request, problems []string, cohort string, bookings []events.Offer) []Consequence {
	return []Consequence{
		{Text: fmt.Sprintf("%s's place moves from %s to %s, and their deferral request is closed. Their training status stays active.", r.Name, r.CohortName, cohort)},
		bookingsCancelled(bookings),
		{Text: fmt.Sprintf("A letter saying they cannot defer yet (%s) and confirming the move is emailed to %s (%s), with a copy to %s, their delivery partner.",
			strings.Join(problems, "; "), r.Name, r.Email, r.PartnerName)},
	}
}
