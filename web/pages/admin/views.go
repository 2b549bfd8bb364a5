package admin

import (
	"strconv"
)

// id formats a record id for a URL.
func id(n int64) string { return strconv.FormatInt(n, 10) }
