package server

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// postAtOnce sends the same form n times at the same moment, as a double (or triple) click
// does, and returns each response's status code (0 when the request itself failed).
func (c *testClient) postAtOnce(path string, form url.Values, n int) []int {
	codes := make([]int, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range codes {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			req, _ := http.NewRequest("POST", c.a.ts.URL+path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
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
