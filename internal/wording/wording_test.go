package wording

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// The sample data every message is rendered with; the expected texts are the wording as it
// was written in Go before it moved here, byte for byte.
var (
	name, course, cohort, base = "Ada Lovelace", "NPQ in Headship", "NPQH Autumn 2026", "https://npq.example.test"
	at                         = time.Date(2027, 3, 3, 14, 30, 0, 0, time.UTC)
	date                       = time.Date(2027, 9, 1, 0, 0, 0, 0, time.UTC)
	to                         = LetterTo{Name: name, CourseName: course, CohortName: cohort, PartnerName: "Barnsley Hub"}
	enrolment                  = Enrolment{Name: name, CourseName: course, CohortName: cohort, StartsOn: date, BaseURL: base}
	intro                      = "You have a place on NPQ in Headship, cohort NPQH Autumn 2026, starting on 1 September 2027."
	event                      = Event{Name: name, Title: "Leading change", Timing: "Wednesday 3 March 2027, 2:30pm to 4pm", Venue: "Town Hall, Barnsley",
		CancelBy: at, EventURL: base + "/events/7", BaseURL: base, Reason: "The facilitator is ill"}
	deferral = Deferral{LetterTo: to, Reason: "Parental leave", StartsOn: date, ReturnOn: date.AddDate(1, 0, 0), ReturnCohortName: "NPQH Spring 2028",
		Done: 3, Required: 10, Scholarship: true}
	sent = LetterSent{Letter: Text{Subject: "Your deferral is confirmed", Body: "Dear Ada Lovelace,\n\nA letter.\n"}, ID: 42, Name: name, CohortName: cohort, BaseURL: base}
)

func online(e Event, link string) Event {
	e.Online, e.JoiningLink = true, link
	return e
}

func withdrawal(refund string) Withdrawal {
	return Withdrawal{LetterTo: to, Reason: "Workload", WithdrawnOn: date, BookingsCancelled: 3, Refund: refund, RefundPence: 45000, Notes: "Sorry to see you go."}
}

type messageCase struct {
	name, file    string
	render        func() (Text, error)
	subject, body string
}

