// Package frameworks holds the NPQ framework content as YAML data files (see FORMAT.md).
package frameworks

import "embed"

// FS holds the catalogue and every framework file.
//
//go:embed *.yaml
var FS embed.FS
