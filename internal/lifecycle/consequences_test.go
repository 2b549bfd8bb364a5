package lifecycle

import (
	"strings"
	"testing"
	"time"

	"npq/internal/events"
	"npq/internal/programme"
)

func TestConsequences(t *testing.T) {
	london, _ := time.LoadLocation("Europe/London")
	req := func(kind Kind, route programme.FundingRoute) Request {
		reason := "parental-leave"
		if kind == KindWithdrawal {
			reason = "personal-reason-moving-school"
		}
		return Request{Kind: kind, Reason: reason, Name: "Pam Jones", Email: "pam@school.test", PartnerName: "Riverside Hub", FundingRoute: route}
	}
	webinar := events.Offer{Event: events.Event{Title: "Block 2 webinar", StartsAt: time.Date(2027, 3, 4, 16, 0, 0, 0, london), EndsAt: time.Date(2027, 3, 4, 17, 0, 0, 0, london)},
		BookingStatus: events.StatusBooked}
	waiting := webinar
	waiting.Title, waiting.BookingStatus = "Block 3 day", events.StatusWaiting
	approve := func(refund string, pence int) DecisionDraft {
		return DecisionDraft{Decision: Decision{Approve: true, EffectiveOn: d("2027-02-01"), ReturnOn: d("2027-09-01"), Refund: refund, RefundPence: pence}}
	}
	tests := []struct {
		name     string
		r        Request
		d        DecisionDraft
		bookings []events.Offer
		want     []string // each consequence, with its items after " / "
	}{
		{"refusing changes nothing but sends a letter", req(KindDeferral, programme.FundingSchoolFunded), DecisionDraft{}, []events.Offer{webinar}, []string{
			"Nothing changes to Pam Jones's place, training status or bookings, and DfE is not told.",
			"A letter refusing the deferral request, giving your notes as the reason, is emailed to Pam Jones (pam@school.test), with a copy to Riverside Hub, their delivery partner.",
		}},
		{"approving a deferral with one booking", req(KindDeferral, programme.FundingSchoolFunded), approve("", 0), []events.Offer{webinar}, []string{
			"Pam Jones's training status becomes deferred from 1 February 2027. DfE will be told, with the reason “Maternity, paternity, shared parental or adoption leave”.",
			"Their course content closes until they return to NPQH next on 1 September 2027.",
			"1 future booking is cancelled, and the places offered to the people waiting: / Block 2 webinar, " + webinar.Timing(),
			"A letter confirming the deferral and the return is emailed to Pam Jones (pam@school.test), with a copy to Riverside Hub, their delivery partner.",
		}},
		{"approving a paid withdrawal with a partial refund and no bookings", req(KindWithdrawal, programme.FundingSelfFunded), approve("partial", 45050), nil, []string{
			"Pam Jones's training status becomes withdrawn from 1 February 2027. DfE will be told, with the reason “Moving school”.",
			"Their course content closes.",
			"They have no future bookings to cancel.",
			"Refund recorded: partial refund of £450.50.",
			"A letter confirming the withdrawal is emailed to Pam Jones (pam@school.test), with a copy to Riverside Hub, their delivery partner.",
		}},
		{"a scholarship withdrawal has no refund; a waiting place is named as one", req(KindWithdrawal, programme.FundingScholarship), approve("", 0), []events.Offer{webinar, waiting}, []string{
			"Pam Jones's training status becomes withdrawn from 1 February 2027. DfE will be told, with the reason “Moving school”.",
			"Their course content closes.",
			"2 future bookings are cancelled, and the places offered to the people waiting: / Block 2 webinar, " + webinar.Timing() + " / Block 3 day, " + waiting.Timing() + " (waiting list)",
			"A letter confirming the withdrawal is emailed to Pam Jones (pam@school.test), with a copy to Riverside Hub, their delivery partner.",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, c := range Consequences(tc.r, tc.d, tc.bookings, "NPQH next") {
				got = append(got, strings.Join(append([]string{c.Text}, c.Items...), " / "))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestMoveConsequences(t *testing.T) {
	r := Request{Name: "Pam Jones", Email: "pam@school.test", PartnerName: "Riverside Hub", CohortName: "NPQH Riverside"}
	got := MoveConsequences(r, []string{"payment for the place has not been received"}, "NPQH next", nil)
	want := []string{
		"Pam Jones's place moves from NPQH Riverside to NPQH next, and their deferral request is closed. Their training status stays active.",
		"They have no future bookings to cancel.",
		"A letter saying they cannot defer yet (payment for the place has not been received) and confirming the move is emailed to Pam Jones (pam@school.test), with a copy to Riverside Hub, their delivery partner.",
	}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i].Text != want[i] {
			t.Errorf("got  %q\nwant %q", got[i].Text, want[i])
		}
	}
}
