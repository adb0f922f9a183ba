package service_test

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/sirupsen/logrus"

	"github.com/engage-oss/engage/auth"
	"github.com/engage-oss/engage/internal/logjson"
	"github.com/engage-oss/engage/internal/storetest"
	"github.com/engage-oss/engage/provisioning"
	"github.com/engage-oss/engage/service"
	"github.com/engage-oss/engage/store"
)

// The end-to-end tests run the real handler behind a real HTTP server on a real SQLite file and
// send real SOAP envelopes. Every response body element they receive is validated against the
// XSD with xmllint, as a schema-compliance assertion in SoapUI would.

const (
	soap11NS = "http://schemas.xmlsoap.org/soap/envelope/"
	soap12NS = "http://www.w3.org/2003/05/soap-envelope"
)

// messages are the contract's message templates (spec section 5), kept apart from the
// implementation's so that the tests check it against the contract.
var messages = map[string]string{
	"ARG_INVALID_CHAR":         "Invalid Data, argument '%s' contains invalid characters",
	"ARG_INVALID_DATA":         "Invalid Data '%s'",
	"ARG_INVALID_TYPE":         "Argument is of invalid type '%s'",
	"ARG_NULL":                 "Invalid Data, argument '%s' must be non-null",
	"ARG_TOO_LARGE":            "Invalid Data, argument '%s' exceeds allowed size",
	"INVALID_OBJECT_TYPE":      "The supplied object '%s' is not of the correct type",
	"OBJECT_EXISTS":            "Object '%s' already exists",
	"OBJECT_NOT_EXISTS":        "Referenced object '%s' does not exist",
	"RESULT_TOO_LARGE":         "Result returned would be too large",
	"ATTRIBUTE_NULL":           "Attribute supplied is null",
	"ATTRIBUTE_INVALID_DATA":   "Attribute contains invalid data '%s'",
	"ATTRIBUTE_INVALID_FORMAT": "Attribute is not formatted correctly",
	"INVALID_STATE":            "Invalid Agent State '%s'",
	"AUTHENTICATION_FAILED":    "Authentication failed",
	"PERMISSION_DENIED":        "Permission denied for operation '%s'",
	"INTERNAL_ERROR":           "Internal error, see contextId",
}

// message returns the contract's message for a code and argument. SYSTEM_LIMIT_EXCEEDED has
// two wordings: arg "agents" for agents, anything else for groups.
func message(code, arg string) string {
	if code == "SYSTEM_LIMIT_EXCEEDED" {
		if arg == "agents" {
			return "maximum number of agents exceeded"
		}
		return "maximum number of active organizations exceeded"
	}
	tmpl := messages[code]
	if strings.Contains(tmpl, "%s") {
		return fmt.Sprintf(tmpl, arg)
	}
	return tmpl
}

// env is one service under test: its own database file and HTTP server. Its calls
// authenticate as the operator it names (see harness_auth_test.go): by default the
// unscoped ADMINISTRATOR adminName, with HTTP Basic.
type env struct {
	t   testing.TB
	url string
	// dsn is the --db of its database (storetest.DSN).
	dsn string
	// soap12 makes calls use SOAP 1.2.
	soap12 bool
	// db is the service's store, where operators are added.
	db *store.DB
	// handler is the service's handler, which the HTTP server at url serves.
	handler http.Handler
	// key seals the PasswordDigest secrets; the service has it.
	key []byte
	// user and password are the credentials calls send; none when user is empty.
	user, password string
	// security sends them in a WS-Security UsernameToken ("text" or "digest") instead of
	// HTTP Basic.
	security string
	// rawHeader, when set, is the content of the SOAP Header, sent as it is.
	rawHeader string
}

// newEnv starts a service on a new database; change, if given, adjusts the limits.
func newEnv(t testing.TB, change ...func(*provisioning.Limits)) *env {
	t.Helper()
	return startEnv(t, nil, change...)
}