var messageCases = []messageCase{
	{name: "staff-message", file: "staff-message",
		render: func() (Text, error) {
			return StaffMessageEmail(StaffMessage{Name: name, Subject: "Book the block 2 webinar", Body: "Dates are filling up.\n\nBook this week.",
				SenderName: "Sam Staff", From: "Barnsley Hub", BaseURL: base})
		},
		subject: "Book the block 2 webinar",
		body: `Dear Ada Lovelace,

Dates are filling up.

Book this week.

Sam Staff
Barnsley Hub

This message was sent through the NPQ platform (https://npq.example.test). Replies to this email are not read: to answer, contact Barnsley Hub directly.
`},
	{name: "sign-in-alert", file: "sign-in-alert",
		render: func() (Text, error) {
			return SignInAlertEmail(SignInAlert{Name: name, Email: "ada@example.test", Failures: 6, WindowMinutes: 15})
		},
		subject: "Someone is trying to sign in to your NPQ platform account",
		body: `Dear Ada Lovelace,

There have been 6 failed attempts to sign in to your NPQ platform account (ada@example.test) in the last 15 minutes.

If this was you, you do not need to do anything.

If it was not you, someone may be trying to guess your password. Their attempts are being slowed down and refused, and you can still sign in as usual. If you use this password anywhere else, or think someone knows it, contact your lead provider.

We will not email you about this again for 15 minutes.
`},
	{name: "invitation", file: "invitation",
		render: func() (Text, error) {
			return InvitationEmail(Invitation{Name: name, RoleWithArticle: "an assessor", BaseURL: base, Token: "tok123"})
		},
		subject: "You have been invited to the NPQ platform",
		body: `Dear Ada Lovelace,

You have been invited to join the NPQ platform as an assessor.

Set your password and sign in here:
https://npq.example.test/invitations/tok123

This link works once and expires in 7 days. If you were not expecting this email, you can ignore it.
`},
	{name: "invitation with intro", file: "invitation",
		render: func() (Text, error) {
			return InvitationEmail(Invitation{Name: name, Intro: intro, RoleWithArticle: "a participant", BaseURL: base, Token: "tok123"})
		},
		subject: "You have been invited to the NPQ platform",
		body: `Dear Ada Lovelace,

You have a place on NPQ in Headship, cohort NPQH Autumn 2026, starting on 1 September 2027.

Set your password and sign in here:
https://npq.example.test/invitations/tok123

This link works once and expires in 7 days. If you were not expecting this email, you can ignore it.
`},
	{name: "enrolled", file: "enrolled",
		render:  func() (Text, error) { return EnrolmentEmail(enrolment) },
		subject: "You are enrolled on NPQ in Headship",
		body: `Dear Ada Lovelace,

You have a place on NPQ in Headship, cohort NPQH Autumn 2026, starting on 1 September 2027.

Sign in to see your course: https://npq.example.test/sign-in
`},
	{name: "assessment-submitted", file: "assessment-submitted",
		render: func() (Text, error) {
			return AssessmentSubmittedEmail(Submission{Name: name, CourseName: course, Attempt: 2, SubmittedAt: at, CandidateNumber: "C-1234"})
		},
		subject: "Assessment submitted: NPQ in Headship",
		body: `Dear Ada Lovelace,

We received your assessment for NPQ in Headship (attempt 2) on 3 March 2027 at 2:30pm. Your candidate number is C-1234.

It is now final. We will tell you when your result is released.
`},
	{name: "assessment-released", file: "assessment-released",
		render: func() (Text, error) {
			return AssessmentReleasedEmail(Submission{Name: name, CourseName: course, BaseURL: base, EnrolmentID: 42})
		},
		subject: "Your assessment result: NPQ in Headship",
		body: `Dear Ada Lovelace,

The result of your NPQ in Headship assessment is ready. Sign in to see your outcome, the judgement on each criterion and your feedback:

https://npq.example.test/assessment?course=42
`},
	{name: "booking-confirmed", file: "booking-confirmed",
		render:  func() (Text, error) { return BookingConfirmedEmail(online(event, "https://meet.example.test/abc")) },
		subject: "Booking confirmed: Leading change",
		body: `Dear Ada Lovelace,

Your place is booked.

Leading change
When: Wednesday 3 March 2027, 2:30pm to 4pm
Where: Online – join at https://meet.example.test/abc
Cancel or change by: Wednesday 3 March 2027 at 2:30pm

See or change your booking: https://npq.example.test/events/7
`},
	{name: "booking-promoted", file: "booking-promoted",
		render:  func() (Text, error) { return BookingPromotedEmail(online(event, "")) },
		subject: "A place came up: you are booked on Leading change",
		body: `Dear Ada Lovelace,

A place became free and you were first on the waiting list, so you are now booked.

Leading change
When: Wednesday 3 March 2027, 2:30pm to 4pm
Where: Online
Cancel or change by: Wednesday 3 March 2027 at 2:30pm

See or change your booking: https://npq.example.test/events/7
`},
	{name: "booking-waiting", file: "booking-waiting",
		render:  func() (Text, error) { return BookingWaitingEmail(event) },
		subject: "You are on the waiting list for Leading change",
		body: `Dear Ada Lovelace,

This session is full, so you are on its waiting list. If a place comes up you will be booked automatically (unless it clashes with another booking) and we will email you.

Leading change
When: Wednesday 3 March 2027, 2:30pm to 4pm
Where: Town Hall, Barnsley
Cancel or change by: Wednesday 3 March 2027 at 2:30pm

See or change your booking: https://npq.example.test/events/7
`},
	{name: "booking-cancelled", file: "booking-cancelled",
		render:  func() (Text, error) { return BookingCancelledEmail(event) },
		subject: "Booking cancelled: Leading change",
		body: `Dear Ada Lovelace,

You cancelled your place.

Leading change
When: Wednesday 3 March 2027, 2:30pm to 4pm
Where: Town Hall, Barnsley
Cancel or change by: Wednesday 3 March 2027 at 2:30pm

See or change your booking: https://npq.example.test/events/7
`},
	{name: "booking-moved", file: "booking-moved",
		render:  func() (Text, error) { return BookingMovedEmail(event) },
		subject: "Booking moved from Wednesday 3 March 2027, 2:30pm to 4pm",
		body: `Dear Ada Lovelace,

You changed to another date, so this booking is cancelled.

Leading change
When: Wednesday 3 March 2027, 2:30pm to 4pm
Where: Town Hall, Barnsley
Cancel or change by: Wednesday 3 March 2027 at 2:30pm

See or change your booking: https://npq.example.test/events/7
`},
	{name: "reminder-week", file: "reminder-week",
		render:  func() (Text, error) { return ReminderWeekEmail(event) },
		subject: "In a week: Leading change",
		body: `Dear Ada Lovelace,

A reminder that you are booked on this session next week.

Leading change
When: Wednesday 3 March 2027, 2:30pm to 4pm
Where: Town Hall, Barnsley
Cancel or change by: Wednesday 3 March 2027 at 2:30pm

See or change your booking: https://npq.example.test/events/7
`},
	{name: "reminder-day", file: "reminder-day",
		render:  func() (Text, error) { return ReminderDayEmail(event) },
		subject: "Tomorrow: Leading change",
		body: `Dear Ada Lovelace,

A reminder that you are booked on this session tomorrow.

Leading change
When: Wednesday 3 March 2027, 2:30pm to 4pm
Where: Town Hall, Barnsley
Cancel or change by: Wednesday 3 March 2027 at 2:30pm

See or change your booking: https://npq.example.test/events/7
`},
	{name: "event-cancelled", file: "event-cancelled",
		render:  func() (Text, error) { return EventCancelledEmail(event) },
		subject: "Cancelled: Leading change",
		body: `Dear Ada Lovelace,

Sorry: Leading change on Wednesday 3 March 2027, 2:30pm to 4pm has been cancelled.
Reason: The facilitator is ill

Your booking is cancelled. Book another date on the Events page: https://npq.example.test/events
`},
	{name: "event-changed", file: "event-changed",
		render:  func() (Text, error) { return EventChangedEmail(event) },
		subject: "Changed: Leading change",
		body: `Dear Ada Lovelace,

The details of a session you are booked on (or waiting for) have changed. Here are the new details.

Leading change
When: Wednesday 3 March 2027, 2:30pm to 4pm
Where: Town Hall, Barnsley
Cancel or change by: Wednesday 3 March 2027 at 2:30pm

See or change your booking: https://npq.example.test/events/7
`},
	{name: "letter-email", file: "letter-email",
		render:  func() (Text, error) { return LetterEmail(sent) },
		subject: "Your deferral is confirmed",
		body: `Dear Ada Lovelace,

A letter.


You can read and print this letter at https://npq.example.test/letters/42
`},
	{name: "letter-copy", file: "letter-copy",
		render:  func() (Text, error) { return LetterCopyEmail(sent) },
		subject: "For your information: Ada Lovelace: Your deferral is confirmed",
		body: `This is a copy of a letter sent to Ada Lovelace, a participant in NPQH Autumn 2026.

Dear Ada Lovelace,

A letter.


You can read and print this letter at https://npq.example.test/letters/42
`},
	{name: "deferral-agreed", file: "deferral-agreed",
		render:  func() (Text, error) { return DeferralLetter(deferral) },
		subject: "Your deferral is confirmed",
		body: `Dear Ada Lovelace,

We have agreed your request to defer your place on NPQ in Headship (NPQH Autumn 2026).

Your deferral starts on 1 September 2027. Reason: Parental leave.

Expected date of return: 1 September 2028.
Arrangements for rejoining: you will rejoin in cohort NPQH Spring 2028 at the start of its block, so that no programme content is missed. Your progress so far is kept (3 of 10 required activities done).

While you are deferred, the course content is closed. We will contact you within 3 months before your return date to ask you to confirm that you intend to return. If you choose not to return, the withdrawal policy will apply.

Your delivery partner, Barnsley Hub, has a copy of this letter.
`},
	{name: "deferral-agreed with everything", file: "deferral-agreed",
		render: func() (Text, error) {
			return DeferralLetter(Deferral{LetterTo: to, Reason: "Parental leave", StartsOn: date, ReturnOn: date.AddDate(1, 0, 0), ReturnCohortName: "NPQH Spring 2028",
				Done: 3, Required: 10, ExceptionReason: "A long illness", BookingsCancelled: 2, Notes: "We wish you well."})
		},
		subject: "Your deferral is confirmed",
		body: `Dear Ada Lovelace,

We have agreed your request to defer your place on NPQ in Headship (NPQH Autumn 2026).

Your deferral starts on 1 September 2027. Reason: Parental leave.

Expected date of return: 1 September 2028.
Arrangements for rejoining: you will rejoin in cohort NPQH Spring 2028 at the start of its block, so that no programme content is missed. Your progress so far is kept (3 of 10 required activities done).

Your return is more than 12 months after your deferral starts. We have agreed this because: A long illness

We have cancelled your 2 future event bookings; you can book again when you return.

While you are deferred, the course content is closed. We will contact you within 3 months before your return date to ask you to confirm that you intend to return. If you choose not to return, the withdrawal policy will apply.

As your place is not scholarship funded, no refund is available at the point of deferral as you are expected to return to the programme.

Note from the programme team: We wish you well.

Your delivery partner, Barnsley Hub, has a copy of this letter.
`},
	{name: "withdrawal-confirmed", file: "withdrawal-confirmed",
		render: func() (Text, error) {
			return WithdrawalLetter(Withdrawal{LetterTo: to, Reason: "Workload", WithdrawnOn: date})
		},
		subject: "Your withdrawal is confirmed",
		body: `Dear Ada Lovelace,

We confirm your withdrawal from NPQ in Headship (NPQH Autumn 2026).

Date of withdrawal: 1 September 2027. Reason: Workload.

You have been removed from your course on the learning platform, and our records have been updated. Your records are kept.

Your delivery partner, Barnsley Hub, has a copy of this letter.
`},
	{name: "withdrawal-confirmed full", file: "withdrawal-confirmed",
		render:  func() (Text, error) { return WithdrawalLetter(withdrawal("full")) },
		subject: "Your withdrawal is confirmed",
		body: `Dear Ada Lovelace,

We confirm your withdrawal from NPQ in Headship (NPQH Autumn 2026).

Date of withdrawal: 1 September 2027. Reason: Workload.

You have been removed from your course on the learning platform, and our records have been updated. Your records are kept.

We have cancelled your 3 future event bookings.

Refund: we will refund the fees in full.

Note from the programme team: Sorry to see you go.

Your delivery partner, Barnsley Hub, has a copy of this letter.
`},
	{name: "withdrawal-confirmed partial", file: "withdrawal-confirmed",
		render:  func() (Text, error) { return WithdrawalLetter(withdrawal("partial")) },
		subject: "Your withdrawal is confirmed",
		body: `Dear Ada Lovelace,

We confirm your withdrawal from NPQ in Headship (NPQH Autumn 2026).

Date of withdrawal: 1 September 2027. Reason: Workload.

You have been removed from your course on the learning platform, and our records have been updated. Your records are kept.

We have cancelled your 3 future event bookings.

Refund: we will refund £450.00 of the fees.

Note from the programme team: Sorry to see you go.

Your delivery partner, Barnsley Hub, has a copy of this letter.
`},
	{name: "withdrawal-confirmed none", file: "withdrawal-confirmed",
		render:  func() (Text, error) { return WithdrawalLetter(withdrawal("none")) },
		subject: "Your withdrawal is confirmed",
		body: `Dear Ada Lovelace,

We confirm your withdrawal from NPQ in Headship (NPQH Autumn 2026).

Date of withdrawal: 1 September 2027. Reason: Workload.

You have been removed from your course on the learning platform, and our records have been updated. Your records are kept.

We have cancelled your 3 future event bookings.

Refund: no refund is due, given the timing of the withdrawal and the costs already incurred.

Note from the programme team: Sorry to see you go.

Your delivery partner, Barnsley Hub, has a copy of this letter.
`},
	{name: "request-refused deferral", file: "request-refused",
		render: func() (Text, error) {
			return RefusalLetter(Refusal{LetterTo: to, Kind: "deferral", Reason: "Not enough evidence"})
		},
		subject: "Your deferral request",
		body: `Dear Ada Lovelace,

We have considered your request to defer from NPQ in Headship and we are not able to agree it.

Reason: Not enough evidence

Your place continues as before. Please talk to your delivery partner, Barnsley Hub, about the support available.
`},
	{name: "request-refused withdrawal", file: "request-refused",
		render: func() (Text, error) {
			return RefusalLetter(Refusal{LetterTo: to, Kind: "withdrawal", Reason: "Not enough evidence"})
		},
		subject: "Your withdrawal request",
		body: `Dear Ada Lovelace,

We have considered your request to withdraw from NPQ in Headship and we are not able to agree it.

Reason: Not enough evidence

Your place continues as before. Please talk to your delivery partner, Barnsley Hub, about the support available.
`},
	{name: "cohort-move", file: "cohort-move",
		render: func() (Text, error) {
			return CohortMoveLetter(CohortMove{LetterTo: to, Problems: []string{"the course has not started yet", "payment not received"}, NewCohortName: "NPQH Spring 2027", StartsOn: date})
		},
		subject: "Your place has moved to NPQH Spring 2027",
		body: `Dear Ada Lovelace,

You asked to defer your place on NPQ in Headship. You are not yet eligible to defer (the course has not started yet; payment not received), so as our policy sets out, your enrolment has moved to the next cohort instead: NPQH Spring 2027, starting on 1 September 2027.

We may need to repeat some eligibility checks before you start. Your progress so far is kept.

Your delivery partner, Barnsley Hub, will be in touch about the arrangements.
`},
	{name: "return-request", file: "return-request",
		render: func() (Text, error) {
			return ReturnRequestLetter(Return{LetterTo: to, ReturnOn: date, ReturnCohortName: "NPQH Spring 2028", BaseURL: base})
		},
		subject: "Please confirm your return to NPQ in Headship",
		body: `Dear Ada Lovelace,

Your deferral from NPQ in Headship is due to end on 1 September 2027, when you rejoin in NPQH Spring 2028.

Please confirm whether you intend to return: sign in and answer on your Requests page, https://npq.example.test/requests.

If you choose not to return, or we do not hear from you by your return date, the withdrawal policy will apply.
`},
	{name: "return-welcome", file: "return-welcome",
		render: func() (Text, error) {
			return ReturnLetter(Return{LetterTo: to, ReturnOn: date, ReturnCohortName: "NPQH Spring 2028"})
		},
		subject: "Welcome back to NPQ in Headship",
		body: `Dear Ada Lovelace,

Welcome back. Your place on NPQ in Headship is active again from 1 September 2027, in cohort NPQH Spring 2028.

What happens next: your course content is open again, you continue from where you stopped, and you can book the sessions for your block on the Events page. Your delivery partner, Barnsley Hub, will be in touch.
`},
	{name: "reinstatement", file: "reinstatement",
		render: func() (Text, error) {
			return ReinstatementLetter(Reinstatement{LetterTo: to, RestoredOn: date, Reason: "Withdrawn by mistake"})
		},
		subject: "Your place on NPQ in Headship is restored",
		body: `Dear Ada Lovelace,

Your withdrawal from NPQ in Headship was recorded in error. Your place is restored from 1 September 2027 and your course content is open again.

Reason: Withdrawn by mistake
`},
}

