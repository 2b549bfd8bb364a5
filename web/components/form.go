// Package components holds the GOV.UK form fields, error summary and other shared pieces.
package components

import (
	"strconv"
	"strings"
	"time"
)

// FieldError is one problem with one form field.
type FieldError struct {
	Field   string // the input's id, for the error summary link
	Message string
}

// Errors collects a form's problems in the order the fields appear.
type Errors []FieldError

// Add records a problem with field unless msg is empty; the first problem per field wins.
func (e *Errors) Add(field, msg string) {
	if msg == "" || e.For(field) != "" {
		return
	}
	*e = append(*e, FieldError{Field: field, Message: msg})
}

// For returns the message for field, or "".
func (e Errors) For(field string) string {
	for _, fe := range e {
		if fe.Field == field {
			return fe.Message
		}
	}
	return ""
}

// Any reports whether there is at least one problem.
func (e Errors) Any() bool { return len(e) > 0 }

// Option is one choice in a select or radios.
type Option struct {
	Value string
	Label string
	Hint  string
}

// Input describes a text input.
type Input struct {
	ID           string
	Name         string // the form field's name; empty for the same as ID
	Label        string
	Hint         string
	Type         string // text, email, password, number, date ...
	Value        string
	Autocomplete string
	Width        string // e.g. "govuk-input--width-20"
	Error        string
	Spellcheck   bool
	PageHeading  bool // the label is the page's h1
}

// SelectProps describes a select.
type SelectProps struct {
	ID      string
	Name    string // the form field's name; empty for the same as ID
	Label   string
	Hint    string
	Value   string // the chosen option's value
	Error   string
	Options []Option
}

// RadiosProps describes a set of radios.
type RadiosProps struct {
	ID      string // the first radio's id, which the error summary links to
	Name    string // the form field's name; empty for the same as ID
	Legend  string
	Hint    string
	Value   string // the chosen option's value
	Error   string
	Options []Option
}

// TextareaProps describes a textarea.
type TextareaProps struct {
	ID    string
	Name  string // the form field's name; empty for the same as ID
	Label string
	Hint  string
	Value string
	Error string
	Rows  int
}

// DateInputProps describes a date input: day, month and year fields.
type DateInputProps struct {
	ID     string // the fields' ids are ID-day, ID-month and ID-year
	Name   string // the fields are named Name-day, Name-month and Name-year; empty for the same as ID
	Legend string
	Hint   string
	Value  DateValue
	Error  string
}

// CheckboxesProps describes checkboxes in groups.
type CheckboxesProps struct {
	ID      string // the form group's id, which the error summary links to
	Name    string // the form field's name; empty for the same as ID
	Legend  string
	Hint    string
	Groups  []CheckboxGroup
	Checked map[string]bool // by option value
	Error   string
}

// nameOr is a field's name: name, or id when name is empty.
func nameOr(name, id string) string {
	if name == "" {
		return id
	}
	return name
}

// DateFrom fills a DateValue from a posted form's name-day, name-month and name-year fields.
func DateFrom(get func(string) string, name string) DateValue {
	return DateValue{Day: get(name + "-day"), Month: get(name + "-month"), Year: get(name + "-year")}
}

// DateOf fills a DateValue from a date.
func DateOf(t interface {
	Day() int
	Month() time.Month
	Year() int
}) DateValue {
	return DateValue{Day: itoa(t.Day()), Month: itoa(int(t.Month())), Year: itoa(t.Year())}
}

// Empty reports whether nothing was typed.
func (d DateValue) Empty() bool { return d.Day == "" && d.Month == "" && d.Year == "" }

// Parse reads the date, or explains what is wrong with it using what (e.g. "Start date").
func (d DateValue) Parse(what string) (time.Time, string) {
	switch {
	case d.Empty():
		return time.Time{}, "Enter the " + strings.ToLower(what[:1]) + what[1:]
	case d.Day == "":
		return time.Time{}, what + " must include a day"
	case d.Month == "":
		return time.Time{}, what + " must include a month"
	case d.Year == "":
		return time.Time{}, what + " must include a year"
	}
	day, e1 := strconv.Atoi(d.Day)
	month, e2 := strconv.Atoi(d.Month)
	year, e3 := strconv.Atoi(d.Year)
	if e1 != nil || e2 != nil || e3 != nil || len(d.Year) != 4 {
		return time.Time{}, what + " must be a real date, with a 4-digit year"
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day || int(t.Month()) != month || year < 2000 || year > 2100 {
		return time.Time{}, what + " must be a real date"
	}
	return t, ""
}
