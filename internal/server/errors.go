package server

import (
	"bytes"
	"context"
	"errors"
	"net/http"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5/middleware"

	"npq/internal/database"
	"npq/internal/problem"
	"npq/web/components"
	"npq/web/layout"
	"npq/web/pages/public"
)

// handlerFunc is an HTTP handler that returns its error for renderError to turn into a page.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// httpError is an error with the status and message a user should see.
type httpError struct {
	Status  int
	Message string
}

func (e httpError) Error() string { return http.StatusText(e.Status) + ": " + e.Message }

var (
	errForbidden = httpError{Status: http.StatusForbidden}
	errNotFound  = httpError{Status: http.StatusNotFound}
)

// ErrShuttingDown is the cause given to the context of requests cancelled because the
// server is shutting down; they are answered with 503.
var ErrShuttingDown = errors.New("the server is shutting down")

// badRequest is the error for a request no form of ours would send.
func badRequest(msg string) error { return httpError{Status: http.StatusBadRequest, Message: msg} }

func (s *Server) wrap(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.renderError(w, r, err)
		}
	}
}

// retryAfterSeconds is what a 503 answer suggests waiting before trying again.
const retryAfterSeconds = "30"

// renderError is the one place errors become pages. A database that cannot be reached or
// does not answer in time gives a logged 503 page; other unknown errors are logged with the
// request ID and shown as a plain 500 page that leaks nothing.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	if p, ok := problem.As(err); ok {
		s.renderProblem(w, r, p, err)
		return
	}
	var he httpError
	switch {
	case errors.As(err, &he):
	case errors.Is(err, database.ErrNotFound):
		he = errNotFound
	case errors.Is(context.Cause(r.Context()), ErrShuttingDown):
		s.log.Warn("request cut short by shutdown", "err", err, "request_id", middleware.GetReqID(r.Context()))
		w.Header().Set("Retry-After", retryAfterSeconds)
		he = httpError{Status: http.StatusServiceUnavailable}
	case errors.Is(err, context.Canceled):
		return // the client went away
	case database.IsUnavailable(err):
		s.log.Error("database unavailable", "err", err, "request_id", middleware.GetReqID(r.Context()))
		w.Header().Set("Retry-After", retryAfterSeconds)
		he = httpError{Status: http.StatusServiceUnavailable}
	default:
		s.log.Error("request failed", "err", err, "request_id", middleware.GetReqID(r.Context()))
		he = httpError{Status: http.StatusInternalServerError}
	}
	s.render(w, r, he.Status, public.ErrorPage(he.Status, he.Message, middleware.GetReqID(r.Context())))
}

// refusal says where a handler shows a refusal (a problem.Problem) found in err: as a message
// on the page it redirects to, or on a field of the form it re-renders. Made by backTo and
// onField, read by renderProblem.
type refusal struct {
	err   error
	to    string                 // redirect here with the problem as a message,
	errs  *components.Errors     // or add the problem to these form errors,
	field string                 // on this field unless the problem names its own,
	page  func() templ.Component // and re-render the form with status 422
}

func (e refusal) Error() string { return e.err.Error() }
func (e refusal) Unwrap() error { return e.err }

// backTo shows a refusal in err as a message on the page at to. Other errors are rendered as
// they would be without it; a nil err stays nil.
func backTo(to string, err error) error {
	if err == nil {
		return nil
	}
	return refusal{err: err, to: to}
}

// onField shows a refusal in err on a field of the form that page renders, with status 422:
// the problem's own field, or field when it names none. Other errors are rendered as they
// would be without it; a nil err stays nil.
func onField(err error, errs *components.Errors, field string, page func() templ.Component) error {
	if err == nil {
		return nil
	}
	return refusal{err: err, errs: errs, field: field, page: page}
}

// renderProblem shows a refusal where the handler said (see backTo and onField). One that
// arrives without a place is answered 409 with its message.
func (s *Server) renderProblem(w http.ResponseWriter, r *http.Request, p problem.Problem, err error) {
	var at refusal
	switch {
	case !errors.As(err, &at):
		s.render(w, r, http.StatusConflict, public.ErrorPage(http.StatusConflict, p.Message, middleware.GetReqID(r.Context())))
	case at.to != "":
		s.seeOtherProblem(w, r, at.to, p.Message) //nolint:errcheck // it always returns nil
	default:
		if p.Field == "" {
			p.Field = at.field
		}
		addProblems(at.errs, problem.Problems{p})
		s.render(w, r, http.StatusUnprocessableEntity, at.page())
	}
}

// render writes a page with status, buffered so a failed render becomes a clean 500.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	// A flash message is shown on the next page rendered, not lost on a redirect.
	if m := layout.MetaFrom(r.Context()); m.PopFlash != nil {
		m.Flash, m.Problem = m.PopFlash(), m.PopProblem()
	}
	var buf bytes.Buffer
	// Rendering reads nothing from the database, so a request past its deadline still gets
	// its page.
	if err := c.Render(context.WithoutCancel(r.Context()), &buf); err != nil {
		s.log.Error("render failed", "err", err, "request_id", middleware.GetReqID(r.Context()))
		http.Error(w, "Sorry, there is a problem with the service.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes()) //nolint:errcheck // nothing to do if the client has gone
}

// ok renders a page with status 200.
func (s *Server) ok(w http.ResponseWriter, r *http.Request, c templ.Component) error {
	s.render(w, r, http.StatusOK, c)
	return nil
}

// invalid re-renders a form with its errors: status 422, values kept.
func (s *Server) invalid(w http.ResponseWriter, r *http.Request, c templ.Component) error {
	s.render(w, r, http.StatusUnprocessableEntity, c)
	return nil
}

// seeOther redirects after a successful POST, with an optional flash message for the next page.
func (s *Server) seeOther(w http.ResponseWriter, r *http.Request, to, flash string) error {
	if flash != "" {
		s.sessions.Put(r.Context(), "flash", flash)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}
