package scaleout

import (
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/engage-oss/engage/internal/enginetest"
	"github.com/engage-oss/engage/internal/storetest"
)

// The operator the tests call as, created with the binary's engage operator add. It is
// allowed PasswordDigest, so the same operator serves the Basic and the digest calls.
const (
	operatorName     = "scaleout"
	operatorPassword = "scaleout-Secret-42"
)

// callTimeout bounds a call, so that a hung instance fails the test quickly.
const callTimeout = 30 * time.Second

// binary is the engage binary, built once for the package by the first test that needs it.
var binary struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// TestMain removes the binary built for the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if binary.dir != "" {
		_ = os.RemoveAll(binary.dir)
	}
	os.Exit(code)
}

// requirePostgres skips the test unless the environment names a PostgreSQL server.
func requirePostgres(t *testing.T) {
	t.Helper()
	if storetest.Postgres() == "" {
		t.Skipf("%s is not set: make test starts a PostgreSQL server and provides it to ./scaleout/...", storetest.PostgresEnv)
	}
}

// engageBinary builds the real binary from ../cmd/engage on the first call and returns its
// path.
func engageBinary(t *testing.T) string {
	t.Helper()
	binary.once.Do(func() {
		if binary.dir, binary.err = os.MkdirTemp("", "engage-scaleout-"); binary.err != nil {
			return
		}
		binary.path, binary.err = enginetest.Build(binary.dir)
	})
	if binary.err != nil {
		t.Fatal(binary.err)
	}
	return binary.path
}

// cluster is two engage serve processes, A and B, on one PostgreSQL schema, with the same
// secret key file.
type cluster struct {
	db   string
	a, b *instance
}

// newCluster creates a fresh schema, adds the test's operator to it (engage operator add,
// PasswordDigest allowed) and starts two instances of engage serve on it with the given
// extra flags. Both are killed when the test ends, and their logs printed if it failed.
func newCluster(t *testing.T, serveArgs ...string) *cluster {
	t.Helper()
	requirePostgres(t)
	bin := engageBinary(t)
	key := filepath.Join(t.TempDir(), "secret.key")
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	if err := os.WriteFile(key, secret, 0o600); err != nil {
		t.Fatal(err)
	}
	// The schema's cleanup is registered first, so it runs after the instances are killed.
	c := &cluster{db: storetest.PostgresSchema(t)}
	add := exec.Command(bin, "operator", "add", "--name", operatorName, "--role", "ADMINISTRATOR",
		"--digest", "--secret-key-file", key, "--password-stdin", "--db", c.db)
	add.Stdin = strings.NewReader(operatorPassword + "\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("engage operator add: %v\n%s", err, out)
	}
	args := append([]string{"--secret-key-file", key}, serveArgs...)
	c.a = startInstance(t, "A", bin, c.db, args)
	c.b = startInstance(t, "B", bin, c.db, args)
	return c
}

// instance is one running engage serve.
type instance struct {
	t      *testing.T
	name   string
	proc   *enginetest.Process
	client *http.Client
}

