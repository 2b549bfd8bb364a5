package components

import (
	"context"
	"strings"
	"testing"

	"github.com/a-h/templ"
)

func render(t *testing.T, c templ.Component) string {
	t.Helper()
	var b strings.Builder
	if err := c.Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestProps(t *testing.T) {
	problems := Errors{{Field: "name", Message: "Enter a name"}}
	for _, c := range []struct{ name, got, want string }{
		{"error prefix with problems", ErrorPrefix(problems), "Error: "},
		{"error prefix without", ErrorPrefix(nil), ""},
		{"name given", nameOr("j-1.1", "j-0"), "j-1.1"},
		{"name from id", nameOr("", "reason"), "reason"},
		{"heading from title", FormPageProps{Title: "Add a course"}.heading(), "Add a course"},
		{"heading of its own", FormPageProps{Title: "Record a request", Heading: "Record a request that arrived by email"}.heading(), "Record a request that arrived by email"},
		{"table label", TableProps{Label: "Courses", Caption: "All courses"}.label(), "Courses"},
		{"table label from caption", TableProps{Caption: "Latest 100 invitations"}.label(), "Latest 100 invitations"},
		{"caption class", TableProps{}.captionClass(), "govuk-table__caption govuk-table__caption--m"},
		{"caption class of its own", TableProps{CaptionClass: "govuk-visually-hidden"}.captionClass(), "govuk-visually-hidden"},
		{"summary value class", SummaryRowProps{}.valueClass(), "govuk-summary-list__value"},
		{"summary value with a class", SummaryRowProps{Class: "app-pre-wrap"}.valueClass(), "govuk-summary-list__value app-pre-wrap"},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
}

func TestSummaryRows(t *testing.T) {
	if got, want := render(t, SummaryRow("Course", "NPQ in Headship")),
		`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Course</dt><dd class="govuk-summary-list__value">NPQ in Headship</dd></div>`; got != want {
		t.Errorf("SummaryRow:\n got %s\nwant %s", got, want)
	}
	if got, want := render(t, SummaryRowWith(SummaryRowProps{Key: "Where", Value: "Online", TestID: "where", Class: "app-pre-wrap"})),
		`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Where</dt><dd class="govuk-summary-list__value app-pre-wrap" data-testid="where">Online</dd></div>`; got != want {
		t.Errorf("SummaryRowWith:\n got %s\nwant %s", got, want)
	}
}

func TestTable(t *testing.T) {
	got := render(t, Table(TableProps{Caption: "Booked (3)", Label: "Booked", TestID: "booked"}))
	want := `<div class="app-table-wrap" tabindex="0" role="region" aria-label="Booked"><table class="govuk-table" data-testid="booked">` +
		`<caption class="govuk-table__caption govuk-table__caption--m">Booked (3)</caption></table></div>`
	if got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
	if got := render(t, Table(TableProps{Label: "Courses"})); strings.Contains(got, "caption") || strings.Contains(got, "data-testid") {
		t.Errorf("a table without caption or test id: %s", got)
	}
	// Without a name the box is no landmark: an unnamed region would be one more "region" among many.
	if got := render(t, Table(TableProps{})); strings.Contains(got, "role=") || strings.Contains(got, "aria-label") || strings.Contains(got, "tabindex") {
		t.Errorf("a table without a label is a landmark: %s", got)
	}
}

func TestFormPage(t *testing.T) {
	problems := Errors{{Field: "name", Message: "Enter a name"}}
	for _, c := range []struct {
		name     string
		p        FormPageProps
		want     []string
		dontWant []string
	}{
		{"two-thirds with back link and problems",
			FormPageProps{Title: "Add a cohort", BackHref: "/admin/cohorts", BackLabel: "Cohorts", Errors: problems},
			[]string{"<title>Error: Add a cohort – ", `<div class="govuk-grid-column-two-thirds"><a href="/admin/cohorts" class="govuk-back-link">Cohorts</a><div class="govuk-error-summary"`,
				`<h1 class="govuk-heading-l">Add a cohort</h1>`},
			[]string{"govuk-caption-l", "data-testid=\"page-title\""}},
		{"wide with caption, heading and test id",
			FormPageProps{Title: "Register: Webinar", Caption: "Tuesday", BackHref: "/partner/events/7", BackLabel: "Webinar", Wide: true, HeadingTestID: "page-title"},
			[]string{"<title>Register: Webinar – ", `<span class="govuk-caption-l">Tuesday</span><h1 class="govuk-heading-l" data-testid="page-title">Register: Webinar</h1>`},
			[]string{"govuk-grid-row", "govuk-error-summary", "Error: "}},
		{"no back link",
			FormPageProps{Title: "Cancel Webinar", Heading: "Cancel Webinar, Tuesday"},
			[]string{`<h1 class="govuk-heading-l">Cancel Webinar, Tuesday</h1>`},
			[]string{"govuk-back-link"}},
	} {
		got := render(t, FormPage(c.p))
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: no %s in\n%s", c.name, w, got)
			}
		}
		for _, w := range c.dontWant {
			if strings.Contains(got, w) {
				t.Errorf("%s: %s in\n%s", c.name, w, got)
			}
		}
	}
}

