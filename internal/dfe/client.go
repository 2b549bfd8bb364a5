// Package dfe is the platform's client for DfE's NPQ lead-provider API v3: typed calls,
// DfE's rate limit, retries that never repeat a create blindly, participant-id changes
// followed, and every call logged without the token.
package dfe

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"
)

// PerPage is the largest page DfE serves.
const PerPage = 3000

// Client calls DfE's API with one token.
type Client struct {
	base     string
	token    string
	http     *http.Client
	limiter  *rate.Limiter
	log      *slog.Logger
	sleep    func(ctx context.Context, d time.Duration) error
	attempts int
	backoff  time.Duration
	perPage  int
}

// Option changes a Client's defaults.
type Option func(*Client)

// WithHTTPClient sets the HTTP client (default: 30-second timeout).
func WithHTTPClient(h *http.Client) Option { return func(c *Client) { c.http = h } }

// WithLogger sets where calls are logged.
func WithLogger(l *slog.Logger) Option { return func(c *Client) { c.log = l } }

// WithLimiter replaces DfE's rate limit (tests use a generous one).
func WithLimiter(l *rate.Limiter) Option { return func(c *Client) { c.limiter = l } }

// WithSleep replaces the wait between retries (tests record it instead of waiting).
func WithSleep(f func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Client) { c.sleep = f }
}

// WithPerPage sets the page size of list calls (at most PerPage).
func WithPerPage(n int) Option { return func(c *Client) { c.perPage = min(n, PerPage) } }

// NewLimiter is DfE's limit of 1,000 requests per 5 minutes per token: 900 spread evenly
// plus a burst of 100, so no 5-minute window can hold more than 1,000.
func NewLimiter() *rate.Limiter {
	return rate.NewLimiter(rate.Limit(900.0/300.0), 100)
}

// New returns a client for the API at baseURL (e.g. https://…/api/v3 lives under it).
func New(baseURL, token string, opts ...Option) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("dfe: base URL %q is not an absolute URL", baseURL)
	}
	if token == "" {
		return nil, errors.New("dfe: token is empty")
	}
	c := &Client{
		base:     strings.TrimRight(baseURL, "/"),
		token:    token,
		http:     &http.Client{Timeout: 30 * time.Second},
		limiter:  NewLimiter(),
		log:      slog.Default(),
		sleep:    sleepCtx,
		attempts: 5,
		backoff:  time.Second,
		perPage:  PerPage,
	}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// ErrorItem is one entry of DfE's `{"errors":[…]}` answer.
type ErrorItem struct {
	Title                string                `json:"title"`
	Detail               string                `json:"detail"`
	ParticipantIDChanges []ParticipantIDChange `json:"participant_id_changes,omitempty"`
}

// APIError is an answer other than 2xx.
type APIError struct {
	Method, Path string
	Status       int
	// Message is the `{"error": …}` text of a 401 or 404.
	Message string
	// Errors are the `{"errors": […]}` entries of a 400, 403, 410 or 422.
	Errors []ErrorItem
}

// Error joins DfE's own texts.
func (e *APIError) Error() string {
	var parts []string
	if e.Message != "" {
		parts = append(parts, e.Message)
	}
	for _, it := range e.Errors {
		parts = append(parts, strings.TrimSpace(it.Title+": "+it.Detail))
	}
	return fmt.Sprintf("dfe: %s %s: %d %s", e.Method, e.Path, e.Status, strings.Join(parts, "; "))
}

// Detail is DfE's error text for showing to an admin.
func (e *APIError) Detail() string {
	if e.Message != "" {
		return e.Message
	}
	var parts []string
	for _, it := range e.Errors {
		parts = append(parts, it.Detail)
	}
	return strings.Join(parts, "; ")
}

// StatusOf returns the HTTP status of a DfE error, or 0 for any other error.
func StatusOf(err error) int {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.Status
	}
	return 0
}

// retryable reports whether a read may be sent again after this status.
func retryable(status int) bool {
	return status == http.StatusTooManyRequests || status >= 500
}

