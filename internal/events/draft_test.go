package events

import (
	"strings"
	"testing"
	"time"

	"npq/internal/problem"
)

// goodDraft is a webinar scheduled a week after now, booking open from now until a day before.
func goodDraft() EventDraft {
	starts := at("2027-03-02 09:30")
	return EventDraft{Kind: KindWebinar, Scheduling: true, NewEvent: NewEvent{ItemID: 1, CohortIDs: []int64{7},
		StartsAt: starts, EndsAt: at("2027-03-02 15:30"), JoiningLink: "https://meet.example/abc",
		BookingOpensAt: at("2027-02-23 09:30"), BookingClosesAt: starts.Add(-24 * time.Hour), CancellationCutoff: starts.Add(-48 * time.Hour)}}
}

func summary(ps problem.Problems) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Field+": "+p.Message)
	}
	return strings.Join(out, "|")
}

func TestEventDraftCheck(t *testing.T) {
	now := at("2027-02-23 09:30")
	for _, tt := range []struct {
		name   string
		change func(*EventDraft)
		want   string
	}{
		{"good", func(*EventDraft) {}, ""},
		{"no cohorts", func(d *EventDraft) { d.CohortIDs = nil }, "cohorts: Choose at least one cohort to offer it to"},
		{"long title", func(d *EventDraft) { d.Title = strings.Repeat("t", 201) }, "title: Title must be 200 characters or fewer"},
		{"long description", func(d *EventDraft) { d.Description = strings.Repeat("d", 5001) }, "description: Description must be 5000 characters or fewer"},
		{"long facilitator", func(d *EventDraft) { d.Facilitator = strings.Repeat("f", 201) }, "facilitator: Facilitator must be 200 characters or fewer"},
		{"ends as it starts", func(d *EventDraft) { d.EndsAt = d.StartsAt }, "end_time: End time must be after the start time"},
		{"in the past", func(d *EventDraft) {
			d.StartsAt, d.EndsAt = at("2027-02-20 09:30"), at("2027-02-20 10:30")
			d.BookingClosesAt = time.Time{}
		},
			"date-day: Date must be in the future"},
		{"a change may be in the past", func(d *EventDraft) {
			d.Scheduling = false
			d.StartsAt, d.EndsAt = at("2027-02-20 09:30"), at("2027-02-20 10:30")
			d.BookingOpensAt, d.BookingClosesAt = at("2027-02-01 00:00"), at("2027-02-19 09:30")
		}, ""},
		{"times not read", func(d *EventDraft) { d.StartsAt, d.EndsAt, d.BookingClosesAt = time.Time{}, time.Time{}, time.Time{} }, ""},
		{"long venue", func(d *EventDraft) { d.Venue = strings.Repeat("v", 1001) }, "venue: Venue address must be 1000 characters or fewer"},
		{"not a web address", func(d *EventDraft) { d.JoiningLink = "javascript:alert(1)" }, "joining_link: Joining link must be a web address starting with https://"},
		{"no host", func(d *EventDraft) { d.JoiningLink = "https://" }, "joining_link: Joining link must be a web address starting with https://"},
		{"long link", func(d *EventDraft) { d.JoiningLink = "https://meet.example/" + strings.Repeat("a", 1000) }, "joining_link: Joining link must be 1000 characters or fewer"},
		{"webinar without a link", func(d *EventDraft) { d.JoiningLink = "" }, "joining_link: Enter the joining link for this webinar"},
		{"webinar with a venue but no link", func(d *EventDraft) { d.JoiningLink, d.Venue = "", "Hall" }, "joining_link: Enter the joining link for this webinar"},
		{"face to face without a place", func(d *EventDraft) { d.Kind, d.JoiningLink = KindFaceToFace, "" }, "venue: Enter the venue address, or a joining link if it is held online"},
		{"face to face held online", func(d *EventDraft) { d.Kind = KindFaceToFace }, ""},
		{"face to face at a venue", func(d *EventDraft) { d.Kind, d.JoiningLink, d.Venue = KindFaceToFace, "", "Hall" }, ""},
		{"no session chosen", func(d *EventDraft) { d.Kind, d.JoiningLink = "", "" }, ""},
		{"booking opens as it closes", func(d *EventDraft) { d.BookingOpensAt = d.BookingClosesAt },
			"opens-day: Booking must open before it closes (1 March 2027 at 9:30am)"},
		{"opening date not read", func(d *EventDraft) { d.BookingOpensAt = time.Time{} }, ""},
		{"closing hours not read", func(d *EventDraft) { d.BookingOpensAt, d.BookingClosesAt = at("2027-03-05 00:00"), time.Time{} }, ""},
		{"a date in the past says nothing of booking", func(d *EventDraft) {
			d.StartsAt, d.EndsAt = at("2027-02-20 09:30"), at("2027-02-20 10:30")
			d.BookingClosesAt = at("2027-02-19 09:30")
		}, "date-day: Date must be in the future"},
		{"several, in the form's order", func(d *EventDraft) {
			d.CohortIDs, d.EndsAt, d.JoiningLink = nil, d.StartsAt.Add(-time.Hour), ""
		}, "cohorts: Choose at least one cohort to offer it to|end_time: End time must be after the start time|joining_link: Enter the joining link for this webinar"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := goodDraft()
			tt.change(&d)
			if got := summary(d.Check(now)); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}
