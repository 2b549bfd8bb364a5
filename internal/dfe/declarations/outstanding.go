package declarations

import "time"

// Milestone is a declaration type the enrolment has not yet earned, with
// its window, so staff can act before the deadline.
type Milestone struct {
	Type        Type
	From        Date // first day evidence counts
	Deadline    Date // last day; zero when DfE has published none
	PaymentDate Date // zero when not published
	Missed      bool // the deadline has passed
}

// Outstanding lists, in order, the schedule's types that are neither live
// with DfE nor due from the evidence today.
func Outstanding(ev Evidence, today time.Time) []Milestone {
	r := Derive(ev, today)
	done := map[Type]bool{}
	for _, m := range ev.Made {
		if m.State.Live() {
			done[m.Type] = true
		}
	}
	for _, d := range r.Due {
		done[d.Type] = true
	}
	var out []Milestone
	for _, t := range ev.Schedule.Allowed() {
		if done[t] {
			continue
		}
		from, to := ev.Schedule.Window(t)
		out = append(out, Milestone{
			Type: t, From: from, Deadline: to, PaymentDate: ev.Schedule.PaymentDates[t],
			Missed: !to.IsZero() && day(today).After(to),
		})
	}
	return out
}
