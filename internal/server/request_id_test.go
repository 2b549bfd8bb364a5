package server

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

var opaqueRequestID = regexp.MustCompile(`request_id=([0-9a-f]{16})\b`)

func TestRequestIDsAreOpaque(t *testing.T) {
	a := newTestApp(t)
	a.client().get("/")
	a.client().get("/frameworks")
	logs := a.logs.String()
	ids := opaqueRequestID.FindAllStringSubmatch(logs, -1)
	if len(ids) != 2 {
		t.Fatalf("want two request lines with a 16-hex request id, logs:\n%s", logs)
	}
	if ids[0][1] == ids[1][1] {
		t.Errorf("two requests share the id %s", ids[0][1])
	}
	if host, err := os.Hostname(); err == nil && host != "" && strings.Contains(logs, "request_id="+host) {
		t.Errorf("request ids carry the host name %q", host)
	}
}
