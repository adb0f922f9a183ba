package service_test

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/sirupsen/logrus"

	"github.com/engage-oss/engage/auth"
	"github.com/engage-oss/engage/internal/enginetest"
	"github.com/engage-oss/engage/internal/storetest"
	"github.com/engage-oss/engage/provisioning"
	"github.com/engage-oss/engage/service"
	"github.com/engage-oss/engage/store"
)

// observed is a service under test wired as engage serve wires it: the store timed and
// sized on the server's registry, readiness checked on the store, the log in JSON.
type observed struct {
	*env
	base string
	log  *enginetest.SyncBuffer
}

// startObserved starts an observed service with the operator adminName.
func startObserved(t *testing.T) *observed {
	t.Helper()
	db, err := store.Open(storetest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	m, err := store.NewMetrics(reg, db)
	if err != nil {
		t.Fatal(err)
	}
	key := make([]byte, auth.KeyBytes)
	_, _ = rand.Read(key)
	authenticator, err := auth.New(auth.Options{Store: db, SecretKey: key})
	if err != nil {
		t.Fatal(err)
	}
	logBuf := &enginetest.SyncBuffer{}
	log := logrus.New()
	log.SetOutput(logBuf)
	log.SetFormatter(&logrus.JSONFormatter{})
	cfg := service.Config{Authenticator: authenticator, Registry: reg, Ready: db.Ping}
	h, err := service.New(cfg, provisioning.NewService(m.Instrument(db), provisioning.DefaultLimits()), log)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := service.New(cfg, provisioning.NewService(db, provisioning.DefaultLimits()), log); err == nil {
		t.Error("a second service registered its metrics on the same registry")
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		db.Close()
	})
	e := &env{t: t, url: srv.URL + service.EndpointPath, db: db, key: key}
	e.addOperator(adminName, adminPassword, provisioning.Administrator, "", false)
	return &observed{env: e.as(adminName, adminPassword), base: srv.URL, log: logBuf}
}

