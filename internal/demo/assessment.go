package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	frameworkdata "npq/frameworks"
	"npq/internal/assessment"
)

// assessmentCohort is the demo cohort in its assessment window.
const assessmentCohort = "NPQSL Spring 2025 – Camden Learning"

// demoPDF is a small, real PDF used as every demo supporting document.
var demoPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

var demoSentences = []string{
	"Our analysis of the last three years of results showed that disadvantaged pupils in Key Stage 3 made less progress than their peers in every core subject.",
	"I led a working group of middle leaders to agree what the data told us and which questions it could not answer.",
	"We chose a small number of changes and planned how we would know whether each one was working.",
	"Staff were given time in department meetings to look at pupils' work together and agree what good looks like.",
	"I met the headteacher and the link governor each half term to review progress against the plan and to adjust it.",
	"The evidence we gathered suggests the changes are beginning to narrow the gap, though it is too early to be sure.",
}

// demoText writes about n words of plain prose with the given criteria tagged through it.
func demoText(n int, codes []string) string {
	var b strings.Builder
	words := 0
	for i := 0; words < n; i++ {
		s := demoSentences[i%len(demoSentences)]
		b.WriteString(s)
		words += len(strings.Fields(s))
		if i < len(codes) {
			b.WriteString(" [" + codes[i] + "]")
		}
		if i%4 == 3 {
			b.WriteString("\n\n")
		} else {
			b.WriteString(" ")
		}
	}
	return strings.TrimSpace(b.String())
}

