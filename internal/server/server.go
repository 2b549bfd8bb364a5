// Package server is the HTTP side of the app: routes, middleware, handlers and forms.
package server

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	frameworkdata "npq/frameworks"
	"npq/internal/assessment"
	"npq/internal/auth"
	"npq/internal/config"
	"npq/internal/dfe"
	"npq/internal/events"
	"npq/internal/frameworks"
	"npq/internal/lifecycle"
	"npq/internal/overview"
	"npq/internal/personaldata"
	"npq/internal/programme"
	"npq/internal/twostep"
	"npq/web/static"
)

// Server holds what handlers need. Build it with New.
type Server struct {
	cfg          config.Config
	log          *slog.Logger
	pool         *pgxpool.Pool
	sessions     *scs.SessionManager
	assets       *static.Assets
	users        auth.Store
	frameworks   frameworks.Store
	programme    programme.Store
	events       events.Store
	lifecycle    lifecycle.Store
	assessment   assessment.Store
	overview     overview.Store
	personalData personaldata.Store
	// dfe calls DfE's lead-provider API; nil when the integration is off (no DFE_API_URL and
	// DFE_API_TOKEN).
	dfe *dfe.Client
	// figures keeps whole-table figures for a while (figures.go).
	figures figures
	// twoStepSealer encrypts two-step secrets where they are stored (nil without TWO_STEP_KEY).
	twoStepSealer *twostep.Sealer
	// now is the clock handlers read the time from; tests pin it.
	now func() time.Time
	// policies records the access rule of every registered route; see routes.go.
	policies map[string]access
	handler  http.Handler
}

// Option changes how New builds the server.
type Option func(*Server)

// WithClock makes handlers take the time from now instead of time.Now.
func WithClock(now func() time.Time) Option {
	return func(s *Server) { s.now = now }
}

// New builds the server and its router. Stop the session cleanup with Close.
func New(cfg config.Config, pool *pgxpool.Pool, log *slog.Logger, options ...Option) *Server {
	sm := scs.New()
	// Expired sessions are deleted by the account-records job (auth.PruneAccountRecords).
	sm.Store = newSessionStore(auth.Store{DB: pool}, sm.Codec)
	sm.Lifetime = auth.SessionLifetime
	sm.IdleTimeout = auth.SessionIdleTimeout
	sm.Cookie.Name = "npq_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = cfg.SecureCookies()
	provider, err := assessment.LoadProviderSpecs(frameworkdata.Assessments)
	if err != nil {
		panic("server: " + err.Error()) // the specifications are embedded and checked by tests
	}
	s := &Server{
		cfg:          cfg,
		log:          log,
		pool:         pool,
		sessions:     sm,
		assets:       static.Load(),
		users:        auth.Store{DB: pool},
		frameworks:   frameworks.Store{DB: pool},
		programme:    programme.Store{DB: pool},
		events:       events.Store{DB: pool, BaseURL: cfg.BaseURL},
		lifecycle:    lifecycle.Store{DB: pool, BaseURL: cfg.BaseURL, Signature: lifecycle.Signature{Name: cfg.ProviderName, ContactEmail: cfg.ProviderContactEmail}},
		assessment:   assessment.Store{DB: pool, Provider: provider, BaseURL: cfg.BaseURL},
		overview:     overview.Store{DB: pool},
		personalData: personaldata.Store{DB: pool},
		figures:      newFigures(),
		now:          time.Now,
		policies:     map[string]access{},
	}
	if cfg.TwoStepKey != nil {
		if s.twoStepSealer, err = twostep.NewSealer(cfg.TwoStepKey); err != nil {
			panic("server: " + err.Error()) // config.Load checked the key's length
		}
	}
	if cfg.DfE.Enabled() {
		if s.dfe, err = dfe.New(cfg.DfE.APIURL, cfg.DfE.APIToken, dfe.WithLogger(log)); err != nil {
			panic("server: " + err.Error()) // config.Load checked the address and token
		}
	}
	for _, o := range options {
		o(s)
	}
	s.assessment.Specs = assessment.NewSpecCache(s.now)
	// A session that cannot be loaded (the database is down) gets the app's 503 page.
	sm.ErrorFunc = s.sessionError
	s.handler = s.routes()
	return s
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Close stops background work started by New; it starts none now that lapsed sessions are
// deleted by a job, and stays for the callers that stop a server.
func (s *Server) Close() {}
