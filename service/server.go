// Package service is the SOAP endpoint of the Contact Center service: it speaks SOAP 1.1 and
// SOAP 1.2 over HTTP, decodes each envelope under strict limits, dispatches on the qualified
// name of the one element in the Body, and answers with the operation's response or with a
// SOAP fault carrying an EngageFault detail. It also publishes the WSDL and its schema.
package service

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/engage-oss/engage/provisioning"
	"github.com/engage-oss/engage/wsdl"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/sirupsen/logrus"
)

// EndpointPath is the path of the SOAP endpoint; GET EndpointPath?wsdl serves the WSDL.
const EndpointPath = "/services/ContactCenter"

// SchemaPath is where the schema is served besides EndpointPath?xsd=: the relative
// schemaLocation of the WSDL, resolved against the WSDL's URL, names it.
const SchemaPath = "/services/" + wsdl.SchemaFile

// DefaultMaxRequestBytes is the largest request body accepted when Config leaves it zero.
const DefaultMaxRequestBytes = 4 << 20

// MaxHeaderBytes is the largest size of the request line and headers NewServer accepts.
const MaxHeaderBytes = 64 << 10

// Timeouts bound how long a client may hold a connection, so that slow clients cannot tie up
// the server.
type Timeouts struct {
	// ReadHeader bounds the time a client may take to send the request headers.
	ReadHeader time.Duration
	// Read bounds the time a client may take to send the whole request.
	Read time.Duration
	// Write bounds the time from the end of the request headers to the end of the response:
	// it covers the operation itself.
	Write time.Duration
	// Idle bounds how long a kept-alive connection waits for the next request.
	Idle time.Duration
}

// DefaultTimeouts returns the timeouts engage serve uses.
func DefaultTimeouts() Timeouts {
	return Timeouts{ReadHeader: 10 * time.Second, Read: 60 * time.Second, Write: 120 * time.Second, Idle: 120 * time.Second}
}

// Config configures the endpoint. Authenticator is required; the other fields may be left
// zero.
type Config struct {
	// Authenticator checks every SOAP request's credentials before its operation is
	// dispatched. The WSDL and the schema are served without credentials.
	Authenticator Authenticator
	// MaxRequestBytes is the largest request body accepted (ARG_TOO_LARGE "request" past
	// it); zero means DefaultMaxRequestBytes.
	MaxRequestBytes int64
	// PublicURL is the base URL clients reach the service at, for example
	// "https://cc.example.com" (EndpointPath is appended unless the URL already ends with
	// it). The served WSDL names it as the endpoint address. Empty: the address is built
	// from each request (X-Forwarded-Proto and X-Forwarded-Host when present, else the
	// connection's scheme and the Host header).
	PublicURL string
	// Registry receives the service's metrics and is served at MetricsPath, with whatever
	// else is registered on it (the store's, the Go runtime's). Nil: a new registry of the
	// handler's own. It must not already hold the service's metrics.
	Registry *prometheus.Registry
	// Ready is the readiness check of ReadyPath: nil or succeeding, 200; failing, 503.
	Ready func(context.Context) error
}

// withDefaults returns c with its zero fields set to their defaults.
func (c Config) withDefaults() Config {
	if c.MaxRequestBytes <= 0 {
		c.MaxRequestBytes = DefaultMaxRequestBytes
	}
	return c
}

// PublicEndpoint returns the endpoint's address under PublicURL, or "" when PublicURL is empty.
func (c Config) PublicEndpoint() string {
	base := strings.TrimRight(c.PublicURL, "/")
	if base == "" || strings.HasSuffix(base, EndpointPath) {
		return base
	}
	return base + EndpointPath
}

// New returns the HTTP handler of the service: the SOAP endpoint at EndpointPath, the WSDL
// at EndpointPath?wsdl and the schema at SchemaPath, every response with an X-Correlation-Id
// header and one log line. It refuses a Config without an Authenticator: the service never
// runs open.
func New(cfg Config, p *provisioning.Service, log *logrus.Logger) (http.Handler, error) {
	if cfg.Authenticator == nil {
		return nil, errors.New("service: no Authenticator in the Config")
	}
	return buildHandler(cfg, p, log, operations())
}

// handler serves the endpoint with a table of operations.
type handler struct {
	cfg Config
	// publicEndpoint is cfg.PublicEndpoint().
	publicEndpoint string
	p              *provisioning.Service
	log            *logrus.Logger
	// ops are the operations served, by name.
	ops map[string]operation
	// unimplemented holds the contract's operations that have no entry in ops.
	unimplemented map[string]bool
	contract      *contract
	mux           *http.ServeMux
	writers       sync.Pool
	// logFields are the fields maps of the log lines, reused (see logRequest).
	logFields sync.Pool
	// logValues are the strings most log lines repeat, boxed (see logValue).
	logValues map[string]any
	metrics   *metrics
	gatherer  prometheus.Gatherer
}

// newHandler returns the handler serving ops. It panics if two operations share a name or
// the embedded contract cannot be read: both are programming errors.
func newHandler(cfg Config, p *provisioning.Service, log *logrus.Logger, ops []operation) http.Handler {
	h, err := buildHandler(cfg, p, log, ops)
	if err != nil {
		panic(err)
	}
	return h
}

