package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"npq/internal/auth"
	"npq/internal/programme"
)

// HandbookPartners are the delivery partners the handbook lists, with demo contacts.
var HandbookPartners = []struct{ Name, Region string }{
	{"Barnsley and Doncaster Teaching School Hub", "Yorkshire and the Humber"},
	{"Camden Learning", "London"},
	{"Academies Enterprise Trust (AET)", "National"},
	{"Five Counties Teaching School Hub Alliance", "East of England"},
	{"Forest Learning Alliance", "East Midlands"},
	{"HISP Teaching School Hub", "South East"},
	{"L.E.A.D. Teaching School Hub - Lincolnshire", "East Midlands"},
	{"Lambeth Training Support Alliance", "London"},
	{"Ormiston Academies Trust", "National"},
	{"Potentia Teaching School Hub", "East Midlands"},
	{"REAch2", "National"},
	{"Selby and Wakefield Teaching School Hub", "Yorkshire and the Humber"},
	{"South Yorkshire Teaching School Hub", "Yorkshire and the Humber"},
	{"Spencer Teaching School Hub", "East Midlands"},
	{"Vantage Teaching School Hub – North Humber", "Yorkshire and the Humber"},
}

type demoItem struct {
	kind     programme.ItemKind
	title    string
	minutes  int
	required bool
}

// leadershipItems are one block's items. Over four blocks they give the handbook's overview:
// 16 hours face-to-face and tutoring, 20 hours online, 45 hours self-study (plus 6 hours of
// coaching for NPQEL).
func leadershipItems(block int, coaching bool) []demoItem {
	items := []demoItem{
		{programme.KindIntroduction, "Introduction and diagnostic", 60, true},
		{programme.KindSelfStudy, "Self-study: the evidence", 300, true},
		{programme.KindSelfStudy, "Self-study: in practice", 300, true},
		{programme.KindWebinar, "Webinar", 240, true},
		{programme.KindFaceToFace, "Face-to-face session", 180, true},
		{programme.KindTutorSession, "Tutor support session", 60, true},
	}
	switch block {
	case 3:
		items = append(items, demoItem{programme.KindMicroTask, "Micro implementation task", 180, true})
	case 4:
		items = append(items, demoItem{programme.KindFormativeAssess, "Formative assessment", 120, true})
	}
	if coaching {
		items = append(items, demoItem{programme.KindCoaching, "One-to-one coaching", 90, true})
	}
	items = append(items, demoItem{programme.KindSelfStudy, "Further reading", 0, false})
	return items
}

type demoCourse struct {
	qualification, name string
	blocks              []string
	studyMonths         int
	coaching            bool
	framework           string
	areas               [][]int // framework areas each block covers
}

var demoCourses = []demoCourse{
	{"NPQH", "NPQ in Headship", []string{"Leading improvement", "Leading culture / behaviour across schools",
		"Developing rigorous organisational management/ governance", "Ensuring effective teaching/ curriculum/ assessment across school"},
		18, false, "npqh-2019", [][]int{{1}, {3, 4}, {5}, {2, 6}}},
	{"NPQSL", "NPQ in Senior Leadership", []string{"Leading improvement", "Contributing to culture/ improving behaviour",
		"Supporting decision-making/ management", "Working with colleagues to improve teaching/ curriculum/ assessment"},
		18, false, "npqsl-2019", [][]int{{1}, {3, 4}, {5}, {2, 6}}},
	{"NPQEL", "NPQ in Executive Leadership", []string{"Leading improvement", "Developing culture across Trusts",
		"Overseeing effective organisational management/ governance", "Sustaining effective teaching/curriculum/ assessment across Trusts"},
		18, true, "npqel-2021", [][]int{{8}, {1, 4}, {7, 10}, {2, 3}}},
	{"NPQLT", "NPQ in Leading Teaching", []string{"School culture and how pupils learn", "Subject, curriculum and classroom practice",
		"Adaptive teaching and assessment", "Professional development and implementation"},
		12, false, "npqlt-2021", [][]int{{2, 3}, {4, 5}, {6, 7}, {8, 9}}},
}

