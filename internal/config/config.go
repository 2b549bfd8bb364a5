// Package config reads the application's settings from the environment.
package config

import (
	"errors"
	"fmt"
	"net/mail"
	"net/netip"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"time"

	"npq/internal/twostep"
)

// Config holds every setting the application reads from its environment.
type Config struct {
	// Env is "development", "test" or "production".
	Env string
	// Addr is the address the HTTP server listens on.
	Addr string
	// DatabaseURL is the PostgreSQL connection string.
	DatabaseURL string
	// BaseURL is the public address of the service, used in links sent by email.
	BaseURL string
	// MigrateOnStart runs database migrations when the server starts.
	MigrateOnStart bool
	// TrustProxyHeaders takes the client's address from X-Forwarded-For, as appended by the
	// proxies in ProxyRanges (only behind proxies that append it).
	TrustProxyHeaders bool
	// TrustedProxies are the address ranges of the proxies in front of the service; empty
	// means the usual private ranges when TrustProxyHeaders is on.
	TrustedProxies []netip.Prefix
	// ShutdownTimeout bounds how long in-flight requests may take on shutdown.
	ShutdownTimeout time.Duration
	// RequestTimeout bounds how long a request may work before it is answered with 503
	// (file uploads get longer, as reading the file takes time). Zero means no limit.
	RequestTimeout time.Duration
	// DBMaxConns is the most database connections one instance holds (DATABASE_MAX_CONNS).
	DBMaxConns int32
	// DBStatementTimeout cancels a database statement, or a wait for a lock, that takes
	// longer while serving. Migrations and data loading have no limit.
	DBStatementTimeout time.Duration
	// SMTP settings; mail stays in the outbox when SMTPHost is empty.
	SMTPHost     string
	SMTPPort     int
	SMTPUsername string
	SMTPPassword string
	MailFrom     string
	// ProviderName signs the lead provider's letters, e.g. "The NPQ programme team".
	ProviderName string
	// ProviderContactEmail is where letters tell participants to write with questions.
	ProviderContactEmail string
	// DfE is the connection to DfE's lead-provider API; the integration is off without it.
	DfE DfE
	// RetentionDeactivateDays: accounts silent this many days after their last course are
	// deactivated by the retention policy (0 turns it off).
	RetentionDeactivateDays int
	// RetentionAnonymiseYears: participants' personal data is anonymised this many years after
	// their last course ended (0 turns it off).
	RetentionAnonymiseYears int
	// TwoStepPartnerStaff extends required two-step sign-in (always on for provider admins and
	// assessors) to delivery-partner staff.
	TwoStepPartnerStaff bool
	// TwoStepKey encrypts the authenticator secrets of two-step sign-in where they are stored
	// (32 bytes, given as base64). Required in production.
	TwoStepKey []byte
}

// The letters' signature when PROVIDER_NAME and PROVIDER_CONTACT_EMAIL are not set.
const (
	DefaultProviderName         = "The NPQ programme team"
	DefaultProviderContactEmail = "npq-programme-team@npq.invalid"
)

// Production reports whether the app runs in production.
func (c Config) Production() bool { return c.Env == "production" }

// SecureCookies reports whether cookies must only travel over HTTPS.
func (c Config) SecureCookies() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// privateRanges are where a proxy in front of the service usually sits: loopback and the
// private networks.
var privateRanges = []netip.Prefix{
	netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128"),
	netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("fc00::/7"),
}

// ProxyRanges are the addresses whose X-Forwarded-For entries are believed: none unless
// TrustProxyHeaders is on, then TrustedProxies or else the private ranges.
func (c Config) ProxyRanges() []netip.Prefix {
	switch {
	case !c.TrustProxyHeaders:
		return nil
	case len(c.TrustedProxies) > 0:
		return c.TrustedProxies
	}
	return privateRanges
}

