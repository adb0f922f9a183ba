package service

import (
	"encoding/xml"
	"errors"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/engage-oss/engage/provisioning"
)

// faultKind is the SOAP fault code of a fault: who is to blame, or which SOAP rule was broken.
type faultKind int

// The fault kinds.
const (
	// faultByCode takes the kind from the fault table.
	faultByCode faultKind = iota
	// faultClient is the caller's error: soap:Client (1.1) or soap:Sender (1.2).
	faultClient
	// faultServer is the service's own failure: soap:Server (1.1) or soap:Receiver (1.2).
	faultServer
	// faultVersionMismatch is an envelope of an unsupported or unexpected SOAP version.
	faultVersionMismatch
	// faultMustUnderstand is a mandatory header block the service does not understand.
	faultMustUnderstand
)

// faultTable is the fault table: the kind of fault each documented code is. A code missing
// from it is the service's own failure.
var faultTable = map[provisioning.Code]faultKind{
	provisioning.ArgInvalidChar:         faultClient,
	provisioning.ArgInvalidData:         faultClient,
	provisioning.ArgInvalidType:         faultClient,
	provisioning.ArgNull:                faultClient,
	provisioning.ArgTooLarge:            faultClient,
	provisioning.InvalidObjectType:      faultClient,
	provisioning.ObjectExists:           faultClient,
	provisioning.ObjectNotExists:        faultClient,
	provisioning.SystemLimitExceeded:    faultClient,
	provisioning.ResultTooLarge:         faultClient,
	provisioning.AttributeNull:          faultClient,
	provisioning.AttributeInvalidData:   faultClient,
	provisioning.AttributeInvalidFormat: faultClient,
	provisioning.InvalidState:           faultClient,
	provisioning.AuthenticationFailed:   faultClient,
	provisioning.PermissionDenied:       faultClient,
	provisioning.InternalError:          faultServer,
}

// value returns the fault code of k in version v, with the envelope's prefix.
func (k faultKind) value(v soapVersion) string {
	switch k {
	case faultClient:
		if v == soap12 {
			return "soap:Sender"
		}
		return "soap:Client"
	case faultVersionMismatch:
		return "soap:VersionMismatch"
	case faultMustUnderstand:
		return "soap:MustUnderstand"
	}
	if v == soap12 {
		return "soap:Receiver"
	}
	return "soap:Server"
}

// soapError is a failure of the SOAP layer itself (the envelope, the HTTP request, the
// dispatch): a documented code and argument, with, where the contract asks for it, another
// fault kind, message or HTTP status than the code's own.
type soapError struct {
	err *provisioning.Error
	// kind overrides the fault table when it is not faultByCode.
	kind faultKind
	// message overrides the code's message when not empty.
	message string
	// status overrides the HTTP status when not zero.
	status int
	// cause is logged, never sent.
	cause error
}

// Error returns the fault's message.
func (e *soapError) Error() string {
	if e.message != "" {
		return e.message
	}
	return e.err.Error()
}

// errRequestTooLarge is a request body over Config.MaxRequestBytes.
var errRequestTooLarge = &soapError{err: provisioning.Errorf(provisioning.ArgTooLarge, "request")}

// invalidData is ARG_INVALID_DATA for a request the SOAP layer cannot accept.
func invalidData(arg string) *soapError {
	return &soapError{err: provisioning.Errorf(provisioning.ArgInvalidData, clip(arg))}
}

// tooLarge is ARG_TOO_LARGE for a request past one of the decoder's bounds.
func tooLarge(arg string) *soapError {
	return &soapError{err: provisioning.Errorf(provisioning.ArgTooLarge, clip(arg))}
}

// versionMismatch is the VersionMismatch fault.
func versionMismatch(arg string) *soapError {
	return &soapError{kind: faultVersionMismatch, err: provisioning.Errorf(provisioning.ArgInvalidData, clip(arg))}
}

// unsupportedMediaType is a request that is not a SOAP message: HTTP 415.
func unsupportedMediaType(arg string) *soapError {
	return &soapError{err: provisioning.Errorf(provisioning.ArgInvalidData, clip(arg)), status: http.StatusUnsupportedMediaType}
}

// notImplemented is an operation of the contract that has no handler yet.
func notImplemented(name string) *soapError {
	return &soapError{
		kind:    faultServer,
		err:     provisioning.Errorf(provisioning.InternalError, name),
		message: "Operation '" + name + "' is not implemented yet",
	}
}

// maxArg is the longest argument taken from a request into a fault, in bytes.
const maxArg = 256