// schoolNames are the schools demo participants work at: enough that two people of the same
// name are told apart by their school.
var schoolNames = []string{"Ardsley Oaks Primary School", "Birdwell Primary School", "Carlton Academy", "Darfield Upperwood Academy",
	"Elsecar Holy Trinity CE Primary", "Hoyland Common Primary", "Kexborough Primary School", "Outwood Academy Shafton",
	"Penistone Grammar School", "Royston Parkside Primary", "Sandhill Primary School", "Shawlands Primary School",
	"Springvale Primary School", "Wombwell Park Street Primary", "Worsbrough Bank End Primary", "Hall Cross Academy",
	"Balby Carr Community Academy", "Bentley High Street Primary", "Edlington Victoria Academy", "Hatfield Woodhouse Primary",
	"Mexborough Academy", "Rossington All Saints Academy", "Sir Thomas Wharton Academy", "Thorne Brooke Primary School",
	"Waverley Academy", "XP School Doncaster", "Camden School for Girls", "Hampstead School", "Haverstock School", "Regent High School"}

func studyBody(course, block string, part int) string {
	if part == 1 {
		return fmt.Sprintf("## What the evidence says\n\nThis unit of *%s* introduces the key ideas of **%s**.\n\n"+
			"1. Read the summary of the evidence.\n2. Note two ideas that matter most in your setting.\n3. Compare them with your school's current approach.\n\n"+
			"Keep your notes: you will use them in the face-to-face session.", course, strings.ToLower(block))
	}
	return fmt.Sprintf("## Putting it into practice\n\nWork through the case study for **%s**, then plan one change you could lead this term.\n\n"+
		"- What will colleagues do differently?\n- How will you know it is working?\n- What support will they need?\n\n"+
		"Further reading: [Education Endowment Foundation guidance reports](https://educationendowmentfoundation.org.uk/education-evidence/guidance-reports).", strings.ToLower(block))
}

var firstNames = []string{"Amara", "Ben", "Chloe", "Dev", "Ella", "Farid", "Grace", "Harry", "Isla", "Jamal", "Kate", "Liam",
	"Maya", "Noah", "Olivia", "Priya", "Quinn", "Ruth", "Sam", "Tariq", "Una", "Victor", "Wen", "Yusuf", "Zara", "Aled", "Bethan", "Ciaran"}
var lastNames = []string{"Ahmed", "Brown", "Clarke", "Davies", "Evans", "Fisher", "Green", "Hughes", "Iqbal", "Jones", "Khan", "Lewis",
	"Morris", "Nowak", "Owen", "Patel", "Quinn", "Roberts", "Singh", "Taylor", "Usman", "Vaughan", "Walker", "Young"}

// chance is a deterministic number in [0, 1) for a key, so the demo is the same every time.
func chance(key string) float64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return float64(h.Sum64()%10000) / 10000
}

func monthsFrom(t time.Time, months float64) time.Time {
	whole := int(months)
	d := t.AddDate(0, whole, 0)
	return d.AddDate(0, 0, int((months-float64(whole))*30))
}

