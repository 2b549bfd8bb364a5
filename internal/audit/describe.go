package audit

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// actionWords says what each kind of entry means, in plain words.
var actionWords = map[string]string{
	"sign_in.succeeded":              "Signed in",
	"sign_in.failed":                 "Failed to sign in (wrong email address or password)",
	"sign_in.refused":                "Was refused sign-in",
	"sign_in.code_failed":            "Gave a wrong or used two-step code",
	"sign_in.recovery_code_used":     "Signed in with a recovery code",
	"sign_in.email_code_sent":        "Was emailed a code to set up two-step sign-in",
	"sign_out":                       "Signed out",
	"two_step.set_up":                "Set up two-step sign-in",
	"two_step.reset":                 "Reset someone's two-step sign-in",
	"two_step.turned_off":            "Turned off their two-step sign-in",
	"invitation.created":             "Sent an invitation",
	"invitation.accepted":            "Accepted an invitation and set a password",
	"user.deactivated":               "Deactivated an account",
	"user.reactivated":               "Reactivated an account",
	"user.role_changed":              "Changed an account's role",
	"user.partner_changed":           "Moved a staff member to another delivery partner",
	"user.invitation_resent":         "Sent an invitation again",
	"account.name_changed":           "Changed their name",
	"account.password_changed":       "Changed their password",
	"account.email_change_requested": "Asked to change their email address",
	"account.email_changed":          "Confirmed their new email address",
	"account.session_ended":          "Signed out one of their other devices",
	"account.other_sessions_ended":   "Signed out everywhere else",
	"password_reset.requested":       "Asked for a password reset link",
	"password_reset.sent":            "Sent a password reset link",
	"password_reset.completed":       "Set a new password from a reset link",
	"export.csv":                     "Downloaded a CSV export",
	"export.audit":                   "Downloaded the audit trail as CSV",
	"enrolment.created":              "Enrolled a participant",
	"enrolment.moved":                "Moved an enrolment to another cohort",
	"enrolment.reinstated":           "Reinstated a withdrawn enrolment",
	"request.cancelled":              "Cancelled a deferral or withdrawal request",
	"deferral.requested":             "Asked to defer",
	"deferral.approved":              "Approved a deferral",
	"deferral.refused":               "Refused a deferral",
	"deferral.return_asked":          "Asked a deferred participant about returning",
	"deferral.return_answered":       "Answered whether they will return from deferral",
	"deferral.returned":              "Confirmed a return from deferral",
	"withdrawal.requested":           "Asked to withdraw",
	"withdrawal.approved":            "Approved a withdrawal",
	"withdrawal.refused":             "Refused a withdrawal",
	"event.created":                  "Scheduled an event",
	"event.updated":                  "Changed an event",
	"event.cancelled":                "Cancelled an event",
	"assessment.settings":            "Changed a course's assessment settings",
	"assessment.affiliations":        "Changed the partners an assessor may not mark",
	"assessment.allocated":           "Allocated a submission to a marker",
	"assessment.marked":              "Marked a submission",
	"assessment.released":            "Released a result",
	"assessment.submitted":           "Submitted an assessment",
	"assessment.extension":           "Gave an assessment extension",
	"dfe.application_accepted":       "Accepted a DfE application and enrolled the participant",
	"dfe.application_rejected":       "Rejected a DfE application",
	"dfe.identifiers_changed":        "Changed an enrolment's DfE identifiers",
	"dfe.participant_id_changed":     "Followed DfE's change of a participant id",
	"dfe.partner_id_changed":         "Changed a delivery partner's DfE id",
	"dfe.declaration_voided":         "Voided a DfE declaration",
	"data_request.logged":            "Logged a subject access request",
	"data_request.exported":          "Downloaded everything held about a person (subject access)",
	"data_request.completed":         "Marked a subject access request answered",
}

// Describe is what an action means in plain words. An action without its own words is
// spelled out from its code ("email.change_confirmed" is "Email change confirmed").
func Describe(action string) string {
	if w, ok := actionWords[action]; ok {
		return w
	}
	s := strings.TrimSpace(strings.NewReplacer(".", " ", "_", " ").Replace(action))
	if s == "" {
		return "Unknown action"
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// Kind is a group of actions people filter the trail by.
type Kind struct {
	Value    string
	Label    string
	patterns []string // SQL LIKE patterns the actions match
}

// Kinds are the groups of actions, in the order the filter lists them.
var Kinds = []Kind{
	{"sign-in", "Signing in and out", []string{"sign\\_in.%", "sign\\_out%"}},
	{"account", "Accounts, passwords and invitations", []string{"user.%", "account.%", "password\\_reset.%", "email.%", "two\\_step.%", "invitation.%"}},
	{"decision", "Deferrals, withdrawals and returns", []string{"deferral.%", "withdrawal.%", "request.%", "enrolment.moved", "enrolment.reinstated"}},
	{"release", "Results released", []string{"assessment.released"}},
	{"assessment", "Assessment and marking", []string{"assessment.%"}},
	{"export", "Exports and downloads", []string{"export.%"}},
	{"enrolment", "Enrolments", []string{"enrolment.created"}},
	{"event", "Events", []string{"event.%"}},
	{"data", "Personal data requests", []string{"data\\_request.%", "subject\\_access.%", "retention.%"}},
	{"dfe", "DfE applications, identifiers and declarations", []string{"dfe.%"}},
}

// KindByValue finds a kind by its value in an address.
func KindByValue(v string) (Kind, bool) {
	for _, k := range Kinds {
		if k.Value == v {
			return k, true
		}
	}
	return Kind{}, false
}

// SubjectLink is the admin page an entry's subject is on, or "" when it has none.
func SubjectLink(subject string) string {
	kind, id, ok := strings.Cut(subject, ":")
	if !ok || id == "" || strings.Trim(id, "0123456789") != "" {
		return ""
	}
	switch kind {
	case "user":
		return "/admin/users/" + id
	case "enrolment":
		return "/admin/enrolments/" + id
	case "request":
		return "/admin/requests/" + id
	case "submission":
		return "/admin/assessment/" + id
	case "event":
		return "/admin/events/" + id
	case "cohort":
		return "/admin/cohorts/" + id
	case "course":
		return "/admin/courses/" + id
	}
	return ""
}

// SubjectWords names an entry's subject in plain words ("request 12"), keeping any other
// subject (a path, say) as it is.
func SubjectWords(subject string) string {
	kind, id, ok := strings.Cut(subject, ":")
	if !ok || id == "" || strings.Trim(id, "0123456789") != "" {
		return subject
	}
	return strings.ReplaceAll(kind, "_", " ") + " " + id
}
