package service

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/engage-oss/engage/provisioning"
	"github.com/sirupsen/logrus"
)

// wantFault is an expected fault.
type wantFault struct {
	status    int
	faultcode string
	code      provisioning.Code
	message   string
	// arg is the expected argument; empty means no argument element.
	arg string
}

// checkFault checks a fault response of version v: status, Content-Type, fault code, message
// in both places, EngageFault, and a contextId equal to the X-Correlation-Id header.
func checkFault(t *testing.T, v soapVersion, res response, want wantFault) {
	t.Helper()
	if res.status != want.status {
		t.Errorf("status %d, want %d\n%s", res.status, want.status, res.body)
	}
	if ct := res.header.Get("Content-Type"); ct != v.contentType() {
		t.Errorf("Content-Type %q, want %q", ct, v.contentType())
	}
	f := parseFault(t, v, res.body)
	if f.faultcode != want.faultcode {
		t.Errorf("fault code %q, want %q", f.faultcode, want.faultcode)
	}
	if f.faultstring != want.message || f.message != want.message {
		t.Errorf("faultstring %q, message %q, want %q", f.faultstring, f.message, want.message)
	}
	if f.code != string(want.code) {
		t.Errorf("code %q, want %q", f.code, want.code)
	}
	if f.argument != want.arg || f.hasArgument != (want.arg != "") {
		t.Errorf("argument %q (present %v), want %q", f.argument, f.hasArgument, want.arg)
	}
	if id := res.header.Get(CorrelationHeader); id == "" || f.contextID != id {
		t.Errorf("contextId %q, X-Correlation-Id %q", f.contextID, id)
	}
}

// clientFault is the fault of a caller's error in version v.
func clientFault(v soapVersion, code provisioning.Code, arg, message string) wantFault {
	if v == soap12 {
		return wantFault{http.StatusBadRequest, "soap:Sender", code, message, arg}
	}
	return wantFault{http.StatusInternalServerError, "soap:Client", code, message, arg}
}

// invalid is the ARG_INVALID_DATA client fault naming arg.
func invalid(v soapVersion, arg string) wantFault {
	return clientFault(v, provisioning.ArgInvalidData, arg, "Invalid Data '"+arg+"'")
}

// serverFault is the fault of the service's own failure in version v.
func serverFault(v soapVersion, arg, message string) wantFault {
	value := "soap:Server"
	if v == soap12 {
		value = "soap:Receiver"
	}
	return wantFault{http.StatusInternalServerError, value, provisioning.InternalError, message, arg}
}

func TestSuccess(t *testing.T) {
	srv := newTestServer(t, Config{})
	tests := []struct {
		name        string
		contentType string
		body        string
		header      []string
		want        string
	}{{
		name:        "SOAP 1.1",
		contentType: ct11,
		body:        env11("", echo("hi &amp; bye")),
		header:      []string{"SOAPAction", `"urn:engage:contactcenter:1/echo"`},
		want: `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>` +
			`<echoResponse xmlns="urn:engage:contactcenter:1"><text>hi &amp; bye</text><contextId>id-1</contextId></echoResponse>` +
			`</soap:Body></soap:Envelope>`,
	}, {
		name:        "SOAP 1.2",
		contentType: `application/soap+xml; charset=utf-8; action="urn:engage:contactcenter:1/echo"`,
		body:        env12("", echo("hi")),
		want: `<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>` +
			`<echoResponse xmlns="urn:engage:contactcenter:1"><text>hi</text><contextId>id-1</contextId></echoResponse>` +
			`</soap:Body></soap:Envelope>`,
	}, {
		name:        "SoapUI prefixes declared on the Envelope, empty Header, XML declaration",
		contentType: "text/xml;charset=UTF-8",
		body: `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
			`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:engage:contactcenter:1">` +
			"\n <soapenv:Header/>\n <soapenv:Body>\n  <!-- a comment -->\n  <urn:echo>\n   <urn:text>hi</urn:text>\n  </urn:echo>\n </soapenv:Body>\n</soapenv:Envelope>\n",
		header: []string{"SOAPAction", "echo"},
		want: `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>` +
			`<echoResponse xmlns="urn:engage:contactcenter:1"><text>hi</text><contextId>id-1</contextId></echoResponse>` +
			`</soap:Body></soap:Envelope>`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := srv.post(t, tt.contentType, tt.body, append(tt.header, CorrelationHeader, "id-1")...)
			if res.status != http.StatusOK {
				t.Fatalf("status %d\n%s", res.status, res.body)
			}
			v := soap11
			if strings.HasPrefix(tt.contentType, "application/soap+xml") {
				v = soap12
			}
			if ct := res.header.Get("Content-Type"); ct != v.contentType() {
				t.Errorf("Content-Type %q, want %q", ct, v.contentType())
			}
			if cl := res.header.Get("Content-Length"); cl != fmt.Sprint(len(tt.want)) {
				t.Errorf("Content-Length %s, want %d", cl, len(tt.want))
			}
			if string(res.body) != tt.want {
				t.Errorf("body\n%s\nwant\n%s", res.body, tt.want)
			}
			if id := res.header.Get(CorrelationHeader); id != "id-1" {
				t.Errorf("X-Correlation-Id %q, want id-1", id)
			}
		})
	}
}

