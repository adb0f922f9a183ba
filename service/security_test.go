package service

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/sirupsen/logrus"

	"github.com/engage-oss/engage/provisioning"
)

// The WS-Security utility namespace, for the tests.
const wsuNS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"

// TestSecurityBlockHandedOver checks what the envelope reader gives the Authenticator: the
// Security block meant for the service, standalone, with the namespaces its ancestors
// declared, and nothing for a block meant for another actor.
func TestSecurityBlockHandedOver(t *testing.T) {
	srv := newTestServer(t, Config{})
	res := srv.post(t, ct11, seed(t, "wsse.xml"))
	if res.status != http.StatusOK {
		t.Fatalf("status %d\n%s", res.status, res.body)
	}
	sec, _ := srv.auth.last()
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(sec); err != nil {
		t.Fatalf("Security block is not XML: %v\n%s", err, sec)
	}
	root := doc.Root()
	if root.Tag != "Security" || root.NamespaceURI() != wsseNS {
		t.Errorf("root %s in %s", root.Tag, root.NamespaceURI())
	}
	user := root.FindElement("./UsernameToken/Username")
	pass := root.FindElement("./UsernameToken/Password")
	if user == nil || user.Text() != "admin" || user.NamespaceURI() != wsseNS || pass == nil || pass.Text() != "secret" {
		t.Errorf("UsernameToken not carried over:\n%s", sec)
	}
	if id := root.FindElement("./UsernameToken"); id == nil || !hasAttr(id, wsuNS, "Id", "UsernameToken-1") {
		t.Errorf("wsu:Id not carried over:\n%s", sec)
	}

	// Prefixes declared on the Envelope; an unqualified child stays unqualified.
	body := `<s:Envelope xmlns:s="` + soap11NS + `" xmlns:wsse="` + wsseNS + `"><s:Header><wsse:Security s:mustUnderstand="1">` +
		`<wsse:UsernameToken><wsse:Username>a</wsse:Username><Password>p&amp;&#10;q</Password></wsse:UsernameToken>` +
		`</wsse:Security></s:Header><s:Body>` + echo("x") + `</s:Body></s:Envelope>`
	if res := srv.post(t, ct11, body); res.status != http.StatusOK {
		t.Fatalf("status %d\n%s", res.status, res.body)
	}
	sec, _ = srv.auth.last()
	doc = etree.NewDocument()
	if err := doc.ReadFromBytes(sec); err != nil {
		t.Fatalf("Security block is not XML: %v\n%s", err, sec)
	}
	pw := doc.Root().FindElement("./UsernameToken/Password")
	if pw == nil || pw.NamespaceURI() != "" || pw.Text() != "p&\nq" {
		t.Errorf("unqualified Password changed:\n%s", sec)
	}

	// A block for another actor is not ours; a request without one hands over nil.
	other := env11(`<wsse:Security xmlns:wsse="`+wsseNS+`" soap:actor="urn:proxy" soap:mustUnderstand="1"><wsse:UsernameToken/></wsse:Security>`, echo("x"))
	for _, b := range []string{other, env11("", echo("x"))} {
		if res := srv.post(t, ct11, b); res.status != http.StatusOK {
			t.Fatalf("status %d\n%s", res.status, res.body)
		}
		if sec, _ := srv.auth.last(); sec != nil {
			t.Errorf("Security block %q handed over for\n%s", sec, b)
		}
	}

	// Two blocks for the service are refused before authentication.
	srv.auth.reset()
	two := `<wsse:Security xmlns:wsse="` + wsseNS + `"/>`
	checkFault(t, soap11, srv.post(t, ct11, env11(two+two, echo("x"))),
		invalid(soap11, "more than one wsse:Security header for the service"))
	if _, seen := srv.auth.last(); seen {
		t.Error("authenticated a request with two Security blocks")
	}
}

// hasAttr reports whether el has the attribute {space}local with value.
func hasAttr(el *etree.Element, space, local, value string) bool {
	for _, a := range el.Attr {
		if a.Key == local && a.NamespaceURI() == space && a.Value == value {
			return true
		}
	}
	return false
}

// TestAuthenticationFault checks the refusal in both versions: AUTHENTICATION_FAILED without
// argument, HTTP 401, a Basic challenge, the operation never run, and the reason in the log
// only.
func TestAuthenticationFault(t *testing.T) {
	for _, v := range []soapVersion{soap11, soap12} {
		t.Run(v.String(), func(t *testing.T) {
			srv := newTestServer(t, Config{})
			h := http.Header{"Content-Type": {v.contentType()}}
			req := func(user string) response {
				h := h.Clone()
				if user != "" {
					r := &http.Request{Header: h}
					r.SetBasicAuth(user, "x")
				}
				return srv.do(t, http.MethodPost, EndpointPath, h, strings.NewReader(envelopeOf(v.namespace(), "", echo("x"))))
			}
			res := req("intruder")
			want := clientFault(v, provisioning.AuthenticationFailed, "", "Authentication failed")
			want.status = http.StatusUnauthorized
			checkFault(t, v, res, want)
			if got := res.header.Get("WWW-Authenticate"); got != `Basic realm="engage"` {
				t.Errorf("WWW-Authenticate %q", got)
			}
			if bytes.Contains(res.body, []byte("stub")) {
				t.Errorf("the reason reached the client:\n%s", res.body)
			}
			if n := srv.calls.Load(); n != 0 {
				t.Errorf("the operation ran %d times", n)
			}
			e := srv.logs.LastEntry()
			if e.Data["code"] != "AUTHENTICATION_FAILED" || e.Data["status"] != http.StatusUnauthorized || e.Data["operator"] != "" {
				t.Errorf("logged %v", e.Data)
			}
			if err, _ := e.Data[logrus.ErrorKey].(error); err == nil || !strings.Contains(err.Error(), "stub") {
				t.Errorf("the reason is not logged: %v", e.Data)
			}

			// An Authenticator that fails on its own is an internal error, not a refusal.
			res = req("broken")
			checkFault(t, v, res, serverFault(v, "", "Internal error, see contextId"))
			if res.header.Get("WWW-Authenticate") != "" {
				t.Error("challenge on an internal error")
			}
		})
	}
}

// TestCallerInContext checks that the operation runs for the authenticated caller and the
// log line names the operator.
func TestCallerInContext(t *testing.T) {
	srv := newTestServer(t, Config{})
	res := srv.post(t, ct11, env11("", `<whoami xmlns="urn:engage:contactcenter:1"/>`))
	var got struct {
		Name string `xml:"Body>whoamiResponse>name"`
		Role string `xml:"Body>whoamiResponse>role"`
	}
	if err := xml.Unmarshal(res.body, &got); err != nil || got.Name != "tester" || got.Role != "ADMINISTRATOR" {
		t.Errorf("caller %+v %v\n%s", got, err, res.body)
	}
	if e := srv.logs.LastEntry(); e.Data["operator"] != "tester" {
		t.Errorf("logged operator %v", e.Data["operator"])
	}
}