// startInstance runs engage serve on db on a free loopback port and waits until it listens.
// When the test ends the process is killed; the test fails if it had exited by itself.
func startInstance(t *testing.T, name, bin, db string, args []string) *instance {
	t.Helper()
	in := &instance{t: t, name: name}
	// log is everything the process wrote, standard output and error.
	log := &enginetest.SyncBuffer{}
	in.client = &http.Client{Timeout: callTimeout, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	t.Cleanup(func() {
		if in.proc != nil {
			if state := in.proc.Exited(); state != nil {
				t.Errorf("engage serve %s exited before the test ended: %v", name, state)
			}
			in.proc.Kill()
		}
		in.client.CloseIdleConnections()
		if t.Failed() {
			t.Logf("engage serve %s log:\n%s", name, log.String())
		}
	})
	proc, err := enginetest.Serve(bin, log, append([]string{"--db", db, "--log-level", "info"}, args...)...)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	in.proc = proc
	return in
}

// call sends op with the inner XML of its request wrapper over SOAP 1.1, with the
// operator's HTTP Basic credentials, and reads the answer. err is set only when no whole
// HTTP answer came, or one that is not a SOAP envelope.
func (in *instance) call(op, inner string) (*answer, error) {
	return in.send("", op, inner)
}

// send is call with the given content in the SOAP Header; when it is not empty the
// request carries no Basic credentials, the header being expected to hold them.
func (in *instance) send(header, op, inner string) (*answer, error) {
	req, err := enginetest.Request(in.proc.URL, header, op, inner)
	if err != nil {
		return nil, err
	}
	if header == "" {
		req.SetBasicAuth(operatorName, operatorPassword)
	}
	resp, raw, err := enginetest.Do(in.client, req)
	if err != nil {
		return nil, fmt.Errorf("%s on %s: %w", op, in.name, err)
	}
	a, err := parseAnswer(op, resp.StatusCode, raw)
	if err != nil {
		return nil, fmt.Errorf("%s on %s: %w", op, in.name, err)
	}
	a.correlationID = resp.Header.Get("X-Correlation-Id")
	return a, nil
}

// must calls op and returns its answer, failing the test unless it is a success without
// warnings. It may only be called from the test's goroutine.
func (in *instance) must(op, inner string) *answer {
	in.t.Helper()
	a, err := in.call(op, inner)
	if err == nil {
		err = a.success()
	}
	if err != nil {
		in.t.Fatal(err)
	}
	return a
}

// answer is the SOAP answer to one call: a response or a fault.
type answer struct {
	op     string
	status int
	raw    []byte
	// correlationID is the X-Correlation-Id header, also in the instance's log.
	correlationID string
	// response is the local name of the element in the Body: op's response, or Fault.
	response string
	results  []result
	warnings []warning
	fault    *engageFault
}

// result is the subset of the response types' fields the tests look at. Types without
// some of these fields leave them empty.
type result struct {
	InternalID           string    `xml:"internalId"`
	ExternalID           string    `xml:"externalId"`
	Agent                entityRef `xml:"agent"`
	AgentGroup           entityRef `xml:"agentGroup"`
	CurrentScheduleGroup entityRef `xml:"currentScheduleGroup"`
	CurrentWorkState     string    `xml:"currentWorkState"`
	CurrentContactState  struct {
		State  string    `xml:"state"`
		Device entityRef `xml:"device"`
	} `xml:"currentContactState"`
	Intensity  string `xml:"intensity"`
	AgentCount string `xml:"agentCount"`
	ReadyCount string `xml:"readyCount"`
}

// entityRef is a reference to an entity in an answer.
type entityRef struct {
	InternalID string `xml:"internalId"`
	ExternalID string `xml:"externalId"`
}

// warning is a failed item of a partial success.
type warning struct {
	Index   int    `xml:"index"`
	Code    string `xml:"code"`
	Message string `xml:"message"`
}

// engageFault is the detail of a fault.
type engageFault struct {
	Code     string `xml:"code"`
	Message  string `xml:"message"`
	Argument string `xml:"argument"`
}

// soapEnvelope reads a SOAP 1.1 answer: a fault, or the response wrapper.
type soapEnvelope struct {
	Body struct {
		Fault *struct {
			Detail struct {
				EngageFault *engageFault `xml:"EngageFault"`
			} `xml:"detail"`
		} `xml:"Fault"`
		Content []struct {
			XMLName  xml.Name
			Results  []result  `xml:"result"`
			Warnings []warning `xml:"warning"`
		} `xml:",any"`
	} `xml:"Body"`
}

// parseAnswer reads the answer to op.
func parseAnswer(op string, status int, raw []byte) (*answer, error) {
	var env soapEnvelope
	if err := xml.Unmarshal(raw, &env); err != nil {
		return nil, fmt.Errorf("HTTP %d, not a SOAP envelope: %v\n%.1000s", status, err, raw)
	}
	a := &answer{op: op, status: status, raw: raw}
	switch {
	case env.Body.Fault != nil && len(env.Body.Content) == 0:
		a.response = "Fault"
		if a.fault = env.Body.Fault.Detail.EngageFault; a.fault == nil {
			return nil, fmt.Errorf("HTTP %d, a fault without EngageFault\n%.1000s", status, raw)
		}
	case env.Body.Fault == nil && len(env.Body.Content) == 1:
		c := env.Body.Content[0]
		a.response, a.results, a.warnings = c.XMLName.Local, c.Results, c.Warnings
	default:
		return nil, fmt.Errorf("HTTP %d, not one element in the Body\n%.1000s", status, raw)
	}
	return a, nil
}

// success returns nil if the answer is op's response, HTTP 200, without warnings.
func (a *answer) success() error {
	if err := a.response200(); err != nil {
		return err
	}
	if len(a.warnings) > 0 {
		return fmt.Errorf("%s: want no warnings, got %+v (correlation id %s)", a.op, a.warnings, a.correlationID)
	}
	return nil
}

// response200 returns nil if the answer is op's response with HTTP 200, warnings or not.
func (a *answer) response200() error {
	if a.status != http.StatusOK || a.response != a.op+"Response" {
		return fmt.Errorf("%s: want its response, got HTTP %d %s (correlation id %s)\n%.1000s", a.op, a.status, a.response, a.correlationID, a.raw)
	}
	return nil
}

// faultCode returns nil if the answer is a fault with the given code and HTTP status.
func (a *answer) faultCode(code string, status int) error {
	if a.fault == nil || a.fault.Code != code || a.status != status {
		return fmt.Errorf("%s: want fault %s with HTTP %d, got HTTP %d %s (correlation id %s)\n%.1000s", a.op, code, status, a.status, a.response, a.correlationID, a.raw)
	}
	return nil
}

// one returns the answer's only result, failing t unless there is exactly one.
func (a *answer) one(t *testing.T) result {
	t.Helper()
	r, err := a.onlyResult()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The WS-Security namespaces and Type URIs, as clients write them.
const (
	wsseNS     = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
	wsuNS      = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
	tokenTypes = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
	base64Type = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
)

// digestHeader returns a WS-Security header block with a PasswordDigest UsernameToken of
// the test's operator: Base64(SHA-1(nonce ‖ created ‖ password)), with a new random nonce
// and the current time. Sending the same string twice replays the token.
func digestHeader() string {
	nonce := make([]byte, 16)
	_, _ = rand.Read(nonce)
	created := time.Now().UTC().Format("2006-01-02T15:04:05.000Z")
	h := sha1.New()
	h.Write(nonce)
	h.Write([]byte(created))
	h.Write([]byte(operatorPassword))
	return `<wsse:Security soapenv:mustUnderstand="1" xmlns:wsse="` + wsseNS + `" xmlns:wsu="` + wsuNS + `">` +
		`<wsse:UsernameToken><wsse:Username>` + operatorName + `</wsse:Username>` +
		`<wsse:Password Type="` + tokenTypes + `#PasswordDigest">` + base64.StdEncoding.EncodeToString(h.Sum(nil)) + `</wsse:Password>` +
		`<wsse:Nonce EncodingType="` + base64Type + `">` + base64.StdEncoding.EncodeToString(nonce) + `</wsse:Nonce>` +
		`<wsu:Created>` + created + `</wsu:Created></wsse:UsernameToken></wsse:Security>`
}

// errs collects the failures of concurrent calls, reported on the test's goroutine.
type errs struct {
	mu   sync.Mutex
	list []error
}

// add records err unless it is nil.
func (e *errs) add(err error) {
	if err == nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.list = append(e.list, err)
}

// report fails t with the failures collected, the first few in full.
func (e *errs) report(t *testing.T) {
	t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	for i, err := range e.list {
		if i == 5 {
			t.Errorf("... and %d more failures", len(e.list)-i)
			break
		}
		t.Error(err)
	}
	if len(e.list) > 0 {
		t.FailNow()
	}
}

// together runs f(0) ... f(n-1) in n goroutines released at the same moment, and waits for
// them all.
func together(n int, f func(i int)) {
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	ready.Add(n)
	done.Add(n)
	for i := range n {
		go func() {
			defer done.Done()
			ready.Done()
			<-start
			f(i)
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
}

// onlyResult returns the answer's only result, or an error unless there is exactly one.
func (a *answer) onlyResult() (result, error) {
	if len(a.results) != 1 {
		return result{}, fmt.Errorf("%s: want one result, got %d (correlation id %s)\n%.1000s", a.op, len(a.results), a.correlationID, a.raw)
	}
	return a.results[0], nil
}