func TestOperationFaults(t *testing.T) {
	const generic = "Internal error, see contextId"
	tests := []struct {
		name string
		op   string
		want func(soapVersion) wantFault
	}{
		{"documented error", "missing", func(v soapVersion) wantFault {
			return clientFault(v, provisioning.ObjectNotExists, "x", "Referenced object 'x' does not exist")
		}},
		{"undocumented error", "broken", func(v soapVersion) wantFault { return serverFault(v, "", generic) }},
		{"panic", "panics", func(v soapVersion) wantFault { return serverFault(v, "", generic) }},
		{"not implemented", "createOrg", func(v soapVersion) wantFault {
			return serverFault(v, "createOrg", "Operation 'createOrg' is not implemented yet")
		}},
	}
	for _, tt := range tests {
		for _, v := range []soapVersion{soap11, soap12} {
			t.Run(tt.name+" "+v.String(), func(t *testing.T) {
				srv := newTestServer(t, Config{})
				body := `<` + tt.op + ` xmlns="urn:engage:contactcenter:1"/>`
				res := srv.post(t, v.contentType(), envelopeOf(v.namespace(), "", body))
				checkFault(t, v, res, tt.want(v))
				for _, leak := range []string{"fire", "boom", "never sent", "goroutine"} {
					if strings.Contains(string(res.body), leak) {
						t.Errorf("fault leaks %q:\n%s", leak, res.body)
					}
				}
			})
		}
	}
}

func TestLogLine(t *testing.T) {
	srv := newTestServer(t, Config{})
	res := srv.post(t, ct11, env11("", `<broken xmlns="urn:engage:contactcenter:1"/>`), CorrelationHeader, "trace-42")
	if res.status != http.StatusInternalServerError {
		t.Fatalf("status %d", res.status)
	}
	entries := srv.logs.AllEntries()
	if len(entries) != 1 {
		t.Fatalf("%d log lines, want 1", len(entries))
	}
	e := entries[0]
	if e.Level != logrus.ErrorLevel {
		t.Errorf("level %v, want error", e.Level)
	}
	for field, want := range map[string]any{
		"operation":      "broken",
		"status":         http.StatusInternalServerError,
		"code":           "INTERNAL_ERROR",
		"correlation_id": "trace-42",
	} {
		if got := e.Data[field]; got != want {
			t.Errorf("%s = %v, want %v", field, got, want)
		}
	}
	if err, _ := e.Data[logrus.ErrorKey].(error); err == nil || err.Error() != "database on fire" {
		t.Errorf("error = %v, want the operation's error", e.Data[logrus.ErrorKey])
	}
	for _, field := range []string{"duration_ms", "remote"} {
		if _, ok := e.Data[field]; !ok {
			t.Errorf("no %s field", field)
		}
	}

	srv.logs.Reset()
	srv.post(t, ct11, env11("", echo("secret-body-text")))
	e = srv.logs.LastEntry()
	if e.Level != logrus.InfoLevel || e.Data["code"] != "ok" || e.Data["operation"] != "echo" {
		t.Errorf("success logged as %v %v", e.Level, e.Data)
	}
	if s, _ := e.String(); strings.Contains(s, "secret-body-text") {
		t.Errorf("log line holds the body: %s", s)
	}
}