// parseProxies reads a comma-separated list of IP addresses and CIDR ranges.
func parseProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		p, err := netip.ParsePrefix(item)
		if err != nil {
			a, aerr := netip.ParseAddr(item)
			if aerr != nil || a.Zone() != "" {
				return nil, fmt.Errorf("TRUSTED_PROXIES: %q is not an IP address or range such as 10.0.0.0/8", item)
			}
			a = a.Unmap()
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// Load reads the configuration through getenv (os.Getenv in production) and validates it.
func Load(getenv func(string) string) (Config, error) {
	get := func(key, def string) string {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			return v
		}
		return def
	}
	c := Config{
		Env:          get("NPQ_ENV", "development"),
		Addr:         get("ADDR", "localhost:8080"),
		DatabaseURL:  get("DATABASE_URL", ""),
		SMTPHost:     get("SMTP_HOST", ""),
		SMTPUsername: get("SMTP_USERNAME", ""),
		SMTPPassword: get("SMTP_PASSWORD", ""),
		MailFrom:     get("MAIL_FROM", "NPQ platform <no-reply@npq.invalid>"),

		ProviderName:         get("PROVIDER_NAME", DefaultProviderName),
		ProviderContactEmail: get("PROVIDER_CONTACT_EMAIL", DefaultProviderContactEmail),
	}
	var errs []error
	switch c.Env {
	case "development", "test", "production":
	default:
		errs = append(errs, fmt.Errorf("NPQ_ENV must be development, test or production, not %q", c.Env))
	}
	if c.DatabaseURL == "" {
		errs = append(errs, errors.New("DATABASE_URL is required"))
	}
	host := c.Addr
	if strings.HasPrefix(host, ":") {
		host = "localhost" + host
	}
	c.BaseURL = strings.TrimRight(get("BASE_URL", "http://"+host), "/")
	if c.Production() && getenv("BASE_URL") == "" {
		errs = append(errs, errors.New("BASE_URL is required in production (links in emails use it)"))
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("BASE_URL must be an http or https address, not %q", c.BaseURL))
	}
	var err error
	if c.MigrateOnStart, err = strconv.ParseBool(get("MIGRATE_ON_START", "true")); err != nil {
		errs = append(errs, fmt.Errorf("MIGRATE_ON_START must be true or false: %w", err))
	}
	if k := getenv("TWO_STEP_KEY"); k != "" {
		if c.TwoStepKey, err = twostep.ParseKey(k); err != nil {
			errs = append(errs, fmt.Errorf("TWO_STEP_KEY: %w (make one with `openssl rand -base64 32`)", err))
		}
	} else if c.Production() {
		errs = append(errs, errors.New("TWO_STEP_KEY is required in production: it encrypts the stored two-step sign-in secrets (make one with `openssl rand -base64 32`)"))
	}
	if c.TwoStepPartnerStaff, err = strconv.ParseBool(get("TWO_STEP_PARTNER_STAFF", "false")); err != nil {
		errs = append(errs, fmt.Errorf("TWO_STEP_PARTNER_STAFF must be true or false: %w", err))
	}
	if c.TrustProxyHeaders, err = strconv.ParseBool(get("TRUST_PROXY_HEADERS", "false")); err != nil {
		errs = append(errs, fmt.Errorf("TRUST_PROXY_HEADERS must be true or false: %w", err))
	}
	// Naming the proxies is enough to trust them; saying not to at the same time is a mistake.
	if c.TrustedProxies, err = parseProxies(getenv("TRUSTED_PROXIES")); err != nil {
		errs = append(errs, err)
	} else if len(c.TrustedProxies) > 0 {
		if strings.TrimSpace(getenv("TRUST_PROXY_HEADERS")) != "" && !c.TrustProxyHeaders {
			errs = append(errs, errors.New("TRUSTED_PROXIES is set but TRUST_PROXY_HEADERS is false: remove one of them"))
		}
		c.TrustProxyHeaders = true
	}
	if a, err := mail.ParseAddress(c.ProviderContactEmail); err != nil || a.Name != "" || a.Address != c.ProviderContactEmail {
		errs = append(errs, fmt.Errorf("PROVIDER_CONTACT_EMAIL must be an email address such as npq@example.org, not %q", c.ProviderContactEmail))
	}
	if c.RetentionDeactivateDays, err = strconv.Atoi(get("RETENTION_DEACTIVATE_AFTER_DAYS", "366")); err != nil || c.RetentionDeactivateDays < 0 {
		errs = append(errs, fmt.Errorf("RETENTION_DEACTIVATE_AFTER_DAYS must be a number of days (0 to turn it off), not %q", getenv("RETENTION_DEACTIVATE_AFTER_DAYS")))
	}
	if c.RetentionAnonymiseYears, err = strconv.Atoi(get("RETENTION_ANONYMISE_AFTER_YEARS", "7")); err != nil || c.RetentionAnonymiseYears < 0 {
		errs = append(errs, fmt.Errorf("RETENTION_ANONYMISE_AFTER_YEARS must be a number of years (0 to turn it off), not %q", getenv("RETENTION_ANONYMISE_AFTER_YEARS")))
	}
	if c.SMTPPort, err = strconv.Atoi(get("SMTP_PORT", "587")); err != nil || c.SMTPPort <= 0 {
		errs = append(errs, fmt.Errorf("SMTP_PORT must be a port number, not %q", getenv("SMTP_PORT")))
	}
	duration := func(key, def string) time.Duration {
		d, err := time.ParseDuration(get(key, def))
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("%s must be a duration such as %s: %w", key, def, err))
		case d <= 0:
			errs = append(errs, fmt.Errorf("%s must be more than zero, not %s", key, d))
		}
		return d
	}
	c.ShutdownTimeout = duration("SHUTDOWN_TIMEOUT", "15s")
	c.RequestTimeout = duration("REQUEST_TIMEOUT", "10s")
	c.DBStatementTimeout = duration("DB_STATEMENT_TIMEOUT", "5s")
	switch {
	case c.DBStatementTimeout > 0 && c.DBStatementTimeout < time.Millisecond:
		// PostgreSQL counts in milliseconds; less would mean no limit at all.
		errs = append(errs, fmt.Errorf("DB_STATEMENT_TIMEOUT must be at least 1ms, not %s", c.DBStatementTimeout))
	case c.RequestTimeout > 0 && c.DBStatementTimeout >= c.RequestTimeout:
		errs = append(errs, fmt.Errorf("DB_STATEMENT_TIMEOUT (%s) must be shorter than REQUEST_TIMEOUT (%s), so a slow statement fails while the request can still answer",
			c.DBStatementTimeout, c.RequestTimeout))
	}
	c.DBMaxConns, err = maxConns(getenv("DATABASE_MAX_CONNS"), runtime.GOMAXPROCS(0))
	if err != nil {
		errs = append(errs, err)
	}
	c.DfE, err = loadDfE(getenv, c.Production())
	if err != nil {
		errs = append(errs, err)
	}
	return c, errors.Join(errs...)
}

// MaxConnsLimit is the largest DATABASE_MAX_CONNS accepted: PostgreSQL's default
// max_connections is 100, and every instance and tool shares it.
const MaxConnsLimit = 200

// DefaultMaxConns is the pool size when DATABASE_MAX_CONNS is not set: two connections per
// CPU the process may use, and at least four. A request spends part of its time rendering
// and waiting on the network, so a second connection per CPU keeps the database busy while
// the first request is away; beyond that, more connections only queue inside PostgreSQL.
func DefaultMaxConns(procs int) int32 { return int32(max(4, 2*procs)) }

// maxConns reads DATABASE_MAX_CONNS, or gives the default for procs CPUs when it is empty.
func maxConns(raw string, procs int) (int32, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return DefaultMaxConns(procs), nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > MaxConnsLimit {
		return 0, fmt.Errorf("DATABASE_MAX_CONNS must be a number of connections from 1 to %d, not %q", MaxConnsLimit, raw)
	}
	return int32(n), nil
}