// call sends one request, retrying with backoff when retry allows it for the status (or a
// network failure, status 0). out receives a 2xx body.
func (c *Client) call(ctx context.Context, method, path string, query url.Values, in, out any, retry func(status int) bool) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return fmt.Errorf("dfe: encode %s %s: %w", method, path, err)
		}
	}
	target := c.base + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	wait := c.backoff
	for attempt := 1; ; attempt++ {
		status, header, resBody, err := c.once(ctx, method, path, target, body)
		if err == nil && status >= 200 && status < 300 {
			if out == nil {
				return nil
			}
			if err := json.Unmarshal(resBody, out); err != nil {
				return fmt.Errorf("dfe: decode %s %s: %w", method, path, err)
			}
			return nil
		}
		if err == nil {
			err = apiError(method, path, status, []byte(c.redact(string(resBody))))
		}
		if attempt >= c.attempts || !retry(status) {
			return err
		}
		delay := wait
		if ra := retryAfter(header); ra > 0 {
			delay = ra
		}
		if serr := c.sleep(ctx, delay); serr != nil {
			return errors.Join(err, serr)
		}
		wait *= 2
	}
}

// once sends one request through the rate limit and logs it.
func (c *Client) once(ctx context.Context, method, path, target string, body []byte) (int, http.Header, []byte, error) {
	if err := c.limiter.Wait(ctx); err != nil {
		return 0, nil, nil, fmt.Errorf("dfe: rate limit: %w", err)
	}
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, reader)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("dfe: request %s %s: %w", method, path, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	start := time.Now()
	res, err := c.http.Do(req)
	took := time.Since(start)
	logTarget := c.redact(strings.TrimPrefix(target, c.base))
	if err != nil {
		c.log.LogAttrs(ctx, slog.LevelWarn, "dfe call failed", slog.String("method", method),
			slog.String("path", logTarget), slog.Duration("duration", took), slog.String("error", c.redact(err.Error())))
		return 0, nil, nil, fmt.Errorf("dfe: %s %s: %s", method, path, c.redact(err.Error()))
	}
	defer res.Body.Close()
	resBody, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	attrs := []slog.Attr{slog.String("method", method), slog.String("path", logTarget),
		slog.Int("status", res.StatusCode), slog.Duration("duration", took)}
	level := slog.LevelInfo
	if res.StatusCode >= 300 {
		level = slog.LevelWarn
		attrs = append(attrs, slog.String("request", c.redact(string(body))), slog.String("response", c.redact(string(resBody))))
	}
	c.log.LogAttrs(ctx, level, "dfe call", attrs...)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("dfe: read %s %s: %w", method, path, err)
	}
	return res.StatusCode, res.Header, resBody, nil
}

// redact removes the token from anything about to be logged or returned.
func (c *Client) redact(s string) string {
	return strings.ReplaceAll(s, c.token, "[redacted]")
}

func apiError(method, path string, status int, body []byte) error {
	e := &APIError{Method: method, Path: path, Status: status}
	var shape struct {
		Error  string      `json:"error"`
		Errors []ErrorItem `json:"errors"`
	}
	if json.Unmarshal(body, &shape) == nil {
		e.Message, e.Errors = shape.Error, shape.Errors
	}
	if e.Message == "" && len(e.Errors) == 0 {
		e.Message = http.StatusText(status)
	}
	return e
}

// retryAfter reads a Retry-After header given in seconds or as a date.
func retryAfter(h http.Header) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return time.Until(t)
	}
	return 0
}

// get reads with retries on 429, 5xx and network failures.
func (c *Client) get(ctx context.Context, path string, query url.Values, out any) error {
	return c.call(ctx, http.MethodGet, path, query, nil, out, func(status int) bool {
		return status == 0 || retryable(status)
	})
}

// change sends an update that is safe to repeat only when DfE refused it unread (429).
func (c *Client) change(ctx context.Context, method, path string, in, out any) error {
	return c.call(ctx, method, path, nil, in, out, func(status int) bool {
		return status == http.StatusTooManyRequests
	})
}

// listAll pages through a list until DfE answers an empty page.
func listAll[T any](ctx context.Context, c *Client, path string, filters url.Values) ([]T, error) {
	var all []T
	for page := 1; ; page++ {
		q := url.Values{}
		for k, v := range filters {
			q["filter["+k+"]"] = v
		}
		q.Set("page[page]", strconv.Itoa(page))
		q.Set("page[per_page]", strconv.Itoa(c.perPage))
		var res struct {
			Data []T `json:"data"`
		}
		if err := c.get(ctx, path, q, &res); err != nil {
			return all, err
		}
		if len(res.Data) == 0 {
			return all, nil
		}
		all = append(all, res.Data...)
	}
}

func since(t time.Time) url.Values {
	v := url.Values{}
	if !t.IsZero() {
		v.Set("updated_since", t.UTC().Format(time.RFC3339))
	}
	return v
}
