# The two commands: `make run` and `make test`. Everything else is what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := run

ADDR ?= localhost:8080
export ADDR

GOVUK := node_modules/govuk-frontend/dist/govuk

.PHONY: run bench dfe-fake test assets build generate check-generated fmt-check vet lint go-test db-dev db-test db-stop clean

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Front-end assets: compiled CSS, GOV.UK Frontend's JavaScript and icons, built into web/static/.
assets: node_modules/.package-lock.json
	npx sass --pkg-importer=node --style=compressed --quiet-deps --no-source-map web/assets/app.scss web/static/build/app.css
	cp $(GOVUK)/govuk-frontend.min.js web/static/build/govuk-frontend.min.js
	mkdir -p web/static/govuk/assets/images
	cp $(GOVUK)/assets/images/favicon.ico $(GOVUK)/assets/images/favicon.svg web/static/govuk/assets/images/

generate:
	go tool templ generate

build: assets
	go build -o bin/npq ./cmd/npq

# make run: private database (unless DATABASE_URL is set), migrations, demo data, server.
run: build
	@set -e; \
	if [ -z "$$DATABASE_URL" ]; then \
	  export DATABASE_URL=$$(scripts/localdb start dev); own_db=1; \
	  echo "Using the private PostgreSQL cluster in .data/dev (stopped when you press Ctrl-C)"; \
	fi; \
	stop_db() { if [ -n "$$own_db" ]; then scripts/localdb stop dev; fi; }; \
	trap stop_db EXIT; \
	./bin/npq demo; \
	echo "Serving on http://$(ADDR) - press Ctrl-C to stop"; \
	./bin/npq serve & pid=$$!; \
	trap 'kill -TERM $$pid 2>/dev/null' INT TERM; \
	wait $$pid || wait $$pid || true

# make bench: every main page measured at national size (not part of make test). It uses the
# private dev cluster (or DATABASE_URL), loads the demo and the national-size data once (a few
# minutes the first time), then prints the table and writes bench.json. BENCH_FLAGS passes
# options, e.g. BENCH_FLAGS='-duration 5s -clients 32 -bookers 500'.
bench: build
	@set -e; \
	if [ -z "$$DATABASE_URL" ]; then export DATABASE_URL=$$(scripts/localdb start dev); fi; \
	./bin/npq demo --scale national; \
	go run ./cmd/bench $(BENCH_FLAGS)

# A fake DfE lead-provider API on localhost:8090 for trying the DfE integration (no database).
dfe-fake:
	go run ./cmd/npq dfe-fake

check-generated:
	go tool templ generate -check

fmt-check:
	@out=$$(gofmt -l cmd internal web migrations frameworks); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet:
	go vet ./...

# Static analysis and module hygiene, with tools pinned in go.mod so a fresh machine needs nothing else.
# No handler function grows past cyclomatic complexity 15: rules belong in the domains' Check functions.
lint:
	go mod tidy -diff
	go tool staticcheck ./...
	go tool gocyclo -over 15 -ignore _test internal/server

# make test: database bootstrap, formatting, vet, templ check, staticcheck and go mod tidy, then every test including the browser suite.
test: assets fmt-check check-generated vet lint
	@set -e; \
	if [ -z "$$TEST_DATABASE_URL" ]; then \
	  if [ -n "$$DATABASE_URL" ]; then export TEST_DATABASE_URL="$$DATABASE_URL"; \
	  else export TEST_DATABASE_URL=$$(scripts/localdb start test); fi; \
	fi; \
	go test -count=1 -timeout 30m ./...

db-stop:
	scripts/localdb stop dev
	scripts/localdb stop test

clean: db-stop
	rm -rf bin .data web/static/build/*.css web/static/build/*.js web/static/govuk/assets