// buildHandler is newHandler, failing when the metrics cannot be registered.
func buildHandler(cfg Config, p *provisioning.Service, log *logrus.Logger, ops []operation) (*handler, error) {
	c, err := loadContract()
	if err != nil {
		panic(fmt.Sprintf("service: embedded contract: %v", err))
	}
	h := &handler{
		cfg:            cfg.withDefaults(),
		publicEndpoint: cfg.PublicEndpoint(),
		p:              p,
		log:            log,
		ops:            make(map[string]operation, len(ops)),
		unimplemented:  make(map[string]bool),
		contract:       c,
		mux:            http.NewServeMux(),
		writers:        sync.Pool{New: func() any { return new(xmlWriter) }},
		logFields:      sync.Pool{New: func() any { return make(logrus.Fields, logLineFields) }},
	}
	for _, op := range ops {
		if _, dup := h.ops[op.name]; dup {
			panic(fmt.Sprintf("service: operation %q registered twice", op.name))
		}
		h.ops[op.name] = op
	}
	for _, name := range c.operations {
		if _, ok := h.ops[name]; !ok {
			h.unimplemented[name] = true
		}
	}
	h.logValues = logValues(c.operations)
	reg := cfg.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	if h.metrics, err = newMetrics(reg); err != nil {
		return nil, fmt.Errorf("service: metrics: %w", err)
	}
	h.gatherer = reg
	h.mux.HandleFunc(EndpointPath, h.serveEndpoint)
	h.mux.HandleFunc("GET "+SchemaPath, h.serveSchema)
	h.mux.Handle("GET "+MetricsPath, h.serveMetrics())
	h.mux.HandleFunc("GET "+HealthPath, h.serveHealth)
	h.mux.HandleFunc("GET "+ReadyPath, h.serveReady)
	return h, nil
}

// ServeHTTP gives the request its correlation id, routes it, logs it and, for a SOAP call,
// records it in the metrics. The operations paths (metrics, health) are not logged.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if isOpsPath(r.URL.Path) {
		h.mux.ServeHTTP(w, r)
		return
	}
	begin := time.Now()
	x := &exchange{
		ctx:    requestContext{Context: r.Context(), info: requestInfo{id: correlationID(r.Header.Get(CorrelationHeader))}},
		status: statusWriter{ResponseWriter: w},
	}
	info := &x.ctx.info
	w.Header().Set(CorrelationHeader, info.id)
	soap := isSOAP(r)
	if soap {
		h.metrics.inFlight.Inc()
	}
	h.mux.ServeHTTP(&x.status, r.WithContext(&x.ctx))
	elapsed := time.Since(begin)
	if soap {
		h.metrics.inFlight.Dec()
	}
	outcome := h.logRequest(r, info, x.status.status, elapsed)
	if soap {
		h.observe(info, outcome, elapsed)
	}
}

// allowedMethods is the Allow header of the endpoint.
const allowedMethods = "GET, HEAD, POST"

// serveEndpoint serves SOAP requests and, on GET, the WSDL and the schema.
func (h *handler) serveEndpoint(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodPost:
		h.serveSOAP(w, r)
		return
	case http.MethodGet, http.MethodHead:
		if h.serveDocument(w, r) {
			return
		}
	}
	w.Header().Set("Allow", allowedMethods)
	h.fail(w, r, soap11, &soapError{
		err:    provisioning.Errorf(provisioning.ArgInvalidData, "HTTP method "+r.Method),
		status: http.StatusMethodNotAllowed,
	})
}

// serveSOAP serves one SOAP request: negotiate the version, decode the envelope,
// authenticate, dispatch, call the operation for the caller and send its response or a
// fault. It never panics and never answers with an empty 200.
func (h *handler) serveSOAP(w http.ResponseWriter, r *http.Request) {
	version := soap11
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			h.fail(w, r, version, fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
		}
	}()
	version, action, err := negotiate(r.Header)
	if err != nil {
		h.fail(w, r, version, err)
		return
	}
	if r.ContentLength > h.cfg.MaxRequestBytes {
		h.fail(w, r, version, errRequestTooLarge)
		return
	}
	env, err := readEnvelope(http.MaxBytesReader(w, r.Body, h.cfg.MaxRequestBytes), r.ContentLength, version)
	if err != nil {
		h.fail(w, r, version, err)
		return
	}
	defer env.release()
	info := requestInfoFrom(r.Context())
	info.operation = env.name().Local
	out := h.writers.Get().(*xmlWriter)
	defer h.putWriter(out)
	if err := h.call(w, r, info, env, action, out); err != nil {
		h.fail(w, r, version, err)
		return
	}
	info.results, info.warningCodes = out.results, out.warningCodes
	writeEnvelope(w, version, http.StatusOK, out.buf.Bytes())
}

// call authenticates the request and runs its operation, writing its answer to out, in one
// session of the store (see provisioning.Sessions): the operator's look-up and the
// operation's reads share a snapshot, which ends before the answer is sent, so that a slow
// client holds nothing of the store.
func (h *handler) call(w http.ResponseWriter, r *http.Request, info *requestInfo, env *envelope, action string, out *xmlWriter) error {
	ctx, end := h.p.Session(r.Context())
	defer end()
	caller, err := h.authenticate(ctx, w, r, env)
	if err != nil {
		return err
	}
	info.operator = caller.Name
	op, err := h.dispatch(env.name(), action)
	if err != nil {
		return err
	}
	d, start := env.decoder()
	return op.serve(provisioning.WithCaller(ctx, caller), h.p, d, start, out)
}

// maxPooledWriter is the largest buffer kept for reuse. It holds the answers of a full list or
// batch under the default limits (1,000 agent states are some 600 KB, in a buffer grown to
// 1 MiB or more): those are reused, and only a rarer huge answer is dropped.
const maxPooledWriter = 4 << 20

// putWriter returns w to the pool, empty.
func (h *handler) putWriter(w *xmlWriter) {
	if w.buf.Cap() > maxPooledWriter {
		return
	}
	w.reset()
	h.writers.Put(w)
}

// NewServer returns an HTTP server for h on addr with timeouts t and the header limit, so that
// slow or oversized clients cannot hold connections open.
func NewServer(addr string, h http.Handler, t Timeouts) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    MaxHeaderBytes,
	}
}
