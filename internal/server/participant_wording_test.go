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
