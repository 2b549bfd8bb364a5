package server

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"npq/internal/auth"
	"npq/internal/browsertest"
	"npq/internal/dfe/applications"
	"npq/internal/dfe/dfefake"
	"npq/internal/dfe/outbound"
	"npq/internal/dfe/reconcile"
)

// journeyCohort is a DfE cohort whose autumn schedule has started by today: this year's from
// October, last year's before.
func journeyCohort(today time.Time) string {
	if today.Month() >= time.October {
		return strconv.Itoa(today.Year())
	}
	return strconv.Itoa(today.Year() - 1)
}

// The whole DfE round, in the browser: an admin accepts an application from (a fake) DfE, the
// participant's delivery partner takes the register of their first session, the declarations
// job sends DfE the started declaration, and the reconciliation then finds our records and
// DfE's agreeing. Every page passes axe-core.
func TestBrowserDfEJourneyFromApplicationToReconciliation(t *testing.T) {
	d := newDfEApp(t)
	bg := context.Background()
	cohort := journeyCohort(d.today())
	app, participant := d.fake.AddApplication(dfefake.Application{FullName: "Amara Okafor", Email: "amara@school.example",
		Course: "npq-headship", Cohort: cohort, TRN: "1234567", SchoolURN: "106000"})
	if _, err := d.pool.Exec(bg, `UPDATE delivery_partners SET dfe_id = $2 WHERE id = $1`, d.f.partnerID, d.fake.AddDeliveryPartner("Riverside Hub", cohort)); err != nil {
		t.Fatal(err)
	}
	if _, err := applications.Sync(bg, d.pool, d.srv.dfe, d.now()); err != nil {
		t.Fatal(err)
	}
	admin := d.userFor(auth.RoleProviderAdmin)
	ctx := browsertest.New(t)
	check := func(c context.Context) { t.Helper(); browsertest.CheckAccessibility(t, c) }
	signInBrowser(t, ctx, d.testApp, admin.Email)

	// 1. The admin accepts the application into the Riverside cohort.
	browsertest.Run(t, ctx,
		chromedp.Navigate(d.ts.URL+"/admin/dfe/applications/"+app),
		waitFor(`[data-testid="application"]`),
		chromedp.Click(chromedp.CSS(`input[name="cohort"][value="`+itoa(d.f.cohortID)+`"]`)),
		chromedp.Click(chromedp.CSS(`#funded_place`)),
		chromedp.Click(chromedp.CSS(`form[action$="/accept"] button[type=submit]`)),
		waitFor(`input[name="confirm"]`),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		waitFor(`[data-testid="dfe-identifiers"]`),
	)
	check(ctx)
	var enrolment int64
	if err := d.pool.QueryRow(bg, `SELECT id FROM enrolments WHERE dfe_application_id = $1 AND cohort_id = $2`, app, d.f.cohortID).Scan(&enrolment); err != nil {
		t.Fatalf("no enrolment from the application: %v", err)
	}

	// 2. They booked the first session, which has just been held; the partner takes the register.
	ev := d.scheduleEvent(d.f, d.f.webinar, 7, nil)
	if _, err := d.srv.events.Book(bg, enrolment, ev, 0, d.now()); err != nil {
		t.Fatal(err)
	}
	if _, err := d.pool.Exec(bg, `UPDATE events SET starts_at = $2, ends_at = $2::timestamptz + interval '1 hour', booking_closes_at = $2,
		cancellation_cutoff = $2::timestamptz - interval '1 hour', booking_opens_at = $2::timestamptz - interval '2 days' WHERE id = $1`,
		ev, d.now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	staff := d.user("sam@riverside.test", auth.RolePartnerStaff, &d.f.partnerID)
	partner := browsertest.New(t)
	signInBrowser(t, partner, d.testApp, staff.Email)
	browsertest.Run(t, partner,
		chromedp.Navigate(d.ts.URL+"/partner/events/"+itoa(ev)+"/register"),
		waitFor(`[data-testid="register-mark-rest"]`),
		browsertest.ClickAndLoad(`[data-testid="register-mark-rest"]`),
		waitFor(`[data-testid="flash"]`),
	)
	check(partner)

	// 3. The declarations job sends the started declaration the attendance earns.
	if _, err := outbound.Derive(bg, d.pool, d.now()); err != nil {
		t.Fatal(err)
	}
	if res, err := outbound.SendDue(bg, d.pool, d.srv.dfe, d.now()); err != nil || res.Sent != 1 {
		t.Fatalf("send: %+v %v", res, err)
	}
	browsertest.Run(t, ctx,
		chromedp.Navigate(d.ts.URL+"/admin/dfe/declarations?state=sent"),
		waitFor(`[data-testid="declarations"]`),
	)
	check(ctx)
	if got := browsertest.Text(t, ctx, `[data-testid="declarations"]`); !strings.Contains(got, "Amara Okafor") || !strings.Contains(got, "started") {
		t.Errorf("sent declarations: %q", got)
	}
	decls, err := d.srv.dfe.DeclarationsOf(bg, participant)
	if err != nil || len(decls) != 1 || decls[0].Attributes.DeclarationType != "started" {
		t.Fatalf("DfE holds %+v, %v", decls, err)
	}

	// 4. The reconciliation reads DfE back: nothing differs.
	if res, err := reconcile.Sync(bg, d.pool, d.srv.dfe, d.now()); err != nil || res.Mismatches != 0 {
		t.Fatalf("reconcile: %+v %v", res, err)
	}
	browsertest.Run(t, ctx,
		chromedp.Navigate(d.ts.URL+"/admin/dfe/mismatches"),
		waitFor(`[data-testid="checked"]`),
	)
	check(ctx)
	if got := browsertest.Text(t, ctx, `[data-testid="checked"]`); !strings.Contains(got, "Our records and DfE's agree") {
		t.Errorf("mismatches page: %q", got)
	}
	browsertest.CheckFitsPhone(t, ctx, d.ts.URL+"/admin/dfe/mismatches")
	browsertest.Run(t, ctx,
		chromedp.Navigate(d.ts.URL+"/admin/enrolments/"+itoa(enrolment)),
		waitFor(`[data-testid="enrolment-declarations"]`),
	)
	check(ctx)
	if got := browsertest.Text(t, ctx, `[data-testid="enrolment-declarations"]`); !strings.Contains(got, "started") || !strings.Contains(got, "sent") {
		t.Errorf("the enrolment's declarations: %q", got)
	}
	if got := browsertest.Text(t, ctx, `[data-testid="at-dfe"]`); !strings.Contains(got, "active") {
		t.Errorf("DfE's copy: %q", got)
	}
}
