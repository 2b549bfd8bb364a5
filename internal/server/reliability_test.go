package server

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// sendAtOnce sends n requests made by newRequest at the same moment, as a double (or triple)
// click does, and returns each response's status code (0 when the request itself failed).
func (c *testClient) sendAtOnce(n int, newRequest func() *http.Request) []int {
	codes := make([]int, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range codes {
		req := newRequest()
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			res, err := c.http.Do(req)
			if err != nil {
				return
			}
			res.Body.Close()
			codes[i] = res.StatusCode
		}(i)
	}
	close(start)
	wg.Wait()
	return codes
}

// postAtOnce posts the same form n times at once.
func (c *testClient) postAtOnce(path string, form url.Values, n int) []int {
	return c.sendAtOnce(n, func() *http.Request {
		req, _ := http.NewRequest("POST", c.a.ts.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return req
	})
}

// uploadAtOnce uploads the same file n times at once.
func (c *testClient) uploadAtOnce(path, name, content string, n int) []int {
	return c.sendAtOnce(n, func() *http.Request {
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		fw, _ := w.CreateFormFile("file", name)
		fw.Write([]byte(content)) //nolint:errcheck
		w.Close()
		req, _ := http.NewRequest("POST", c.a.ts.URL+path, &body)
		req.Header.Set("Content-Type", w.FormDataContentType())
		return req
	})
}