// get fetches path without credentials and returns its status and body.
func (o *observed) get(path string) (int, string) {
	o.t.Helper()
	res, err := http.Get(o.base + path)
	if err != nil {
		o.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// metric returns the value of the sample of /metrics whose name and labels are series, as
// the exposition format writes them (labels sorted by name), or -1 when it is absent.
func metric(t *testing.T, exposition, series string) float64 {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindStringSubmatch(exposition)
	if m == nil {
		return -1
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatalf("%s: %v", series, err)
	}
	return v
}

// TestMetrics checks over HTTP, without credentials, that the counters move after calls: an
// answer, a fault code as the outcome, warnings by code, latencies, store transactions and
// the database size.
func TestMetrics(t *testing.T) {
	o := startObserved(t)
	w := o.mustWorld()
	status, before := o.get(service.MetricsPath)
	if status != http.StatusOK {
		t.Fatalf("GET /metrics: %d\n%s", status, before)
	}
	o.call("showAgentGroup", "<cc:agentGroup><cc:externalId>nope</cc:externalId></cc:agentGroup>").fault("OBJECT_NOT_EXISTS", "nope")
	param := agentsParam("u1\nu2\n") + groupRef(w.group)
	o.call("createAgentsUsingString", param).ok()
	o.call("createAgentsUsingString", param) // two OBJECT_EXISTS warnings
	o.as(adminName, "wrong-password").call("showOrg", "<cc:org><cc:externalId>ent</cc:externalId></cc:org>").fault("AUTHENTICATION_FAILED", "")
	o.call("frobnicate", "")
	_, after := o.get(service.MetricsPath)

	for series, want := range map[string]float64{
		`engage_requests_total{operation="createOrg",outcome="ok"}`:                             2,
		`engage_requests_total{operation="showAgentGroup",outcome="OBJECT_NOT_EXISTS"}`:         1,
		`engage_requests_total{operation="createAgentsUsingString",outcome="ok"}`:               2,
		`engage_requests_total{operation="showOrg",outcome="AUTHENTICATION_FAILED"}`:            1,
		`engage_requests_total{operation="unknown",outcome="ARG_INVALID_DATA"}`:                 1,
		`engage_warnings_total{code="OBJECT_EXISTS",operation="createAgentsUsingString"}`:       2,
		`engage_request_duration_seconds_count{operation="createAgentsUsingString"}`:            2,
		`engage_request_duration_seconds_bucket{operation="createAgentsUsingString",le="+Inf"}`: 2,
		`engage_requests_in_flight`: 0,
	} {
		if got := metric(t, after, series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
	if got := metric(t, before, `engage_requests_total{operation="showAgentGroup",outcome="OBJECT_NOT_EXISTS"}`); got != -1 {
		t.Errorf("a fault counted before it happened: %v", got)
	}
	for _, kind := range []string{"read", "write"} {
		series := `engage_store_transaction_seconds_count{kind="` + kind + `"}`
		if b, a := metric(t, before, series), metric(t, after, series); !(a > b) {
			t.Errorf("%s: %v then %v, want it to grow", series, b, a)
		}
	}
	if got := metric(t, after, "engage_database_size_bytes"); got < 4096 {
		t.Errorf("engage_database_size_bytes = %v", got)
	}
	if strings.Contains(o.log.String(), `"path":"/metrics"`) {
		t.Error("a scrape was logged")
	}
}

// TestHealthAndReadiness checks /healthz and /readyz, and that readiness fails, 503, once
// the store is closed while the process still serves.
func TestHealthAndReadiness(t *testing.T) {
	o := startObserved(t)
	for _, path := range []string{service.HealthPath, service.ReadyPath} {
		if status, body := o.get(path); status != http.StatusOK {
			t.Errorf("GET %s: %d %s", path, status, body)
		}
	}
	if err := o.db.Close(); err != nil {
		t.Fatal(err)
	}
	if status, body := o.get(service.ReadyPath); status != http.StatusServiceUnavailable {
		t.Errorf("GET /readyz with the store closed: %d %s", status, body)
	}
	if status, _ := o.get(service.HealthPath); status != http.StatusOK {
		t.Errorf("GET /healthz with the store closed: %d", status)
	}
}

// TestRequestLog checks the one JSON log line of authenticated calls, with a WS-Security
// PasswordText token and with HTTP Basic: its fields, and that neither the password, the
// token nor the request body appears anywhere in the log.
func TestRequestLog(t *testing.T) {
	o := startObserved(t)
	const name, password = "logged-op", "Known-Secret-Password-71"
	o.addOperator(name, password, provisioning.Administrator, "", false)
	as := o.as(name, password)
	w := as.mustWorld()
	const marker = "u1,+15557770001"
	r := as.withSecurity("text").call("createAgentsUsingString", agentsParam("userExternalId,currentPhoneNumber\n"+marker+"\nzz\n")+groupRef(w.group))
	r.ok()
	id := r.header.Get(service.CorrelationHeader)
	as.call("showAgentGroup", "<cc:agentGroup><cc:externalId>nope-body-marker</cc:externalId></cc:agentGroup>")

	log := o.log.String()
	basic := base64.StdEncoding.EncodeToString([]byte(name + ":" + password))
	for _, secret := range []string{password, basic, "UsernameToken", "PasswordText", marker, "+15557770001", "nope-body-marker", "<cc:"} {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds %q:\n%s", secret, log)
		}
	}
	var line map[string]any
	for _, l := range strings.Split(strings.TrimSpace(log), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not a JSON log line: %q", l)
		}
		if m["correlation_id"] == id {
			if line != nil {
				t.Fatalf("two log lines for request %s", id)
			}
			line = m
		}
	}
	want := map[string]any{"operation": "createAgentsUsingString", "operator": name, "outcome": "ok", "code": "ok",
		"items": 2.0, "warnings": 1.0, "status": 200.0, "msg": "request"}
	for k, v := range want {
		if line[k] != v {
			t.Errorf("log field %s = %v, want %v: %v", k, line[k], v, line)
		}
	}
	if _, ok := line["duration_ms"].(float64); !ok {
		t.Errorf("no duration_ms: %v", line)
	}
	if !strings.Contains(log, `"code":"OBJECT_NOT_EXISTS","correlation_id"`) || !strings.Contains(log, `"outcome":"fault"`) {
		t.Errorf("no fault line:\n%s", log)
	}
}
