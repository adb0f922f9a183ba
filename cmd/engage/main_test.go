package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/engage-oss/engage/internal/enginetest"
)

func TestHelpListsEnvironment(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"serve", "--help"}} {
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), args, nil, &stdout, &stderr); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		for _, want := range []string{
			"-listen address", "[$ENGAGE_LISTEN]", "[$ENGAGE_DB]", "[$ENGAGE_PUBLIC_URL]",
			"[$ENGAGE_MAX_REQUEST_BYTES]", "[$ENGAGE_MAX_ITEMS]", "[$ENGAGE_MAX_AGENTS]",
			"[$ENGAGE_MAX_AGENTS_STRING_BYTES]", "[$ENGAGE_MAX_AGENT_GROUPS]",
			"[$ENGAGE_MAX_SCHEDULE_GROUPS]", "[$ENGAGE_MAX_RESULTS]", "[$ENGAGE_LOG_LEVEL]",
			"[$ENGAGE_SECRET_KEY_FILE]", "[$ENGAGE_TLS_CERT]", "[$ENGAGE_TLS_KEY]", `(default "127.0.0.1:8080")`,
		} {
			if !strings.Contains(stdout.String(), want) {
				t.Errorf("%v: help lacks %q:\n%s", args, want, stdout.String())
			}
		}
	}
}

func TestParseServe(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		check   func(*serveOptions) bool
		wantErr string
	}{
		{"defaults", nil, nil, func(o *serveOptions) bool {
			return o.listen == "127.0.0.1:8080" && o.db == "engage.db" && o.limits.ItemsPerCall == 1000 &&
				o.limits.AgentsStringBytes == 100000 && o.limits.AgentGroupsPerAccount == 50 &&
				o.config.MaxRequestBytes == 4<<20 && o.secretKeyFile == "" && o.tlsCert == ""
		}, ""},
		{"environment", map[string]string{"ENGAGE_DB": "/tmp/x.db", "ENGAGE_MAX_RESULTS": "7", "ENGAGE_SECRET_KEY_FILE": "/k", "ENGAGE_LISTEN": ":9"},
			nil, func(o *serveOptions) bool {
				return o.db == "/tmp/x.db" && o.limits.ResultsPerList == 7 && o.secretKeyFile == "/k" && o.listen == ":9"
			}, ""},
		{"flags win", map[string]string{"ENGAGE_DB": "/tmp/x.db", "ENGAGE_MAX_ITEMS": "7"},
			[]string{"--db", "y.db", "--max-items=9"}, func(o *serveOptions) bool {
				return o.db == "y.db" && o.limits.ItemsPerCall == 9
			}, ""},
		{"bad environment value", map[string]string{"ENGAGE_MAX_AGENTS": "many"}, nil, nil,
			`ENGAGE_MAX_AGENTS="many": parse error`},
		{"remote (checked against the operators on start)", nil, []string{"--listen", "0.0.0.0:8080"}, func(o *serveOptions) bool { return o.listen == "0.0.0.0:8080" }, ""},
		{"TLS", nil, []string{"--tls-cert", "c.pem", "--tls-key", "k.pem"}, func(o *serveOptions) bool { return o.tlsCert == "c.pem" && o.tlsKey == "k.pem" }, ""},
		{"TLS certificate without key", nil, []string{"--tls-cert", "c.pem"}, nil, "--tls-cert and --tls-key go together"},
		{"TLS key without certificate", nil, []string{"--tls-key", "k.pem"}, nil, "--tls-cert and --tls-key go together"},
		{"--allow-remote is gone", nil, []string{"--allow-remote"}, nil, "flag provided but not defined: -allow-remote"},
		{"IPv6 loopback", nil, []string{"--listen", "[::1]:0"}, func(*serveOptions) bool { return true }, ""},
		{"localhost", nil, []string{"--listen", "localhost:0"}, func(*serveOptions) bool { return true }, ""},
		{"zero limit", nil, []string{"--max-agent-groups", "0"}, nil, "--max-agent-groups must be positive"},
		{"bad log level", nil, []string{"--log-level", "loud"}, nil, "--log-level"},
		{"bad public URL", nil, []string{"--public-url", "cc.example.com"}, nil, "must start with http://"},
		{"unknown flag", nil, []string{"--nope"}, nil, "flag provided but not defined: -nope"},
		{"argument", nil, []string{"extra"}, nil, "serve takes no arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			o, err := parseServe(tt.args, io.Discard, io.Discard)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(o) {
				t.Errorf("options %+v", o)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{nil, {"frobnicate"}, {"serve", "--tls-cert", "x"}, {"operator"}, {"operator", "frobnicate"},
		{"operator", "add", "--name", "a"}, {"operator", "add", "--name", "a:b", "--role", "READ_ONLY", "--password-stdin"},
		{"agents"}, {"agents", "frobnicate"}, {"agents", "import", "--nope"}} {
		var usage usageError
		if err := run(context.Background(), args, nil, io.Discard, io.Discard); !errors.As(err, &usage) {
			t.Errorf("%v: error %v, want a usage error", args, err)
		}
	}
}

// startServe runs engage serve with args (a temporary database unless --db is given, a free
// loopback port unless --listen is), and returns the WSDL URL it prints, its log, and a
// function that shuts it down and waits for it (called at the end of the test if not before).
func startServe(t *testing.T, args ...string) (string, *enginetest.SyncBuffer, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	args = append([]string{"serve", "--listen", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "engage.db")}, args...)
	var stdout, stderr enginetest.SyncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, nil, &stdout, &stderr) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("run: %v", err)
				}
			case <-time.After(20 * time.Second):
				t.Error("no shutdown")
			}
		})
	}
	t.Cleanup(stop)
	urlPattern := regexp.MustCompile(`WSDL at (https?://\S+)`)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if m := urlPattern.FindStringSubmatch(stdout.String()); m != nil {
			return m[1], &stderr, stop
		}
		select {
		case err := <-done:
			done <- err
			t.Fatalf("run returned early: %v\n%s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no WSDL URL printed:\n%s\n%s", stdout.String(), stderr.String())
		}
	}
}

// TestServe runs the real binary's entry point on a temporary database and a free port,
// fetches the WSDL, without credentials, and shuts it down.
func TestServe(t *testing.T) {
	wsdlURL, stderr, stop := startServe(t)
	checkWSDL(t, http.DefaultClient, wsdlURL)
	stop()
	if !strings.Contains(stderr.String(), `"correlation_id":`) { // JSON: stderr is no terminal
		t.Errorf("no request log line:\n%s", stderr.String())
	}
	if !strings.Contains(stderr.String(), "no operator") {
		t.Errorf("no warning about a database without operators:\n%s", stderr.String())
	}
}

// checkWSDL fetches the WSDL, without credentials, and checks that its address is the
// endpoint it was fetched from.
func checkWSDL(t *testing.T, client *http.Client, wsdlURL string) {
	t.Helper()
	res, err := client.Get(wsdlURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	endpoint := strings.TrimSuffix(wsdlURL, "?wsdl")
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `location="`+endpoint+`"`) {
		t.Errorf("GET %s: %d\n%s", wsdlURL, res.StatusCode, body)
	}
}
