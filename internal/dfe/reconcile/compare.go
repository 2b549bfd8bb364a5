// Package reconcile compares our records with DfE's. The sync copies the participants and
// declarations DfE changed since the last one (reaching back two windows, and every one once a
// week) into dfe_participants and dfe_declarations_seen, records DfE's participant-id changes
// and DfE's state of the declarations we sent; Reconcile then compares, for every DfE
// participant and course, our enrolment with DfE's, and keeps each difference in
// dfe_mismatches with what to do about it. Compare is the rule, a pure function.
package reconcile

import (
	"slices"
	"time"

	"npq/internal/timefmt"
)

// Kind is what differs.
type Kind string

// The kinds of mismatch.
const (
	NotAtDfE        Kind = "not-at-dfe"                // our enrolment carries a DfE id DfE does not list
	NotOurs         Kind = "not-ours"                  // DfE lists a participant with us no enrolment carries
	TrainingStatus  Kind = "training-status"           // DfE's training status is not ours
	Schedule        Kind = "schedule"                  // DfE's schedule is not the one we hold
	Cohort          Kind = "cohort"                    // DfE's cohort is not the one we hold
	DeclNotAtDfE    Kind = "declaration-not-at-dfe"    // a declaration we sent DfE no longer lists
	DeclVoidedAtDfE Kind = "declaration-voided-at-dfe" // a declaration we sent DfE has voided or clawed back
	DeclNotOurs     Kind = "declaration-not-ours"      // a live declaration at DfE we did not send
	DeclarationDate Kind = "declaration-date"          // DfE holds another date for a declaration we sent
	OutcomeKind     Kind = "outcome"                   // DfE's latest outcome is not the one it should hold
)

// Kinds are the kinds in the order the mismatches page offers them.
var Kinds = []Kind{NotAtDfE, NotOurs, TrainingStatus, Schedule, Cohort, DeclNotAtDfE, DeclVoidedAtDfE, DeclNotOurs, DeclarationDate, OutcomeKind}

// Label names a kind for the mismatches page.
func (k Kind) Label() string {
	return map[Kind]string{
		NotAtDfE: "Not at DfE", NotOurs: "Not on the platform", TrainingStatus: "Training status",
		Schedule: "Schedule", Cohort: "Cohort", DeclNotAtDfE: "Declaration missing at DfE",
		DeclVoidedAtDfE: "Declaration voided by DfE", DeclNotOurs: "Declaration made elsewhere",
		DeclarationDate: "Declaration date", OutcomeKind: "Outcome",
	}[k]
}

// ParseKind reads the mismatches page's ?kind=: "" is every kind.
func ParseKind(v string) (Kind, bool) {
	return Kind(v), v == "" || slices.Contains(Kinds, Kind(v))
}

// Ours is an enrolment that carries DfE's participant id and course, as we hold it.
type Ours struct {
	EnrolmentID   int64
	ParticipantID string
	Course        string // DfE's course identifier
	Status        string // our enrolment status: active, deferred, withdrawn, completed
	Schedule      string // "" when we hold none
	Cohort        string // "" when we hold none
	Declarations  []OurDeclaration
	// Due are the types of the declarations we hold due: one DfE already holds may be
	// one of them, sent while the comparison read (its send not yet recorded here).
	Due []string
	// Outcome is the latest result DfE should hold: our latest outcome update sent, or else
	// the result our sent completed declaration carries; nil when there is none.
	Outcome *Outcome
}

// Outcome is a participant's result on a course as sent to DfE, or as DfE holds it.
type Outcome struct {
	Passed         bool
	CompletionDate time.Time
	// Explicit says we sent it as an outcome of its own, rather than with the completed
	// declaration (from which DfE may or may not have recorded one).
	Explicit bool
}

func (o Outcome) words() string {
	w := "failed"
	if o.Passed {
		w = "passed"
	}
	return w + ", completed " + timefmt.Date(o.CompletionDate)
}

