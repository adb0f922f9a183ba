package service

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/engage-oss/engage/provisioning"
)

// seed returns a file of testdata/envelopes.
func seed(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "envelopes", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// nested returns n nested elements in the contract's namespace.
func nested(n int) string {
	return strings.Repeat("<a>", n) + strings.Repeat("</a>", n)
}

func TestEnvelopeFaults(t *testing.T) {
	const echoNS = "{urn:engage:contactcenter:1}echo"
	manyAttrs := new(strings.Builder)
	for i := range maxAttributes + 1 {
		manyAttrs.WriteString(" a" + strings.Repeat("x", i) + `=""`)
	}
	tooLarge := func(arg string) wantFault {
		return clientFault(soap11, provisioning.ArgTooLarge, arg, "Invalid Data, argument '"+arg+"' exceeds allowed size")
	}
	tests := []struct {
		name        string
		contentType string
		header      []string
		body        string
		want        wantFault
		// v is the version of the fault; SOAP 1.1 when zero.
		v soapVersion
	}{
		{name: "not well-formed", body: env11("", `<echo xmlns="urn:engage:contactcenter:1"><text>x</echo>`),
			want: invalid(soap11, "XML syntax error on line 1: element <text> closed by </echo>")},
		{name: "truncated", body: `<soap:Envelope xmlns:soap="` + soap11NS + `"><soap:Body>`,
			want: invalid(soap11, "XML syntax error on line 1: unexpected EOF")},
		{name: "syntax error on a later line", body: "<soap:Envelope\n xmlns:soap=\"" + soap11NS + "\">\n<soap:Body>\n<<",
			want: invalid(soap11, "XML syntax error on line 4: expected element name after <")},
		{name: "empty request", body: "",
			want: invalid(soap11, "request has no SOAP Envelope")},
		{name: "not an envelope", body: `<echo xmlns="urn:engage:contactcenter:1"/>`,
			want: invalid(soap11, "root element "+echoNS+" is not a SOAP Envelope")},
		{name: "text outside the envelope", body: "hello",
			want: invalid(soap11, "text in the document")},
		{name: "element after the envelope", body: env11("", echo("x")) + "<x/>",
			want: invalid(soap11, "element {}x after the Envelope")},
		{name: "unknown envelope namespace", body: envelopeOf("urn:soap:3", "", echo("x")),
			want: wantFault{500, "soap:VersionMismatch", provisioning.ArgInvalidData,
				"Invalid Data 'unsupported SOAP envelope {urn:soap:3}Envelope'", "unsupported SOAP envelope {urn:soap:3}Envelope"}},
		{name: "SOAP 1.2 envelope as text/xml", body: env12("", echo("x")),
			want: wantFault{500, "soap:VersionMismatch", provisioning.ArgInvalidData,
				"Invalid Data 'SOAP 1.2 envelope sent as text/xml'", "SOAP 1.2 envelope sent as text/xml"}},
		{name: "SOAP 1.1 envelope as application/soap+xml", contentType: ct12, body: env11("", echo("x")), v: soap12,
			want: wantFault{500, "soap:VersionMismatch", provisioning.ArgInvalidData,
				"Invalid Data 'SOAP 1.1 envelope sent as application/soap+xml'", "SOAP 1.1 envelope sent as application/soap+xml"}},
		{name: "JSON", contentType: "application/json", body: `{}`,
			want: wantFault{415, "soap:Client", provisioning.ArgInvalidData,
				"Invalid Data 'Content-Type application/json'", "Content-Type application/json"}},
		{name: "MTOM", contentType: `multipart/related; type="application/xop+xml"; boundary=x`, body: env11("", echo("x")),
			want: wantFault{415, "soap:Client", provisioning.ArgInvalidData,
				"Invalid Data 'Content-Type multipart/related'", "Content-Type multipart/related"}},
		{name: "no Content-Type", contentType: "-", body: env11("", echo("x")),
			want: wantFault{415, "soap:Client", provisioning.ArgInvalidData, "Invalid Data 'missing Content-Type'", "missing Content-Type"}},
		{name: "bad Content-Type", contentType: "text/xml; charset", body: env11("", echo("x")),
			want: wantFault{415, "soap:Client", provisioning.ArgInvalidData,
				"Invalid Data 'Content-Type text/xml; charset'", "Content-Type text/xml; charset"}},
		{name: "XXE", body: seed(t, "xxe.xml"), want: invalid(soap11, "DOCTYPE")},
		{name: "billion laughs", body: seed(t, "billion-laughs.xml"), want: invalid(soap11, "DOCTYPE")},
		{name: "entity declaration", body: `<!ENTITY x "y">` + env11("", echo("x")), want: invalid(soap11, "ENTITY")},
		{name: "undeclared entity", body: env11("", echo("&lol9;")),
			want: invalid(soap11, "XML syntax error on line 1: invalid character entity &lol9;")},
		{name: "processing instruction", body: `<?xml version="1.0"?><?xml-stylesheet href="x.xsl"?>` + env11("", echo("x")),
			want: invalid(soap11, "processing instruction xml-stylesheet")},
		{name: "late XML declaration", body: "<!-- c --><?xml version=\"1.0\"?>" + env11("", echo("x")),
			want: invalid(soap11, "processing instruction xml")},
		{name: "depth bomb", body: env11("", `<echo xmlns="urn:engage:contactcenter:1">`+nested(10000)+`</echo>`),
			want: tooLarge("element depth")},
		{name: "too many elements", body: env11("", `<echo xmlns="urn:engage:contactcenter:1">`+strings.Repeat("<a/>", maxElements)+`</echo>`),
			want: tooLarge("element count")},
		{name: "too many attributes", body: env11("", `<echo xmlns="urn:engage:contactcenter:1"><text`+manyAttrs.String()+`/></echo>`),
			want: tooLarge("attributes of element text")},
		{name: "ISO-8859-1 declared", body: `<?xml version="1.0" encoding="ISO-8859-1"?>` + env11("", echo("x")),
			want: invalid(soap11, "encoding ISO-8859-1 (only UTF-8 is supported)")},
		{name: "UTF-16 charset", contentType: "text/xml; charset=UTF-16", body: env11("", echo("x")),
			want: invalid(soap11, "charset UTF-16 (only UTF-8 is supported)")},
		{name: "no Body", body: `<soap:Envelope xmlns:soap="` + soap11NS + `"><soap:Header/></soap:Envelope>`,
			want: invalid(soap11, "Envelope has no Body")},
		{name: "empty Body", body: env11("", " <!-- nothing --> "), want: invalid(soap11, "Body is empty")},
		{name: "text in Body", body: env11("", "hello"), want: invalid(soap11, "text in Body")},
		{name: "two Body elements", body: env11("", echo("1")+echo("2")),
			want: invalid(soap11, "Body has more than one element: "+echoNS+", "+echoNS)},
		{name: "element after Body", body: `<soap:Envelope xmlns:soap="` + soap11NS + `"><soap:Body>` + echo("x") + `</soap:Body><soap:Header/></soap:Envelope>`,
			want: invalid(soap11, "element {"+soap11NS+"}Header after the Body")},
		{name: "foreign element in Envelope", body: `<soap:Envelope xmlns:soap="` + soap11NS + `"><x/><soap:Body>` + echo("x") + `</soap:Body></soap:Envelope>`,
			want: invalid(soap11, "unexpected element {}x in the Envelope")},
		{name: "unknown operation", body: env11("", `<nope xmlns="urn:engage:contactcenter:1"/>`),
			want: invalid(soap11, "unknown operation {urn:engage:contactcenter:1}nope")},
		{name: "operation in another namespace", body: env11("", `<echo xmlns="urn:other"/>`),
			want: invalid(soap11, "unknown operation {urn:other}echo")},
		{name: "unqualified operation", body: env11("", `<echo/>`),
			want: invalid(soap11, "unknown operation {}echo")},
		{name: "action naming another operation", header: []string{"SOAPAction", `"urn:engage:contactcenter:1/createOrg"`}, body: env11("", echo("x")),
			want: invalid(soap11, "action urn:engage:contactcenter:1/createOrg does not name operation echo")},
		{name: "bare action naming another operation", header: []string{"SOAPAction", "missing"}, body: env11("", echo("x")),
			want: invalid(soap11, "action missing does not name operation echo")},
		{name: "SOAP 1.2 action naming another operation", contentType: ct12 + `; action="urn:engage:contactcenter:1/missing"`,
			body: env12("", echo("x")), v: soap12,
			want: invalid(soap12, "action urn:engage:contactcenter:1/missing does not name operation echo")},
		{name: "mustUnderstand header", body: env11(`<t:Trace xmlns:t="urn:trace" soap:mustUnderstand="1"/>`, echo("x")),
			want: wantFault{500, "soap:MustUnderstand", provisioning.ArgInvalidData,
				"Invalid Data 'header {urn:trace}Trace not understood'", "header {urn:trace}Trace not understood"}},
		{name: "unqualified mustUnderstand", body: env11(`<t:Trace xmlns:t="urn:trace" mustUnderstand="true"/>`, echo("x")),
			want: wantFault{500, "soap:MustUnderstand", provisioning.ArgInvalidData,
				"Invalid Data 'header {urn:trace}Trace not understood'", "header {urn:trace}Trace not understood"}},
		{name: "SOAP 1.2 mustUnderstand", contentType: ct12, v: soap12,
			body: env12(`<t:Trace xmlns:t="urn:trace" soap:mustUnderstand="true" soap:role="`+soap12NS+`/role/ultimateReceiver"/>`, echo("x")),
			want: wantFault{500, "soap:MustUnderstand", provisioning.ArgInvalidData,
				"Invalid Data 'header {urn:trace}Trace not understood'", "header {urn:trace}Trace not understood"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, Config{})
			contentType := tt.contentType
			switch contentType {
			case "":
				contentType = ct11
			case "-":
				contentType = ""
			}
			v := tt.v
			if v == 0 {
				v = soap11
			}
			res := srv.post(t, contentType, tt.body, tt.header...)
			checkFault(t, v, res, tt.want)
			if n := srv.calls.Load(); n != 0 {
				t.Errorf("an operation ran %d times", n)
			}
		})
	}
}

