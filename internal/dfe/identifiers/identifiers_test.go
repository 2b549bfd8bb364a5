package identifiers

import (
	"context"
	"testing"

	"npq/internal/dfe/dfefake"
	"npq/internal/dfe/dfetest"
	"npq/internal/problem"
	"npq/internal/testdb"
)

func TestDraftCheck(t *testing.T) {
	good := Draft{ParticipantID: "7a8fef46-3c43-42c0-b3d5-1ba5904ba562", TRN: "1234567",
		ApplicationID: "00000000-0000-4000-8000-000000000001", Course: "npq-headship", Cohort: "2026",
		Schedule: "npq-leadership-autumn", FundedPlace: "yes"}
	tests := []struct {
		name  string
		edit  func(*Draft)
		field string
	}{
		{"all good", func(*Draft) {}, ""},
		{"all empty", func(d *Draft) { *d = Draft{} }, ""},
		{"participant id not a uuid", func(d *Draft) { d.ParticipantID = "12345" }, "participant_id"},
		{"trn too short", func(d *Draft) { d.TRN = "12345" }, "trn"},
		{"application id not a uuid", func(d *Draft) { d.ApplicationID = "app-1" }, "application_id"},
		{"unknown course", func(d *Draft) { d.Course = "npq-cooking" }, "course"},
		{"cohort not a year", func(d *Draft) { d.Cohort = "next year" }, "cohort"},
		{"unknown schedule", func(d *Draft) { d.Schedule = "npq-leadership-summer" }, "schedule"},
		{"funded place not yes or no", func(d *Draft) { d.FundedPlace = "maybe" }, "funded_place"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := good
			tt.edit(&d)
			ps := d.Normalise().Check()
			if tt.field == "" && len(ps) != 0 {
				t.Fatalf("problems %v", ps)
			}
			if tt.field != "" && (len(ps) != 1 || ps[0].Field != tt.field) {
				t.Fatalf("want one problem on %s, got %v", tt.field, ps)
			}
		})
	}
}

func seedEnrolment(t *testing.T, s Store, email string) (userID, enrolmentID int64) {
	t.Helper()
	ctx := context.Background()
	db := s.DB
	var partner, course, cohort int64
	if err := db.QueryRow(ctx, `INSERT INTO delivery_partners (name, contact_name, contact_email) VALUES ('P '||$1, 'C', 'c@x.test') RETURNING id`, email).Scan(&partner); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(ctx, `INSERT INTO qualifications (code, name, course_group, status, who_for, position)
		VALUES ('Q'||$1, 'Q', 'leadership', 'current', 'x', 1) RETURNING 0`, email).Scan(new(int64)); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(ctx, `INSERT INTO courses (name, qualification_code) VALUES ('Course '||$1, 'Q'||$1) RETURNING id`, email).Scan(&course); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(ctx, `INSERT INTO cohorts (course_id, delivery_partner_id, name, schedule_identifier, starts_on, study_ends_on, assessment_opens_on, assessment_closes_on)
		VALUES ($1, $2, 'Cohort '||$3, 'npq-leadership-autumn', '2026-10-01', '2027-10-01', '2027-10-02', '2027-11-01') RETURNING id`, course, partner, email).Scan(&cohort); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(ctx, `INSERT INTO users (email, name, password_hash, role) VALUES ($1, 'Pat', '', 'participant') RETURNING id`, email).Scan(&userID); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(ctx, `INSERT INTO enrolments (user_id, cohort_id, funding_route, starts_on) VALUES ($1, $2, 'scholarship', '2026-10-01') RETURNING id`, userID, cohort).Scan(&enrolmentID); err != nil {
		t.Fatal(err)
	}
	return userID, enrolmentID
}