// OurDeclaration is a declaration DfE accepted from us.
type OurDeclaration struct {
	ID    int64 // ours
	DfEID string
	Type  string
	Date  time.Time
}

// Theirs is DfE's participant on one course, with the declarations DfE holds for it.
type Theirs struct {
	ParticipantID  string
	Course         string
	Name           string
	TrainingStatus string
	Schedule       string
	Cohort         string
	Declarations   []TheirDeclaration
	Outcome        *Outcome // DfE's latest, nil when it holds none
}

// TheirDeclaration is a declaration as DfE holds it.
type TheirDeclaration struct {
	DfEID string
	Type  string
	Date  time.Time
	State string
}

// Mismatch is one difference, with what to do about it.
type Mismatch struct {
	ParticipantID string
	Course        string
	EnrolmentID   int64 // 0 when no enrolment of ours carries the participant
	Kind          Kind
	Subject       string // the declaration's type and DfE id, for declaration kinds
	DeclarationID int64  // our declaration, when the mismatch is about one of ours
	Ours, Theirs  string
	Action        string
}

// TrainingStatusOf is the training status DfE should hold for our enrolment status: DfE
// has no "completed"; a participant who finished is active.
func TrainingStatusOf(status string) string {
	switch status {
	case "deferred", "withdrawn":
		return status
	}
	return "active"
}

// voided says whether DfE's declaration state means it no longer counts.
func voided(state string) bool {
	return state == "voided" || state == "awaiting_clawback" || state == "clawed_back"
}

// Compare lists what differs between our enrolment and DfE's record of it. Either may be nil:
// ours nil is a participant DfE lists whom no enrolment carries; theirs nil is an enrolment
// DfE does not list. Both nil is no mismatch.
func Compare(ours *Ours, theirs *Theirs) []Mismatch {
	switch {
	case ours == nil && theirs == nil:
		return nil
	case theirs == nil:
		return []Mismatch{{ParticipantID: ours.ParticipantID, Course: ours.Course, EnrolmentID: ours.EnrolmentID, Kind: NotAtDfE,
			Ours: ours.ParticipantID + " on " + ours.Course, Theirs: "No such participant on this course",
			Action: "Check the DfE participant id and course in the enrolment's DfE identifiers, and correct them."}}
	case ours == nil:
		return []Mismatch{{ParticipantID: theirs.ParticipantID, Course: theirs.Course, Kind: NotOurs,
			Ours: "No enrolment carries this participant id", Theirs: theirs.Name + ", " + theirs.TrainingStatus,
			Action: "Find the participant and add the DfE participant id to their enrolment, or accept their application."}}
	}
	m := func(k Kind, subject, o, t, action string) Mismatch {
		return Mismatch{ParticipantID: ours.ParticipantID, Course: ours.Course, EnrolmentID: ours.EnrolmentID,
			Kind: k, Subject: subject, Ours: o, Theirs: t, Action: action}
	}
	var out []Mismatch
	if want := TrainingStatusOf(ours.Status); want != theirs.TrainingStatus {
		out = append(out, m(TrainingStatus, "", want, theirs.TrainingStatus, statusAction(want, theirs.TrainingStatus)))
	}
	if ours.Schedule != "" && ours.Schedule != theirs.Schedule {
		out = append(out, m(Schedule, "", ours.Schedule, theirs.Schedule,
			"Change the schedule at DfE, or correct ours in the enrolment's DfE identifiers if DfE's is right."))
	}
	if ours.Cohort != "" && ours.Cohort != theirs.Cohort {
		out = append(out, m(Cohort, "", ours.Cohort, theirs.Cohort,
			"Change the schedule and cohort at DfE, or correct ours in the enrolment's DfE identifiers if DfE's is right."))
	}
	out = append(out, compareDeclarations(ours, theirs, m)...)
	if mm, ok := compareOutcomes(ours.Outcome, theirs.Outcome); ok {
		out = append(out, m(OutcomeKind, "", mm[0], mm[1], mm[2]))
	}
	return out
}