func TestAcceptedEnvelopes(t *testing.T) {
	tests := []struct {
		name        string
		contentType string
		header      []string
		body        string
	}{
		{"no SOAPAction", ct11, nil, env11("", echo("x"))},
		{"empty SOAPAction", ct11, []string{"SOAPAction", `""`}, env11("", echo("x"))},
		{"unknown action", ct11, []string{"SOAPAction", "urn:somewhere/else"}, env11("", echo("x"))},
		{"bare action", ct11, []string{"SOAPAction", "echo"}, env11("", echo("x"))},
		{"SOAP 1.2 without action", "application/soap+xml", nil, env12("", echo("x"))},
		{"SOAP 1.2 unknown action", ct12 + `; action="urn:x"`, nil, env12("", echo("x"))},
		{"mustUnderstand 0", ct11, nil, env11(`<t:Trace xmlns:t="urn:trace" soap:mustUnderstand="0"/>`, echo("x"))},
		{"mustUnderstand for another actor", ct11, nil,
			env11(`<t:Trace xmlns:t="urn:trace" soap:actor="urn:proxy" soap:mustUnderstand="1"/>`, echo("x"))},
		{"mustUnderstand for next", ct11, nil,
			env11(`<t:Trace xmlns:t="urn:trace" soap:actor="http://schemas.xmlsoap.org/soap/actor/next"/>`, echo("x"))},
		{"WS-Security with mustUnderstand", ct11, nil, seed(t, "wsse.xml")},
		{"WS-Addressing headers", ct11, nil,
			env11(`<wsa:Action xmlns:wsa="http://www.w3.org/2005/08/addressing">echo</wsa:Action>`, echo("x"))},
		{"byte order mark", ct11, nil, "\uFEFF" + `<?xml version="1.0" encoding="UTF-8"?>` + env11("", echo("x"))},
		{"declared UTF-8 encoding", ct11, nil, `<?xml version="1.0" encoding="utf-8"?>` + env11("", echo("x"))},
		{"depth 64", ct11, nil, env11("", `<echo xmlns="urn:engage:contactcenter:1">`+nested(maxDepth-3)+`</echo>`)},
		{"64 attributes", ct11, nil, env11("", `<echo xmlns="urn:engage:contactcenter:1">`+
			`<text`+strings.Repeat(" ", 1)+attrs(maxAttributes)+`>x</text></echo>`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, Config{})
			res := srv.post(t, tt.contentType, tt.body, tt.header...)
			if res.status != http.StatusOK || !bytes.Contains(res.body, []byte("<echoResponse")) {
				t.Errorf("status %d\n%s", res.status, res.body)
			}
		})
	}
}

