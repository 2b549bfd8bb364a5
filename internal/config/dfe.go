package config

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// DfE holds the settings of DfE's lead-provider API. Its String method hides the token.
type DfE struct {
	// APIURL is where DfE's API lives (DFE_API_URL), e.g. https://npq-registration.education.gov.uk.
	APIURL string
	// APIToken is the lead provider's bearer token (DFE_API_TOKEN); never log it.
	APIToken string
}

// Enabled reports whether the DfE integration is on: both settings are given.
func (d DfE) Enabled() bool { return d.APIURL != "" && d.APIToken != "" }

// String describes the settings without the token.
func (d DfE) String() string {
	if !d.Enabled() {
		return "DfE integration off"
	}
	return "DfE API at " + d.APIURL + " (token set)"
}

// GoString keeps the token out of %#v too.
func (d DfE) GoString() string { return d.String() }

// loadDfE reads DFE_API_URL and DFE_API_TOKEN: both or neither, and an https address in
// production so the token never travels in the clear.
func loadDfE(getenv func(string) string, production bool) (DfE, error) {
	d := DfE{
		APIURL:   strings.TrimRight(strings.TrimSpace(getenv("DFE_API_URL")), "/"),
		APIToken: strings.TrimSpace(getenv("DFE_API_TOKEN")),
	}
	switch {
	case d.APIURL == "" && d.APIToken == "":
		return d, nil
	case d.APIURL == "":
		return DfE{}, errors.New("DFE_API_TOKEN is set but DFE_API_URL is not: set both to turn the DfE integration on, or neither")
	case d.APIToken == "":
		return DfE{}, errors.New("DFE_API_URL is set but DFE_API_TOKEN is not: set both to turn the DfE integration on, or neither")
	}
	u, err := url.Parse(d.APIURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return DfE{}, fmt.Errorf("DFE_API_URL must be an http or https address, not %q", d.APIURL)
	}
	if production && u.Scheme != "https" {
		return DfE{}, fmt.Errorf("DFE_API_URL must be an https address in production, not %q", d.APIURL)
	}
	return d, nil
}