// clip shortens s to maxArg bytes, on a rune boundary.
func clip(s string) string {
	if len(s) <= maxArg {
		return s
	}
	end := maxArg
	for end > 0 && !utf8.RuneStart(s[end]) {
		end--
	}
	return s[:end] + "…"
}

// fault is a failure as it goes on the wire.
type fault struct {
	kind    faultKind
	code    provisioning.Code
	message string
	arg     string
	status  int
}

// faultFor returns the fault for err and the error to log with it, if any. A documented
// error gives its code, message and argument; anything else is INTERNAL_ERROR with the
// generic message, and only the log sees the error itself.
func faultFor(err error) (fault, error) {
	var se *soapError
	if errors.As(err, &se) {
		f := fault{kind: se.kind, code: se.err.Code, message: se.Error(), arg: se.err.Arg, status: se.status}
		if f.kind == faultByCode {
			f.kind = kindOf(f.code)
		}
		return f, se.cause
	}
	code := provisioning.ErrorCode(err)
	f := fault{
		kind:    kindOf(code),
		code:    code,
		message: provisioning.ErrorMessage(err),
		arg:     provisioning.ErrorArg(err),
	}
	if code == provisioning.InternalError {
		return f, err
	}
	return f, nil
}

// kindOf looks code up in the fault table.
func kindOf(code provisioning.Code) faultKind {
	if k, ok := faultTable[code]; ok {
		return k
	}
	return faultServer
}

// httpStatus returns the HTTP status of f in version v: 500 in SOAP 1.1; in SOAP 1.2, 400 for
// the caller's errors and 500 for the others.
func (f fault) httpStatus(v soapVersion) int {
	switch {
	case f.status != 0:
		return f.status
	case v == soap12 && f.kind == faultClient:
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// fail answers the request with the fault for err, in version v. It is the one way a
// request fails.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, v soapVersion, err error) {
	f, cause := faultFor(err)
	info := requestInfoFrom(r.Context())
	info.code, info.err = string(f.code), cause
	out := h.writers.Get().(*xmlWriter)
	defer h.putWriter(out)
	writeFault(out, v, f, info.id)
	writeEnvelope(w, v, f.httpStatus(v), out.buf.Bytes())
}

// writeFault writes the soap:Fault element of f in version v, its detail an EngageFault.
func writeFault(w *xmlWriter, v soapVersion, f fault, contextID string) {
	w.start("soap:Fault")
	if v == soap12 {
		w.start("soap:Code")
		w.text("soap:Value", f.kind.value(v))
		w.end("soap:Code")
		w.start("soap:Reason")
		w.buf.WriteString(`<soap:Text xml:lang="en">`)
		xml.EscapeText(&w.buf, []byte(f.message))
		w.end("soap:Text")
		w.end("soap:Reason")
		w.start("soap:Detail")
		writeEngageFault(w, f, contextID)
		w.end("soap:Detail")
	} else {
		w.text("faultcode", f.kind.value(v))
		w.text("faultstring", f.message)
		w.start("detail")
		writeEngageFault(w, f, contextID)
		w.end("detail")
	}
	w.end("soap:Fault")
}

// writeEngageFault writes the EngageFault detail: code, message, argument when there is one,
// and contextId, in the schema's order.
func writeEngageFault(w *xmlWriter, f fault, contextID string) {
	w.startNS("EngageFault", Namespace)
	w.text("code", string(f.code))
	w.text("message", f.message)
	w.optText("argument", f.arg)
	w.text("contextId", contextID)
	w.end("EngageFault")
}

// The envelope around every response body, with the prefix soap in both versions. They are
// byte slices made once: the response writer takes bytes, and a string would be copied into
// new ones on every response.
var (
	envelopeOpen11 = []byte(`<soap:Envelope xmlns:soap="` + soap11NS + `"><soap:Body>`)
	envelopeOpen12 = []byte(`<soap:Envelope xmlns:soap="` + soap12NS + `"><soap:Body>`)
	envelopeClose  = []byte(`</soap:Body></soap:Envelope>`)
)

// writeEnvelope sends body in an envelope of version v with the given HTTP status.
func writeEnvelope(w http.ResponseWriter, v soapVersion, status int, body []byte) {
	open := envelopeOpen11
	if v == soap12 {
		open = envelopeOpen12
	}
	header := w.Header()
	header.Set("Content-Type", v.contentType())
	header.Set("Content-Length", strconv.Itoa(len(open)+len(body)+len(envelopeClose)))
	w.WriteHeader(status)
	// A write error means the client has gone: there is no one left to tell.
	_, _ = w.Write(open)
	_, _ = w.Write(body)
	_, _ = w.Write(envelopeClose)
}
