package database

import (
	"context"
	"errors"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/puddle/v2"
)

// IsUnavailable reports whether err means the database could not be reached or did not
// answer in time (rather than that the request was wrong): no connection, a lost connection,
// a closed pool, a server shutting down or full, or a statement, lock or deadline timeout.
// Such a request may well work if tried again shortly.
func IsUnavailable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false // the caller gave up: nothing is wrong with the database
	}
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	if errors.As(err, &connectErr) || errors.As(err, &netErr) || pgconn.Timeout(err) ||
		errors.Is(err, context.DeadlineExceeded) || errors.Is(err, puddle.ErrClosedPool) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "57P01", "57P02", "57P03", // admin, crash and cannot-connect-now shutdowns
			"53300", // too many connections
			"57014", // statement timeout (or a cancelled query)
			"55P03": // lock timeout
			return true
		}
		return strings.HasPrefix(pgErr.Code, "08") // connection exceptions
	}
	return false
}
