// Package components holds the GOV.UK form fields, error summary and other shared pieces.
package components

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
	Name         string
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