func TestMessages(t *testing.T) {
	for _, c := range messageCases {
		got, err := c.render()
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got.Subject != c.subject {
			t.Errorf("%s: subject\n got %q\nwant %q", c.name, got.Subject, c.subject)
		}
		if got.Body != c.body {
			t.Errorf("%s: body\n got %q\nwant %q", c.name, got.Body, c.body)
		}
	}
}

func TestEnrolmentIntro(t *testing.T) {
	got, err := EnrolmentIntro(enrolment)
	if err != nil || got != intro {
		t.Errorf("got %q, %v; want %q", got, err, intro)
	}
	// The enrolment email and a new participant's invitation open with the same sentence.
	email, _ := EnrolmentEmail(enrolment)
	if !strings.Contains(email.Body, "\n\n"+intro+"\n\n") {
		t.Errorf("the enrolment email does not carry the intro: %q", email.Body)
	}
}

// TestEveryTemplateIsTested fails for a template file without a case above, so no message
// escapes the byte-for-byte check.
func TestEveryTemplateIsTested(t *testing.T) {
	tested := map[string]bool{}
	for _, c := range messageCases {
		tested[c.file] = true
	}
	names, err := fs.Glob(files, "templates/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	shared := 0
	for _, n := range names {
		base := strings.TrimSuffix(filepath.Base(n), ".txt")
		if strings.HasPrefix(base, "_") {
			shared++
			continue
		}
		if !tested[base] {
			t.Errorf("%s has no test case", n)
		}
		delete(tested, base)
	}
	for name := range tested {
		t.Errorf("a test case names %s, which has no template", name)
	}
	if len(messages) != len(names)-shared {
		t.Errorf("parsed %d messages from %d files", len(messages), len(names))
	}
}

// TestEveryMessageIsUsed fails for an exported function of this package that no other
// package calls, so templates that nothing sends do not pile up.
func TestEveryMessageIsUsed(t *testing.T) {
	exported := map[string]bool{}
	sources, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range sources {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.IsExported() {
				exported[fn.Name.Name] = true
			}
		}
	}
	if len(exported) < 20 {
		t.Fatalf("found only %d message functions", len(exported))
	}
	err = filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || filepath.Base(filepath.Dir(path)) == "wording" {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for fn := range exported {
			if regexp.MustCompile(`\bwording\.` + fn + `\b`).Match(src) {
				delete(exported, fn)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for fn := range exported {
		t.Errorf("wording.%s is not used outside the package", fn)
	}
}

func TestParseRefusesIncompleteTemplates(t *testing.T) {
	for name, text := range map[string]string{
		"no body":      `{{define "subject"}}Hello{{end}}`,
		"no subject":   `{{define "body"}}Hello{{end}}`,
		"broken":       `{{define "subject"}}Hello{{end}}{{define "body"}}{{if .X}}{{end}}`,
		"unknown func": `{{define "subject"}}{{shout .X}}{{end}}{{define "body"}}{{end}}`,
	} {
		if _, err := parse(fstest.MapFS{"templates/message.txt": {Data: []byte(text)}}); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
	if _, err := parse(fstest.MapFS{"templates/message.txt": {Data: []byte(`{{define "subject"}}Hi{{end}}{{define "body"}}Hello{{end}}`)}}); err != nil {
		t.Errorf("a complete template: %v", err)
	}
}

// Every decision letter ends with who it is from and where to write with a question.
func TestLettersAreSignedOff(t *testing.T) {
	signed := to
	signed.From = LetterFrom{Name: "The NPQ team at Example Trust", ContactEmail: "npqs@example.org"}
	const signOff = "\nYours sincerely,\n\nThe NPQ team at Example Trust\n\nIf you have a question about this letter, email npqs@example.org.\n"
	for name, render := range map[string]func() (Text, error){
		"deferral":   func() (Text, error) { d := deferral; d.LetterTo = signed; return DeferralLetter(d) },
		"withdrawal": func() (Text, error) { w := withdrawal("full"); w.LetterTo = signed; return WithdrawalLetter(w) },
		"refusal": func() (Text, error) {
			return RefusalLetter(Refusal{LetterTo: signed, Kind: "deferral", Reason: "Too early"})
		},
		"cohort move": func() (Text, error) {
			return CohortMoveLetter(CohortMove{LetterTo: signed, NewCohortName: "Next", StartsOn: date})
		},
		"return ask": func() (Text, error) {
			return ReturnRequestLetter(Return{LetterTo: signed, ReturnOn: date, ReturnCohortName: "Next", BaseURL: base})
		},
		"return": func() (Text, error) {
			return ReturnLetter(Return{LetterTo: signed, ReturnOn: date, ReturnCohortName: "Next", BaseURL: base})
		},
		"reinstatement": func() (Text, error) {
			return ReinstatementLetter(Reinstatement{LetterTo: signed, RestoredOn: date, Reason: "An error"})
		},
	} {
		text, err := render()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !strings.HasSuffix(text.Body, "\n"+signOff) || strings.Contains(text.Body, "\n\n\nYours") {
			t.Errorf("%s ends:\n%s", name, text.Body[max(0, len(text.Body)-300):])
		}
	}
}

// A waiting-list place is not a booking: letters count them apart.
func TestLettersCountWaitingListPlacesApart(t *testing.T) {
	for _, tt := range []struct {
		booked, waiting int
		want            string
	}{
		{0, 0, ""},
		{1, 0, "We have cancelled your future event booking."},
		{3, 0, "We have cancelled your 3 future event bookings."},
		{0, 1, "We have cancelled your place on a waiting list."},
		{0, 2, "We have cancelled your places on 2 waiting lists."},
		{2, 1, "We have cancelled your 2 future event bookings and your place on a waiting list."},
	} {
		w := withdrawal("")
		w.BookingsCancelled, w.WaitingCancelled = tt.booked, tt.waiting
		text, err := WithdrawalLetter(w)
		if err != nil {
			t.Fatal(err)
		}
		got := regexp.MustCompile(`We have cancelled [^\n]*`).FindString(text.Body)
		if got != tt.want {
			t.Errorf("%d booked, %d waiting: got %q, want %q", tt.booked, tt.waiting, got, tt.want)
		}
		d := deferral
		d.BookingsCancelled, d.WaitingCancelled = tt.booked, tt.waiting
		if text, _ := DeferralLetter(d); tt.want != "" && !strings.Contains(text.Body, strings.TrimSuffix(tt.want, ".")+"; you can book again when you return.") {
			t.Errorf("deferral, %d booked, %d waiting:\n%s", tt.booked, tt.waiting, text.Body)
		}
	}
}
