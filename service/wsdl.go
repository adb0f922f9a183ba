package service

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/beevik/etree"
	"github.com/engage-oss/engage/wsdl"
)

// Namespaces of the WSDL elements the published WSDL rewrites.
const (
	wsdlSOAP11NS = "http://schemas.xmlsoap.org/wsdl/soap/"
	wsdlSOAP12NS = "http://schemas.xmlsoap.org/wsdl/soap12/"
	xsdNS        = "http://www.w3.org/2001/XMLSchema"
)

// contract is the embedded contract, read once.
type contract struct {
	// wsdl is the WSDL, copied and rewritten for each request.
	wsdl *etree.Document
	// schema is the XSD, served as it is.
	schema []byte
	// operations are the names of the request wrappers, in the schema's order.
	operations []string
}

// loadContract reads the embedded WSDL and schema.
func loadContract() (*contract, error) {
	wsdlBytes, err := wsdl.Files.ReadFile(wsdl.WSDLFile)
	if err != nil {
		return nil, err
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(wsdlBytes); err != nil {
		return nil, err
	}
	schema, err := wsdl.Files.ReadFile(wsdl.SchemaFile)
	if err != nil {
		return nil, err
	}
	xsd := etree.NewDocument()
	if err := xsd.ReadFromBytes(schema); err != nil {
		return nil, err
	}
	return &contract{wsdl: doc, schema: schema, operations: requestWrappers(xsd)}, nil
}

// requestWrappers returns the names X of the schema's global elements for which an element
// XResponse is also declared: the request wrappers, one per operation.
func requestWrappers(xsd *etree.Document) []string {
	declared := make(map[string]bool)
	var names []string
	for _, el := range xsd.Root().ChildElements() {
		if el.Tag == "element" && el.NamespaceURI() == xsdNS {
			name := el.SelectAttrValue("name", "")
			declared[name] = true
			names = append(names, name)
		}
	}
	var wrappers []string
	for _, name := range names {
		if declared[name+"Response"] {
			wrappers = append(wrappers, name)
		}
	}
	return wrappers
}

// serveDocument serves the WSDL for ?wsdl and the schema for ?xsd=contact-center.xsd, and
// reports whether the query asked for either.
func (h *handler) serveDocument(w http.ResponseWriter, r *http.Request) bool {
	for key, values := range r.URL.Query() {
		if strings.EqualFold(key, "wsdl") {
			h.serveWSDL(w, r)
			return true
		}
		if strings.EqualFold(key, "xsd") {
			if len(values) == 1 && values[0] == wsdl.SchemaFile {
				h.serveSchema(w, r)
			} else {
				http.NotFound(w, r)
			}
			return true
		}
	}
	return false
}

// serveWSDL serves the WSDL with its addresses set to the endpoint the client can call and
// its schemaLocation to the absolute URL the schema is served at.
func (h *handler) serveWSDL(w http.ResponseWriter, r *http.Request) {
	endpoint := h.endpointURL(r)
	doc := h.contract.wsdl.Copy()
	for _, el := range doc.FindElements("//address") {
		if ns := el.NamespaceURI(); ns == wsdlSOAP11NS || ns == wsdlSOAP12NS {
			el.CreateAttr("location", endpoint)
		}
	}
	for _, el := range doc.FindElements("//import") {
		if el.NamespaceURI() == xsdNS && el.SelectAttrValue("schemaLocation", "") == wsdl.SchemaFile {
			el.CreateAttr("schemaLocation", endpoint+"?xsd="+url.QueryEscape(wsdl.SchemaFile))
		}
	}
	b, err := doc.WriteToBytes()
	if err != nil {
		h.fail(w, r, soap11, err)
		return
	}
	writeDocument(w, b)
}

// serveSchema serves the schema.
func (h *handler) serveSchema(w http.ResponseWriter, _ *http.Request) {
	writeDocument(w, h.contract.schema)
}

// writeDocument sends an XML document.
func writeDocument(w http.ResponseWriter, b []byte) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	// A write error means the client has gone.
	_, _ = w.Write(b)
}

// endpointURL returns the endpoint's address as the client can call it: Config.PublicURL,
// else the scheme and host the client used, as a reverse proxy reports them in
// X-Forwarded-Proto and X-Forwarded-Host or as the connection shows them.
func (h *handler) endpointURL(r *http.Request) string {
	if h.publicEndpoint != "" {
		return h.publicEndpoint
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if proto := strings.ToLower(firstValue(r.Header.Get("X-Forwarded-Proto"))); proto == "http" || proto == "https" {
		scheme = proto
	}
	host := r.Host
	if fwd := firstValue(r.Header.Get("X-Forwarded-Host")); validHost(fwd) {
		host = fwd
	}
	return scheme + "://" + host + EndpointPath
}

// firstValue returns the first of a header's comma-separated values: the one the client
// sent to the first proxy.
func firstValue(v string) string {
	first, _, _ := strings.Cut(v, ",")
	return strings.TrimSpace(first)
}

// validHost reports whether host is a host name or address with an optional port, safe to
// write into a URL.
func validHost(host string) bool {
	if host == "" || len(host) > 255 {
		return false
	}
	for _, c := range []byte(host) {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '.', c == '-', c == '_', c == ':', c == '[', c == ']':
		default:
			return false
		}
	}
	return true
}
