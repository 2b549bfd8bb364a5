package server

import (
	"context"
	"time"

	"npq/internal/auth"
	"npq/internal/programme"
)

// programmeFixture is a small programme: one course of two blocks (the first open, the
// second opening in a month), a cohort at each of two partners, and a participant in each.
type programmeFixture struct {
	courseID                              int64
	partnerID, partner2                   int64
	cohortID, cohort2                     int64
	block1, block2                        int64
	intro, study, webinar, reading, later int64
	workshop                              int64 // an optional face-to-face session in block 1
	participant, other                    auth.User
	enrolment, enrolment2                 int64
}

func (a *testApp) programmeFixture() *programmeFixture {
	a.t.Helper()
	ctx := context.Background()
	a.seedFrameworks()
	s := programme.Store{DB: a.pool}
	f := &programmeFixture{}
	must := func(id int64, err error) int64 {
		a.t.Helper()
		if err != nil {
			a.t.Fatal(err)
		}
		return id
	}
	f.partnerID = a.partner("Riverside Hub")
	f.partner2 = a.partner("Hillside Trust")
	f.courseID = must(s.CreateCourse(ctx, programme.Course{QualificationCode: "NPQH", Name: "NPQ in Headship", StudyMonths: 18, AssessmentMonths: 3}))
	f.block1 = must(s.AddBlock(ctx, f.courseID, "Leading improvement", ""))
	f.block2 = must(s.AddBlock(ctx, f.courseID, "Leading culture", ""))
	f.intro = must(s.SaveItem(ctx, f.block1, 0, programme.NewItem{Kind: programme.KindIntroduction, Title: "Introduction and diagnostic", ExpectedMinutes: 60, Required: true}))
	f.study = must(s.SaveItem(ctx, f.block1, 0, programme.NewItem{Kind: programme.KindSelfStudy, Title: "Self-study: the evidence",
		Body: "## Read this\n\nThe **evidence** says <script>alert(1)</script>", ExpectedMinutes: 120, Required: true,
		Statements: []string{"npqh-2019/criterion/1.3.1"}}))
	f.webinar = must(s.SaveItem(ctx, f.block1, 0, programme.NewItem{Kind: programme.KindWebinar, Title: "Webinar", ExpectedMinutes: 60, Required: true}))
	f.reading = must(s.SaveItem(ctx, f.block1, 0, programme.NewItem{Kind: programme.KindSelfStudy, Title: "Further reading", ExpectedMinutes: 0, Required: false}))
	f.workshop = must(s.SaveItem(ctx, f.block1, 0, programme.NewItem{Kind: programme.KindFaceToFace, Title: "Optional workshop", ExpectedMinutes: 120, Required: false}))
	f.later = must(s.SaveItem(ctx, f.block2, 0, programme.NewItem{Kind: programme.KindSelfStudy, Title: "Culture in practice", Body: "Secret block 2 content", ExpectedMinutes: 60, Required: true}))
	today := a.today()
	cohort := func(name string, partner int64) int64 {
		return must(s.CreateCohort(ctx, programme.NewCohort{CourseID: f.courseID, PartnerID: partner, Name: name, ScheduleIdentifier: "npq-leadership-autumn",
			StartsOn: today.AddDate(0, -1, 0), StudyEndsOn: today.AddDate(1, 5, 0), AssessmentOpensOn: today.AddDate(1, 5, 0), AssessmentClosesOn: today.AddDate(1, 8, 0),
			BlockOpens: map[int64]time.Time{f.block1: today.AddDate(0, -1, 0), f.block2: today.AddDate(0, 1, 0)}}))
	}
	f.cohortID = cohort("NPQH Riverside", f.partnerID)
	f.cohort2 = cohort("NPQH Hillside", f.partner2)
	f.participant = a.user("pam@school.test", auth.RoleParticipant, nil)
	f.other = a.user("olu@school.test", auth.RoleParticipant, nil)
	f.enrolment = must(s.Enrol(ctx, programme.NewEnrolment{Email: f.participant.Email, Name: f.participant.Name, CohortID: f.cohortID, FundingRoute: programme.FundingScholarship}, 0, a.ts.URL))
	f.enrolment2 = must(s.Enrol(ctx, programme.NewEnrolment{Email: f.other.Email, Name: f.other.Name, CohortID: f.cohort2, FundingRoute: programme.FundingSelfFunded}, 0, a.ts.URL))
	return f
}

// as signs in a client as u.
func (a *testApp) as(u auth.User) *testClient {
	c := a.client()
	c.signIn(u.Email, testPassword)
	return c
}

// enrolIn is a new participant's enrolment in a cohort.
func enrolIn(email string, cohort int64) programme.NewEnrolment {
	return programme.NewEnrolment{Email: email, Name: "Participant " + email, CohortID: cohort, FundingRoute: programme.FundingScholarship}
}