// attrs returns n distinct attributes.
func attrs(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(" a" + strings.Repeat("x", i) + `=""`)
	}
	return b.String()
}

func TestRequestSize(t *testing.T) {
	srv := newTestServer(t, Config{MaxRequestBytes: 1024})
	big := env11("", echo(strings.Repeat("x", 2000)))
	want := clientFault(soap11, provisioning.ArgTooLarge, "request", "Invalid Data, argument 'request' exceeds allowed size")
	t.Run("Content-Length", func(t *testing.T) {
		checkFault(t, soap11, srv.post(t, ct11, big), want)
	})
	t.Run("chunked", func(t *testing.T) {
		// A reader of unknown length makes the client send the body chunked.
		body := struct{ *strings.Reader }{strings.NewReader(big)}
		res := srv.do(t, http.MethodPost, EndpointPath, http.Header{"Content-Type": {ct11}}, body)
		checkFault(t, soap11, res, want)
	})
	t.Run("at the limit", func(t *testing.T) {
		small := env11("", echo(""))
		small = env11("", echo(strings.Repeat("x", 1024-len(small))))
		if res := srv.post(t, ct11, small); res.status != http.StatusOK {
			t.Errorf("status %d for %d bytes\n%s", res.status, len(small), res.body)
		}
	})
	if n := srv.calls.Load(); n != 1 {
		t.Errorf("operations ran %d times, want 1", n)
	}
}

// BenchmarkReadEnvelope reads the envelope of a showAgentGroup call, as serveSOAP does before
// authenticating and dispatching it, and releases it, as serveSOAP does once it is served.
func BenchmarkReadEnvelope(b *testing.B) {
	body, err := os.ReadFile(filepath.Join("..", "fixtures", "golden", "03-showAgentGroup.request.xml"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		r := http.MaxBytesReader(nil, io.NopCloser(bytes.NewReader(body)), DefaultMaxRequestBytes)
		env, err := readEnvelope(r, int64(len(body)), soap11)
		if err != nil {
			b.Fatal(err)
		}
		env.release()
	}
}