// loadAssessment gives the cohort in its assessment window drafts, submitted work awaiting
// marking, a moderated submission and released outcomes; participant@demo.test has a draft
// that is missing one required document.
func loadAssessment(ctx context.Context, tx pgx.Tx, now time.Time) error {
	provider, err := assessment.LoadProviderSpecs(frameworkdata.Assessments)
	if err != nil {
		return err
	}
	st := assessment.Store{DB: tx, Provider: provider, BaseURL: "http://localhost:8080"}
	spec, err := st.Spec(ctx, "NPQSL")
	if err != nil {
		return err
	}
	user := func(email string) (int64, error) {
		var id int64
		return id, tx.QueryRow(ctx, `SELECT id FROM users WHERE email = $1`, email).Scan(&id)
	}
	assessor, err := user("assessor@demo.test")
	if err != nil {
		return err
	}
	second, err := user("assessor2@demo.test")
	if err != nil {
		return err
	}
	moderator, err := user("moderator@demo.test")
	if err != nil {
		return err
	}
	admin, err := user("admin@demo.test")
	if err != nil {
		return err
	}
	// The second assessor also works for Barnsley and Doncaster, so never marks its participants.
	if _, err := tx.Exec(ctx, `INSERT INTO marker_affiliations (user_id, delivery_partner_id)
		SELECT $1, id FROM delivery_partners WHERE name LIKE 'Barnsley%' ON CONFLICT DO NOTHING`, second); err != nil {
		return err
	}

	var cohortID int64
	if err := tx.QueryRow(ctx, `SELECT id FROM cohorts WHERE name = $1`, assessmentCohort).Scan(&cohortID); err != nil {
		return err
	}
	// enrolFinished enrols a demo account on the cohort, with the study part of the course done.
	enrolFinished := func(email string) (int64, error) {
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO enrolments (user_id, cohort_id, funding_route, payment_received_on, starts_on, last_activity_at)
			SELECT u.id, h.id, 'school_funded', h.starts_on, h.starts_on, now() FROM users u, cohorts h WHERE u.email = $2 AND h.id = $1
			RETURNING id`, cohortID, email).Scan(&id); err != nil {
			return 0, fmt.Errorf("enrol %s: %w", email, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO enrolment_status_history (enrolment_id, status, effective_on, reason)
			SELECT $1, 'active', starts_on, 'Enrolled' FROM cohorts WHERE id = $2`, id, cohortID); err != nil {
			return 0, err
		}
		_, err := tx.Exec(ctx, `INSERT INTO item_completions (enrolment_id, item_id, source, completed_at)
			SELECT $1, bi.id, CASE WHEN bi.kind IN ('webinar', 'face_to_face', 'tutor_session', 'coaching') THEN 'attendance' ELSE 'participant' END, $2
			FROM cohort_blocks cb JOIN block_items bi ON bi.block_id = cb.block_id WHERE cb.cohort_id = $3 AND bi.required`, id, now.AddDate(0, 0, -40), cohortID)
		return id, err
	}
	// participant@demo.test is finishing NPQSL while starting NPQH.
	pam, err := enrolFinished("participant@demo.test")
	if err != nil {
		return err
	}
	rows, err := tx.Query(ctx, `SELECT e.id FROM enrolments e JOIN users u ON u.id = e.user_id
		WHERE e.cohort_id = $1 AND e.status = 'active' AND u.email NOT LIKE '%@demo.test' ORDER BY e.id LIMIT 13`, cohortID)
	if err != nil {
		return err
	}
	others, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return err
	}
	if len(others) < 13 {
		return fmt.Errorf("assessment demo: only %d active participants in %s", len(others), assessmentCohort)
	}

	codes := func(task string) []string {
		var out []string
		for _, c := range spec.Criteria {
			if c.Task == task {
				out = append(out, c.Code)
			}
		}
		return out
	}
	draft := func(enrolmentID int64, wordsEach int, skipDoc string) (int64, error) {
		id, err := st.StartAttempt(ctx, enrolmentID, now)
		if err != nil {
			return 0, err
		}
		texts := map[string]string{}
		for _, t := range spec.Tasks {
			texts[t.Key] = demoText(wordsEach, codes(t.Key))
		}
		if err := st.SaveDraft(ctx, id, texts); err != nil {
			return 0, err
		}
		for _, sl := range spec.DocumentSlots() {
			if sl.Document == skipDoc || wordsEach < 1000 {
				continue
			}
			name := strings.ToLower(strings.ReplaceAll(sl.Document, " ", "-")) + ".pdf"
			if err := st.AddFile(ctx, id, sl.Key(), name, "application/pdf", demoPDF); err != nil {
				return 0, err
			}
		}
		return id, nil
	}
	submitted := func(enrolmentID int64, daysAgo int) (int64, error) {
		id, err := draft(enrolmentID, 2200, "")
		if err != nil {
			return 0, err
		}
		return id, st.Submit(ctx, id, now.AddDate(0, 0, -daysAgo))
	}
	// mark completes a sheet, judging every criterion met except those in notMet.
	mark := func(id int64, role string, marker int64, complete bool, notMet ...string) error {
		sheet, err := st.Sheet(ctx, id, role)
		if err != nil {
			return err
		}
		all, err := st.Sheets(ctx, id)
		if err != nil {
			return err
		}
		in := assessment.SheetInput{Marks: map[string]assessment.Mark{}, Version: sheet.Version, Complete: complete,
			Feedback: "A well-organised account of a real improvement project, with the evidence set out clearly. Make the link between your analysis and your chosen actions explicit throughout."}
		for _, k := range assessment.CriteriaFor(spec, role, all) {
			m := assessment.Mark{Judgement: assessment.Met, Comment: "Clear evidence, tagged and explained."}
			for _, n := range notMet {
				if strings.HasSuffix(k, "/"+n) {
					m = assessment.Mark{Judgement: assessment.NotMet, Comment: "The evidence describes the activity but not how you evaluated its impact."}
				}
			}
			in.Marks[k] = m
		}
		return st.SaveSheet(ctx, id, role, marker, in, now)
	}
	// firstMarked marks a submission; if it is sampled, a second marker agrees.
	firstMarked := func(enrolmentID int64, notMet ...string) (int64, error) {
		id, err := submitted(enrolmentID, 12)
		if err != nil {
			return 0, err
		}
		if err := st.Allocate(ctx, id, assessment.RoleFirst, second, admin); err != nil {
			return 0, err
		}
		if err := mark(id, assessment.RoleFirst, second, true, notMet...); err != nil {
			return 0, err
		}
		s, err := st.SubmissionByID(ctx, id)
		if err != nil || s.Stage != assessment.StageModeration {
			return id, err
		}
		if err := st.Allocate(ctx, id, assessment.RoleSecond, moderator, admin); err != nil {
			return 0, err
		}
		return id, mark(id, assessment.RoleSecond, moderator, true, notMet...)
	}

	// participant@demo.test: a full draft still missing its Business Case.
	if _, err := draft(pam, 2000, "Business Case"); err != nil {
		return err
	}
	// Drafts under way.
	for i, e := range others[:3] {
		if _, err := draft(e, 300+400*i, ""); err != nil {
			return err
		}
	}
	// Submitted, waiting for a marker; two allocated to assessor@demo.test, one part-marked.
	var waiting []int64
	for i, e := range others[3:8] {
		id, err := submitted(e, 5-i%3)
		if err != nil {
			return err
		}
		waiting = append(waiting, id)
	}
	for _, id := range waiting[3:] {
		if err := st.Allocate(ctx, id, assessment.RoleFirst, assessor, admin); err != nil {
			return err
		}
	}
	if err := mark(waiting[4], assessment.RoleFirst, assessor, false); err != nil {
		return err
	}
	// Sampled for second marking, waiting for assessor@demo.test as second marker.
	id, err := submitted(others[8], 10)
	if err != nil {
		return err
	}
	if err := st.Allocate(ctx, id, assessment.RoleFirst, second, admin); err != nil {
		return err
	}
	if err := mark(id, assessment.RoleFirst, second, true, "2.2.4"); err != nil {
		return err
	}
	if err := st.Allocate(ctx, id, assessment.RoleSecond, assessor, admin); err != nil {
		return err
	}
	// Moderated: the markers disagreed on one criterion and the moderator agreed it was met.
	id, err = submitted(others[9], 12)
	if err != nil {
		return err
	}
	if err := st.Allocate(ctx, id, assessment.RoleFirst, second, admin); err != nil {
		return err
	}
	if err := mark(id, assessment.RoleFirst, second, true, "6.2.1"); err != nil {
		return err
	}
	if err := st.Allocate(ctx, id, assessment.RoleSecond, assessor, admin); err != nil {
		return err
	}
	if err := mark(id, assessment.RoleSecond, assessor, true); err != nil {
		return err
	}
	if err := st.Allocate(ctx, id, assessment.RoleModerator, moderator, admin); err != nil {
		return err
	}
	if err := mark(id, assessment.RoleModerator, moderator, true); err != nil {
		return err
	}
	// Released outcomes: two passes and a fail.
	var release []int64
	for i, e := range others[10:13] {
		var notMet []string
		if i == 2 {
			notMet = []string{"3.2.2"}
		}
		id, err := firstMarked(e, notMet...)
		if err != nil {
			return err
		}
		release = append(release, id)
	}
	// Demo accounts with released results: a pass (participant3@, who has a second course), a
	// fail with a resubmission to come, and a fail on the last attempt.
	byEmail := map[string]int64{}
	for _, email := range []string{"participant3@demo.test", "resubmit@demo.test", "final-attempt@demo.test"} {
		if byEmail[email], err = enrolFinished(email); err != nil {
			return err
		}
	}
	first, err := firstMarked(byEmail["final-attempt@demo.test"], "3.2.2")
	if err != nil {
		return err
	}
	if _, err := st.Release(ctx, []int64{first}, admin, now.AddDate(0, 0, -30)); err != nil {
		return err
	}
	for _, r := range []struct {
		email  string
		notMet []string
	}{{"participant3@demo.test", nil}, {"resubmit@demo.test", []string{"3.2.2"}}, {"final-attempt@demo.test", []string{"5.2.1"}}} {
		id, err := firstMarked(byEmail[r.email], r.notMet...)
		if err != nil {
			return fmt.Errorf("%s: %w", r.email, err)
		}
		release = append(release, id)
	}
	_, err = st.Release(ctx, release, admin, now.AddDate(0, 0, -2))
	return err
}
