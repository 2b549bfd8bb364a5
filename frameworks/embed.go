// Package frameworks holds the NPQ framework content as YAML data files (see FORMAT.md).
package frameworks

import "embed"

// FS holds the catalogue and every framework file.
//
//go:embed *.yaml
var FS embed.FS

// Assessments holds the provider-defined assessment specifications (the reformed NPQs' case
// studies); the 2019 qualifications' specifications come from their framework files.
//
//go:embed assessments/*.yaml
var Assessments embed.FS
