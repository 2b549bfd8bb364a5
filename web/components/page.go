package components

// ErrorPrefix is what a page's title starts with when its form has problems, so that
// screen reader users hear about them first: "Error: ", or nothing.
func ErrorPrefix(errs Errors) string {
	if errs.Any() {
		return "Error: "
	}
	return ""
}

// FormPageProps describes the frame of a page built around a form.
type FormPageProps struct {
	Title         string // the page's title, and its h1 unless Heading is set
	Heading       string // the h1 when it says more than the title
	Caption       string // the line above the h1, e.g. whose record this is
	BackHref      string // where the back link goes; no back link when empty
	BackLabel     string
	Errors        Errors
	Wide          bool   // the full width rather than two-thirds, for pages with tables
	HeadingTestID string // the h1's data-testid, for pages tests find by it
}

func (p FormPageProps) heading() string {
	if p.Heading != "" {
		return p.Heading
	}
	return p.Title
}
