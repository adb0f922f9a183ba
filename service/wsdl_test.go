package service

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/engage-oss/engage/wsdl"
)

// getXML fetches a document over HTTP and parses it.
func getXML(t *testing.T, srv *testServer, path string, header http.Header) *etree.Document {
	t.Helper()
	res := srv.do(t, http.MethodGet, path, header, nil)
	if res.status != http.StatusOK {
		t.Fatalf("GET %s: status %d\n%s", path, res.status, res.body)
	}
	if ct := res.header.Get("Content-Type"); ct != "text/xml; charset=utf-8" {
		t.Errorf("GET %s: Content-Type %q", path, ct)
	}
	if res.header.Get(CorrelationHeader) == "" {
		t.Errorf("GET %s: no X-Correlation-Id", path)
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(res.body); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return doc
}

// addresses returns the soap:address and soap12:address locations of a WSDL, in order.
func addresses(doc *etree.Document) []string {
	var out []string
	for _, el := range doc.FindElements("//service/port/address") {
		out = append(out, el.NamespaceURI()+" "+el.SelectAttrValue("location", ""))
	}
	return out
}

func TestWSDL(t *testing.T) {
	srv := newTestServer(t, Config{})
	endpoint := srv.URL + EndpointPath
	for _, query := range []string{"?wsdl", "?WSDL"} {
		t.Run(query, func(t *testing.T) {
			doc := getXML(t, srv, EndpointPath+query, nil)
			want := []string{wsdlSOAP11NS + " " + endpoint, wsdlSOAP12NS + " " + endpoint}
			if got := addresses(doc); !slices.Equal(got, want) {
				t.Errorf("addresses %q, want %q", got, want)
			}
			imp := doc.FindElement("//types/schema/import")
			loc := imp.SelectAttrValue("schemaLocation", "")
			if loc != endpoint+"?xsd=contact-center.xsd" {
				t.Fatalf("schemaLocation %q", loc)
			}
			xsd := getXML(t, srv, strings.TrimPrefix(loc, srv.URL), nil)
			if root := xsd.Root(); root.Tag != "schema" || root.SelectAttrValue("targetNamespace", "") != Namespace {
				t.Errorf("schema root %s %v", root.FullTag(), root.Attr)
			}
		})
	}
	t.Run("relative schema location", func(t *testing.T) {
		// contact-center.xsd relative to /services/ContactCenter?wsdl.
		xsd := getXML(t, srv, SchemaPath, nil)
		if xsd.FindElement("/schema/element[@name='EngageFault']") == nil {
			t.Error("no EngageFault in the schema")
		}
	})
}

func TestWSDLAddress(t *testing.T) {
	tests := []struct {
		name      string
		publicURL string
		header    http.Header
		want      string
	}{
		{"forwarded host and proto", "", http.Header{
			"X-Forwarded-Host": {"cc.example.com, proxy.internal"}, "X-Forwarded-Proto": {"https"}},
			"https://cc.example.com/services/ContactCenter"},
		{"forwarded host with port", "", http.Header{"X-Forwarded-Host": {"cc.example.com:8443"}},
			"http://cc.example.com:8443/services/ContactCenter"},
		{"unsafe forwarded host ignored", "", http.Header{"X-Forwarded-Host": {`evil"/><x`}, "X-Forwarded-Proto": {"gopher"}},
			""},
		{"public URL", "https://pub.example.com/", http.Header{"X-Forwarded-Host": {"ignored.example.com"}},
			"https://pub.example.com/services/ContactCenter"},
		{"public URL naming the endpoint", "https://pub.example.com/services/ContactCenter", nil,
			"https://pub.example.com/services/ContactCenter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTestServer(t, Config{PublicURL: tt.publicURL})
			want := tt.want
			if want == "" {
				want = srv.URL + EndpointPath
			}
			doc := getXML(t, srv, EndpointPath+"?wsdl", tt.header)
			for _, got := range addresses(doc) {
				if _, loc, _ := strings.Cut(got, " "); loc != want {
					t.Errorf("address %q, want %q", loc, want)
				}
			}
			imp := doc.FindElement("//types/schema/import")
			if loc := imp.SelectAttrValue("schemaLocation", ""); loc != want+"?xsd="+wsdl.SchemaFile {
				t.Errorf("schemaLocation %q", loc)
			}
		})
	}
}

// TestContractOperations checks that the operations taken from the schema's request wrappers
// are exactly the WSDL's operations, so that every one is either served or not implemented.
func TestContractOperations(t *testing.T) {
	c, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	var portType []string
	for _, el := range c.wsdl.FindElements("//portType/operation") {
		portType = append(portType, el.SelectAttrValue("name", ""))
	}
	if len(portType) == 0 || !slices.Equal(c.operations, portType) {
		t.Errorf("request wrappers %q\nWSDL operations %q", c.operations, portType)
	}
	h := newHandler(Config{}, nil, nil, nil).(*handler)
	for _, name := range portType {
		if !h.unimplemented[name] {
			t.Errorf("%s is neither served nor marked not implemented", name)
		}
	}
}
