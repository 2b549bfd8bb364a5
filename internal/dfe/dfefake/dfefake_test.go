package dfefake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func call(t *testing.T, srv *httptest.Server, method, path, token, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return res.StatusCode, out
}

func TestFakeShapesAndContract(t *testing.T) {
	fake, err := New("secret")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	appID, _ := fake.AddApplication(Application{FullName: "Ada Lovelace", Email: "ada@example.test", Course: "npq-headship", Cohort: "2025", SchoolURN: "100000"})

	if status, body := call(t, srv, "GET", "/api/v3/npq-applications", "wrong", ""); status != 401 || body["error"] == nil {
		t.Fatalf("wrong token: %d %v", status, body)
	}
	if status, body := call(t, srv, "GET", "/api/v3/npq-applications/00000000-0000-4000-8000-999999999999", "secret", ""); status != 404 || body["error"] == nil {
		t.Fatalf("unknown id: %d %v", status, body)
	}
	status, body := call(t, srv, "POST", "/api/v3/npq-applications/"+appID+"/accept", "secret", `{"data":{"type":"npq-application-accept","attributes":{"funded_place":true}}}`)
	if status != 200 {
		t.Fatalf("accept: %d %v", status, body)
	}
	status, body = call(t, srv, "POST", "/api/v3/npq-applications/"+appID+"/accept", "secret", `{"data":{"type":"npq-application-accept","attributes":{}}}`)
	errs, _ := body["errors"].([]any)
	if status != 422 || len(errs) != 1 {
		t.Fatalf("second accept: %d %v", status, body)
	}
	if status, body := call(t, srv, "GET", "/api/v3/participants/npq?page[page]=2&page[per_page]=3000", "secret", ""); status != 200 || len(body["data"].([]any)) != 0 {
		t.Fatalf("page 2: %d %v", status, body)
	}
	if v := fake.Violations(); len(v) != 0 {
		t.Fatalf("violations: %v", v)
	}
}

func TestFakeRefusesRequestsOutsideTheContract(t *testing.T) {
	fake, err := New("secret")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	status, _ := call(t, srv, "POST", "/api/v3/participant-declarations", "secret", `{"data":{"type":"participant-declaration","attributes":{"declaration_type":"begun"}}}`)
	if status != 500 || len(fake.Violations()) != 1 {
		t.Fatalf("got %d, violations %v", status, fake.Violations())
	}
}

func TestFakeRefusesAnswersOutsideTheContract(t *testing.T) {
	fake, err := New("secret")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddApplication(Application{FullName: "Bad data", Course: "npq-basket-weaving", Cohort: "2025", SchoolURN: "1"})
	status, _ := call(t, srv, "GET", "/api/v3/npq-applications", "secret", "")
	v := fake.Violations()
	if status != 500 || len(v) != 1 || !strings.Contains(v[0], "response GET") {
		t.Fatalf("got %d, violations %v", status, v)
	}
}
