package interop_test

import (
	"encoding/base64"
	"fmt"
	"mime"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"
)

// Namespaces and paths the wire checks use.
const (
	ccNS     = "urn:engage:contactcenter:1"
	soap11NS = "http://schemas.xmlsoap.org/soap/envelope/"
	soap12NS = "http://www.w3.org/2003/05/soap-envelope"
	wsseNS   = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
	xsdPath  = "../wsdl/contact-center.xsd"
)

// wire says what a client's exchanges must look like.
type wire struct {
	// soap12 is set for a client on the SOAP 1.2 port.
	soap12 bool
	// unquotedAction allows a SOAP 1.1 SOAPAction without the quotes WS-I R1109 asks for
	// (the gowsdl client sends it bare); its value must still be the operation's action.
	unquotedAction bool
	// basicAuth is set for a client that authenticates with HTTP Basic rather than a
	// WS-Security UsernameToken.
	basicAuth bool
}

// call is what checkWire learnt of one exchange.
type call struct {
	op    string
	fault string // the EngageFault code, for a fault
}

// checkWire checks every SOAP exchange of a client's run: the SOAP version and content type
// both ways, the action, the credentials, the HTTP status, and every response wrapper and
// fault detail against the XSD with xmllint. It returns the calls in order.
func checkWire(t *testing.T, exchanges []exchange, want wire) []call {
	t.Helper()
	envNS, contentType := soap11NS, "text/xml"
	if want.soap12 {
		envNS, contentType = soap12NS, "application/soap+xml"
	}
	var calls []call
	var toValidate []*etree.Element
	for i, e := range exchanges {
		where := fmt.Sprintf("exchange %d", i+1)
		req := readEnvelope(t, where+" request", e.reqBody, envNS)
		op := req.body.Tag
		where += " (" + op + ")"
		if req.body.NamespaceURI() != ccNS {
			t.Errorf("%s: request element in namespace %q", where, req.body.NamespaceURI())
		}
		checkContentType(t, where+" request", e.reqHeader, contentType)
		checkAction(t, where, e.reqHeader, op, want)
		checkCredentials(t, where, e.reqHeader, req.doc, want.basicAuth)

		checkContentType(t, where+" response", e.respHeader, contentType)
		if e.respHeader.Get("X-Correlation-Id") == "" {
			t.Errorf("%s: response without X-Correlation-Id", where)
		}
		resp := readEnvelope(t, where+" response", e.respBody, envNS)
		c := call{op: op}
		if resp.body.Tag == "Fault" && resp.body.NamespaceURI() == envNS {
			detail := faultDetail(resp.body, want.soap12)
			if detail == nil {
				t.Errorf("%s: fault without an EngageFault detail:\n%s", where, e.respBody)
				continue
			}
			c.fault = detail.FindElement("code").Text()
			ok := e.status == http.StatusInternalServerError || (want.soap12 && e.status == http.StatusBadRequest)
			if c.fault == "AUTHENTICATION_FAILED" {
				ok = e.status == http.StatusUnauthorized && e.respHeader.Get("WWW-Authenticate") != ""
			}
			if !ok {
				t.Errorf("%s: fault %s with HTTP %d", where, c.fault, e.status)
			}
			toValidate = append(toValidate, detail)
		} else {
			if e.status != http.StatusOK || resp.body.Tag != op+"Response" || resp.body.NamespaceURI() != ccNS {
				t.Errorf("%s: HTTP %d with %s, want 200 with %sResponse", where, e.status, resp.body.Tag, op)
			}
			toValidate = append(toValidate, resp.body)
		}
		calls = append(calls, c)
	}
	validate(t, toValidate)
	return calls
}

// envelope is a parsed SOAP envelope and the one element of its Body.
type envelope struct {
	doc  *etree.Document
	body *etree.Element
}

// readEnvelope parses a SOAP envelope of namespace envNS with one element in its Body.
func readEnvelope(t *testing.T, where string, data []byte, envNS string) envelope {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(data); err != nil {
		t.Fatalf("%s: %v\n%s", where, err, data)
	}
	root := doc.Root()
	if root == nil || root.Tag != "Envelope" || root.NamespaceURI() != envNS {
		t.Fatalf("%s: not a SOAP envelope of %s:\n%s", where, envNS, data)
	}
	for _, el := range root.ChildElements() {
		if el.Tag == "Body" && el.NamespaceURI() == envNS {
			if kids := el.ChildElements(); len(kids) == 1 {
				return envelope{doc: doc, body: kids[0]}
			}
		}
	}
	t.Fatalf("%s: no Body with one element:\n%s", where, data)
	return envelope{}
}

