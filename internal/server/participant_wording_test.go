package server

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// Home's Continue and metadata line read cleanly: one colon, the partner named once.
func TestHomeContinueAndPartnerWording(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	if _, err := a.pool.Exec(context.Background(), `UPDATE cohorts SET name = 'NPQH Spring 2026 – Riverside Hub' WHERE id = $1`, f.cohortID); err != nil {
		t.Fatal(err)
	}
	c := a.as(f.participant)
	c.get(fmt.Sprintf("/learn/%d/%d", f.block1, f.study)) // "Self-study: the evidence" is where Pam left off
	home := c.get("/home")
	label := strings.Join(strings.Fields(home.text(`[data-testid="continue"]`)), " ")
	if label != "Continue with Self-study: the evidence" || strings.Count(label, ":") != 1 {
		t.Errorf("continue: %q", label)
	}
	line := strings.Join(strings.Fields(home.text(`[data-testid="enrolment-line"]`)), " ")
	if strings.Count(line, "Riverside Hub") != 1 || !strings.HasPrefix(line, "NPQH Spring 2026 · Riverside Hub ·") {
		t.Errorf("metadata line: %q", line)
	}
}

// A time is written the same way on every page and email: "10am", never "10:00am".
func TestTimesAreWrittenOneWayAcrossPages(t *testing.T) {
	a := newTestApp(t)
	f := a.programmeFixture()
	ev := a.scheduleEvent(f, f.webinar, 7, nil) // at 10am
	c := a.as(f.participant)
	c.post(fmt.Sprintf("/events/%d/book", ev), nil)
	home := c.get("/home").text(`[data-testid="home-events"]`)
	if !strings.Contains(home, "at 10am") {
		t.Errorf("home: %q", home)
	}
	for _, p := range []string{"/home", "/events", fmt.Sprintf("/events/%d", ev)} {
		if body := c.get(p).text("main"); strings.Contains(body, ":00am") || strings.Contains(body, ":00pm") {
			t.Errorf("%s writes a time with :00", p)
		}
	}
	if n := a.count(`SELECT count(*) FROM outbox WHERE body ~ ':00[ap]m'`); n != 0 {
		t.Errorf("%d emails write a time with :00", n)
	}
}
