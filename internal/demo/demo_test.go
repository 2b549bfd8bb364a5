package demo_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"npq/internal/assessment"
	"npq/internal/auth"
	"npq/internal/demo"
	"npq/internal/lifecycle"
	"npq/internal/programme"
	"npq/internal/testdb"
)

func TestLoadIsIdempotentAndAccountsSignIn(t *testing.T) {
	ctx := context.Background()
	pool := testdb.New(t)
	counts := func() string {
		var s string
		pool.QueryRow(ctx, `SELECT concat_ws(' ', (SELECT count(*) FROM users), (SELECT count(*) FROM delivery_partners),
			(SELECT count(*) FROM courses), (SELECT count(*) FROM cohorts), (SELECT count(*) FROM enrolments),
			(SELECT count(*) FROM item_completions), (SELECT count(*) FROM news_posts))`).Scan(&s) //nolint:errcheck
		return s
	}
	if err := demo.Load(ctx, pool, demo.Development); err != nil {
		t.Fatalf("first load: %v", err)
	}
	first := counts()
	if err := demo.Load(ctx, pool, demo.Development); err != nil {
		t.Fatalf("second load: %v", err)
	}
	if again := counts(); again != first {
		t.Errorf("loading twice changed the counts: %s -> %s", first, again)
	}
	var participants, partners, cohorts int
	pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM users WHERE role = 'participant'), (SELECT count(*) FROM delivery_partners),
		(SELECT count(DISTINCT course_id) FROM cohorts)`).Scan(&participants, &partners, &cohorts) //nolint:errcheck
	if participants < 250 || partners != len(demo.HandbookPartners) || cohorts < 4 {
		t.Errorf("%d participants, %d partners, cohorts of %d courses", participants, partners, cohorts)
	}
	s := auth.Store{DB: pool}
	for _, a := range demo.Accounts {
		u, err := s.Authenticate(ctx, a.Email, demo.Password, "127.0.0.1")
		if err != nil || u.Role != a.Role {
			t.Errorf("%s: %v %s", a.Email, err, u.Role)
		}
	}
	p1, _ := s.UserByEmail(ctx, "partner@demo.test")
	p2, _ := s.UserByEmail(ctx, "partner2@demo.test")
	if p1.DeliveryPartnerID == nil || p2.DeliveryPartnerID == nil || *p1.DeliveryPartnerID == *p2.DeliveryPartnerID {
		t.Error("the two partner accounts must belong to different partners")
	}
}

func TestLoadRefusesProduction(t *testing.T) {
	if err := demo.Load(context.Background(), nil, demo.Production); !errors.Is(err, demo.ErrProduction) {
		t.Errorf("got %v", err)
	}
}

// The demo courses' activities add up to the handbook's course overview: 16 hours of
// face-to-face training and tutoring, 20 hours online and 45 hours of self-study (81 hours),
// plus 6 hours of coaching for NPQEL (87 hours).
func TestDemoCoursesMatchTheHandbookOverview(t *testing.T) {
	ctx := context.Background()
	pool := testdb.New(t)
	if err := demo.Load(ctx, pool, demo.Development); err != nil {
		t.Fatal(err)
	}
	s := programme.Store{DB: pool}
	courses, err := s.Courses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]int{"NPQH": {16, 20, 45, 0, 81}, "NPQSL": {16, 20, 45, 0, 81}, "NPQEL": {16, 20, 45, 6, 87}}
	for _, c := range courses {
		w, ok := want[c.QualificationCode]
		if !ok {
			continue
		}
		blocks, err := s.CourseStructure(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var items []programme.Item
		for _, b := range blocks {
			for _, it := range b.Items {
				items = append(items, it.Item)
			}
		}
		o := programme.Overview(items)
		got := []int{o[programme.OverviewFaceToFace] / 60, o[programme.OverviewOnline] / 60, o[programme.OverviewSelfStudy] / 60, o[programme.OverviewCoaching] / 60}
		got = append(got, got[0]+got[1]+got[2]+got[3])
		if len(blocks) != 4 || fmt.Sprint(got) != fmt.Sprint(w) {
			t.Errorf("%s: %d blocks, hours %v, want %v", c.Name, len(blocks), got, w)
		}
	}
	// The demo participant is part-way through NPQH: block 1 done, block 2 started, later blocks not open.
	var done, total int
	pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM item_completions c JOIN enrolments e ON e.id = c.enrolment_id JOIN users u ON u.id = e.user_id
		JOIN cohorts h ON h.id = e.cohort_id WHERE u.email = 'participant@demo.test' AND h.name LIKE 'NPQH%'),
		(SELECT count(*) FROM cohort_blocks cb JOIN enrolments e ON e.cohort_id = cb.cohort_id JOIN cohorts h ON h.id = e.cohort_id
		JOIN users u ON u.id = e.user_id WHERE u.email = 'participant@demo.test' AND h.name LIKE 'NPQH%' AND cb.opens_on <= current_date)`).Scan(&done, &total) //nolint:errcheck
	if done < 6 || total != 2 {
		t.Errorf("demo participant: %d completions, %d open blocks", done, total)
	}
}

