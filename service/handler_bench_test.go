package service

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/engage-oss/engage/internal/logjson"
	"github.com/sirupsen/logrus"
)

// benchLogger is the log of engage serve where its standard error is not a terminal, written
// nowhere.
func benchLogger() *logrus.Logger {
	log := logrus.New()
	log.SetOutput(io.Discard)
	log.SetFormatter(&logjson.Formatter{})
	return log
}

// BenchmarkEchoHandler is the endpoint's own work for one small call, without a store: the
// handler called with a recorded echo request, from its envelope to its log line.
func BenchmarkEchoHandler(b *testing.B) {
	h := newHandler(Config{Authenticator: &stubAuth{}}, storeless(), benchLogger(), testOperations(new(atomic.Int64)))
	body := []byte(env11("", echo("x")))
	header := http.Header{"Content-Type": {ct11}}
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, EndpointPath, bytes.NewReader(body))
		req.Header = header
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code, rec.Body)
		}
	}
}

// BenchmarkRequestLog is one request's log line alone.
func BenchmarkRequestLog(b *testing.B) {
	h, err := buildHandler(Config{Authenticator: &stubAuth{}}, storeless(), benchLogger(), nil)
	if err != nil {
		b.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodPost, EndpointPath, nil)
	info := &requestInfo{id: "0123456789abcdef0123456789abcdef", operation: "showAgentGroup", operator: "admin", results: 1}
	b.ReportAllocs()
	for b.Loop() {
		h.logRequest(r, info, http.StatusOK, 1234*time.Microsecond)
	}
}