// startEnv starts a service on a new database with the operator adminName; authOptions, if
// given, adjusts the authenticator's options and change the limits.
func startEnv(t testing.TB, authOptions func(*auth.Options), change ...func(*provisioning.Limits)) *env {
	t.Helper()
	dsn := storetest.DSN(t)
	db, err := store.Open(dsn)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	limits := provisioning.DefaultLimits()
	for _, c := range change {
		c(&limits)
	}
	key := make([]byte, auth.KeyBytes)
	_, _ = rand.Read(key)
	opts := auth.Options{Store: db, SecretKey: key}
	if authOptions != nil {
		authOptions(&opts)
	}
	authenticator, err := auth.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	// The log of engage serve where its standard error is not a terminal: JSON lines.
	log := logrus.New()
	log.SetOutput(io.Discard)
	log.SetFormatter(&logjson.Formatter{})
	h, err := service.New(service.Config{Authenticator: authenticator}, provisioning.NewService(db, limits), log)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		db.Close()
	})
	e := &env{t: t, url: srv.URL + service.EndpointPath, dsn: dsn, db: db, handler: h, key: key}
	e.addOperator(adminName, adminPassword, provisioning.Administrator, "", true)
	return e.as(adminName, adminPassword)
}

// reply is a response as received.
type reply struct {
	t       testing.TB
	op      string
	status  int
	header  http.Header
	raw     []byte
	doc     *etree.Document
	wrapper *etree.Element // the Body's child
}