func TestCorrelationID(t *testing.T) {
	srv := newTestServer(t, Config{})
	tests := []struct {
		name     string
		incoming string
		echoed   bool
	}{
		{"sane", "Abc.def_123-4", true},
		{"64 characters", strings.Repeat("a", 64), true},
		{"missing", "", false},
		{"65 characters", strings.Repeat("a", 65), false},
		{"space", "a b", false},
		{"markup", "<x>", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var header []string
			if tt.incoming != "" {
				header = []string{CorrelationHeader, tt.incoming}
			}
			res := srv.post(t, ct11, env11("", `<missing xmlns="urn:engage:contactcenter:1"/>`), header...)
			id := res.header.Get(CorrelationHeader)
			switch {
			case tt.echoed && id != tt.incoming:
				t.Errorf("X-Correlation-Id %q, want %q", id, tt.incoming)
			case !tt.echoed && (len(id) != 32 || strings.Trim(id, "0123456789abcdef") != ""):
				t.Errorf("X-Correlation-Id %q, want 32 random hex digits", id)
			}
			if f := parseFault(t, soap11, res.body); f.contextID != id {
				t.Errorf("contextId %q, X-Correlation-Id %q", f.contextID, id)
			}
			if got := srv.logs.LastEntry().Data["correlation_id"]; got != id {
				t.Errorf("logged correlation_id %v, want %q", got, id)
			}
		})
	}
	a := srv.post(t, ct11, env11("", echo("x"))).header.Get(CorrelationHeader)
	b := srv.post(t, ct11, env11("", echo("x"))).header.Get(CorrelationHeader)
	if a == b {
		t.Errorf("generated ids repeat: %q", a)
	}
}

func TestHTTPErrors(t *testing.T) {
	srv := newTestServer(t, Config{})
	tests := []struct {
		name   string
		method string
		path   string
		status int
		allow  string
	}{
		{"PUT on the endpoint", http.MethodPut, EndpointPath, http.StatusMethodNotAllowed, allowedMethods},
		{"GET without ?wsdl", http.MethodGet, EndpointPath, http.StatusMethodNotAllowed, allowedMethods},
		{"DELETE with ?wsdl", http.MethodDelete, EndpointPath + "?wsdl", http.StatusMethodNotAllowed, allowedMethods},
		{"unknown path", http.MethodGet, "/nope", http.StatusNotFound, ""},
		{"unknown schema", http.MethodGet, EndpointPath + "?xsd=other.xsd", http.StatusNotFound, ""},
		{"POST on the schema", http.MethodPost, SchemaPath, http.StatusMethodNotAllowed, "GET, HEAD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := srv.do(t, tt.method, tt.path, nil, nil)
			if res.status != tt.status {
				t.Errorf("status %d, want %d", res.status, tt.status)
			}
			if got := res.header.Get("Allow"); got != tt.allow {
				t.Errorf("Allow %q, want %q", got, tt.allow)
			}
			if res.header.Get(CorrelationHeader) == "" {
				t.Error("no X-Correlation-Id")
			}
			if tt.path == EndpointPath && tt.status == http.StatusMethodNotAllowed {
				checkFault(t, soap11, res, wantFault{http.StatusMethodNotAllowed, "soap:Client",
					provisioning.ArgInvalidData, "Invalid Data 'HTTP method " + tt.method + "'", "HTTP method " + tt.method})
			}
		})
	}
}

func TestNewServer(t *testing.T) {
	if _, err := New(Config{}, nil, logrus.New()); err == nil {
		t.Error("New without an Authenticator: no error")
	}
	h, err := New(Config{Authenticator: &stubAuth{}}, nil, logrus.New())
	if err != nil {
		t.Fatal(err)
	}
	d := DefaultTimeouts()
	s := NewServer("127.0.0.1:0", h, d)
	if s.Addr != "127.0.0.1:0" || s.Handler != h {
		t.Errorf("server %q %v", s.Addr, s.Handler)
	}
	if s.ReadHeaderTimeout != d.ReadHeader || s.ReadTimeout != d.Read || d.ReadHeader == 0 || d.Read == 0 ||
		s.WriteTimeout != d.Write || s.IdleTimeout != d.Idle || d.Write == 0 || d.Idle == 0 || s.MaxHeaderBytes != MaxHeaderBytes {
		t.Errorf("timeouts not set: %+v", s)
	}
}
