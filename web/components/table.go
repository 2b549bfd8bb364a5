package components

// TableProps describes a table.
type TableProps struct {
	// Label names the table's scroll region for screen readers; empty for the caption. Every
	// table on a page needs its own.
	Label        string
	Caption      string // shown above the table; empty for none
	CaptionClass string // the caption's classes; empty for a medium GOV.UK table caption
	TestID       string // the table's data-testid
}

func (p TableProps) label() string {
	if p.Label != "" {
		return p.Label
	}
	return p.Caption
}

func (p TableProps) captionClass() string {
	if p.CaptionClass != "" {
		return p.CaptionClass
	}
	return "govuk-table__caption govuk-table__caption--m"
}