// call sends op with the given inner XML of its request wrapper.
func (e *env) call(op, inner string) *reply {
	e.t.Helper()
	ns, ctype := soap11NS, "text/xml; charset=utf-8"
	if e.soap12 {
		ns, ctype = soap12NS, `application/soap+xml; charset=utf-8; action="urn:engage:contactcenter:1/`+op+`"`
	}
	body := `<?xml version="1.0" encoding="UTF-8"?>` +
		`<soapenv:Envelope xmlns:soapenv="` + ns + `" xmlns:cc="urn:engage:contactcenter:1">` +
		e.header() + `<soapenv:Body><cc:` + op + `>` + inner + `</cc:` + op + `></soapenv:Body></soapenv:Envelope>`
	req, err := http.NewRequest(http.MethodPost, e.url, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", ctype)
	if !e.soap12 {
		req.Header.Set("SOAPAction", `"urn:engage:contactcenter:1/`+op+`"`)
	}
	if e.user != "" && e.security == "" {
		req.SetBasicAuth(e.user, e.password)
	}
	return e.send(op, req)
}

// send sends a request and reads its reply.
func (e *env) send(op string, req *http.Request) *reply {
	e.t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s: %v", op, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	r := &reply{t: e.t, op: op, status: resp.StatusCode, header: resp.Header, raw: raw, doc: etree.NewDocument()}
	if err := r.doc.ReadFromBytes(raw); err != nil {
		e.t.Fatalf("%s: response is not XML: %v\n%s", op, err, raw)
	}
	if body := r.doc.FindElement("/Envelope/Body"); body != nil && len(body.ChildElements()) == 1 {
		r.wrapper = body.ChildElements()[0]
	}
	if r.wrapper == nil {
		e.t.Fatalf("%s: no Body child in\n%s", op, raw)
	}
	return r
}

// ok asserts that the call succeeded and its response wrapper is valid against the XSD.
func (r *reply) ok() *reply {
	r.t.Helper()
	if r.status != http.StatusOK || r.wrapper.Tag != r.op+"Response" {
		r.t.Fatalf("%s: want success, got HTTP %d\n%s", r.op, r.status, r.raw)
	}
	if r.header.Get("X-Correlation-Id") == "" {
		r.t.Errorf("%s: no X-Correlation-Id", r.op)
	}
	validate(r.t, r.wrapper)
	return r
}

// results returns the results of a successful call.
func (r *reply) results() []*etree.Element {
	r.t.Helper()
	return r.ok().wrapper.SelectElements("result")
}

// result returns the one result of a successful call.
func (r *reply) result() *etree.Element {
	r.t.Helper()
	results := r.results()
	if len(results) != 1 {
		r.t.Fatalf("%s: want 1 result, got %d\n%s", r.op, len(results), r.raw)
	}
	return results[0]
}

// warning is a warning as received.
type warning struct {
	Index                   int
	Code, Message, Argument string
}

// warnings returns the warnings of a successful call.
func (r *reply) warnings() []warning {
	r.t.Helper()
	var out []warning
	for _, w := range r.ok().wrapper.SelectElements("warning") {
		index, err := strconv.Atoi(text(w, "index"))
		if err != nil {
			r.t.Fatalf("%s: bad warning index in %s", r.op, r.raw)
		}
		out = append(out, warning{index, text(w, "code"), text(w, "message"), text(w, "argument")})
	}
	return out
}

// wantWarnings asserts the warnings of a successful call: index, code and argument each, and
// the message the contract gives for them.
func (r *reply) wantWarnings(want ...warning) {
	r.t.Helper()
	got := r.warnings()
	if len(got) != len(want) {
		r.t.Fatalf("%s: want %d warnings, got %d: %+v", r.op, len(want), len(got), got)
	}
	for i := range want {
		want[i].Message = message(want[i].Code, want[i].Argument)
		if got[i] != want[i] {
			r.t.Errorf("%s: warning %d: want %+v, got %+v", r.op, i, want[i], got[i])
		}
	}
}

// fault asserts that the call failed with the documented code, naming arg, with the
// contract's message, the right SOAP fault code and HTTP status (401 with a Basic challenge
// for AUTHENTICATION_FAILED, in both versions), and a contextId equal to the X-Correlation-Id
// header. The fault is validated against the XSD.
func (r *reply) fault(code, arg string) {
	r.t.Helper()
	fault := r.wrapper
	if fault.Tag != "Fault" {
		r.t.Fatalf("%s: want fault %s, got HTTP %d\n%s", r.op, code, r.status, r.raw)
	}
	detail := fault.FindElement("./detail/EngageFault")
	soap12 := fault.Space != "" && fault.NamespaceURI() == soap12NS
	if soap12 {
		detail = fault.FindElement("./Detail/EngageFault")
	}
	if detail == nil {
		r.t.Fatalf("%s: fault without EngageFault detail\n%s", r.op, r.raw)
	}
	validate(r.t, detail)
	want := message(code, arg)
	got := [4]string{text(detail, "code"), text(detail, "message"), text(detail, "argument"), text(detail, "contextId")}
	if got != [4]string{code, want, arg, r.header.Get("X-Correlation-Id")} {
		r.t.Errorf("%s: want fault %s %q %q, got %q\n%s", r.op, code, want, arg, got, r.raw)
	}
	server := code == "INTERNAL_ERROR"
	status := map[bool]int{true: 500, false: 400}[server]
	if !soap12 {
		status = http.StatusInternalServerError
	}
	if code == "AUTHENTICATION_FAILED" {
		status = http.StatusUnauthorized
		if got := r.header.Get("WWW-Authenticate"); got != `Basic realm="engage"` {
			r.t.Errorf("%s: WWW-Authenticate %q", r.op, got)
		}
	}
	switch {
	case r.status != status:
		r.t.Errorf("%s: %s fault with HTTP %d, want %d", r.op, map[bool]string{true: "SOAP 1.2", false: "SOAP 1.1"}[soap12], r.status, status)
	case !soap12 && text(fault, "faultstring") != want:
		r.t.Errorf("%s: faultstring %q", r.op, text(fault, "faultstring"))
	case !soap12 && text(fault, "faultcode") != map[bool]string{true: "soap:Server", false: "soap:Client"}[server]:
		r.t.Errorf("%s: faultcode %q", r.op, text(fault, "faultcode"))
	case soap12 && text(fault, "Code/Value") != map[bool]string{true: "soap:Receiver", false: "soap:Sender"}[server]:
		r.t.Errorf("%s: Code/Value %q", r.op, text(fault, "Code/Value"))
	case soap12 && text(fault, "Reason/Text") != want:
		r.t.Errorf("%s: Reason %q", r.op, text(fault, "Reason/Text"))
	}
}

// text returns the text of the element at path below el, or "".
func text(el *etree.Element, path string) string {
	if found := el.FindElement(path); found != nil {
		return found.Text()
	}
	return ""
}

// xsdPath is the contract's schema.
var xsdPath = filepath.Join("..", "wsdl", "contact-center.xsd")

// validate checks an element of the contract's namespace against the XSD with xmllint.
func validate(t testing.TB, el *etree.Element) {
	t.Helper()
	doc := etree.NewDocument()
	root := el.Copy()
	root.Space = ""
	root.CreateAttr("xmlns", service.Namespace)
	doc.SetRoot(root)
	var buf bytes.Buffer
	if _, err := doc.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("xmllint", "--noout", "--schema", xsdPath, "-")
	cmd.Stdin = &buf
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("response element %s is not valid against the XSD: %v\n%s\n%s", el.Tag, err, out, buf.String())
	}
}

func TestMain(m *testing.M) {
	if _, err := exec.LookPath("xmllint"); err != nil {
		fmt.Fprintln(os.Stderr, "xmllint is needed to validate responses against the XSD (Debian: libxml2-utils)")
		os.Exit(1)
	}
	os.Exit(m.Run())
}
