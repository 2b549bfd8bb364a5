package notify

import (
	"testing"
	"time"
)

func TestDelivery(t *testing.T) {
	sent := time.Now()
	for _, c := range []struct {
		e      OutboxEntry
		want   Delivery
		gaveUp bool
	}{
		{OutboxEntry{}, DeliveryQueued, false},
		{OutboxEntry{SentAt: &sent}, DeliverySent, false},
		{OutboxEntry{LastError: "timeout", Attempts: 1}, DeliveryFailed, false},
		{OutboxEntry{LastError: "550", Attempts: MaxAttempts}, DeliveryFailed, true},
	} {
		if got := c.e.Delivery(); got != c.want || c.e.GaveUp() != c.gaveUp {
			t.Errorf("%+v: %q %v", c.e, got, c.e.GaveUp())
		}
	}
	for in, want := range map[string]Delivery{"": "", "queued": DeliveryQueued, "failed": DeliveryFailed} {
		if got, ok := ParseDelivery(in); !ok || got != want {
			t.Errorf("ParseDelivery(%q) = %q %v", in, got, ok)
		}
	}
	if _, ok := ParseDelivery("lost"); ok {
		t.Error("an unknown status is accepted")
	}
}
