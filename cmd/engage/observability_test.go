package main

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"
)

// TestLogFormat checks --log-format: json and text as asked, auto JSON off a terminal, and
// a bad value refused.
func TestLogFormat(t *testing.T) {
	for format, want := range map[string]string{"json": `"msg":"hello"`, "auto": `"msg":"hello"`, "text": `msg=hello`} {
		o, err := parseServe([]string{"--log-format", format}, io.Discard, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		newLogger(&buf, o.logLevel, o.logFormat).Info("hello")
		if !strings.Contains(buf.String(), want) {
			t.Errorf("--log-format %s: %q, want %q", format, buf.String(), want)
		}
	}
	if _, err := parseServe([]string{"--log-format", "xml"}, io.Discard, io.Discard); err == nil {
		t.Error("--log-format xml accepted")
	}
	if l := newLogger(io.Discard, "warn", "text"); l.GetLevel() != logrus.WarnLevel {
		t.Errorf("level %v", l.GetLevel())
	}
}

// TestServeOperationsPaths runs engage serve and reads /healthz, /readyz and /metrics
// without credentials: the store's and the Go runtime's metrics are there too.
func TestServeOperationsPaths(t *testing.T) {
	wsdlURL, _, _ := startServe(t)
	base := strings.TrimSuffix(wsdlURL, "/services/ContactCenter?wsdl")
	checkWSDL(t, http.DefaultClient, wsdlURL)
	for path, want := range map[string]string{
		"/healthz": "ok", "/readyz": "ok",
		"/metrics": "engage_database_size_bytes",
	} {
		res, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
			t.Errorf("GET %s: %d\n%.500s", path, res.StatusCode, body)
		}
		if path == "/metrics" {
			for _, name := range []string{"engage_store_transaction_seconds", "go_goroutines", "process_resident_memory_bytes", "engage_requests_in_flight"} {
				if !strings.Contains(string(body), name) {
					t.Errorf("/metrics lacks %s", name)
				}
			}
		}
	}
}
