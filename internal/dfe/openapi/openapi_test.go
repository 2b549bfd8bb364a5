package openapi

import "testing"

func TestLoad(t *testing.T) {
	doc, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if doc.Paths.Find("/api/v3/participant-declarations") == nil {
		t.Fatal("declarations path missing")
	}
}
