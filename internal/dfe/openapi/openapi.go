// Package openapi embeds DfE's OpenAPI document for the NPQ lead-provider API v3.
package openapi

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

// Spec is DfE's OpenAPI 3.0.1 document for the NPQ lead-provider API v3, as published.
//
//go:embed dfe-npq-api-v3.yaml
var Spec []byte

// Load parses the embedded document, normalises it (see Normalise) and validates it.
func Load() (*openapi3.T, error) {
	var raw map[string]any
	if err := yaml.Unmarshal(Spec, &raw); err != nil {
		return nil, fmt.Errorf("openapi: parse: %w", err)
	}
	Normalise(raw)
	js, err := json.Marshal(raw)
	if err != nil {
		return nil, fmt.Errorf("openapi: to json: %w", err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(js)
	if err != nil {
		return nil, fmt.Errorf("openapi: load: %w", err)
	}
	// DfE's own examples disagree with its schemas in places; the schemas are the contract.
	if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
		return nil, fmt.Errorf("openapi: validate: %w", err)
	}
	return doc, nil
}

// Normalise rewrites the Swagger-2 style `required: true` that DfE's document puts on
// single properties into OpenAPI 3's list of required names on the parent schema, which
// keeps the document's intent (those fields must be present) in a form a validator reads.
func Normalise(node any) {
	switch n := node.(type) {
	case map[string]any:
		if props, ok := n["properties"].(map[string]any); ok {
			var names []any
			if list, ok := n["required"].([]any); ok {
				names = list
			}
			for name, p := range props {
				prop, ok := p.(map[string]any)
				if !ok {
					continue
				}
				if req, ok := prop["required"].(bool); ok {
					delete(prop, "required")
					if req && !contains(names, name) {
						names = append(names, name)
					}
				}
			}
			if len(names) > 0 {
				n["required"] = names
			}
		}
		for _, v := range n {
			Normalise(v)
		}
	case []any:
		for _, v := range n {
			Normalise(v)
		}
	}
}

func contains(list []any, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
