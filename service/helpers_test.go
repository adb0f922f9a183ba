package service

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/beevik/etree"
	"github.com/engage-oss/engage/provisioning"
	"github.com/sirupsen/logrus"
	logtest "github.com/sirupsen/logrus/hooks/test"
)

// testServer is the endpoint served over real HTTP with the test operations.
type testServer struct {
	*httptest.Server
	// calls counts the times a test operation ran.
	calls *atomic.Int64
	logs  *logtest.Hook
	auth  *stubAuth
}

// storeless returns the provisioning service of the test operations, which need no store.
func storeless() *provisioning.Service {
	return provisioning.NewService(nil, provisioning.DefaultLimits())
}

// newTestServer starts the endpoint with cfg and the test operations, and a stubAuth when
// cfg has no Authenticator.
func newTestServer(t testing.TB, cfg Config) *testServer {
	t.Helper()
	log, hook := logtest.NewNullLogger()
	log.SetLevel(logrus.DebugLevel)
	calls := new(atomic.Int64)
	stub := &stubAuth{}
	if cfg.Authenticator == nil {
		cfg.Authenticator = stub
	}
	srv := httptest.NewServer(newHandler(cfg, storeless(), log, testOperations(calls)))
	t.Cleanup(srv.Close)
	return &testServer{Server: srv, calls: calls, logs: hook, auth: stub}
}

// stubAuth lets every request in as the operator "tester", unless its Basic user is
// "intruder" (refused) or "broken" (an internal error). It keeps the last Security block.
type stubAuth struct {
	mu       sync.Mutex
	security []byte
	seen     bool
}

// Authenticate records the Security block and answers as above.
func (s *stubAuth) Authenticate(_ context.Context, h http.Header, security []byte) (provisioning.Caller, error) {
	s.mu.Lock()
	s.security, s.seen = security, true
	s.mu.Unlock()
	user, _, _ := (&http.Request{Header: h}).BasicAuth()
	switch user {
	case "intruder":
		return provisioning.Caller{}, fmt.Errorf("stub: %w", provisioning.Errorf(provisioning.AuthenticationFailed, ""))
	case "broken":
		return provisioning.Caller{}, errors.New("stub: operator store on fire")
	}
	return provisioning.Caller{Name: "tester", Role: provisioning.Administrator}, nil
}

// reset forgets the last request.
func (s *stubAuth) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.security, s.seen = nil, false
}

// last returns the Security block of the last request and whether there was a request.
func (s *stubAuth) last() ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.security, s.seen
}

// testOperations returns operations that exercise the endpoint: echo answers its text and
// the correlation id, missing fails with a documented error, broken with an undocumented one,
// panics panics, and whoami answers the caller's name and role. Each counts its calls.
func testOperations(calls *atomic.Int64) []operation {
	return []operation{
		{name: "echo", serve: func(ctx context.Context, _ *provisioning.Service, d requestDecoder, start xml.StartElement, w *xmlWriter) error {
			calls.Add(1)
			var req struct {
				Text string `xml:"urn:engage:contactcenter:1 text"`
			}
			if err := d.decode(&req, start); err != nil {
				return err
			}
			w.startNS("echoResponse", Namespace)
			w.text("text", req.Text)
			w.text("contextId", CorrelationID(ctx))
			w.end("echoResponse")
			return nil
		}},
		{name: "missing", serve: func(context.Context, *provisioning.Service, requestDecoder, xml.StartElement, *xmlWriter) error {
			calls.Add(1)
			return provisioning.Errorf(provisioning.ObjectNotExists, "x")
		}},
		{name: "broken", serve: func(_ context.Context, _ *provisioning.Service, _ requestDecoder, _ xml.StartElement, w *xmlWriter) error {
			calls.Add(1)
			w.text("partial", "never sent")
			return errors.New("database on fire")
		}},
		{name: "panics", serve: func(context.Context, *provisioning.Service, requestDecoder, xml.StartElement, *xmlWriter) error {
			calls.Add(1)
			panic("boom")
		}},
		{name: "whoami", serve: func(ctx context.Context, _ *provisioning.Service, _ requestDecoder, _ xml.StartElement, w *xmlWriter) error {
			calls.Add(1)
			c, _ := provisioning.CallerFrom(ctx)
			w.startNS("whoamiResponse", Namespace)
			w.text("name", c.Name)
			w.text("role", string(c.Role))
			w.end("whoamiResponse")
			return nil
		}},
	}
}

