# syntax=docker/dockerfile:1
# Assets: compile the stylesheet and copy GOV.UK Frontend's script and icons.
FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY web/assets web/assets
RUN mkdir -p web/static/build web/static/govuk/assets/images \
 && npx sass --pkg-importer=node --style=compressed --quiet-deps --no-source-map web/assets/app.scss web/static/build/app.css \
 && cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js web/static/build/ \
 && cp node_modules/govuk-frontend/dist/govuk/assets/images/favicon.ico node_modules/govuk-frontend/dist/govuk/assets/images/favicon.svg web/static/govuk/assets/images/

# Build: a static binary with the assets, migrations and framework data embedded.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=assets /src/web/static/build web/static/build
COPY --from=assets /src/web/static/govuk web/static/govuk
RUN go tool templ generate -check \
 && CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/npq ./cmd/npq

# Runtime: a small image that runs as a non-root user.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/npq /npq
ENV NPQ_ENV=production ADDR=:8080 MIGRATE_ON_START=true
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/npq"]
CMD ["serve"]
