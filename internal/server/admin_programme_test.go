package server

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"npq/internal/auth"
)

// upload posts a CSV file to the import form.
func (c *testClient) upload(path, name, content string) *testResponse {
	c.a.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	fw, _ := w.CreateFormFile("file", name)
	fw.Write([]byte(content)) //nolint:errcheck
	w.Close()
	req, _ := http.NewRequest("POST", c.a.ts.URL+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

func TestAdminCreatesCourseBlocksAndItems(t *testing.T) {
	a := newTestApp(t)
	a.seedFrameworks()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	res := admin.post("/admin/courses", url.Values{"qualification": {"NPQLT"}, "name": {"NPQ in Leading Teaching"}, "study_months": {"12"}, "assessment_months": {"3"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create course: %d %v", res.StatusCode, res.errorSummary())
	}
	course := res.Header.Get("Location")
	res = admin.post(course+"/blocks", url.Values{"title": {"School culture"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add block: %d %v", res.StatusCode, res.errorSummary())
	}
	page := admin.get(course)
	newItem, _ := page.Doc.Find(`a[href$="/items/new"]`).Attr("href")
	form := admin.get(newItem)
	if form.Doc.Find(`input[name="statements"][value="npqlt-2021/2/that/1"]`).Length() != 1 {
		t.Fatal("the item form does not offer the NPQLT statements")
	}
	action := strings.TrimSuffix(newItem, "/new")
	res = admin.post(action, url.Values{"kind": {"face_to_face"}, "title": {"Culture workshop"}, "hours": {"3.5"}, "required": {"yes"},
		"statements": {"npqlt-2021/2/that/1", "npqlt-2021/2/how/1"}, "body": {"Bring your **school's** behaviour policy."}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add item: %d %v", res.StatusCode, res.errorSummary())
	}
	page = admin.get(course)
	if got := page.text(`[data-testid="overview-Face-to-face training and tutoring"]`); got != "3.5 hours" {
		t.Errorf("overview face-to-face %q", got)
	}
	if !strings.Contains(page.text(`[data-testid="item"]`), "covers 2 framework statements") {
		t.Errorf("item: %q", page.text(`[data-testid="item"]`))
	}
	// Edit it: the form shows what is saved.
	edit, _ := page.Doc.Find(`[data-testid="item"] a`).Attr("href")
	f := admin.get(edit)
	if v, _ := f.Doc.Find(`#hours`).Attr("value"); v != "3.5" || f.Doc.Find(`input[name="statements"][checked]`).Length() != 2 {
		t.Errorf("edit form: hours %q", v)
	}
}

func TestAdminCourseAndItemFormsBadInput(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	courses := a.count(`SELECT count(*) FROM courses`)
	for _, tt := range []struct {
		form url.Values
		want string
	}{
		{url.Values{}, "Choose the qualification|Enter the course name|Enter the months of study|Enter the months for the summative assessment"},
		{url.Values{"qualification": {"NPQXX"}, "name": {strings.Repeat("n", 201)}, "study_months": {"1.5"}, "assessment_months": {"99"}},
			"Choose one of the qualifications listed|Course name must be 200 characters or fewer|Months of study must be a whole number, like 18|Months for the summative assessment must be between 0 and 24"},
		{url.Values{"qualification": {"NPQH"}, "name": {"npq in headship"}, "study_months": {"18"}, "assessment_months": {"3"}}, "There is already a course with this name"},
	} {
		res := admin.post("/admin/courses", tt.form)
		if res.StatusCode != 422 || strings.Join(res.errorSummary(), "|") != tt.want {
			t.Errorf("%v: %d %q", tt.form, res.StatusCode, res.errorSummary())
		}
	}
	if a.count(`SELECT count(*) FROM courses`) != courses {
		t.Error("a bad course form added a course")
	}
	items := a.count(`SELECT count(*) FROM block_items`)
	action := fmt.Sprintf("/admin/courses/%d/blocks/%d/items", f.courseID, f.block1)
	for _, tt := range []struct {
		form url.Values
		want string
	}{
		{url.Values{}, "Choose the kind of activity|Enter the title|Enter the expected hours|Say whether participants have to do it"},
		{url.Values{"kind": {"party"}, "title": {"x"}, "hours": {"lots"}, "required": {"maybe"}}, "Choose one of the kinds listed|Expected hours must be a number, like 1.5|Say whether participants have to do it"},
		{url.Values{"kind": {"webinar"}, "title": {"x"}, "hours": {"-1"}, "required": {"yes"}}, "Expected hours must be between 0 and 100"},
		{url.Values{"kind": {"webinar"}, "title": {"x"}, "hours": {"NaN"}, "required": {"yes"}}, "Expected hours must be a number, like 1.5"},
		{url.Values{"kind": {"webinar"}, "title": {"x"}, "hours": {"1"}, "required": {"yes"}, "statements": {"npqh-2019/criterion/9.9.9"}}, "Choose statements from the list: npqh-2019/criterion/9.9.9 is not a framework statement"},
	} {
		res := admin.post(action, tt.form)
		if res.StatusCode != 422 || strings.Join(res.errorSummary(), "|") != tt.want {
			t.Errorf("%v: %d %q", tt.form, res.StatusCode, res.errorSummary())
		}
	}
	if a.count(`SELECT count(*) FROM block_items`) != items {
		t.Error("a bad item form added an item")
	}
	// An item in another course's block, or a block of another course, is not found.
	if res := admin.post(fmt.Sprintf("/admin/courses/%d/blocks/999999/items", f.courseID), url.Values{}); res.StatusCode != 404 {
		t.Errorf("unknown block: %d", res.StatusCode)
	}
	if res := admin.post(fmt.Sprintf("/admin/courses/%d/blocks", f.courseID), url.Values{"title": {""}}); res.StatusCode != 422 {
		t.Errorf("empty block title: %d", res.StatusCode)
	}
}

func TestAdminCreatesCohortWithBlockDates(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	form := admin.get(fmt.Sprintf("/admin/cohorts/new?course=%d", f.courseID))
	if form.Doc.Find(`#starts_on-day`).Length() != 1 || form.Doc.Find(fmt.Sprintf(`#block_%d-day`, f.block2)).Length() != 0 {
		t.Fatal("the first form asks for block dates rather than proposing them")
	}
	date := func(v url.Values, name string, d, m, y int) {
		v.Set(name+"-day", strconv.Itoa(d))
		v.Set(name+"-month", strconv.Itoa(m))
		v.Set(name+"-year", strconv.Itoa(y))
	}
	good := url.Values{"course": {strconv.FormatInt(f.courseID, 10)}, "partner": {strconv.FormatInt(f.partnerID, 10)}, "name": {"NPQH Autumn 2027"}, "schedule": {"npq-leadership-autumn"}}
	date(good, "starts_on", 1, 10, 2027)
	date(good, "study_ends_on", 1, 4, 2029)
	date(good, "assessment_opens", 1, 4, 2029)
	date(good, "assessment_closes", 1, 7, 2029)
	date(good, fmt.Sprintf("block_%d", f.block1), 1, 10, 2027)
	date(good, fmt.Sprintf("block_%d", f.block2), 15, 2, 2028)
	bad := func(change func(url.Values)) url.Values {
		v := url.Values{}
		for k, vs := range good {
			v[k] = append([]string(nil), vs...)
		}
		change(v)
		return v
	}
	cohorts := a.count(`SELECT count(*) FROM cohorts`)
	for _, tt := range []struct {
		form url.Values
		want string
	}{
		{bad(func(v url.Values) { v.Del("partner"); v.Del("name"); v.Del("schedule") }), "Choose the delivery partner|Enter the cohort name|Choose the DfE schedule"},
		{bad(func(v url.Values) { v.Set("starts_on-day", "31"); v.Set("starts_on-month", "2") }), "Start date must be a real date"},
		{bad(func(v url.Values) { v.Set("starts_on-month", "") }), "Start date must include a month"},
		{bad(func(v url.Values) { v.Set("study_ends_on-year", "2026") }), "End of study must be after the start date"},
		{bad(func(v url.Values) { v.Set("assessment_closes-year", "2028") }), "The assessment window must close after it opens"},
		{bad(func(v url.Values) { v.Set(fmt.Sprintf("block_%d-year", f.block2), "2030") }), "Block 2 must open between the start date and the end of study"},
		{bad(func(v url.Values) { v.Set("schedule", "npq-made-up") }), "Choose one of the schedules listed"},
		{bad(func(v url.Values) { v.Set("name", "npqh riverside") }), "There is already a cohort with this name"},
	} {
		res := admin.post("/admin/cohorts", tt.form)
		if res.StatusCode != 422 || strings.Join(res.errorSummary(), "|") != tt.want {
			t.Errorf("%d %q, want %q", res.StatusCode, res.errorSummary(), tt.want)
		}
	}
	if a.count(`SELECT count(*) FROM cohorts`) != cohorts {
		t.Fatal("a bad cohort form added a cohort")
	}
	res := admin.post("/admin/cohorts", good)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %v", res.StatusCode, res.errorSummary())
	}
	page := admin.get(res.Header.Get("Location"))
	if !strings.Contains(page.text("main"), "2. Leading culture: 15 February 2028") {
		t.Errorf("cohort page: %q", page.text("dl"))
	}
}

func TestAdminEnrolsOneParticipant(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	path := fmt.Sprintf("/admin/cohorts/%d/enrolments", f.cohortID)
	res := admin.post(path, url.Values{"email": {"New.Head@School.test"}, "name": {"Nadia Head"}, "funding": {"school_funded"},
		"payment-day": {"1"}, "payment-month": {"9"}, "payment-year": {"2026"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("enrol: %d %v", res.StatusCode, res.errorSummary())
	}
	// They get an invitation naming the course, and appear on the roster.
	var body string
	a.pool.QueryRow(t.Context(), `SELECT body FROM outbox WHERE to_address = 'new.head@school.test'`).Scan(&body) //nolint:errcheck
	if !strings.Contains(body, "You have a place on NPQ in Headship, cohort NPQH Riverside") || !strings.Contains(body, "/invitations/") {
		t.Errorf("invitation: %s", body)
	}
	if !strings.Contains(admin.get(fmt.Sprintf("/admin/cohorts/%d", f.cohortID)).text(`[data-testid="roster"]`), "Nadia Head") {
		t.Error("not on the roster")
	}
	// Accepting the invitation activates the account the enrolment made.
	link := body[strings.Index(body, "/invitations/"):]
	link = strings.Fields(link)[0]
	if res := a.client().post(link, url.Values{"password": {"head teacher at last"}, "confirm": {"head teacher at last"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept: %d %v", res.StatusCode, res.errorSummary())
	}
	home := a.client()
	home.signIn("new.head@school.test", "head teacher at last")
	if !strings.Contains(home.get("/home").text("main"), "NPQ in Headship") {
		t.Error("new participant does not see their course")
	}
	staffUser := a.user("staff@school.test", auth.RoleAssessor, nil)
	before := a.count(`SELECT count(*) FROM enrolments`)
	for _, tt := range []struct {
		form url.Values
		want string
	}{
		{url.Values{}, "Enter an email address|Enter a full name|Choose the funding route"},
		{url.Values{"email": {"x@"}, "name": {strings.Repeat("n", 201)}, "funding": {"lottery"}}, "Enter an email address in the correct format, like name@example.com|Full name must be 200 characters or fewer|Choose one of the funding routes listed"},
		{url.Values{"email": {"new.head@school.test"}, "name": {"Nadia"}, "funding": {"scholarship"}}, "This person is already enrolled in this cohort"},
		{url.Values{"email": {staffUser.Email}, "name": {"Staff"}, "funding": {"scholarship"}}, "This email address belongs to a staff account, not a participant"},
		{url.Values{"email": {"z@school.test"}, "name": {"Z"}, "funding": {"scholarship"}, "payment-day": {"40"}, "payment-month": {"1"}, "payment-year": {"2026"}}, "Payment received must be a real date"},
		{url.Values{"email": {"z@school.test"}, "name": {"Z"}, "funding": {"scholarship"}, "starts_on-day": {"1"}, "starts_on-month": {"1"}, "starts_on-year": {"2001"}}, "Start date must be between the cohort's start and the end of study"},
	} {
		res := admin.post(path, tt.form)
		if res.StatusCode != 422 || strings.Join(res.errorSummary(), "|") != tt.want {
			t.Errorf("%v: %d %q", tt.form, res.StatusCode, res.errorSummary())
		}
	}
	if a.count(`SELECT count(*) FROM enrolments`) != before {
		t.Error("bad enrolment forms enrolled someone")
	}
}

func TestAdminImportsEnrolmentsFromCSV(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	staffUser := a.user("assessor@school.test", auth.RoleAssessor, nil)
	before := a.count(`SELECT count(*) FROM enrolments`) + a.count(`SELECT count(*) FROM users`) + a.count(`SELECT count(*) FROM outbox`)
	unchanged := func(what string) {
		t.Helper()
		if now := a.count(`SELECT count(*) FROM enrolments`) + a.count(`SELECT count(*) FROM users`) + a.count(`SELECT count(*) FROM outbox`); now != before {
			t.Errorf("%s changed the database", what)
		}
	}
	header := "email,full_name,cohort,funding_route,payment_received_on,start_date\n"
	bad := header +
		"ann@school.test,Ann One,NPQH Riverside,scholarship,,\n" + // fine on its own
		"not-an-email,Bad Email,NPQH Riverside,scholarship,,\n" +
		"ben@school.test,,NPQH Riverside,voucher,31/02/2026,soon\n" +
		"ann@school.test,Ann Again,NPQH Riverside,scholarship,,\n" + // duplicate in the file
		"cat@school.test,Cat,No Such Cohort,self_funded,,\n" +
		f.participant.Email + ",Pam,NPQH Riverside,scholarship,,\n" + // already enrolled
		staffUser.Email + ",Staff,NPQH Riverside,scholarship,,\n"
	res := admin.upload("/admin/enrolments/import", "bad.csv", bad)
	if res.StatusCode != 422 {
		t.Fatalf("status %d", res.StatusCode)
	}
	report := res.text(`[data-testid="import-problems"]`)
	for _, want := range []string{"Enter an email address in the correct format", "Enter a full name", "Funding route must be scholarship, school_funded or self_funded",
		"Payment received must be a date", "Start date must be a date", "The email address is also on line 2"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	unchanged("a file with bad rows")
	// Rows that parse but fail against the database are reported too, and still nothing is saved.
	res = admin.upload("/admin/enrolments/import", "db.csv", header+
		"ann@school.test,Ann One,NPQH Riverside,scholarship,,\n"+
		"cat@school.test,Cat,No Such Cohort,self_funded,,\n"+
		f.participant.Email+",Pam,NPQH Riverside,scholarship,,\n"+
		staffUser.Email+",Staff,NPQH Riverside,scholarship,,\n")
	report = res.text(`[data-testid="import-problems"]`)
	for _, want := range []string{"Cohort “No Such Cohort” does not exist", "Already enrolled in NPQH Riverside", "belongs to a staff account"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	if strings.Contains(report, "ann@school.test") {
		t.Error("a good row was reported as a problem")
	}
	unchanged("a file with rows the database refuses")
	for _, tt := range []struct{ name, content, want string }{
		{"empty.csv", "", "The file is empty"},
		{"header.csv", header, "The file has no rows under its header"},
		{"cols.csv", "email,name\nx@y.test,X\n", "The first row has an unknown column “name”"},
		{"missing.csv", "email,full_name,cohort\nx@y.test,X,C\n", "“funding_route” is missing"},
		{"binary.csv", "\xff\xfe\x00", "The file must be a CSV file saved as UTF-8"},
		{"big.csv", header + strings.Repeat("x", 3<<20), "The file must be smaller than 2 MB"},
	} {
		res := admin.upload("/admin/enrolments/import", tt.name, tt.content)
		if res.StatusCode != 422 || !strings.Contains(strings.Join(res.errorSummary(), "|"), tt.want) {
			t.Errorf("%s: %d %v", tt.name, res.StatusCode, res.errorSummary())
		}
	}
	if res := admin.post("/admin/enrolments/import", url.Values{}); res.StatusCode != 422 {
		t.Errorf("no file: %d", res.StatusCode)
	}
	unchanged("bad files")
	// A good file enrols everyone, in both date styles, with a BOM and Windows line ends.
	good := "\ufeffemail,full_name,cohort,funding_route,payment_received_on,start_date\r\n" +
		"ann@school.test,Ann One,npqh riverside,school-funded,2026-09-01,\r\n" +
		"ben@school.test,Ben Two,NPQH Hillside,Self funded,01/09/2026,\r\n"
	res = admin.upload("/admin/enrolments/import", "good.csv", good)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("good file: %d %v %s", res.StatusCode, res.errorSummary(), res.text(`[data-testid="import-problems"]`))
	}
	if n := a.count(`SELECT count(*) FROM enrolments e JOIN users u ON u.id = e.user_id WHERE u.email IN ('ann@school.test', 'ben@school.test')`); n != 2 {
		t.Errorf("%d enrolled", n)
	}
}

func TestAdminParticipantSearchAndEnrolmentHistory(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	n, res := a.queriesFor(admin, "/admin/participants?q=pam")
	if !strings.Contains(res.text(`[data-testid="matches"]`), "pam@school.test") || strings.Contains(res.text(`[data-testid="matches"]`), "olu@") {
		t.Errorf("search: %q", res.text("main"))
	}
	if n > 6 {
		t.Errorf("search ran %d queries", n)
	}
	// A search is taken literally (no wildcards) and cut to 100 characters.
	for _, q := range []string{"%25%25", "_am", strings.Repeat("x", 101)} {
		res := admin.get("/admin/participants?q=" + q)
		if res.StatusCode != http.StatusOK || !strings.Contains(res.text("main"), "No participants match") {
			t.Errorf("%q: %d %q", q, res.StatusCode, res.text("main"))
		}
	}
	href, _ := res.Doc.Find(`[data-testid="participant-course"] a`).Attr("href")
	page := admin.get(href)
	// Names open the participant's record, and so does the enrolment page.
	record, _ := res.Doc.Find(`[data-testid="record-link"]`).Attr("href")
	back, _ := page.Doc.Find(`[data-testid="record-link"]`).Attr("href")
	if want := "/admin/participants/" + strconv.FormatInt(f.participant.ID, 10); record != want || back != want {
		t.Errorf("record links %q and %q, want %q", record, back, want)
	}
	if !strings.Contains(page.text(`[data-testid="status-history"]`), "Active") || !strings.Contains(page.text("main"), "Not needed (scholarship)") {
		t.Errorf("enrolment page: %q", page.text("main"))
	}
	if res := admin.get("/admin/enrolments/999999"); res.StatusCode != 404 {
		t.Errorf("unknown enrolment: %d", res.StatusCode)
	}
	_ = f
}

func TestAdminPartnersAndNewsForms(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	res := admin.post("/admin/partners", url.Values{"name": {"Seaside Teaching School Hub"}, "region": {"South West"}, "contact_email": {"npq@seaside.test"}})
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(admin.get("/admin/partners").text(`[data-testid="partners"]`), "Seaside Teaching School Hub") {
		t.Fatalf("add partner: %d %v", res.StatusCode, res.errorSummary())
	}
	for _, tt := range []struct {
		form url.Values
		want string
	}{
		{url.Values{}, "Enter the delivery partner's name"},
		{url.Values{"name": {"riverside hub"}}, "There is already a delivery partner with this name"},
		{url.Values{"name": {"X"}, "contact_email": {"nope"}, "region": {strings.Repeat("r", 101)}}, "Region must be 100 characters or fewer|Enter an email address in the correct format, like name@example.com"},
	} {
		res := admin.post("/admin/partners", tt.form)
		if res.StatusCode != 422 || strings.Join(res.errorSummary(), "|") != tt.want {
			t.Errorf("%v: %d %q", tt.form, res.StatusCode, res.errorSummary())
		}
	}
	if res := admin.post(fmt.Sprintf("/admin/partners/%d", f.partnerID), url.Values{"name": {"Riverside Teaching School Hub"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("rename: %d %v", res.StatusCode, res.errorSummary())
	}
	if res := admin.post("/admin/partners/999999", url.Values{"name": {"Ghost"}}); res.StatusCode != 404 {
		t.Errorf("edit unknown partner: %d", res.StatusCode)
	}
	// News for one cohort reaches only that cohort.
	res = admin.post("/admin/news", url.Values{"title": {"Riverside only"}, "body": {"Hello"}, "audience": {fmt.Sprintf("cohort:%d", f.cohortID)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("news: %d %v", res.StatusCode, res.errorSummary())
	}
	if !strings.Contains(a.as(f.participant).get("/home").text("main"), "Riverside only") || strings.Contains(a.as(f.other).get("/home").text("main"), "Riverside only") {
		t.Error("cohort news reached the wrong people")
	}
	for _, tt := range []struct {
		form url.Values
		want string
	}{
		{url.Values{}, "Enter a title|Enter the message|Choose who the news is for from the list"},
		{url.Values{"title": {"x"}, "body": {"y"}, "audience": {"cohort:999999"}}, "Choose who the news is for from the list"},
	} {
		res := admin.post("/admin/news", tt.form)
		if res.StatusCode != 422 || strings.Join(res.errorSummary(), "|") != tt.want {
			t.Errorf("%v: %d %q", tt.form, res.StatusCode, res.errorSummary())
		}
	}
}

func TestAdminSeesEveryCohort(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	list := admin.get("/admin/cohorts").text(`[data-testid="cohorts"]`)
	if !strings.Contains(list, "NPQH Riverside") || !strings.Contains(list, "NPQH Hillside") {
		t.Errorf("cohorts: %q", list)
	}
	for _, id := range []int64{f.cohortID, f.cohort2} {
		if res := admin.get(fmt.Sprintf("/admin/cohorts/%d", id)); res.StatusCode != 200 {
			t.Errorf("cohort %d: %d", id, res.StatusCode)
		}
	}
	if res := admin.get(fmt.Sprintf("/admin/cohorts/%d/roster.csv", f.cohort2)); res.StatusCode != 200 || !strings.Contains(res.Body, "olu@school.test") {
		t.Errorf("csv: %d", res.StatusCode)
	}
}

// Pages take the date from the app's clock, not the machine's: moving the clock past a
// cohort's assessment window finishes it.
func TestCohortStagesFollowTheAppsClock(t *testing.T) {
	a := newTestApp(t)
	a.programmeFixture()
	admin, _ := a.signedIn(auth.RoleProviderAdmin)
	stages := func() string {
		var out []string
		admin.get("/admin/cohorts").Doc.Find(`[data-testid="cohorts"] tbody tr`).Each(func(_ int, s *goquery.Selection) {
			out = append(out, strings.TrimSpace(s.Find("td").Eq(2).Text()))
		})
		return strings.Join(out, "|")
	}
	if got := stages(); got != "In study|In study" {
		t.Errorf("today: stages %q", got)
	}
	a.clock.Set(a.now().AddDate(2, 0, 0))
	if got := stages(); got != "Finished|Finished" {
		t.Errorf("two years on: stages %q", got)
	}
}
