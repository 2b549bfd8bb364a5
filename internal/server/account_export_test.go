package server

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/url"
	"strings"
	"testing"

	"npq/internal/auth"
	"npq/internal/personaldata"
)

// A subject access download includes where the person signed in, the password links sent to
// them and the changes of address they asked for, without any link's secret.
func TestSubjectAccessExportHoldsSessionsAndAccountChanges(t *testing.T) {
	a := newTestApp(t)
	c, u := a.signedIn(auth.RoleParticipant)
	a.client().post("/forgotten-password", url.Values{"email": {u.Email}})
	c.post("/account/email", url.Values{"email": {"elsewhere@school.test"}, "password": {testPassword}})
	var buf bytes.Buffer
	if err := (personaldata.Store{DB: a.pool}).Export(context.Background(), u.ID, &buf, a.now()); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, zf := range z.File {
		rc, _ := zf.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		files[zf.Name] = string(b)
	}
	for name, want := range map[string]string{"sessions.json": "127.0.0.1", "password_resets.json": `"request"`, "email_changes.json": "elsewhere@school.test"} {
		if !strings.Contains(files[name], want) {
			t.Errorf("%s lacks %s: %s", name, want, files[name])
		}
	}
	if !strings.Contains(files["password_resets.json"], `"link"`) {
		t.Errorf("password_resets.json has no link: %s", files["password_resets.json"])
	}
	link := a.linkFromOutbox(u.Email, "/reset-password/")
	all := ""
	for _, f := range files {
		all += f
	}
	if strings.Contains(all, strings.TrimPrefix(link, "/reset-password/")) {
		t.Error("the download holds a password link")
	}
}
