package server

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// A save with no form in it is refused and leaves the draft as it was.
func TestDraftSaveWithoutAFormKeepsTheDraft(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	spec := a.assessmentFixture(f)
	pam := a.as(f.participant)
	pam.post("/assessment/start", nil)
	if res := pam.post("/assessment", draftForm(spec)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", res.StatusCode)
	}
	pam.get("/assessment") // shows the flash
	id, _ := a.submission(f.enrolment)
	body := func() string {
		var b string
		a.pool.QueryRow(context.Background(), `SELECT string_agg(body, '|' ORDER BY task_key) FROM submission_texts WHERE submission_id = $1`, id).Scan(&b) //nolint:errcheck
		return b
	}
	before := body()
	for _, tt := range []struct{ contentType, body string }{
		{"", ""},
		{"application/x-www-form-urlencoded", ""},
		{"application/json", `{"text-task-1": "x"}`},
		{"text/plain", "text-task-1=x"},
		{"application/x-www-form-urlencoded", "text-task-99=x&other=y"},
	} {
		req, _ := http.NewRequest("POST", a.ts.URL+"/assessment", strings.NewReader(tt.body))
		if tt.contentType != "" {
			req.Header.Set("Content-Type", tt.contentType)
		}
		res := pam.do(req)
		if res.StatusCode != http.StatusBadRequest || strings.Contains(res.Body, "draft is saved") {
			t.Errorf("%q %q: %d", tt.contentType, tt.body, res.StatusCode)
		}
		if body() != before {
			t.Fatalf("%q %q changed the draft", tt.contentType, tt.body)
		}
	}
}
