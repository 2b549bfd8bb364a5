package notify_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"

	"npq/internal/notify"
	"npq/internal/testdb"
)

// mailServer is a real SMTP server on a loopback port that keeps what it receives.
type mailServer struct {
	mu       sync.Mutex
	received []receivedMail
	reject   string // a recipient the server refuses
	addr     *net.TCPAddr
	// afterData, when set, runs after each message is read, with the number read so far
	// (this one included); an error it returns refuses the message.
	afterData func(n int, data string) error
}

type receivedMail struct {
	from, to, data string
}

func (m *mailServer) NewSession(*smtp.Conn) (smtp.Session, error) {
	return &mailSession{server: m}, nil
}

type mailSession struct {
	server   *mailServer
	from, to string
}

func (s *mailSession) Reset()        {}
func (s *mailSession) Logout() error { return nil }
func (s *mailSession) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}
func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if to == s.server.reject {
		return &smtp.SMTPError{Code: 550, Message: "no such mailbox"}
	}
	s.to = to
	return nil
}
func (s *mailSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.server.mu.Lock()
	s.server.received = append(s.server.received, receivedMail{from: s.from, to: s.to, data: string(b)})
	n, hook := len(s.server.received), s.server.afterData
	s.server.mu.Unlock()
	if err == nil && hook != nil {
		err = hook(n, string(b))
	}
	return err
}

func startMailServer(t *testing.T) *mailServer {
	t.Helper()
	ms := &mailServer{reject: "nobody@school.test"}
	srv := smtp.NewServer(ms)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ms.addr = l.Addr().(*net.TCPAddr)
	go srv.Serve(l) //nolint:errcheck // stops when closed
	t.Cleanup(func() { srv.Close() })
	return ms
}

