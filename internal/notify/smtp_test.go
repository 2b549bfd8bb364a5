package notify_test

import (
	"context"
	"io"
	"log/slog"
	"net"
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
	s.server.mu.Unlock()
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
