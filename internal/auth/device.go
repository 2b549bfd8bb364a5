package auth

import "strings"

// browserNames and systemNames are tried in order: the first whose marker appears in a
// User-Agent header names it. Order matters, as most browsers also claim to be others
// (Edge says Chrome and Safari; Chrome says Safari).
var (
	browserNames = []struct{ marker, name string }{
		{"Edg", "Edge"},
		{"OPR/", "Opera"},
		{"Opera", "Opera"},
		{"SamsungBrowser", "Samsung Internet"},
		{"Firefox/", "Firefox"},
		{"FxiOS", "Firefox"},
		{"CriOS", "Chrome"},
		{"Chrome/", "Chrome"},
		{"Chromium", "Chromium"},
		{"Safari/", "Safari"},
	}
	systemNames = []struct{ marker, name string }{
		{"iPhone", "an iPhone"},
		{"iPad", "an iPad"},
		{"Android", "Android"},
		{"Windows", "Windows"},
		{"CrOS", "ChromeOS"},
		{"Macintosh", "a Mac"},
		{"Mac OS X", "a Mac"},
		{"Linux", "Linux"},
	}
)

// DeviceName says in plain words which browser and system a User-Agent header describes,
// like "Firefox on Windows" or "Safari on an iPhone".
func DeviceName(userAgent string) string {
	browser, system := "", ""
	for _, b := range browserNames {
		if strings.Contains(userAgent, b.marker) {
			browser = b.name
			break
		}
	}
	for _, s := range systemNames {
		if strings.Contains(userAgent, s.marker) {
			system = s.name
			break
		}
	}
	switch {
	case browser != "" && system != "":
		return browser + " on " + system
	case browser != "":
		return browser
	case system != "":
		return "A browser on " + system
	}
	return "An unknown browser"
}
