package admin

import (
	"strconv"
	"time"

	"npq/internal/programme"
)

// id formats a record id for a URL.
func id(n int64) string { return strconv.FormatInt(n, 10) }

// Today is used by pages that show stages.
var Today = func() time.Time { return programme.Today(time.Now()) }
