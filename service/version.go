package service

import (
	"mime"
	"net/http"
	"strings"
)

// soapVersion is the SOAP version of a request, and so of its response.
type soapVersion int

// The SOAP versions served.
const (
	soap11 soapVersion = iota + 1
	soap12
)

// Namespaces of the envelope and of the header blocks the service understands.
const (
	soap11NS = "http://schemas.xmlsoap.org/soap/envelope/"
	soap12NS = "http://www.w3.org/2003/05/soap-envelope"
	wsseNS   = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
)

// namespace returns the envelope namespace of v.
func (v soapVersion) namespace() string {
	if v == soap12 {
		return soap12NS
	}
	return soap11NS
}

// The media types of the versions' messages, and the parameter of their responses' charset.
const (
	mediaType11 = "text/xml"
	mediaType12 = "application/soap+xml"
	utf8Charset = "; charset=utf-8"
)

// mediaType returns the media type of v's messages.
func (v soapVersion) mediaType() string {
	if v == soap12 {
		return mediaType12
	}
	return mediaType11
}

// contentType returns the Content-Type of v's responses: a constant, since every response
// sends one and a concatenation at run time would allocate it each time.
func (v soapVersion) contentType() string {
	if v == soap12 {
		return mediaType12 + utf8Charset
	}
	return mediaType11 + utf8Charset
}

// String returns the version's name, as in "SOAP 1.1".
func (v soapVersion) String() string {
	if v == soap12 {
		return "SOAP 1.2"
	}
	return "SOAP 1.1"
}

// targetsUs reports whether a header block with the given actor (SOAP 1.1) or role (SOAP 1.2)
// is meant for the service: no actor or role, "next", or SOAP 1.2's "ultimateReceiver".
func (v soapVersion) targetsUs(role string) bool {
	switch role {
	case "":
		return true
	case "http://schemas.xmlsoap.org/soap/actor/next":
		return v == soap11
	case soap12NS + "/role/next", soap12NS + "/role/ultimateReceiver":
		return v == soap12
	}
	return false
}

// negotiate returns the SOAP version the request's Content-Type asks for and the action it
// names (the SOAPAction header, or SOAP 1.2's action parameter), without quotes. A Content-Type
// that is not SOAP's is refused with HTTP 415 and a SOAP 1.1 fault; a charset other than UTF-8
// is refused in the version asked.
func negotiate(header http.Header) (soapVersion, string, error) {
	ct := header.Get("Content-Type")
	version, known := plainContentTypes[ct]
	var action string
	if !known {
		var err error
		if version, action, err = parseContentType(ct); err != nil {
			return version, "", err
		}
	}
	if version == soap11 {
		action = header.Get("SOAPAction")
	}
	action = strings.TrimSpace(action)
	if len(action) >= 2 && action[0] == '"' && action[len(action)-1] == '"' {
		action = strings.TrimSpace(action[1 : len(action)-1])
	}
	return version, action, nil
}

// plainContentTypes are the Content-Types most clients send, and their versions: they name
// no action and no charset but UTF-8, and are looked up rather than parsed.
var plainContentTypes = map[string]soapVersion{
	"text/xml":                            soap11,
	"text/xml; charset=utf-8":             soap11,
	"text/xml; charset=UTF-8":             soap11,
	"text/xml;charset=utf-8":              soap11,
	"text/xml;charset=UTF-8":              soap11,
	"application/soap+xml":                soap12,
	"application/soap+xml; charset=utf-8": soap12,
	"application/soap+xml; charset=UTF-8": soap12,
	"application/soap+xml;charset=utf-8":  soap12,
	"application/soap+xml;charset=UTF-8":  soap12,
}

// parseContentType returns the version a Content-Type asks for and, for SOAP 1.2, its
// action parameter, or the fault refusing it.
func parseContentType(ct string) (soapVersion, string, error) {
	mediaType, params, err := mime.ParseMediaType(ct)
	var version soapVersion
	var action string
	switch {
	case ct == "":
		return soap11, "", unsupportedMediaType("missing Content-Type")
	case err != nil:
		return soap11, "", unsupportedMediaType("Content-Type " + ct)
	case mediaType == "text/xml":
		version = soap11
	case mediaType == "application/soap+xml":
		version, action = soap12, params["action"]
	default:
		return soap11, "", unsupportedMediaType("Content-Type " + mediaType)
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return version, "", invalidData("charset " + cs + " (only UTF-8 is supported)")
	}
	return version, action, nil
}
