package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"npq/internal/listing"
	"npq/internal/scope"
	"npq/internal/timefmt"
	"npq/internal/todo"
	"npq/web/components"
	"npq/web/pages/partner"
)

// todoRoutes registers the lists behind the to-do lines: partner staff see their partner's
// rows, admins everyone's.
func (s *Server) todoRoutes(r chi.Router) {
	s.handle(r, "GET", "/partner/todo/{kind}", partnerStaff, s.partnerTodo)
	s.handle(r, "GET", "/admin/todo/{kind}", admins, s.partnerTodo)
}

// todoPageMissing answers an address asking for a page of a to-do list that cannot exist.
var todoPageMissing = httpError{Status: http.StatusBadRequest, Message: "That page of the list does not exist. Go back to the list and try again."}

func (s *Server) todoStore() todo.Store { return todo.Store{DB: s.pool} }

// todoBase is where the signed-in staff member's pages start: /admin or /partner.
func todoBase(sc scope.Scope) string {
	if sc.All() {
		return "/admin"
	}
	return "/partner"
}

// partnerTodoList is the signed-in partner staff member's to-do list, each line linking to
// its rows, and when it was worked out.
func (s *Server) partnerTodoList(r *http.Request) ([]components.TodoItem, time.Time, error) {
	sc, now := scopeFor(r), s.now()
	items, asOf, err := s.partnerTodoItems(r.Context(), sc.PartnerID())
	if err != nil {
		return nil, asOf, err
	}
	return todoLinks(items, sc, now), asOf, nil
}

// todoLinks are to-do items as the list shows them, each linking to its rows.
func todoLinks(items []todo.Item, sc scope.Scope, now time.Time) []components.TodoItem {
	out := make([]components.TodoItem, len(items))
	for i, it := range items {
		out[i] = components.TodoItem{Label: it.Label(), Age: it.Age(now), Href: todoBase(sc) + "/todo/" + string(it.Kind)}
	}
	return out
}

func (s *Server) partnerTodo(w http.ResponseWriter, r *http.Request) error {
	sc, now := scopeFor(r), s.now()
	k := todo.Kind(chi.URLParam(r, "kind"))
	if !todo.Allowed(k, sc.All()) {
		return errNotFound
	}
	req, err := listing.Read(r.URL.Query())
	if err != nil {
		return todoPageMissing
	}
	page, total, err := s.todoStore().Rows(r.Context(), k, sc, now, req)
	if errors.Is(err, listing.ErrBadRequest) {
		return todoPageMissing
	}
	if err != nil {
		return err
	}
	base := todoBase(sc)
	v := partner.TodoView{Title: todo.Title(k), Explain: todo.Explain(k), AtHeading: todo.AtHeading(k), ShowPartner: sc.All(), Back: base, Total: total}
	v.PrevHref, v.NextHref = page.Links(r.URL)
	people, seen := url.Values{}, map[int64]bool{}
	for _, row := range page.Rows {
		v.Rows = append(v.Rows, todoRow(k, row, base, now))
		if (k == todo.Inactive || k == todo.Unbooked) && !seen[row.UserID] {
			seen[row.UserID] = true
			people.Add("to", strconv.FormatInt(row.UserID, 10))
		}
	}
	if len(seen) > 0 {
		people.Set("back", r.URL.Path)
		v.MessageHref = base + "/messages/new?" + people.Encode()
	}
	return s.ok(w, r, partner.TodoList(v))
}

// todoRow is how a row of kind k reads, with links to where its work is done.
func todoRow(k todo.Kind, row todo.Row, base string, now time.Time) partner.TodoRow {
	id := strconv.FormatInt(row.ID, 10)
	v := partner.TodoRow{Name: row.Name, Email: row.Email, Detail: row.Detail, Course: row.Course, Cohort: row.Cohort, Partner: row.Partner,
		When: timefmt.Date(row.At), Age: todo.Age(k, row.At, now, "")}
	if row.CohortID != 0 {
		v.CohortHref = base + "/cohorts/" + strconv.FormatInt(row.CohortID, 10) + "/engagement"
	}
	switch k {
	case todo.Registers:
		v.Href = base + "/events/" + id + "/register"
		v.When = timefmt.DateTime(row.At)
	case todo.Inactive, todo.Unbooked:
		v.Href = base + "/participants/" + strconv.FormatInt(row.UserID, 10)
		if k == todo.Unbooked {
			v.When = timefmt.DateTime(row.At)
		}
		if k == todo.Inactive && row.Detail == "Last active" {
			v.Detail = "Last active " + timefmt.Date(row.At)
		}
	case todo.Requests, todo.Returns:
		v.Href = "/admin/requests/" + id
	case todo.Unallocated, todo.Overdue, todo.Release:
		v.Href = "/admin/assessment/" + id
		v.Email = ""
	case todo.FailedMail:
		v.Href = "/admin/outbox/" + id
	}
	return v
}
