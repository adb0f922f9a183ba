package service

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/engage-oss/engage/provisioning"
)

// The bounds on a request's XML, past which it is refused before any operation runs.
const (
	// maxDepth is the deepest element nesting accepted; the contract needs less than 10.
	maxDepth = 64
	// maxElements is the most elements a request may hold.
	maxElements = 200_000
	// maxAttributes is the most attributes, namespace declarations included, of one element.
	maxAttributes = 64
)

// limitedReader is the xml.TokenReader every token of a request goes through: it reads the
// raw tokens of the body and refuses DTDs and other directives, processing instructions other
// than the XML declaration, encodings other than UTF-8, and documents past the bounds above.
// Its first error is final. Prefixes are resolved and tags matched by the decoder built on it.
type limitedReader struct {
	raw *xml.Decoder
	// depth is the nesting depth of the current token, elements the count of elements so far.
	depth, elements int
	// started is set once a token other than a byte order mark has been read.
	started bool
	// err is the first error, returned from then on.
	err error
}

// newLimitedReader returns a limitedReader over body.
func newLimitedReader(body io.Reader) *limitedReader {
	raw := xml.NewDecoder(body)
	raw.CharsetReader = refuseCharset
	return &limitedReader{raw: raw}
}

// Token returns the next raw token, or the request's fault.
func (l *limitedReader) Token() (xml.Token, error) {
	if l.err != nil {
		return nil, l.err
	}
	tok, err := l.raw.RawToken()
	if err == nil {
		err = l.check(tok)
	}
	if err != nil {
		if err != io.EOF {
			err = l.fault(err)
		}
		l.err = err
		return nil, err
	}
	if cd, ok := tok.(xml.CharData); !ok || string(cd) != byteOrderMark {
		l.started = true
	}
	return tok, nil
}

// byteOrderMark is the UTF-8 byte order mark some clients put before the XML declaration.
const byteOrderMark = "\uFEFF"

// check applies the bounds to one token.
func (l *limitedReader) check(tok xml.Token) error {
	switch t := tok.(type) {
	case xml.StartElement:
		l.depth++
		l.elements++
		switch {
		case l.depth > maxDepth:
			return tooLarge("element depth")
		case l.elements > maxElements:
			return tooLarge("element count")
		case len(t.Attr) > maxAttributes:
			return tooLarge("attributes of element " + t.Name.Local)
		}
	case xml.EndElement:
		l.depth--
	case xml.Directive:
		return invalidData(directiveName(t))
	case xml.ProcInst:
		if t.Target != "xml" || l.started {
			return invalidData("processing instruction " + t.Target)
		}
	}
	return nil
}

// fault turns an error met while reading the body into the request's fault: a syntax error
// (on the line the body was read up to), an unsupported encoding, a body over the size
// limit, or a body that could not be read. A fault already made is returned as it is.
func (l *limitedReader) fault(err error) error {
	var (
		se      *soapError
		syntax  *xml.SyntaxError
		charset *charsetError
		tooBig  *http.MaxBytesError
	)
	switch {
	case errors.As(err, &se):
		return se
	case errors.As(err, &charset):
		return invalidData("encoding " + charset.label + " (only UTF-8 is supported)")
	case errors.As(err, &tooBig):
		return errRequestTooLarge
	case errors.As(err, &syntax):
		line, _ := l.raw.InputPos()
		return invalidData(fmt.Sprintf("XML syntax error on line %d: %s", line, syntax.Msg))
	}
	return &soapError{
		err:   provisioning.Errorf(provisioning.ArgInvalidData, "request body could not be read"),
		cause: err,
	}
}

// charsetError refuses a document declaring an encoding other than UTF-8.
type charsetError struct {
	label string
}

// Error names the encoding.
func (e *charsetError) Error() string {
	return "unsupported encoding " + e.label
}

// refuseCharset is the CharsetReader of the request decoder: it is called only for
// encodings other than UTF-8, and refuses them all.
func refuseCharset(label string, _ io.Reader) (io.Reader, error) {
	return nil, &charsetError{label: clip(label)}
}

// directiveName returns the keyword of a directive, as in "DOCTYPE" or "ENTITY".
func directiveName(d xml.Directive) string {
	end := bytes.IndexAny(d, " \t\r\n[")
	if end < 0 {
		end = len(d)
	}
	return clip(string(d[:end]))
}
