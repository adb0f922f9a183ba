package service

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// The operations paths, served without credentials (like the WSDL) and without a log line.
const (
	// MetricsPath serves the metrics in the Prometheus text format.
	MetricsPath = "/metrics"
	// HealthPath answers 200 while the process serves HTTP.
	HealthPath = "/healthz"
	// ReadyPath answers 200 when the store answers a trivial query, else 503.
	ReadyPath = "/readyz"
)

// readyTimeout bounds the readiness check.
const readyTimeout = 2 * time.Second

// unknownOperation is the operation label of a request whose operation is not one of the
// contract's: the label's values stay a fixed set whatever clients send.
const unknownOperation = "unknown"

// metrics are the service's Prometheus metrics.
type metrics struct {
	requests *prometheus.CounterVec
	warnings *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inFlight prometheus.Gauge
}

// newMetrics registers the service's metrics on reg.
func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "engage_requests_total",
			Help: "SOAP requests answered, by operation and outcome (ok, a fault code, or http_STATUS).",
		}, []string{"operation", "outcome"}),
		warnings: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "engage_warnings_total",
			Help: "Warnings of batch items answered, by operation and code.",
		}, []string{"operation", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "engage_request_duration_seconds",
			Help:    "Time from the request's arrival to its answer, by operation.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 3, 10), // 0.5 ms to 10 s
		}, []string{"operation"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "engage_requests_in_flight",
			Help: "SOAP requests being served.",
		}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.warnings, m.duration, m.inFlight} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// isSOAP reports whether r is a SOAP call, the requests the metrics count.
func isSOAP(r *http.Request) bool {
	return r.Method == http.MethodPost && r.URL.Path == EndpointPath
}

// observe records a SOAP request's outcome, warnings and duration.
func (h *handler) observe(info *requestInfo, outcome string, elapsed time.Duration) {
	op := info.operation
	if _, known := h.ops[op]; !known && !h.unimplemented[op] {
		op = unknownOperation
	}
	h.metrics.requests.WithLabelValues(op, outcome).Inc()
	h.metrics.duration.WithLabelValues(op).Observe(elapsed.Seconds())
	for _, code := range info.warningCodes {
		h.metrics.warnings.WithLabelValues(op, code).Inc()
	}
}

// serveMetrics serves the registry in the Prometheus exposition format.
func (h *handler) serveMetrics() http.Handler {
	return promhttp.HandlerFor(h.gatherer, promhttp.HandlerOpts{})
}

// serveHealth answers 200: the process is up and serving HTTP.
func (h *handler) serveHealth(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

// serveReady answers 200 when Config.Ready succeeds (or there is none), else 503 with the
// reason.
func (h *handler) serveReady(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if h.cfg.Ready != nil {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		if err := h.cfg.Ready(ctx); err != nil {
			h.log.WithError(err).Warn("not ready")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("not ready: the store does not answer\n"))
			return
		}
	}
	_, _ = w.Write([]byte("ok\n"))
}

// isOpsPath reports whether path is one of the operations paths.
func isOpsPath(path string) bool {
	return path == MetricsPath || path == HealthPath || path == ReadyPath
}