func TestFieldNamesDefaultToIDs(t *testing.T) {
	for name, html := range map[string]string{
		"select":     render(t, Select(SelectProps{ID: "course", Label: "Course"})),
		"radios":     render(t, Radios(RadiosProps{ID: "kind", Legend: "Kind", Options: []Option{{Value: "a", Label: "A"}}})),
		"textarea":   render(t, Textarea(TextareaProps{ID: "reason", Label: "Reason", Rows: 3})),
		"date":       render(t, DateInput(DateInputProps{ID: "starts_on", Legend: "Start"})),
		"checkboxes": render(t, Checkboxes(CheckboxesProps{ID: "cohorts", Legend: "Cohorts", Groups: []CheckboxGroup{{Legend: "G", Options: []Option{{Value: "1", Label: "One"}}}}})),
	} {
		want := map[string]string{"select": `name="course"`, "radios": `name="kind"`, "textarea": `name="reason"`, "date": `name="starts_on-day"`, "checkboxes": `name="cohorts"`}[name]
		if !strings.Contains(html, want) {
			t.Errorf("%s: no %s in %s", name, want, html)
		}
	}
	if html := render(t, Radios(RadiosProps{ID: "j-0", Name: "j-1.1", Legend: "Judgement", Options: []Option{{Value: "met", Label: "Met"}}})); !strings.Contains(html, `id="j-0" name="j-1.1"`) {
		t.Errorf("a name of its own: %s", html)
	}
}

func TestSeekPager(t *testing.T) {
	if got := render(t, SeekPager(SeekPagination{})); strings.TrimSpace(got) != "" {
		t.Errorf("a single page should have no pagination: %q", got)
	}
	got := render(t, SeekPager(SeekPagination{NextHref: "/admin/outbox?after=x"}))
	if !strings.Contains(got, `href="/admin/outbox?after=x"`) || strings.Contains(got, `rel="prev"`) || !strings.Contains(got, `aria-label="Pagination"`) {
		t.Errorf("first page: %s", got)
	}
	got = render(t, SeekPager(SeekPagination{PrevHref: "/a?before=y", NextHref: "/a?after=x", Label: "Past events pages"}))
	if !strings.Contains(got, `rel="prev"`) || !strings.Contains(got, `rel="next"`) || !strings.Contains(got, `aria-label="Past events pages"`) {
		t.Errorf("middle page: %s", got)
	}
}

func TestSortedBy(t *testing.T) {
	s := SortedBy{Column: "Date", Ascending: true, Words: "soonest first"}
	for heading, want := range map[string]string{"Date": "ascending", "Places": ""} {
		if got := s.AriaSort(heading); got != want {
			t.Errorf("%s: %q", heading, got)
		}
	}
	if got := (SortedBy{Column: "Asked"}).AriaSort("Asked"); got != "descending" {
		t.Errorf("descending: %q", got)
	}
	if got := render(t, SortedByLine(s)); !strings.Contains(got, "Sorted by date, soonest first") {
		t.Errorf("sort line %s", got)
	}
}
