package records

import (
	"testing"
	"time"
)

func TestAssessmentLabel(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		name      string
		m         Submission
		seesMarks bool
		want      string
	}{
		{"draft", Submission{Stage: "draft"}, false, "Drafting, not submitted"},
		{"partner while marking", Submission{Stage: "in_marking"}, false, "Submitted, being marked"},
		{"partner when ready but not released", Submission{Stage: "ready", Passed: &no}, false, "Submitted, being marked"},
		{"admin when ready", Submission{Stage: "ready", Passed: &no}, true, "Ready for release (provisional fail, not released)"},
		{"admin when marked as a pass", Submission{Stage: "marked", Passed: &yes}, true, "Marked (provisional pass, not released)"},
		{"admin before marks", Submission{Stage: "submitted"}, true, "Not marked"},
		{"released pass, partner", Submission{Stage: "released", Passed: &yes}, false, "Passed"},
		{"released fail, partner", Submission{Stage: "released", Passed: &no}, false, "Not passed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AssessmentLabel(tt.m, tt.seesMarks); got != tt.want {
				t.Errorf("AssessmentLabel = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestBookingLabel(t *testing.T) {
	tests := []struct {
		b    Booking
		want string
	}{
		{Booking{Status: "booked"}, "Booked"},
		{Booking{Status: "booked", Attendance: "absent"}, "Absent"},
		{Booking{Status: "booked", Attendance: "partial"}, "Partly attended"},
		{Booking{Status: "waiting"}, "On the waiting list"},
		{Booking{Status: "cancelled"}, "Place given up"},
		{Booking{Status: "cancelled", Cancelled: true}, "Event cancelled"},
	}
	for _, tt := range tests {
		if got := BookingLabel(tt.b); got != tt.want {
			t.Errorf("BookingLabel(%+v) = %q, want %q", tt.b, got, tt.want)
		}
	}
}

func TestEmailStatus(t *testing.T) {
	now := time.Now()
	tests := []struct {
		m    Email
		want string
	}{
		{Email{SentAt: &now}, "Sent"},
		{Email{Failed: true}, "Not sent yet: delivery failed"},
		{Email{}, "Waiting to be sent"},
	}
	for _, tt := range tests {
		if got := EmailStatus(tt.m); got != tt.want {
			t.Errorf("EmailStatus(%+v) = %q, want %q", tt.m, got, tt.want)
		}
	}
}
