# engage: Contact Center provisioning SOAP service.

GO       ?= go
BIN      := bin/engage
DEMO_DB  ?= engage-demo.db
LISTEN   ?= 127.0.0.1:8080

.PHONY: all build run test test-postgres fuzz generate lint bench bench-wrk clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/engage

# run builds, loads the demo data and a demo operator into a new demo database, prints the
# WSDL URL and the demo operator's credentials, and serves on loopback.
run: build
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN) demo --db $(DEMO_DB) --listen $(LISTEN)
	$(BIN) serve --db $(DEMO_DB) --listen $(LISTEN)

# test runs every test, with the race detector, against real SQLite files and HTTP servers
# (fuzz targets run their seed corpus there), then the PostgreSQL half (test-postgres), then
# fuzzes each parser of outside input briefly.
test: interop/clients/node/node_modules
	$(GO) test -race -count=1 ./...
	$(MAKE) test-postgres
	$(MAKE) fuzz

# test-postgres runs the tests of PG_PACKAGES again, against a throw-away PostgreSQL cluster
# that internal/pgcluster starts on a free loopback port and removes afterwards.
PG_PACKAGES ?= ./store/... ./service/... ./scaleout/...
test-postgres:
	$(GO) run ./internal/pgcluster -- $(GO) test -race -count=1 $(PG_PACKAGES)

# The node-soap client of the interop tests, at the versions of its lock file.
interop/clients/node/node_modules: interop/clients/node/package-lock.json
	cd interop/clients/node && npm ci --no-audit --no-fund
	touch $@

FUZZTIME ?= 5s
FUZZ_TARGETS := service:FuzzEnvelope service:FuzzScanner service:FuzzWireDecoding auth:FuzzSecurityHeader provisioning:FuzzAgentsString

fuzz:
	@for t in $(FUZZ_TARGETS); do \
		echo "fuzz $${t#*:} ($(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$${t#*:}\$$" -fuzztime $(FUZZTIME) ./$${t%%:*}/ || exit 1; \
	done

# generate rewrites generated/ from wsdl/ with the pinned gowsdl; a test fails when it is stale.
generate:
	$(GO) tool gowsdl -d . -p generated -o contactcenter.go wsdl/contact-center.wsdl

lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' | grep -v '^generated/')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

# bench measures the service through the real HTTP stack against its limits (see README).
BENCHTIME ?= 2s
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./...

# bench-wrk loads the real binary with wrk (apt-get install wrk), as the README's figures were.
bench-wrk:
	bench/wrk.sh

clean:
	rm -rf bin $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
