// Package declarations is the declarations engine: from one enrolment's
// evidence and its DfE schedule it derives which DfE declarations are due,
// with their declaration_date, the evidence rows that justify them and the
// rule version, and it refuses anything DfE would refuse or later void.
//
// It is pure: no HTTP, no SQL, no clock. The caller passes "today".
//
// # Model
//
// A [Schedule] is DfE's schedule for one cohort: its identifier (for example
// npq-leadership-autumn), the cohort start year, applies_from (the earliest
// declaration date DfE accepts) and one milestone deadline per declaration
// type. The schedules DfE publishes are data in this package
// ([PublishedSchedule]); later cohorts' deadlines come from DfE's statements
// and contract, so callers may build a Schedule themselves.
//
// The course family follows from the schedule identifier: leadership and
// EHCO schedules allow started, retained-1, retained-2 and completed;
// specialist schedules have no retained-2.
//
// Each type has a milestone window. started runs from applies_from to the
// started deadline; every later type runs from the day after the previous
// allowed type's deadline to its own deadline. DfE's API does not check
// windows or order, but a declaration outside them is paid late or voided,
// so this engine refuses it.
//
// # Rules (version [RuleVersion])
//
//   - started: the first attendance or completion on or after applies_from.
//   - retained-1, retained-2: attendance or completion inside the
//     milestone's window, at least [Evidence.RetainedMin] rows (the
//     provider's threshold, one by default), dated at the row that reaches it.
//   - completed: the first released assessment outcome; has_passed is that
//     outcome (not for EHCO or ASO, which have no outcomes).
//   - outcomes: when the latest released outcome differs from the one DfE
//     holds (from the completed declaration or an outcome already sent), an
//     outcome is due with the release date as completion_date. DfE keeps
//     outcomes append-only, the latest wins, and posting passed twice is a
//     no-op there, so an unchanged outcome is never sent again.
//
// # Refusals
//
// [Check] refuses, with DfE's own error wording where DfE has one: a date in
// the future or before the schedule start, a type the schedule does not
// allow, a second live declaration of a type (submitted, eligible, payable or
// paid), a date on or after a withdrawal, a declaration out of order, one
// outside its milestone window, and a missing delivery partner for cohorts
// from 2024.
//
// # Sequencing with status changes
//
// DfE records a withdrawal at the request time and refuses declarations dated
// on or after it, and refuses to defer a participant with no declarations, so
// [SendBefore] lists the due declarations dated before a pending deferral or
// withdrawal: send them first, then the status change. [CheckStatusChange]
// refuses a deferral with no declaration or a withdrawal with no started
// declaration, which DfE refuses.
//
// # Milestones still to earn
//
// [Outstanding] lists the types neither live with DfE nor due, with their
// windows, deadlines and payment dates, so a delivery partner can see who is
// at risk of missing a milestone before its cut-off.
//
// # Sources
//
// shared/reference/provider-platform-anchors.md §1.5 (types, validation,
// states), §1.6 (outcomes), §1.7 (schedules and milestone dates), §1.8
// (evidence rules, checks DfE does not make, lifecycle coupling);
// shared/reference/dfe-npq-lifecycle.md §3 (schedules, course groups), §4
// (declarations), §6 (outcomes), §9 (error texts); the participant-declaration
// schemas of shared/reference/dfe-npq-api-v3-swagger.yaml.
package declarations
