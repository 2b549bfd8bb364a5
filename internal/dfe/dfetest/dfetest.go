// Package dfetest starts a fake DfE API (dfefake) on a test server with a client for it, and
// fails the test if any request or answer broke DfE's contract.
package dfetest

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/time/rate"

	"npq/internal/dfe"
	"npq/internal/dfe/dfefake"
)

// Token is the bearer token the fake accepts.
const Token = "dfetest-token"

// Start returns a running fake and its address; the test fails at its end on any contract
// violation the fake saw.
func Start(t testing.TB) (*dfefake.Server, string) {
	t.Helper()
	fake, err := dfefake.New(Token)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(fake)
	t.Cleanup(func() {
		srv.Close()
		if v := fake.Violations(); len(v) > 0 {
			t.Errorf("the fake DfE saw contract violations:\n%v", v)
		}
	})
	return fake, srv.URL
}

// Client is a client for the fake at url, without DfE's rate limit or real waits.
func Client(t testing.TB, url string, opts ...dfe.Option) *dfe.Client {
	t.Helper()
	c, err := dfe.New(url, Token, append([]dfe.Option{
		dfe.WithLimiter(rate.NewLimiter(rate.Inf, 1)),
		dfe.WithLogger(slog.New(slog.DiscardHandler)),
		dfe.WithSleep(func(context.Context, time.Duration) error { return nil }),
	}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Enrolled is an enrolment given the DfE ids of an application the fake accepted.
type Enrolled struct {
	ParticipantID, ApplicationID string
	PartnerDfEID                 string // the enrolment's delivery partner's id at DfE
}

// Enrol puts an application on the fake for the enrolment's participant on an NPQH course of the
// DfE cohort given, has the fake accept it (a funded place, DfE's default schedule), registers
// the delivery partner at the fake, and gives the participant, enrolment and partner here
// DfE's ids, as accepting an application from DfE does.
func Enrol(t testing.TB, db *pgxpool.Pool, fake *dfefake.Server, client *dfe.Client, enrolmentID, partnerID int64, cohort string) Enrolled {
	t.Helper()
	ctx := context.Background()
	var name, email string
	if err := db.QueryRow(ctx, `SELECT u.name, u.email FROM enrolments e JOIN users u ON u.id = e.user_id WHERE e.id = $1`, enrolmentID).Scan(&name, &email); err != nil {
		t.Fatal(err)
	}
	app, participant := fake.AddApplication(dfefake.Application{FullName: name, Email: email, Course: "npq-headship", Cohort: cohort})
	funded := true
	if _, err := client.AcceptApplication(ctx, app, &funded, ""); err != nil {
		t.Fatal(err)
	}
	e := Enrolled{ParticipantID: participant, ApplicationID: app, PartnerDfEID: fake.AddDeliveryPartner("Riverside Hub", cohort)}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`UPDATE delivery_partners SET dfe_id = $2 WHERE id = $1`, []any{partnerID, e.PartnerDfEID}},
		{`UPDATE users SET dfe_participant_id = $2 FROM enrolments e WHERE e.id = $1 AND users.id = e.user_id`, []any{enrolmentID, participant}},
		{`UPDATE enrolments SET dfe_application_id = $2, dfe_course_identifier = 'npq-headship', dfe_cohort = $3,
			dfe_schedule_identifier = 'npq-leadership-autumn', dfe_funded_place = true WHERE id = $1`, []any{enrolmentID, app, cohort}},
	} {
		if _, err := db.Exec(ctx, q.sql, q.args...); err != nil {
			t.Fatal(err)
		}
	}
	return e
}
