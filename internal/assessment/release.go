package assessment

import (
	"context"

	"github.com/jackc/pgx/v5"

	"npq/internal/plural"
)

// ReleaseBatch lists the submissions with the given ids, for confirming their release, in
// candidate number order. Ids with no submission are left out.
func (st Store) ReleaseBatch(ctx context.Context, ids []int64) ([]Listed, error) {
	rows, err := st.DB.Query(ctx, `SELECT s.id, s.enrolment_id, s.candidate_number, u.name, c.name, p.name, s.attempt, s.stage, s.passed
		`+submissionFrom+` WHERE s.id = ANY($1) ORDER BY s.candidate_number, s.id`, ids)
	if err != nil {
		return nil, wrap("release batch", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Listed, error) {
		var l Listed
		return l, r.Scan(&l.ID, &l.EnrolmentID, &l.CandidateNumber, &l.ParticipantName, &l.CourseName, &l.PartnerName, &l.Attempt, &l.Stage, &l.Passed)
	})
}

// ReleaseConsequences says what releasing a batch of ready outcomes will do, for the admin
// to check before confirming.
func ReleaseConsequences(batch []Listed) []string {
	passed := 0
	for _, l := range batch {
		if l.Passed != nil && *l.Passed {
			passed++
		}
	}
	failed := len(batch) - passed
	out := []string{plural.Count(len(batch), "person sees their", "people see their") + " outcome and feedback, and " +
		plural.Noun(len(batch), "is", "are") + " emailed that it is ready."}
	if passed > 0 {
		out = append(out, plural.Count(passed, "person who passed is", "people who passed are")+" recorded as having completed the course.")
	}
	if failed > 0 {
		out = append(out, plural.Count(failed, "person who did not pass keeps", "people who did not pass keep")+" their place on the course.")
	}
	return append(out, "DfE will be told "+plural.Noun(len(batch), "the outcome", "each outcome")+": "+plural.Number(passed)+" passed, "+plural.Number(failed)+" failed.")
}