// checkContentType checks the media type of a message.
func checkContentType(t *testing.T, where string, h http.Header, want string) {
	t.Helper()
	if mt, _, err := mime.ParseMediaType(h.Get("Content-Type")); err != nil || mt != want {
		t.Errorf("%s: Content-Type %q, want %s", where, h.Get("Content-Type"), want)
	}
}

// checkAction checks the action a request names: for SOAP 1.1 the SOAPAction header, quoted
// (WS-I R1109) and equal to the WSDL's soapAction (R2745); for SOAP 1.2 the optional action
// parameter of the content type.
func checkAction(t *testing.T, where string, h http.Header, op string, want wire) {
	t.Helper()
	action := ccNS + "/" + op
	if want.soap12 {
		_, params, _ := mime.ParseMediaType(h.Get("Content-Type"))
		if got, ok := params["action"]; ok && got != action {
			t.Errorf("%s: action %q, want %q", where, got, action)
		}
		return
	}
	values, ok := h["Soapaction"]
	if !ok || len(values) != 1 {
		t.Errorf("%s: want one SOAPAction header, got %q", where, values)
		return
	}
	got := values[0]
	if unquoted := strings.Trim(got, `"`); unquoted == got && want.unquotedAction {
		got = `"` + got + `"`
	}
	if got != `"`+action+`"` {
		t.Errorf("%s: SOAPAction %s, want %q (quoted, R1109)", where, values[0], action)
	}
}

// checkCredentials checks that a request carries credentials for the interop operator: an
// HTTP Basic Authorization header, or a WS-Security UsernameToken in the SOAP Header.
func checkCredentials(t *testing.T, where string, h http.Header, doc *etree.Document, basic bool) {
	t.Helper()
	if basic {
		auth, _ := strings.CutPrefix(h.Get("Authorization"), "Basic ")
		userPass, _ := base64.StdEncoding.DecodeString(auth)
		if user, _, _ := strings.Cut(string(userPass), ":"); user != operatorName {
			t.Errorf("%s: Authorization %q, want HTTP Basic for %s", where, h.Get("Authorization"), operatorName)
		}
		return
	}
	for _, user := range doc.FindElements("//Username") {
		if user.NamespaceURI() == wsseNS && user.Parent().Tag == "UsernameToken" && user.Text() == operatorName {
			return
		}
	}
	t.Errorf("%s: no WS-Security UsernameToken for %s in the request", where, operatorName)
}

// faultDetail returns the EngageFault in a SOAP 1.1 detail or a SOAP 1.2 env:Detail.
func faultDetail(fault *etree.Element, soap12 bool) *etree.Element {
	name := "detail"
	if soap12 {
		name = "Detail"
	}
	for _, d := range fault.ChildElements() {
		if d.Tag == name {
			for _, el := range d.ChildElements() {
				if el.Tag == "EngageFault" && el.NamespaceURI() == ccNS {
					return el
				}
			}
		}
	}
	return nil
}

// validate has xmllint check each element, written as a document of its own, against the XSD,
// as SoapUI's schema-compliance assertion would.
func validate(t *testing.T, elements []*etree.Element) {
	t.Helper()
	if len(elements) == 0 {
		return
	}
	dir := t.TempDir()
	files := make([]string, len(elements))
	for i, el := range elements {
		doc := etree.NewDocument()
		doc.SetRoot(standalone(el))
		files[i] = filepath.Join(dir, fmt.Sprintf("%02d-%s.xml", i+1, el.Tag))
		if err := doc.WriteToFile(files[i]); err != nil {
			t.Fatal(err)
		}
	}
	out, err := exec.Command("xmllint", append([]string{"--noout", "--schema", xsdPath}, files...)...).CombinedOutput()
	if err != nil {
		for _, f := range files {
			if strings.Contains(string(out), f+" fails to validate") {
				data, _ := os.ReadFile(f)
				t.Errorf("%s is not valid against the XSD:\n%s", filepath.Base(f), data)
			}
		}
		t.Errorf("xmllint: %v\n%s", err, out)
	}
}

// standalone copies el with the namespace declarations of its ancestors it may rely on.
func standalone(el *etree.Element) *etree.Element {
	c := el.Copy()
	declared := map[string]bool{}
	for _, a := range c.Attr {
		if a.Space == "xmlns" || (a.Space == "" && a.Key == "xmlns") {
			declared[a.FullKey()] = true
		}
	}
	for p := el.Parent(); p != nil; p = p.Parent() {
		for _, a := range p.Attr {
			if (a.Space == "xmlns" || (a.Space == "" && a.Key == "xmlns")) && !declared[a.FullKey()] {
				declared[a.FullKey()] = true
				c.CreateAttr(a.FullKey(), a.Value)
			}
		}
	}
	return c
}
