package server

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"npq/internal/lifecycle"
)

// routes is the map of the app: every URL, who may use it, and its handler.
func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(requestID)
	r.Use(clientAddress(s.cfg.ProxyRanges()))
	r.Use(auditOrigin)
	r.Use(s.logRequests)
	r.Use(compressResponses())
	r.Use(s.securityHeaders)
	r.Use(s.pageAssets)
	r.Use(s.recoverPanics)
	r.Use(limitBodies)
	r.Use(s.rejectMalformed)
	// Cross-origin unsafe requests (CSRF) are refused before any handler runs.
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(s.wrap(func(w http.ResponseWriter, r *http.Request) error {
		return httpError{Status: http.StatusForbidden, Message: "This request came from another site, so it was refused. Go back, reload the page and try again."}
	}))
	r.Use(csrf.Handler)
	r.Use(s.requestTimeout)
	r.Use(privateResponses)
	r.Use(s.loadAndSaveSession)
	r.Use(s.loadUser)
	r.Use(markSignedInPrivate)
	r.Use(s.forgetFigures)
	r.NotFound(s.wrap(func(w http.ResponseWriter, r *http.Request) error { return errNotFound }))
	r.MethodNotAllowed(s.wrap(func(w http.ResponseWriter, r *http.Request) error {
		return httpError{Status: http.StatusMethodNotAllowed}
	}))

	// Public pages.
	s.handle(r, "GET", "/", publicAccess, s.publicLanding)
	s.handle(r, "GET", "/accessibility", publicAccess, s.publicAccessibility)
	s.handle(r, "GET", "/healthz", publicAccess, s.healthz)
	s.handle(r, "GET", "/readyz", publicAccess, s.readyz)
	s.handle(r, "GET", "/static/*", publicAccess, s.staticAsset)

	// Signing in and out.
	s.handle(r, "GET", "/sign-in", publicAccess, s.signInForm)
	s.handle(r, "POST", "/sign-in", publicAccess, s.signIn)
	s.handle(r, "POST", "/sign-out", publicAccess, s.signOut)

	// Forgotten passwords, My account and the privacy notice.
	s.accountRoutes(r)

	// Invitations.
	s.handle(r, "GET", "/invitations/{token}", publicAccess, noStore(s.invitationForm))
	s.handle(r, "POST", "/invitations/{token}", publicAccess, noStore(s.invitationAccept))

	// Frameworks.
	s.handle(r, "GET", "/frameworks", publicAccess, s.frameworkCatalogue)
	s.handle(r, "GET", "/frameworks/search", publicAccess, s.frameworkSearch)
	s.handle(r, "GET", "/frameworks/{slug}", publicAccess, s.frameworkPage)

	// Participant: home, progress and learning.
	s.handle(r, "GET", "/home", participants, s.participantHome)
	s.handle(r, "GET", "/progress", participants, s.participantProgress)
	s.handle(r, "GET", "/learn", participants, s.participantLearn)
	s.handle(r, "GET", "/learn/{block}", participants, s.participantBlockPage)
	s.handle(r, "GET", "/learn/{block}/{item}", participants, s.participantItemPage)
	s.handle(r, "POST", "/learn/{block}/{item}/complete", participants, s.participantItemComplete)
	s.handle(r, "POST", "/learn/{block}/{item}/undo", participants, s.participantItemUndo)
	s.handle(r, "POST", "/learn/{block}/{item}/catch-up", participants, s.participantCatchUp)

	// Participant: events and the calendar feed (read by calendar apps with its secret address).
	s.handle(r, "GET", "/events", participants, s.participantEvents)
	s.handle(r, "GET", "/events/{event}", participants, s.participantEvent)
	s.handle(r, "POST", "/events/{event}/book", participants, s.participantBook)
	s.handle(r, "POST", "/events/{event}/waitlist", participants, s.participantWait)
	s.handle(r, "GET", "/events/{event}/cancel", participants, s.participantCancelConfirm)
	s.handle(r, "POST", "/events/{event}/cancel", participants, s.participantCancelBooking)
	s.handle(r, "POST", "/calendar/reset", participants, s.calendarReset)
	s.handle(r, "GET", "/calendar/{token}.ics", publicAccess, noStore(s.calendarFeed))

	// Participant: deferral and withdrawal requests, and letters.
	s.handle(r, "GET", "/requests", participants, s.participantRequests)
	s.handle(r, "GET", "/requests/defer", participants, s.participantRequestForm(lifecycle.KindDeferral))
	s.handle(r, "POST", "/requests/defer", participants, s.participantRequestCreate(lifecycle.KindDeferral))
	s.handle(r, "GET", "/requests/withdraw", participants, s.participantRequestForm(lifecycle.KindWithdrawal))
	s.handle(r, "POST", "/requests/withdraw", participants, s.participantRequestCreate(lifecycle.KindWithdrawal))
	s.handle(r, "POST", "/requests/{request}/cancel", participants, s.participantRequestCancel)
	s.handle(r, "POST", "/requests/{request}/return", participants, s.participantReturnAnswer)
	s.handle(r, "GET", "/letters/{letter}", lettersReaders, s.letterPage)

	// Participant: assessment.
	s.handle(r, "GET", "/assessment", participants, s.participantAssessment)
	s.handle(r, "POST", "/assessment", participants, s.participantAssessmentSave)
	s.handle(r, "POST", "/assessment/start", participants, s.participantAssessmentStart)
	s.handle(r, "POST", "/assessment/upload", participants, s.participantAssessmentUpload)
	s.handle(r, "POST", "/assessment/files/{file}/remove", participants, s.participantAssessmentRemoveFile)
	s.handle(r, "POST", "/assessment/submit", participants, s.participantAssessmentSubmit)
	s.handle(r, "GET", "/assessment/submitted", participants, s.participantAssessmentSubmitted)
	s.handle(r, "GET", "/assessment/files/{file}", documentReaders, s.assessmentFile)

	// Partner staff: cohorts, rosters and engagement.
	s.handle(r, "GET", "/partner", partnerStaff, s.partnerHome)
	s.handle(r, "GET", "/partner/cohorts/{cohort}", partnerStaff, s.partnerCohort)
	s.handle(r, "GET", "/partner/cohorts/{cohort}/roster.csv", partnerStaff, s.partnerRosterCSV)
	s.handle(r, "GET", "/partner/cohorts/{cohort}/engagement", partnerStaff, s.partnerEngagement)
	s.handle(r, "GET", "/partner/cohorts/{cohort}/engagement.csv", partnerStaff, s.partnerEngagementCSV)

	// Partner staff and admins: what needs doing.
	s.todoRoutes(r)

	// Partner staff: events and registers.
	s.partnerEventRoutes(r, "/partner/events", partnerStaff)
	s.catchUpRoutes(r)

	// Partner staff: deferral and withdrawal decisions (read only).
	s.handle(r, "GET", "/partner/decisions", partnerStaff, s.partnerDecisions)
	s.handle(r, "GET", "/partner/milestones", partnerStaff, s.partnerMilestones)

	// Admin: overview.
	s.handle(r, "GET", "/admin", admins, s.adminOverview)

	// Admin: users (leavers and changes) and the audit trail.
	s.adminUserRoutes(r)
	s.twoStepRoutes(r)
	s.adminAuditRoutes(r)

	// Admin: invitations and the outbox.
	s.handle(r, "GET", "/admin/invitations", admins, s.adminInvitations)
	s.handle(r, "GET", "/admin/invitations/new", admins, s.adminInvitationForm)
	s.handle(r, "POST", "/admin/invitations", admins, s.adminInvitationCreate)
	s.handle(r, "GET", "/admin/outbox", admins, s.adminOutbox)
	s.handle(r, "GET", "/admin/outbox/{id}", admins, s.adminOutboxMessage)

	// Admin: delivery partners.
	s.handle(r, "GET", "/admin/partners", admins, s.adminPartners)
	s.handle(r, "GET", "/admin/partners/new", admins, s.adminPartnerNew)
	s.handle(r, "POST", "/admin/partners", admins, s.adminPartnerSave)
	s.handle(r, "GET", "/admin/partners/{partner}", admins, s.adminPartnerEdit)
	s.handle(r, "POST", "/admin/partners/{partner}", admins, s.adminPartnerSave)

	// Admin: courses, blocks and items.
	s.handle(r, "GET", "/admin/courses", admins, s.adminCourses)
	s.handle(r, "GET", "/admin/courses/new", admins, s.adminCourseNew)
	s.handle(r, "POST", "/admin/courses", admins, s.adminCourseCreate)
	s.handle(r, "GET", "/admin/courses/{course}", admins, s.adminCourse)
	s.handle(r, "POST", "/admin/courses/{course}/blocks", admins, s.adminBlockCreate)
	s.handle(r, "GET", "/admin/courses/{course}/blocks/{block}/items/new", admins, s.adminItemForm)
	s.handle(r, "POST", "/admin/courses/{course}/blocks/{block}/items", admins, s.adminItemSave)
	s.handle(r, "GET", "/admin/courses/{course}/blocks/{block}/items/{item}", admins, s.adminItemForm)
	s.handle(r, "POST", "/admin/courses/{course}/blocks/{block}/items/{item}", admins, s.adminItemSave)
	s.courseStructureRoutes(r)

	// Admin: cohorts, with the rosters and engagement partner staff also see.
	s.handle(r, "GET", "/admin/cohorts", admins, s.adminCohorts)
	s.handle(r, "GET", "/admin/cohorts/new", admins, s.adminCohortNew)
	s.handle(r, "POST", "/admin/cohorts", admins, s.adminCohortCreate)
	s.handle(r, "GET", "/admin/cohorts/{cohort}", admins, s.adminCohort)
	s.handle(r, "GET", "/admin/cohorts/{cohort}/roster.csv", admins, s.partnerRosterCSV)
	s.handle(r, "GET", "/admin/cohorts/{cohort}/engagement", admins, s.partnerEngagement)
	s.handle(r, "GET", "/admin/cohorts/{cohort}/engagement.csv", admins, s.partnerEngagementCSV)

	// Admin: every partner's events.
	s.partnerEventRoutes(r, "/admin/events", admins)

	// Admin: enrolments, one at a time or imported.
	s.handle(r, "GET", "/admin/cohorts/{cohort}/enrolments/new", admins, s.adminEnrolNew)
	s.handle(r, "POST", "/admin/cohorts/{cohort}/enrolments", admins, s.adminEnrolCreate)
	s.handle(r, "GET", "/admin/enrolments/import", admins, s.adminImportForm)
	s.handle(r, "POST", "/admin/enrolments/import", admins, s.adminImport)
	s.handle(r, "GET", "/admin/enrolments/{enrolment}", admins, s.adminEnrolment)

	// Admin: participants.
	s.handle(r, "GET", "/admin/participants", admins, s.adminParticipants)
	// Admins: DfE's applications, and DfE's identifiers of our records.
	s.adminDfERoutes(r)

	// Partner staff and admins: a participant's record.
	s.recordRoutes(r)

	// Partner staff and admins: messages to a chosen group of participants.
	s.messageRoutes(r)

	// Admin: deferral and withdrawal requests, decisions and returns.
	s.handle(r, "GET", "/admin/deferrals", admins, s.adminQueue(lifecycle.KindDeferral))
	s.handle(r, "GET", "/admin/withdrawals", admins, s.adminQueue(lifecycle.KindWithdrawal))
	s.handle(r, "GET", "/admin/deferrals.csv", admins, s.adminDecisionsCSV(lifecycle.KindDeferral))
	s.handle(r, "GET", "/admin/withdrawals.csv", admins, s.adminDecisionsCSV(lifecycle.KindWithdrawal))
	s.handle(r, "GET", "/admin/requests/{request}", admins, s.adminRequest)
	s.handle(r, "POST", "/admin/requests/{request}", admins, s.adminDecide)
	s.handle(r, "POST", "/admin/requests/{request}/move", admins, s.adminMoveCohort)
	s.handle(r, "GET", "/admin/enrolments/{enrolment}/requests/new", admins, s.adminRecordRequestForm)
	s.handle(r, "POST", "/admin/enrolments/{enrolment}/requests", admins, s.adminRecordRequest)
	s.handle(r, "POST", "/admin/enrolments/{enrolment}/reinstate", admins, s.adminReinstate)
	s.handle(r, "GET", "/admin/returns", admins, s.adminReturns)
	s.handle(r, "POST", "/admin/requests/{request}/ask-return", admins, s.adminAskReturn)
	s.handle(r, "POST", "/admin/requests/{request}/confirm-return", admins, s.adminConfirmReturn)

	// Admin: personal data requests.
	s.dataRequestRoutes(r)
	s.retentionRoutes(r)

	// Admin: news.
	s.handle(r, "GET", "/admin/news", admins, s.adminNews)
	s.handle(r, "GET", "/admin/news/new", admins, s.adminNewsNew)
	s.handle(r, "POST", "/admin/news", admins, s.adminNewsCreate)

	// Admin: assessment.
	s.handle(r, "GET", "/admin/assessment", admins, s.adminAssessment)
	s.handle(r, "POST", "/admin/assessment/auto-allocate", admins, s.adminAutoAllocate)
	s.handle(r, "POST", "/admin/assessment/release", admins, s.adminRelease)
	s.handle(r, "GET", "/admin/assessment/assessors", admins, s.adminAssessors)
	s.handle(r, "POST", "/admin/assessment/assessors/{user}", admins, s.adminAssessorSave)
	s.handle(r, "GET", "/admin/courses/{course}/assessment", admins, s.adminAssessmentSettings)
	s.handle(r, "POST", "/admin/courses/{course}/assessment", admins, s.adminAssessmentSettingsSave)
	s.handle(r, "GET", "/admin/assessment/{submission}", admins, s.adminSubmission)
	s.handle(r, "POST", "/admin/assessment/{submission}/allocate", admins, s.adminAllocate)
	s.handle(r, "GET", "/admin/assessment/{submission}/moderate", admins, s.markingPage)
	s.handle(r, "POST", "/admin/assessment/{submission}/moderate", admins, s.markingSave)
	s.assessmentReportRoutes(r)

	// Admin: assessment extensions.
	s.handle(r, "GET", "/admin/enrolments/{enrolment}/extension", admins, s.adminExtensionForm)
	s.handle(r, "POST", "/admin/enrolments/{enrolment}/extension", admins, s.adminExtend)

	// Assessors: marking.
	s.handle(r, "GET", "/marking", assessors, s.markingHome)
	s.handle(r, "GET", "/marking/{submission}/{role}", assessors, s.markingPage)
	s.handle(r, "POST", "/marking/{submission}/{role}", assessors, s.markingSave)

	if missing := s.checkPolicies(r); len(missing) > 0 {
		panic("server: routes without an access rule: " + strings.Join(missing, ", "))
	}

	return r
}

// partnerEventRoutes registers the event pages partner staff and admins share; the handlers
// scope everything to the partner of a partner-staff user.
func (s *Server) partnerEventRoutes(r chi.Router, base string, a access) {
	s.handle(r, "GET", base, a, s.partnerEvents)
	s.handle(r, "GET", base+"/new", a, s.partnerEventNew)
	s.handle(r, "POST", base, a, s.partnerEventCreate)
	s.handle(r, "GET", base+"/{event}", a, s.partnerEvent)
	s.handle(r, "GET", base+"/{event}/edit", a, s.partnerEventEdit)
	s.handle(r, "POST", base+"/{event}/edit", a, s.partnerEventUpdate)
	s.handle(r, "GET", base+"/{event}/copy", a, s.partnerEventCopy)
	s.handle(r, "GET", base+"/{event}/cancel", a, s.partnerEventCancelForm)
	s.handle(r, "POST", base+"/{event}/cancel", a, s.partnerEventCancel)
	s.handle(r, "GET", base+"/{event}/register", a, s.partnerRegister)
	s.handle(r, "POST", base+"/{event}/register", a, s.partnerRegisterSave)
	s.handle(r, "GET", base+"/{event}/register.csv", a, s.partnerRegisterCSV)
}
