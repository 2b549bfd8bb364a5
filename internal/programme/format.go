package programme

import (
	"strconv"
	"strings"
)

func itoa(n int) string { return strconv.Itoa(n) }

func trimZero(f float64) string {
	s := strconv.FormatFloat(f, 'f', 2, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}
