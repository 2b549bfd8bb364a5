package main

import (
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"npq/internal/demo"
	"npq/internal/twostep"
)

// browser signs in like a person at a browser would: it reads each form before posting it,
// keeps cookies and does not follow redirects, so each step's answer can be checked.
type browser struct {
	base   string
	client *http.Client
}

func newBrowser(base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{base: base, client: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// formFields fetches a page and returns the hidden fields of its form, which a post must
// carry back (a CSRF token, if the app uses one).
func (b *browser) formFields(path string) (url.Values, error) {
	res, err := b.client.Get(b.base + path)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: status %d", path, res.StatusCode)
	}
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		return nil, err
	}
	v := url.Values{}
	doc.Find(`form input[type="hidden"]`).Each(func(_ int, s *goquery.Selection) {
		if name, ok := s.Attr("name"); ok {
			v.Set(name, s.AttrOr("value", ""))
		}
	})
	return v, nil
}

func (b *browser) post(path string, v url.Values) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(v.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := b.client.Do(req)
	if err != nil {
		return nil, err
	}
	res.Body.Close()
	return res, nil
}

// signIn signs in with the demo password, giving the two-step code of the demo's published
// key when the app asks for it, and returns the Cookie header that carries the session.
func (b *browser) signIn(email string) (string, error) {
	v, err := b.formFields("/sign-in")
	if err != nil {
		return "", err
	}
	v.Set("email", email)
	v.Set("password", demo.Password)
	res, err := b.post("/sign-in", v)
	if err != nil {
		return "", err
	}
	if res.StatusCode != http.StatusSeeOther {
		return "", fmt.Errorf("sign in as %s: status %d", email, res.StatusCode)
	}
	if res.Header.Get("Location") == "/sign-in/two-step" {
		if err := b.giveCode(email); err != nil {
			return "", err
		}
	}
	u, _ := url.Parse(b.base)
	var parts []string
	for _, c := range b.client.Jar.Cookies(u) {
		parts = append(parts, c.Name+"="+c.Value)
	}
	return strings.Join(parts, "; "), nil
}

// giveCode answers the second step. A code is accepted once per account per 30-second step,
// so when this step's code was already used (by an earlier run, say) it waits for the next.
func (b *browser) giveCode(email string) error {
	for try := 0; try < 3; try++ {
		v, err := b.formFields("/sign-in/two-step")
		if err != nil {
			return err
		}
		code, err := twostep.Code(demo.AdminTwoStepSecret, time.Now())
		if err != nil {
			return err
		}
		v.Set("code", code)
		res, err := b.post("/sign-in/two-step", v)
		if err != nil {
			return err
		}
		if res.StatusCode == http.StatusSeeOther {
			return nil
		}
		time.Sleep(time.Until(time.Now().Truncate(30 * time.Second).Add(31 * time.Second)))
	}
	return fmt.Errorf("sign in as %s: the two-step code was refused three times", email)
}
