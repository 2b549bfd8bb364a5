package public

import (
	"net/url"
	"strconv"

	"npq/internal/frameworks"
)

func searchTitle(v SearchView) string {
	switch {
	case v.Invalid:
		return "Error: Search the NPQ frameworks"
	case v.Query != "":
		return v.Query + " – Search the NPQ frameworks"
	}
	return "Search the NPQ frameworks"
}

func resultCount(v SearchView) string {
	switch {
	case v.Total == 0:
		return "No statements match “" + v.Query + "”"
	case v.Total == 1:
		return "1 statement matches “" + v.Query + "”"
	case v.Total > len(v.Results):
		return strconv.Itoa(v.Total) + " statements match “" + v.Query + "”: the best " + strconv.Itoa(len(v.Results)) + " are shown"
	}
	return strconv.Itoa(v.Total) + " statements match “" + v.Query + "”"
}

func kindLabel(r frameworks.SearchResult) string {
	switch r.Kind {
	case frameworks.StatementLearnThat:
		return "Learn that… statement " + r.Label
	case frameworks.StatementLearnHowTo:
		return "Learn how to…"
	case frameworks.StatementBullet:
		return "Learn how to… practice"
	case frameworks.StatementLearnAbout:
		return "Learn about"
	case frameworks.StatementCriterion:
		return "Assessment criterion " + r.Label
	}
	return ""
}

func urlQuery(s string) string { return url.QueryEscape(s) }