// The assessment demo covers every stage of the workflow.
func TestDemoAssessmentCoversEveryStage(t *testing.T) {
	ctx := context.Background()
	pool := testdb.New(t)
	if err := demo.Load(ctx, pool, demo.Development); err != nil {
		t.Fatal(err)
	}
	var stages string
	pool.QueryRow(ctx, `SELECT string_agg(DISTINCT stage, ' ' ORDER BY stage) FROM submissions`).Scan(&stages) //nolint:errcheck
	if stages != "draft in_marking moderation ready released submitted" {
		t.Errorf("stages %q", stages)
	}
	var pam, outcomes, moderated int
	pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM submissions s JOIN enrolments e ON e.id = s.enrolment_id JOIN users u ON u.id = e.user_id
		WHERE u.email = 'participant@demo.test' AND s.stage = 'draft'),
		(SELECT count(DISTINCT dfe_outcome) FROM submissions WHERE stage = 'released'),
		(SELECT count(*) FROM agreed_judgements WHERE source = 'moderated')`).Scan(&pam, &outcomes, &moderated) //nolint:errcheck
	u, _ := auth.Store{DB: pool}.UserByEmail(ctx, "participant@demo.test")
	id, err := assessment.Store{DB: pool}.EnrolmentFor(ctx, u.ID, 0, programme.Today(time.Now()))
	var cohort string
	pool.QueryRow(ctx, `SELECT h.name FROM enrolments e JOIN cohorts h ON h.id = e.cohort_id WHERE e.id = $1`, id).Scan(&cohort) //nolint:errcheck
	if err != nil || !strings.HasPrefix(cohort, "NPQSL") {
		t.Errorf("participant@'s assessment is for %q: %v", cohort, err)
	}
	if pam != 1 || outcomes != 2 || moderated != 1 {
		t.Errorf("participant@ drafts %d, released outcomes %d, moderated judgements %d", pam, outcomes, moderated)
	}
}

// Each status a participant can be in has a demo sign-in.
func TestDemoAccountsShowEveryStatus(t *testing.T) {
	ctx := context.Background()
	pool := testdb.New(t)
	if err := demo.Load(ctx, pool, demo.Development); err != nil {
		t.Fatal(err)
	}
	want := map[string][]lifecycle.Standing{
		"participant2@demo.test":  {lifecycle.StandingActive},
		"participant3@demo.test":  {lifecycle.StandingActive, lifecycle.StandingCompleted},
		"deferred@demo.test":      {lifecycle.StandingDeferred},
		"return-asked@demo.test":  {lifecycle.StandingReturnAsked},
		"returning@demo.test":     {lifecycle.StandingReturning},
		"withdrawn@demo.test":     {lifecycle.StandingWithdrawn},
		"resubmit@demo.test":      {lifecycle.StandingFailedResubmit},
		"final-attempt@demo.test": {lifecycle.StandingFailedFinal},
	}
	for email, standings := range want {
		u, err := auth.Store{DB: pool}.UserByEmail(ctx, email)
		if err != nil {
			t.Fatalf("%s: %v", email, err)
		}
		facts, err := lifecycle.Store{DB: pool}.CourseFactsFor(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range facts {
			got = append(got, string(lifecycle.StandingOf(f, programme.Today(time.Now())).Standing))
		}
		slices.Sort(got)
		var exp []string
		for _, s := range standings {
			exp = append(exp, string(s))
		}
		slices.Sort(exp)
		if !slices.Equal(got, exp) {
			t.Errorf("%s: %v, want %v", email, got, exp)
		}
	}
}

func TestDemoLeaverIsDeactivatedWithAuditEntries(t *testing.T) {
	ctx := context.Background()
	pool := testdb.New(t)
	for range 2 {
		if err := demo.Load(ctx, pool, demo.Development); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := (auth.Store{DB: pool}).Authenticate(ctx, demo.Leaver.Email, demo.Password, "127.0.0.1"); !errors.Is(err, auth.ErrDeactivated) {
		t.Errorf("signing in as the leaver: %v, want ErrDeactivated", err)
	}
	var n int
	pool.QueryRow(ctx, `SELECT count(*) FROM audit_log a JOIN users u ON u.id = a.subject_user_id
		WHERE u.email = $1 AND a.action = 'user.deactivated' AND a.ip <> ''`, demo.Leaver.Email).Scan(&n) //nolint:errcheck
	if n != 1 {
		t.Errorf("%d deactivation entries after loading twice, want 1", n)
	}
}

// The demo has enough rows for one partner to show paging: about 120 events and 300
// participants across its cohorts, one cohort larger than a page, and the load stays quick.
func TestDemoHasEnoughToPage(t *testing.T) {
	ctx := context.Background()
	pool := testdb.New(t)
	start := time.Now()
	if err := demo.Load(ctx, pool, demo.Development); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	var events, participants, largest, schools int
	if err := pool.QueryRow(ctx, `
		SELECT (SELECT count(*) FROM events e JOIN users s ON s.delivery_partner_id = e.delivery_partner_id WHERE s.email = 'partner@demo.test'),
		       (SELECT count(DISTINCT n.user_id) FROM enrolments n JOIN cohorts h ON h.id = n.cohort_id
		          JOIN users s ON s.delivery_partner_id = h.delivery_partner_id WHERE s.email = 'partner@demo.test'),
		       (SELECT max(c) FROM (SELECT count(*) AS c FROM enrolments n JOIN cohorts h ON h.id = n.cohort_id
		          JOIN users s ON s.delivery_partner_id = h.delivery_partner_id WHERE s.email = 'partner@demo.test' GROUP BY h.id) x),
		       (SELECT count(DISTINCT school) FROM enrolments WHERE school <> '')`).Scan(&events, &participants, &largest, &schools); err != nil {
		t.Fatal(err)
	}
	t.Logf("partner@demo.test: %d events, %d participants, largest cohort %d; %d schools; loaded in %s", events, participants, largest, schools, took)
	if events < 120 || participants < 300 || largest <= 50 || schools < 20 {
		t.Errorf("%d events, %d participants, largest cohort %d, %d schools", events, participants, largest, schools)
	}
}

// The DfE status changes page has something in each state.
func TestDemoHasDfEStatusChangesInEachState(t *testing.T) {
	ctx := context.Background()
	pool := testdb.New(t)
	if err := demo.Load(ctx, pool, demo.Development); err != nil {
		t.Fatal(err)
	}
	var due, sent, failed int
	if err := pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE state = 'due'), count(*) FILTER (WHERE state = 'sent'),
			count(*) FILTER (WHERE state = 'failed' AND error <> '') FROM dfe_status_changes`).Scan(&due, &sent, &failed); err != nil {
		t.Fatal(err)
	}
	if due == 0 || sent == 0 || failed == 0 {
		t.Errorf("%d due, %d sent, %d refused", due, sent, failed)
	}
}