// compareOutcomes says, when DfE's latest outcome is not the one it should hold, what ours and
// DfE's are and what to do. A result sent only with the completed declaration is no mismatch
// while DfE holds no outcome.
func compareOutcomes(ours, theirs *Outcome) ([3]string, bool) {
	switch {
	case ours == nil && theirs == nil:
		return [3]string{}, false
	case ours == nil:
		return [3]string{"No result released and sent", theirs.words(),
			"DfE holds a result the platform did not send: check the participant's assessment, and correct it at DfE if it is wrong."}, true
	case theirs == nil:
		if !ours.Explicit {
			return [3]string{}, false
		}
		return [3]string{ours.words(), "No outcome", "Look the outcome up at DfE; the platform sends it again only when a later result is released."}, true
	case ours.Passed != theirs.Passed || !timefmt.SameDay(ours.CompletionDate, theirs.CompletionDate):
		return [3]string{ours.words(), theirs.words(),
			"Send DfE the released result as an outcome update, or correct ours if DfE's is right."}, true
	}
	return [3]string{}, false
}

// compareDeclarations lists what differs between the declarations DfE accepted from us and
// those DfE holds.
func compareDeclarations(ours *Ours, theirs *Theirs, m func(k Kind, subject, o, t, action string) Mismatch) []Mismatch {
	var out []Mismatch
	held := map[string]TheirDeclaration{}
	for _, d := range theirs.Declarations {
		held[d.DfEID] = d
	}
	sent := map[string]bool{}
	for _, d := range ours.Declarations {
		sent[d.DfEID] = true
		subject := d.Type + " " + d.DfEID
		n := len(out)
		t, ok := held[d.DfEID]
		switch {
		case !ok:
			out = append(out, m(DeclNotAtDfE, subject, d.Type+" dated "+timefmt.Date(d.Date), "Not listed",
				"Look the declaration up at DfE; if it is gone, void ours with a reason so the evidence can be declared again."))
		case voided(t.State):
			out = append(out, m(DeclVoidedAtDfE, subject, d.Type+" sent", t.Type+" "+stateWords(t.State),
				"Void ours with DfE's reason: the evidence is declared again if it still earns it."))
		case !timefmt.SameDay(t.Date, d.Date):
			out = append(out, m(DeclarationDate, subject, timefmt.Date(d.Date), timefmt.Date(t.Date),
				"Void the declaration and declare it again with the right date, whichever is wrong."))
		}
		if len(out) > n {
			out[n].DeclarationID = d.ID
		}
	}
	for _, t := range theirs.Declarations {
		if !sent[t.DfEID] && !voided(t.State) && !slices.Contains(ours.Due, t.Type) {
			out = append(out, m(DeclNotOurs, t.Type+" "+t.DfEID, "Not sent by the platform", t.Type+" dated "+timefmt.Date(t.Date)+", "+stateWords(t.State),
				"Someone declared this outside the platform: check it, and void it at DfE if it is wrong."))
		}
	}
	return out
}

// statusAction says what to do when DfE's training status is not ours.
func statusAction(ours, theirs string) string {
	switch {
	case ours == "active" && theirs == "deferred":
		return "Tell DfE the participant has resumed: confirm their return, which sends it, or resume them at DfE."
	case ours == "active" && theirs == "withdrawn":
		return "DfE has them withdrawn: check whether the withdrawal was right, and reinstate at DfE or record the withdrawal here."
	case theirs == "active":
		return "Send our " + ours + " decision to DfE: it goes with the decision once the earned declarations are sent; check DfE status changes for a failure."
	}
	return "Check which is right with the participant's delivery partner, then correct our record or DfE's."
}

// stateWords is DfE's declaration state in words.
func stateWords(s string) string {
	switch s {
	case "awaiting_clawback":
		return "awaiting clawback"
	case "clawed_back":
		return "clawed back"
	}
	return s
}