// loadProgramme creates courses, cohorts, enrolments, progress and news, once: if the demo
// courses exist it does nothing.
func loadProgramme(ctx context.Context, tx pgx.Tx, partnerIDs []int64, today time.Time) error {
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM courses WHERE name = 'NPQ in Headship')`).Scan(&exists); err != nil || exists {
		return err
	}
	hash, err := auth.HashPassword(Password)
	if err != nil {
		return err
	}
	courseIDs := map[string]int64{}
	blockIDs := map[string][]int64{}
	itemsByCourse := map[string][][]programme.Item{}
	for _, c := range demoCourses {
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO courses (qualification_code, name, description, study_months) VALUES ($1, $2, $3, $4) RETURNING id`,
			c.qualification, c.name, "Our "+c.name+", delivered with our delivery partners through face-to-face events, webinars, tutor sessions and online study.",
			c.studyMonths).Scan(&id); err != nil {
			return fmt.Errorf("course %s: %w", c.name, err)
		}
		courseIDs[c.qualification] = id
		for bi, title := range c.blocks {
			var blockID int64
			if err := tx.QueryRow(ctx, `INSERT INTO blocks (course_id, position, title, description) VALUES ($1, $2, $3, $4) RETURNING id`,
				id, bi+1, title, "Block "+fmt.Sprint(bi+1)+" of "+c.name+": "+title+".").Scan(&blockID); err != nil {
				return err
			}
			blockIDs[c.qualification] = append(blockIDs[c.qualification], blockID)
			var blockItems []programme.Item
			for ii, it := range leadershipItems(bi+1, c.coaching) {
				body := ""
				switch {
				case it.kind == programme.KindSelfStudy && ii == 1:
					body = studyBody(c.name, title, 1)
				case it.kind == programme.KindSelfStudy && ii == 2:
					body = studyBody(c.name, title, 2)
				case it.kind == programme.KindIntroduction:
					body = "Start here: a short diagnostic quiz shows which parts of this block matter most for you."
				case it.kind == programme.KindMicroTask:
					body = "Lead a small, focused change with your team over four weeks, then reflect on what happened."
				case it.kind == programme.KindFormativeAssess:
					body = "Check your understanding with a short written task. Your tutor gives individual feedback."
				case !it.kind.SelfCompleted():
					body = "Book a date that suits you on the Events page. This is marked complete when your attendance is recorded."
				}
				var itemID int64
				if err := tx.QueryRow(ctx, `INSERT INTO block_items (block_id, position, kind, title, body, expected_minutes, required)
					VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, blockID, ii+1, it.kind, it.title, body, it.minutes, it.required).Scan(&itemID); err != nil {
					return err
				}
				blockItems = append(blockItems, programme.Item{ID: itemID, Kind: it.kind, Required: it.required, Position: ii + 1})
				// Self-study items cover the first statements of the block's framework areas.
				if it.kind == programme.KindSelfStudy && it.required {
					if _, err := tx.Exec(ctx, `INSERT INTO block_item_statements (item_id, statement_key)
						SELECT $1, key FROM (
							SELECT key, row_number() OVER (PARTITION BY area_number ORDER BY position) AS n
							FROM framework_statements
							WHERE framework_slug = $2 AND area_number = ANY($3) AND kind IN ('learn_that', 'learn_how_to', 'criterion')
						) s WHERE n BETWEEN $4 AND $4 + 2`, itemID, c.framework, c.areas[bi], (ii-1)*3+1); err != nil {
						return err
					}
				}
			}
			itemsByCourse[c.qualification] = append(itemsByCourse[c.qualification], blockItems)
		}
	}

	month := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	type demoCohort struct {
		qualification, name, schedule string
		partner                       int
		startMonths                   float64 // relative to this month
		size                          int
	}
	cohorts := []demoCohort{
		{"NPQH", "NPQH Spring 2026 – Barnsley and Doncaster", "npq-leadership-spring", 0, -8, 60},
		{"NPQSL", "NPQSL Autumn 2025 – Barnsley and Doncaster", "npq-leadership-autumn", 0, -14, 70},
		{"NPQEL", "NPQEL Spring 2025 – Camden Learning", "npq-leadership-spring", 1, -19, 45},
		{"NPQSL", assessmentCohort, "npq-leadership-spring", 1, -19, 30},
		{"NPQLT", "NPQLT Autumn 2026 – Camden Learning", "npq-specialist-autumn", 1, -2, 80},
		{"NPQH", "NPQH Spring 2027 – Barnsley and Doncaster", "npq-leadership-spring", 0, 3, 40},
	}
	var userRows, enrolRows, historyRows, completionRows [][]any
	var firstUserID, firstEnrolmentID int64
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM users`).Scan(&firstUserID); err != nil {
		return err
	}
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM enrolments`).Scan(&firstEnrolmentID); err != nil {
		return err
	}
	cohortIDs := map[string]int64{}
	n := 0
	now := time.Now()
	type placement struct {
		demoCohort
		id     int64
		starts time.Time
		opens  []time.Time
	}
	placed := map[string]placement{}
	// addPerson makes the p-th participant of a cohort, the same every time the demo loads.
	addPerson := func(pl placement, p int) {
		dc, cohortID, starts, opens, q := pl.demoCohort, pl.id, pl.starts, pl.opens, pl.qualification
		n++
		key := fmt.Sprintf("%s/%d", dc.name, p)
		first, last := firstNames[(n*7)%len(firstNames)], lastNames[(n*11)%len(lastNames)]
		userID := firstUserID + int64(len(userRows)) + 1
		email := fmt.Sprintf("%s.%s.%d@schools.demo.test", strings.ToLower(first), strings.ToLower(last), n)
		userRows = append(userRows, []any{userID, email, first + " " + last, hash, "participant"})
		enrolmentID := firstEnrolmentID + int64(len(enrolRows)) + 1
		engagement := chance(key)
		funding := programme.FundingRoutes[int(chance(key+"f")*3)]
		var paid *time.Time
		if funding != programme.FundingScholarship && chance(key+"p") < 0.85 {
			d := starts.AddDate(0, 0, -14)
			paid = &d
		}
		status := programme.StatusActive
		switch r := chance(key + "s"); {
		case !today.Before(starts) && r < 0.04:
			status = programme.StatusDeferred
		case !today.Before(starts) && r < 0.07:
			status = programme.StatusWithdrawn
		}
		var lastActivity *time.Time
		if !today.Before(starts) && engagement > 0.08 {
			days := int((1 - engagement) * 40)
			t := now.Add(-time.Duration(days*24+int(chance(key+"h")*20)) * time.Hour)
			lastActivity = &t
		}
		enrolRows = append(enrolRows, []any{enrolmentID, userID, cohortID, string(funding), paid, starts, lastActivity, schoolNames[(n*13)%len(schoolNames)]})
		historyRows = append(historyRows, []any{enrolmentID, "active", starts, "Enrolled", now})
		if status != programme.StatusActive {
			reason := map[programme.Status]string{programme.StatusDeferred: "long-term-sickness", programme.StatusWithdrawn: "moved-school"}[status]
			historyRows = append(historyRows, []any{enrolmentID, string(status), today.AddDate(0, 0, -20), reason, now})
		}
		// Progress: work through open blocks in order, as far as this person's engagement goes.
		for bi, items := range itemsByCourse[q] {
			if opens[bi].After(today) {
				break
			}
			share := engagement*1.3 - 0.15*float64(bi)
			for _, it := range items {
				if !it.Required || float64(it.Position)/float64(len(items)) > share {
					continue
				}
				source := "participant"
				if !it.Kind.SelfCompleted() {
					source = "attendance"
				}
				completionRows = append(completionRows, []any{enrolmentID, it.ID, source, opens[bi].Add(time.Duration(it.Position*72) * time.Hour)})
			}
		}
	}
	for _, dc := range cohorts {
		q := dc.qualification
		var course demoCourse
		for _, c := range demoCourses {
			if c.qualification == q {
				course = c
			}
		}
		starts := monthsFrom(month, dc.startMonths)
		studyEnds := monthsFrom(starts, float64(course.studyMonths))
		var cohortID int64
		if err := tx.QueryRow(ctx, `INSERT INTO cohorts (course_id, delivery_partner_id, name, schedule_identifier, starts_on,
				study_ends_on, assessment_opens_on, assessment_closes_on)
			VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING id`, courseIDs[q], partnerIDs[dc.partner], dc.name, dc.schedule,
			starts, studyEnds, monthsFrom(studyEnds, 3)).Scan(&cohortID); err != nil {
			return fmt.Errorf("cohort %s: %w", dc.name, err)
		}
		cohortIDs[dc.name] = cohortID
		blockMonths := float64(course.studyMonths) / float64(len(course.blocks))
		var opens []time.Time
		for bi, blockID := range blockIDs[q] {
			o := monthsFrom(starts, blockMonths*float64(bi))
			opens = append(opens, o)
			if _, err := tx.Exec(ctx, `INSERT INTO cohort_blocks (cohort_id, block_id, opens_on) VALUES ($1, $2, $3)`, cohortID, blockID, o); err != nil {
				return err
			}
		}
		placed[dc.name] = placement{dc, cohortID, starts, opens}
		for p := 0; p < dc.size; p++ {
			addPerson(placed[dc.name], p)
		}
	}
	// More people for the first partner's cohorts, so its lists run to several pages; they
	// come after everyone above, so the people the journeys below pick stay the same.
	for _, x := range []struct {
		name  string
		extra int
	}{{"NPQH Spring 2026 – Barnsley and Doncaster", 60}, {"NPQSL Autumn 2025 – Barnsley and Doncaster", 30}, {"NPQH Spring 2027 – Barnsley and Doncaster", 40}} {
		pl := placed[x.name]
		for p := pl.size; p < pl.size+x.extra; p++ {
			addPerson(pl, p)
		}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"users"}, []string{"id", "email", "name", "password_hash", "role"}, pgx.CopyFromRows(userRows)); err != nil {
		return fmt.Errorf("demo participants: %w", err)
	}
	if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users))`); err != nil {
		return err
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"enrolments"}, []string{"id", "user_id", "cohort_id", "funding_route", "payment_received_on", "starts_on", "last_activity_at", "school"},
		pgx.CopyFromRows(enrolRows)); err != nil {
		return fmt.Errorf("demo enrolments: %w", err)
	}
	if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('enrolments', 'id'), (SELECT max(id) FROM enrolments))`); err != nil {
		return err
	}
	// History through INSERT so the trigger sets each enrolment's status.
	for _, h := range historyRows {
		if _, err := tx.Exec(ctx, `INSERT INTO enrolment_status_history (enrolment_id, status, effective_on, reason, recorded_at) VALUES ($1, $2, $3, $4, $5)`, h...); err != nil {
			return err
		}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"item_completions"}, []string{"enrolment_id", "item_id", "source", "completed_at"}, pgx.CopyFromRows(completionRows)); err != nil {
		return fmt.Errorf("demo completions: %w", err)
	}
	if err := loadDemoParticipants(ctx, tx, cohortIDs["NPQH Spring 2026 – Barnsley and Doncaster"], itemsByCourse["NPQH"], courseIDs["NPQH"]); err != nil {
		return err
	}
	for _, name := range []string{"NPQH Spring 2026 – Barnsley and Doncaster", "NPQSL Autumn 2025 – Barnsley and Doncaster"} {
		if err := loadEvents(ctx, tx, name, today); err != nil {
			return fmt.Errorf("events for %s: %w", name, err)
		}
	}
	if err := loadEventVolume(ctx, tx, "NPQH Spring 2027 – Barnsley and Doncaster"); err != nil {
		return err
	}
	if err := loadLifecycle(ctx, tx, now); err != nil {
		return err
	}
	if err := loadAssessment(ctx, tx, now); err != nil {
		return err
	}
	if err := loadTodo(ctx, tx, now); err != nil {
		return err
	}
	return loadJourneys(ctx, tx, now)
}

// loadDemoParticipants enrols the two demo participant accounts part-way through NPQH and
// posts the programme news.
func loadDemoParticipants(ctx context.Context, tx pgx.Tx, cohortID int64, blocks [][]programme.Item, courseID int64) error {
	var starts time.Time
	if err := tx.QueryRow(ctx, `SELECT starts_on FROM cohorts WHERE id = $1`, cohortID).Scan(&starts); err != nil {
		return err
	}
	for i, email := range []string{"participant@demo.test", "participant2@demo.test"} {
		var enrolmentID int64
		if err := tx.QueryRow(ctx, `INSERT INTO enrolments (user_id, cohort_id, funding_route, payment_received_on, starts_on, last_activity_at)
			SELECT id, $2, $3, $4::date, $4::date, now() - $5 * interval '1 day' FROM users WHERE email = $1 RETURNING id`,
			email, cohortID, []string{"school_funded", "scholarship"}[i], starts, []int{1, 30}[i]).Scan(&enrolmentID); err != nil {
			return fmt.Errorf("enrol %s: %w", email, err)
		}
		if err := programme.RecordStatus(ctx, tx, enrolmentID, programme.StatusActive, starts, "Enrolled", 0); err != nil {
			return err
		}
		// participant@ has finished block 1 and is part-way through block 2; participant2@ has only started.
		var done []programme.Item
		if i == 0 {
			done = append(done, blocks[0]...)
			done = append(done, blocks[1][:2]...)
		} else {
			done = blocks[0][:1]
		}
		for _, it := range done {
			if !it.Required {
				continue
			}
			source := "participant"
			if !it.Kind.SelfCompleted() {
				source = "attendance"
			}
			if _, err := programme.CompleteItem(ctx, tx, enrolmentID, it.ID, source, 0); err != nil {
				return err
			}
		}
		last := done[len(done)-1].ID
		if _, err := tx.Exec(ctx, `UPDATE enrolments SET last_item_id = $2 WHERE id = $1`, enrolmentID, last); err != nil {
			return err
		}
	}
	news := []struct {
		title, body    string
		course, cohort *int64
		daysAgo        int
	}{
		{"Welcome to the new term", "Welcome back. Block dates for every cohort are on your **Learn** page, and your delivery partner will publish face-to-face dates on **Events** soon.", nil, nil, 20},
		{"Headship: placement planning guidance", "We have added guidance on choosing a placement school for the Headship assessment. Talk to your tutor at your next session.", &courseID, nil, 9},
		{"Block 3 opens soon", "Block 3, *Developing rigorous organisational management/ governance*, opens next month. Make time to finish Block 2 before then.", nil, new(cohortID), 3},
		{"Wellbeing resources", "Looking after yourself matters. The self-study materials can be done at any time: plan your study around your busiest weeks.", nil, nil, 40},
	}
	for _, p := range news {
		if _, err := tx.Exec(ctx, `INSERT INTO news_posts (title, body, course_id, cohort_id, published_at) VALUES ($1, $2, $3, $4, now() - $5 * interval '1 day')`,
			p.title, p.body, p.course, p.cohort, p.daysAgo); err != nil {
			return err
		}
	}
	return nil
}
