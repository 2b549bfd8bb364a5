package components

// SummaryRowProps describes a summary list row whose value needs more than text.
type SummaryRowProps struct {
	Key    string
	Value  string // text at the start of the value; children of SummaryRowWith follow it
	TestID string // the value's data-testid
	Class  string // classes added to the value's own
}

func (p SummaryRowProps) valueClass() string {
	if p.Class != "" {
		return "govuk-summary-list__value " + p.Class
	}
	return "govuk-summary-list__value"
}