// Content types of the two versions, as clients send them.
const (
	ct11 = "text/xml; charset=utf-8"
	ct12 = "application/soap+xml; charset=utf-8"
)

// env11 and env12 return an envelope of each version with the given Header content (no
// Header element when empty) and Body content.
func env11(header, body string) string {
	return envelopeOf(soap11NS, header, body)
}

func env12(header, body string) string {
	return envelopeOf(soap12NS, header, body)
}

func envelopeOf(ns, header, body string) string {
	var b strings.Builder
	b.WriteString(`<soap:Envelope xmlns:soap="` + ns + `">`)
	if header != "" {
		b.WriteString("<soap:Header>" + header + "</soap:Header>")
	}
	b.WriteString("<soap:Body>" + body + "</soap:Body></soap:Envelope>")
	return b.String()
}

// echo is the body of an echo request.
func echo(text string) string {
	return `<echo xmlns="urn:engage:contactcenter:1"><text>` + text + `</text></echo>`
}

// response is an HTTP response, read whole.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request to the test server and reads the response.
func (s *testServer) do(t testing.TB, method, path string, header http.Header, body io.Reader) response {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// post sends a SOAP request with the given Content-Type (none when empty) and extra headers
// ("Name", "value" pairs).
func (s *testServer) post(t testing.TB, contentType, body string, header ...string) response {
	t.Helper()
	h := http.Header{}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		h.Set(header[i], header[i+1])
	}
	return s.do(t, http.MethodPost, EndpointPath, h, strings.NewReader(body))
}

// soapFault is a fault as a client reads it.
type soapFault struct {
	faultcode   string
	faultstring string
	code        string
	message     string
	argument    string
	hasArgument bool
	contextID   string
}

// parseFault parses a fault of version v, checking its structure: unqualified children in
// SOAP 1.1, qualified ones and xml:lang in SOAP 1.2, the EngageFault's element order.
func parseFault(t testing.TB, v soapVersion, body []byte) soapFault {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(body); err != nil {
		t.Fatalf("fault is not XML: %v\n%s", err, body)
	}
	env := doc.Root()
	if env.Space != "soap" || env.Tag != "Envelope" || env.NamespaceURI() != v.namespace() {
		t.Fatalf("root %s in %s, want soap:Envelope in %s", env.FullTag(), env.NamespaceURI(), v.namespace())
	}
	f := env.FindElement("soap:Body/soap:Fault")
	if f == nil {
		t.Fatalf("no soap:Body/soap:Fault in %s", body)
	}
	var sf soapFault
	var detail *etree.Element
	if v == soap11 {
		want := []string{"faultcode", "faultstring", "detail"}
		for i, c := range f.ChildElements() {
			if i >= len(want) || c.Tag != want[i] || c.NamespaceURI() != "" {
				t.Fatalf("fault child %d is %s in %q, want unqualified %v", i, c.FullTag(), c.NamespaceURI(), want)
			}
		}
		sf.faultcode = f.SelectElement("faultcode").Text()
		sf.faultstring = f.SelectElement("faultstring").Text()
		detail = f.SelectElement("detail")
	} else {
		sf.faultcode = f.FindElement("soap:Code/soap:Value").Text()
		text := f.FindElement("soap:Reason/soap:Text")
		if lang := text.SelectAttrValue("xml:lang", ""); lang != "en" {
			t.Errorf("Reason/Text xml:lang = %q, want en", lang)
		}
		sf.faultstring = text.Text()
		detail = f.FindElement("soap:Detail")
	}
	ef := detail.SelectElement("EngageFault")
	if ef == nil || ef.NamespaceURI() != Namespace {
		t.Fatalf("no EngageFault in %s", body)
	}
	var order []string
	for _, c := range ef.ChildElements() {
		if c.NamespaceURI() != Namespace {
			t.Errorf("EngageFault/%s in namespace %q", c.Tag, c.NamespaceURI())
		}
		order = append(order, c.Tag)
		switch c.Tag {
		case "code":
			sf.code = c.Text()
		case "message":
			sf.message = c.Text()
		case "argument":
			sf.argument, sf.hasArgument = c.Text(), true
		case "contextId":
			sf.contextID = c.Text()
		}
	}
	want := "code message contextId"
	if sf.hasArgument {
		want = "code message argument contextId"
	}
	if got := strings.Join(order, " "); got != want {
		t.Errorf("EngageFault children %q, want %q", got, want)
	}
	return sf
}