func TestSaveKeepsDfEIDsUnique(t *testing.T) {
	ctx := context.Background()
	s := Store{DB: testdb.New(t)}
	_, first := seedEnrolment(t, s, "a@x.test")
	_, second := seedEnrolment(t, s, "b@x.test")
	d := Draft{ParticipantID: "7a8fef46-3c43-42c0-b3d5-1ba5904ba562", ApplicationID: "00000000-0000-4000-8000-000000000001",
		Course: "npq-headship", Cohort: "2026", FundedPlace: "no"}
	if err := s.Save(ctx, first, d, 0); err != nil {
		t.Fatal(err)
	}
	ids, err := s.ForEnrolment(ctx, first)
	if err != nil || ids.ParticipantID != d.ParticipantID || ids.ApplicationID != d.ApplicationID || ids.FundedPlace == nil || *ids.FundedPlace {
		t.Fatalf("ids %+v, err %v", ids, err)
	}
	err = s.Save(ctx, second, Draft{ApplicationID: d.ApplicationID}, 0)
	if p, ok := problem.As(err); !ok || p.Field != "application_id" {
		t.Fatalf("same application id twice: %v", err)
	}
	err = s.Save(ctx, second, Draft{ParticipantID: d.ParticipantID}, 0)
	if p, ok := problem.As(err); !ok || p.Field != "participant_id" {
		t.Fatalf("same participant id twice: %v", err)
	}
	var audited int
	if err := s.DB.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'dfe.identifiers_changed'`).Scan(&audited); err != nil || audited != 1 {
		t.Fatalf("audited %d, %v", audited, err)
	}
}

func TestParticipantIDChangeFollowedFromDfE(t *testing.T) {
	ctx := context.Background()
	s := Store{DB: testdb.New(t)}
	fake, url := dfetest.Start(t)
	client := dfetest.Client(t, url)
	appID, oldID := fake.AddApplication(dfefake.Application{FullName: "Pat", Email: "a@x.test", Course: "npq-headship", Cohort: "2026"})
	if _, err := client.AcceptApplication(ctx, appID, nil, ""); err != nil {
		t.Fatal(err)
	}
	userID, enrolment := seedEnrolment(t, s, "a@x.test")
	if err := s.Save(ctx, enrolment, Draft{ParticipantID: oldID, ApplicationID: appID}, 0); err != nil {
		t.Fatal(err)
	}
	newID := "7a8fef46-3c43-42c0-b3d5-1ba5904ba562"
	if err := fake.ChangeParticipantID(oldID, newID); err != nil {
		t.Fatal(err)
	}
	p, changes, err := client.Participant(ctx, oldID)
	if err != nil || p.ID != newID || len(changes) != 1 {
		t.Fatalf("participant %s, changes %v, err %v", p.ID, changes, err)
	}
	for range 2 { // recording the same change again changes nothing
		if _, err := s.RecordParticipantIDChanges(ctx, changes); err != nil {
			t.Fatal(err)
		}
	}
	ids, err := s.ForEnrolment(ctx, enrolment)
	if err != nil || ids.ParticipantID != newID || ids.UserID != userID {
		t.Fatalf("ids %+v, err %v", ids, err)
	}
	var recorded, audited int
	if err := s.DB.QueryRow(ctx, `SELECT (SELECT count(*) FROM dfe_participant_id_changes WHERE user_id = $1 AND from_id = $2),
		(SELECT count(*) FROM audit_log WHERE action = 'dfe.participant_id_changed')`, userID, oldID).Scan(&recorded, &audited); err != nil {
		t.Fatal(err)
	}
	if recorded != 1 || audited != 1 {
		t.Fatalf("recorded %d, audited %d", recorded, audited)
	}
}

func TestPartnerDfEID(t *testing.T) {
	ctx := context.Background()
	s := Store{DB: testdb.New(t)}
	seedEnrolment(t, s, "a@x.test")
	var partner int64
	if err := s.DB.QueryRow(ctx, `SELECT id FROM delivery_partners LIMIT 1`).Scan(&partner); err != nil {
		t.Fatal(err)
	}
	if p, ok := problem.As(s.SavePartnerDfEID(ctx, partner, "hub-1", 0)); !ok || p.Field != "dfe_id" {
		t.Fatal("a DfE id that is not a uuid was kept")
	}
	if err := s.SavePartnerDfEID(ctx, partner, " 7A8FEF46-3c43-42c0-b3d5-1ba5904ba562 ", 0); err != nil {
		t.Fatal(err)
	}
	if id, err := s.PartnerDfEID(ctx, partner); err != nil || id != "7a8fef46-3c43-42c0-b3d5-1ba5904ba562" {
		t.Fatalf("id %q, err %v", id, err)
	}
}