func TestSenderDeliversOutboxBySMTP(t *testing.T) {
	ctx := context.Background()
	pool := testdb.New(t)
	ms := startMailServer(t)
	for _, m := range []notify.Message{
		{ToAddress: "pam@school.test", ToName: "Pam Participant", Subject: "Your booking", Body: "See you on Tuesday."},
		{ToAddress: "nobody@school.test", Subject: "Bounces", Body: "x"},
	} {
		if err := notify.Enqueue(ctx, pool, m); err != nil {
			t.Fatal(err)
		}
	}
	s := notify.Sender{DB: pool, Log: slog.New(slog.DiscardHandler),
		SMTP: notify.SMTPSettings{Host: "127.0.0.1", Port: ms.addr.Port, From: "NPQ platform <no-reply@npq.test>"}}
	sent, err := s.DeliverPending(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sent != 1 {
		t.Fatalf("sent %d, want 1", sent)
	}
	ms.mu.Lock()
	got := ms.received
	ms.mu.Unlock()
	if len(got) != 1 || got[0].to != "pam@school.test" || got[0].from != "no-reply@npq.test" ||
		!strings.Contains(got[0].data, "Subject: Your booking") || !strings.Contains(got[0].data, "See you on Tuesday.") {
		t.Fatalf("received %+v", got)
	}
	// The refused message is kept with its error and a later retry; the sent one is marked.
	var sentAt, lastError string
	pool.QueryRow(ctx, `SELECT coalesce(sent_at::text, ''), last_error FROM outbox WHERE to_address = 'pam@school.test'`).Scan(&sentAt, &lastError) //nolint:errcheck
	if sentAt == "" || lastError != "" {
		t.Errorf("delivered message: sent_at %q error %q", sentAt, lastError)
	}
	var attempts int
	var retryLater bool
	pool.QueryRow(ctx, `SELECT attempts, last_error, next_attempt_at > now() FROM outbox WHERE to_address = 'nobody@school.test'`).Scan(&attempts, &lastError, &retryLater) //nolint:errcheck
	if attempts != 1 || !strings.Contains(lastError, "550") || !retryLater {
		t.Errorf("refused message: attempts %d error %q retry later %v", attempts, lastError, retryLater)
	}
	// Nothing is sent twice.
	if sent, err := s.DeliverPending(ctx); err != nil || sent != 0 {
		t.Errorf("second round sent %d (%v)", sent, err)
	}
}

func TestSenderKeepsMailWhenTheServerIsDown(t *testing.T) {
	ctx := context.Background()
	pool := testdb.New(t)
	notify.Enqueue(ctx, pool, notify.Message{ToAddress: "pam@school.test", Subject: "Hello", Body: "Hi"}) //nolint:errcheck
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	port := l.Addr().(*net.TCPAddr).Port
	l.Close() // nothing listens here now
	s := notify.Sender{DB: pool, Log: slog.New(slog.DiscardHandler),
		SMTP: notify.SMTPSettings{Host: "127.0.0.1", Port: port, From: "no-reply@npq.test"}}
	if sent, err := s.DeliverPending(ctx); err != nil || sent != 0 {
		t.Fatalf("sent %d err %v", sent, err)
	}
	var attempts int
	var lastError string
	pool.QueryRow(ctx, `SELECT attempts, last_error FROM outbox`).Scan(&attempts, &lastError) //nolint:errcheck
	if attempts != 1 || lastError == "" {
		t.Errorf("attempts %d error %q", attempts, lastError)
	}
}

// messageID is the Message-ID header of a received message.
func messageID(data string) string {
	for line := range strings.SplitSeq(data, "\r\n") {
		if name, value, ok := strings.Cut(line, ":"); ok && strings.EqualFold(name, "Message-ID") {
			return strings.TrimSpace(value)
		}
	}
	return ""
}

// A sender that stops part-way through a batch (an instance killed, a deploy) has marked
// every message it delivered, so none is sent twice.
func TestSenderMarksEachMessageAsSoonAsItIsSent(t *testing.T) {
	pool := testdb.New(t)
	ms := startMailServer(t)
	for i := range 5 {
		if err := notify.Enqueue(t.Context(), pool, notify.Message{ToAddress: fmt.Sprintf("p%d@school.test", i), Subject: "News", Body: "Hello"}); err != nil {
			t.Fatal(err)
		}
	}
	ctx, stop := context.WithCancel(t.Context())
	ms.afterData = func(n int, _ string) error {
		if n == 2 {
			stop() // the instance is told to stop after the second message
		}
		return nil
	}
	s := notify.Sender{DB: pool, Log: slog.New(slog.DiscardHandler), MessageIDHost: "npq.example",
		SMTP: notify.SMTPSettings{Host: "127.0.0.1", Port: ms.addr.Port, From: "no-reply@npq.test"}}
	s.DeliverPending(ctx) //nolint:errcheck // stopped part-way
	ms.mu.Lock()
	delivered := len(ms.received)
	ms.mu.Unlock()
	var marked int
	pool.QueryRow(t.Context(), `SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL`).Scan(&marked) //nolint:errcheck
	if marked != delivered || delivered == 0 || delivered == 5 {
		t.Errorf("stopped part-way: %d delivered, %d marked sent", delivered, marked)
	}
	var attempted int
	pool.QueryRow(t.Context(), `SELECT count(*) FROM outbox WHERE sent_at IS NULL AND (attempts > 0 OR next_attempt_at > now())`).Scan(&attempted) //nolint:errcheck
	if attempted != 0 {
		t.Errorf("%d messages not sent were counted as failed attempts", attempted)
	}

	// The next round sends the rest, and nothing twice.
	ms.afterData = nil
	if _, err := s.DeliverPending(t.Context()); err != nil {
		t.Fatal(err)
	}
	ms.mu.Lock()
	defer ms.mu.Unlock()
	seen := map[string]int{}
	for _, m := range ms.received {
		seen[m.to]++
	}
	if len(ms.received) != 5 || len(seen) != 5 {
		t.Errorf("received %d messages for %d recipients: %v", len(ms.received), len(seen), seen)
	}
}

// A message tried again carries the Message-ID of its first attempt, so the receiving side
// can recognise a repeat.
func TestSenderGivesEachMessageAStableMessageID(t *testing.T) {
	pool := testdb.New(t)
	ms := startMailServer(t)
	for _, to := range []string{"pam@school.test", "olu@school.test"} {
		if err := notify.Enqueue(t.Context(), pool, notify.Message{ToAddress: to, Subject: "Your booking", Body: "Hello"}); err != nil {
			t.Fatal(err)
		}
	}
	ms.afterData = func(n int, _ string) error {
		if n == 1 {
			return &smtp.SMTPError{Code: 451, Message: "try again later"}
		}
		return nil
	}
	s := notify.Sender{DB: pool, Log: slog.New(slog.DiscardHandler), MessageIDHost: "npq.example",
		SMTP: notify.SMTPSettings{Host: "127.0.0.1", Port: ms.addr.Port, From: "no-reply@npq.test"}}
	if _, err := s.DeliverPending(t.Context()); err != nil {
		t.Fatal(err)
	}
	pool.Exec(t.Context(), `UPDATE outbox SET next_attempt_at = now() WHERE sent_at IS NULL`) //nolint:errcheck
	if _, err := s.DeliverPending(t.Context()); err != nil {
		t.Fatal(err)
	}
	ms.mu.Lock()
	defer ms.mu.Unlock()
	if len(ms.received) != 3 {
		t.Fatalf("received %d messages, want 3 (one refused, then tried again)", len(ms.received))
	}
	first, retry, other := messageID(ms.received[0].data), messageID(ms.received[2].data), messageID(ms.received[1].data)
	if ms.received[0].to != ms.received[2].to || first != retry {
		t.Errorf("retry of %s has Message-ID %q, first attempt %q", ms.received[0].to, retry, first)
	}
	if first == other || !messageIDPattern.MatchString(first) || !messageIDPattern.MatchString(other) {
		t.Errorf("Message-IDs %q and %q", first, other)
	}
}

var messageIDPattern = regexp.MustCompile(`^<outbox-\d+\.[0-9a-f]{32}@npq\.example>$`)
