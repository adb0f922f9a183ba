package service

import (
	"bytes"
	"context"
	"encoding/xml"
	"net/http"

	"github.com/engage-oss/engage/provisioning"
)

// Authenticator checks the credentials of a SOAP request; auth.Authenticator is the one the
// service runs with.
type Authenticator interface {
	// Authenticate returns the caller of a request from its HTTP header and its wsse:Security
	// header block meant for the service (a standalone XML element with its namespaces
	// declared, nil when there is none). An error whose provisioning.ErrorCode is
	// AUTHENTICATION_FAILED refuses the credentials: HTTP 401. Any other error is the
	// service's own failure.
	Authenticate(ctx context.Context, header http.Header, security []byte) (provisioning.Caller, error)
}

// maxSecurityBytes is the largest wsse:Security block accepted, as re-encoded.
const maxSecurityBytes = 64 << 10

// Realm is the realm of the WWW-Authenticate challenge.
const Realm = "engage"

// recordSecurity records the wsse:Security block whose start was just read, through the
// same decoder and limits as the rest of the envelope, and keeps it as a standalone element.
func (r *envelopeReader) recordSecurity(start xml.StartElement) error {
	if r.security != nil {
		return invalidData("more than one wsse:Security header for the service")
	}
	tokens, err := r.subtree(start, newTokens())
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := xml.NewEncoder(&buf)
	for i := range tokens {
		tok := tokens[i].xmlToken()
		if se, ok := tok.(xml.StartElement); ok && se.Name.Space == "" {
			// The encoder declares a default namespace for qualified elements only: an
			// unqualified one must not inherit its parent's.
			se.Attr = append(se.Attr, xml.Attr{Name: xml.Name{Local: "xmlns"}})
			tok = se
		}
		if err := enc.EncodeToken(tok); err != nil {
			return invalidData("wsse:Security header")
		}
	}
	if err := enc.Flush(); err != nil {
		return invalidData("wsse:Security header")
	}
	if buf.Len() > maxSecurityBytes {
		return tooLarge("wsse:Security header")
	}
	r.security = buf.Bytes()
	if r.security == nil {
		r.security = []byte{}
	}
	return nil
}

// authenticate returns the caller of the request, or the AUTHENTICATION_FAILED fault: HTTP
// 401 in both versions with a Basic challenge, as the spec asks. (JAX-WS clients accept only
// 200, 202 and 500 with SOAP 1.1; they report a 401 as a transport error.)
func (h *handler) authenticate(ctx context.Context, w http.ResponseWriter, r *http.Request, env *envelope) (provisioning.Caller, error) {
	caller, err := h.cfg.Authenticator.Authenticate(ctx, r.Header, env.security)
	switch {
	case err == nil:
		return caller, nil
	case provisioning.ErrorCode(err) != provisioning.AuthenticationFailed:
		return caller, err
	}
	w.Header().Set("WWW-Authenticate", `Basic realm="`+Realm+`"`)
	return caller, &soapError{
		err:    provisioning.Errorf(provisioning.AuthenticationFailed, ""),
		status: http.StatusUnauthorized,
		cause:  err,
	}
}
