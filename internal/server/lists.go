package server

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"npq/internal/listing"
	"npq/internal/programme"
	"npq/web/components"
)

// listRequest reads a long list's search, page size and position from the address; a cursor
// or size that no page of ours wrote is answered 400.
func listRequest(r *http.Request) (listing.Request, error) {
	req, err := listing.Read(r.URL.Query())
	if err != nil {
		return req, badRequest("That page of the list does not exist.")
	}
	return req, nil
}

// listFailed answers a cursor a store could not read with 400, like listRequest.
func listFailed(err error) error {
	if errors.Is(err, listing.ErrBadRequest) {
		return badRequest("That page of the list does not exist.")
	}
	return err
}

// seekPager is the pager of a page of a list at the request's address.
func seekPager[T any](r *http.Request, p listing.Page[T]) components.SeekPagination {
	prev, next := p.Links(r.URL)
	return components.SeekPagination{PrevHref: prev, NextHref: next}
}

// filterID reads an id filter from the address: 0 for none. Only a hand-made address sends
// anything but an id from the filter's options, so that is answered 400.
func filterID(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, badRequest("The list could not be filtered.")
	}
	return id, nil
}

// filterDates reads a from and to date filter (typed as 1/3/2027, or 2027-03-01 as a date
// picker sends it), adding problems to errs for a date that is not real or a range that runs
// backwards.
func filterDates(from, to string, errs *components.Errors) (time.Time, time.Time) {
	read := func(field, label, v string) time.Time {
		if strings.TrimSpace(v) == "" {
			return time.Time{}
		}
		d, ok := programme.ParseDate(v)
		if !ok {
			errs.Add(field, label+" must be a real date, for example 1/3/2027")
		}
		return d
	}
	f, t := read("from", "From", from), read("to", "To", to)
	if !f.IsZero() && !t.IsZero() && t.Before(f) {
		errs.Add("to", "To must be the same as or after From")
	}
	return f, t
}

// filterOptions are a list's course, cohort and delivery partner filter options, each list
// headed by its "any" option.
type filterOptions struct {
	courses, cohorts, partners []components.Option
	cohortHint                 string
}

// listChoices are the filter options of the cohorts in scope. Partner staff choose among all
// their cohorts. Admins, for whom a national provider's cohorts run to over a thousand, choose
// among the cohorts of the delivery partner the list is filtered by (and keep the cohort it is
// filtered by); the hint says so.
func (s *Server) listChoices(r *http.Request) (filterOptions, error) {
	sc := scopeFor(r)
	cohorts, err := s.cohortChoices(r.Context(), sc)
	if err != nil {
		return filterOptions{}, err
	}
	q := r.URL.Query()
	return cohortOptions(cohorts, sc.All(), q.Get("partner"), q.Get("cohort")), nil
}

// cohortOptions builds the filter options from the cohorts in scope, for an admin (partner
// names go with cohorts, which are listed for the chosen partner only) or partner staff.
func cohortOptions(cohorts []programme.Cohort, admin bool, partner, cohort string) filterOptions {
	o := filterOptions{courses: []components.Option{{Value: "", Label: "Any course"}},
		cohorts: []components.Option{{Value: "", Label: "Any cohort"}}, partners: []components.Option{{Value: "", Label: "Any delivery partner"}}}
	if admin {
		o.cohortHint = "Choose a delivery partner to list its cohorts"
		if partner != "" {
			o.cohortHint = ""
		}
	}
	seenCourse, seenPartner := map[int64]bool{}, map[int64]bool{}
	var courseList, partnerList []components.Option
	for _, c := range cohorts {
		id := strconv.FormatInt(c.ID, 10)
		if !admin || strconv.FormatInt(c.PartnerID, 10) == partner || id == cohort {
			label := c.Name
			if admin {
				label += " (" + c.PartnerName + ")"
			}
			o.cohorts = append(o.cohorts, components.Option{Value: id, Label: label})
		}
		if !seenCourse[c.CourseID] {
			seenCourse[c.CourseID] = true
			courseList = append(courseList, components.Option{Value: strconv.FormatInt(c.CourseID, 10), Label: c.CourseName})
		}
		if !seenPartner[c.PartnerID] {
			seenPartner[c.PartnerID] = true
			partnerList = append(partnerList, components.Option{Value: strconv.FormatInt(c.PartnerID, 10), Label: c.PartnerName})
		}
	}
	byLabel := func(a, b components.Option) int { return strings.Compare(a.Label, b.Label) }
	slices.SortFunc(courseList, byLabel)
	slices.SortFunc(partnerList, byLabel)
	o.courses, o.partners = append(o.courses, courseList...), append(o.partners, partnerList...)
	return o
}

// ages are the waiting-time filter's choices, in days.
var ages = []int{7, 14, 28}

// filterAge reads the waiting-time filter (?age=, in days): 0 for any.
func filterAge(r *http.Request) (int, error) {
	v := r.URL.Query().Get("age")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || !slices.Contains(ages, n) {
		return 0, badRequest("The list could not be filtered.")
	}
	return n, nil
}

// ageChoices are the waiting-time filter's options.
func ageChoices() []components.Option {
	opts := []components.Option{{Value: "", Label: "Any time"}}
	for _, n := range ages {
		opts = append(opts, components.Option{Value: strconv.Itoa(n), Label: "Over " + strconv.Itoa(n) + " days"})
	}
	return opts
}
