package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"npq/internal/auth"
	"npq/internal/twostep"
)

func TestStepUpBeforeDeactivatingOrChangingRoles(t *testing.T) {
	a := newTestApp(t)
	c, me := a.signedIn(auth.RoleProviderAdmin)
	secret, _ := setUpTwoStep(t, a, c)
	a.clock.Set(a.now().Add(twostep.Period))
	passwordStep(t, c, me)
	code, _ := twostep.Code(secret, a.now())
	if res := c.post("/sign-in/two-step", url.Values{"code": {code}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %d", res.StatusCode)
	}
	staff := a.userFor(auth.RolePartnerStaff)
	deactivate := fmt.Sprintf("/admin/users/%d/deactivate", staff.ID)
	if res := c.get(deactivate); res.StatusCode != http.StatusOK {
		t.Fatalf("fresh code: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}

	a.clock.Set(a.now().Add(StepUpAge + time.Minute))
	for _, path := range []string{deactivate, fmt.Sprintf("/admin/users/%d/role", staff.ID)} {
		res := c.get(path)
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/step-up?next="+url.QueryEscape(path) {
			t.Errorf("%s after 16 minutes: %d to %q", path, res.StatusCode, loc)
		}
	}
	if res := c.post(deactivate, nil); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/step-up") {
		t.Errorf("deactivating without a fresh code: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if n := a.count(`SELECT count(*) FROM users WHERE id = $1 AND deactivated_at IS NOT NULL`, staff.ID); n != 0 {
		t.Fatal("deactivated without a fresh code")
	}
	page := c.get("/step-up?next=" + url.QueryEscape(deactivate))
	if page.StatusCode != http.StatusOK {
		t.Fatalf("step-up page: %d", page.StatusCode)
	}
	for _, tt := range []struct{ code, want string }{
		{"", "Enter the code"},
		{"000000", "The code is not right"},
	} {
		res := c.post("/step-up", url.Values{"code": {tt.code}, "next": {deactivate}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.HasPrefix(strings.Join(res.errorSummary(), ""), tt.want) {
			t.Errorf("code %q: %d %v", tt.code, res.StatusCode, res.errorSummary())
		}
	}
	code, _ = twostep.Code(secret, a.now())
	res := c.post("/step-up", url.Values{"code": {code}, "next": {deactivate}})
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != deactivate {
		t.Fatalf("right code: %d to %q", res.StatusCode, loc)
	}
	if res := c.get(deactivate); res.StatusCode != http.StatusOK {
		t.Errorf("after the fresh code: %d", res.StatusCode)
	}
	// An off-site next is not followed.
	a.clock.Set(a.now().Add(time.Minute))
	code, _ = twostep.Code(secret, a.now())
	if res := c.post("/step-up", url.Values{"code": {code}, "next": {"https://evil.example/"}}); res.Header.Get("Location") != "/account" {
		t.Errorf("off-site next: %q", res.Header.Get("Location"))
	}
}
