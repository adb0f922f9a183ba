package service

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"sync"

	"github.com/engage-oss/engage/provisioning"
)

// envelope is a request whose envelope has been read and checked: the one element of its Body
// with its whole subtree.
type envelope struct {
	// security is the wsse:Security header block meant for the service, as a standalone XML
	// element with its namespaces declared; nil when there is none.
	security []byte
	// tokens is the Body element's subtree, from its start element to its end element. Every token went
	// through the decoder's limits; namespaces are resolved and declarations dropped.
	tokens []keptToken
}

// envelopes are reused from request to request, with the room of their tokens.
var envelopes = sync.Pool{New: func() any { return &envelope{tokens: newTokens()} }}

// newTokens returns room for the tokens of a small call.
func newTokens() []keptToken {
	return make([]keptToken, 0, 16)
}

// maxPooledTokens is the most tokens an envelope kept for reuse has room for.
const maxPooledTokens = 4096

// release returns the envelope to envelopes, emptied, once its request has been served:
// neither it nor its tokens may be used afterwards. What was decoded from them may.
func (e *envelope) release() {
	if cap(e.tokens) > maxPooledTokens {
		return
	}
	clear(e.tokens)
	*e = envelope{tokens: e.tokens[:0]}
	envelopes.Put(e)
}

// name returns the name of the Body's element.
func (e *envelope) name() xml.Name {
	return e.tokens[0].name
}

// decoder returns the decoder of the Body's element, and that element's start.
func (e *envelope) decoder() (requestDecoder, xml.StartElement) {
	return requestDecoder{tokens: e.tokens}, e.tokens[0].startElement()
}

// requestDecoder decodes the Body's element into the request wrapper of its operation.
type requestDecoder struct {
	// tokens are the element's, from its start element to its end element.
	tokens []keptToken
}

// decode decodes the element start opened into req, a pointer to a request wrapper: a
// wireElement without reflection, any other with encoding/xml.
func (d requestDecoder) decode(req any, start xml.StartElement) error {
	if el, ok := req.(wireElement); ok {
		decodeChildren(d.tokens[1:], el)
		return nil
	}
	return d.decodeXML(req, start)
}

// decodeXML decodes the element start opened into req with encoding/xml.
func (d requestDecoder) decodeXML(req any, start xml.StartElement) error {
	x := xml.NewTokenDecoder(&replay{tokens: d.tokens})
	// The first token is the start element, replayed as it was recorded: no error is possible.
	_, _ = x.Token()
	return x.DecodeElement(req, &start)
}

// replay is an xml.TokenReader over kept tokens.
type replay struct {
	tokens []keptToken
}

// Token returns the next kept token, or io.EOF.
func (r *replay) Token() (xml.Token, error) {
	if len(r.tokens) == 0 {
		return nil, io.EOF
	}
	tok := r.tokens[0].xmlToken()
	r.tokens = r.tokens[1:]
	return tok, nil
}

// readEnvelope reads a whole request body of the given version in one pass: Envelope, an
// optional Header whose blocks are checked, and a Body holding exactly one element, which is
// recorded. Nothing of the request is acted on before the whole envelope is known to be good.
//
// A body of known size (size, else -1) is read into memory and its tokens taken by the
// scanner; when it meets what it does not read, the body is read again with encoding/xml,
// as a body of unknown size is.
func readEnvelope(body io.Reader, size int64, version soapVersion) (*envelope, error) {
	if size < 0 {
		return decodeEnvelope(body, version)
	}
	buf := bodyBuffers.Get().(*[]byte)
	defer func() {
		if cap(*buf) <= maxPooledBody {
			bodyBuffers.Put(buf)
		}
	}()
	data, rest := readBody(body, size, buf)
	if rest != nil {
		return decodeEnvelope(io.MultiReader(bytes.NewReader(data), rest), version)
	}
	s := newScanner(data, string(data))
	r := &envelopeReader{d: s, version: version}
	env, err := r.read()
	s.release()
	if errors.Is(err, errUnsupported) {
		return decodeEnvelope(bytes.NewReader(data), version)
	}
	return env, err
}

// maxPooledBody is the largest body buffer kept for reuse.
const maxPooledBody = 64 << 10

// bodyBuffers hold request bodies of known size while they are scanned.
var bodyBuffers = sync.Pool{New: func() any { return new([]byte) }}

// readBody reads a body announced as size bytes into buf, grown if need be. When the body
// held exactly that, rest is nil; otherwise rest reads on from the end of data as the body
// would, up to the same error.
func readBody(body io.Reader, size int64, buf *[]byte) (data []byte, rest io.Reader) {
	if int64(cap(*buf)) <= size {
		*buf = make([]byte, size+1)
	}
	// One byte more than announced is asked for, to see the end of the body.
	b := (*buf)[:size+1]
	n := 0
	var err error
	for n < len(b) && err == nil {
		var m int
		m, err = body.Read(b[n:])
		n += m
	}
	switch {
	case int64(n) == size && err == io.EOF:
		return b[:n], nil
	case err == nil:
		return b[:n], body
	}
	return b[:n], errorReader{err}
}

// errorReader is a reader failing with err.
type errorReader struct {
	err error
}

// Read returns the error.
func (r errorReader) Read([]byte) (int, error) {
	return 0, r.err
}

// decodeEnvelope is readEnvelope reading with encoding/xml.
func decodeEnvelope(body io.Reader, version soapVersion) (*envelope, error) {
	br := bodyReaders.Get().(*bufio.Reader)
	br.Reset(body)
	defer func() {
		br.Reset(nil)
		bodyReaders.Put(br)
	}()
	lim := newLimitedReader(br)
	r := &envelopeReader{d: decoderTokens{xml.NewTokenDecoder(lim)}, version: version}
	env, err := r.read()
	if err != nil {
		return nil, lim.fault(err)
	}
	return env, nil
}

// bodyReaders are the buffered readers of request bodies. The decoder reads through one it
// is given (an io.ByteReader) instead of allocating its own 4 KiB buffer per request; the
// whole envelope is read, and the tokens kept are copies, before it goes back.
var bodyReaders = sync.Pool{New: func() any { return bufio.NewReader(nil) }}

// tokenReader is where an envelopeReader takes its tokens: a scanner, or an xml.Decoder
// through decoderTokens.
type tokenReader interface {
	// next returns the next token, namespaces resolved; io.EOF at the end.
	next() (token, error)
	// skip reads up to the end of the element whose start was just read.
	skip() error
}

// token is one token of a request: kind tells which field holds it. The envelope reader
// looks at most tokens only once, so they are not boxed into an xml.Token unless they are
// kept.
type token struct {
	kind  tokenKind
	start xml.StartElement
	// name is the name of an end element.
	name xml.Name
	// text is character data, valid until the next token.
	text []byte
	// stableText is text in a string that stays valid, when the reader has one without
	// copying; empty otherwise.
	stableText string
	// other is any other token: a comment, a processing instruction, a directive.
	other xml.Token
}

// tokenKind is the kind of a token.
type tokenKind int

// The kinds of token.
const (
	startToken tokenKind = iota + 1
	endToken
	textToken
	otherToken
)

// keep returns the token as one to keep: its character data in a string of its own (or
// one the reader made without copying), and a start element's namespace declarations
// dropped (withoutNamespaceDecls).
func (t *token) keep() keptToken {
	switch t.kind {
	case startToken:
		return keptStart(t.start)
	case endToken:
		return keptToken{kind: endToken, name: t.name}
	case textToken:
		text := t.stableText
		if text == "" {
			text = string(t.text)
		}
		return keptToken{kind: textToken, text: text}
	}
	return keptToken{kind: otherToken, other: xml.CopyToken(t.other)}
}

// keptToken is a token of the Body's subtree, kept after the body's buffer is reused: kind
// tells which fields hold it. Tokens are boxed into an xml.Token only when something reads
// them as such.
type keptToken struct {
	kind tokenKind
	// name is the name of a start or end element.
	name xml.Name
	// attr are the attributes of a start element.
	attr []xml.Attr
	// text is character data.
	text string
	// other is any other token.
	other xml.Token
}

// keptStart returns a start element as one to keep, without its namespace declarations
// (withoutNamespaceDecls).
func keptStart(start xml.StartElement) keptToken {
	start = withoutNamespaceDecls(start)
	return keptToken{kind: startToken, name: start.Name, attr: start.Attr}
}

// startElement returns a start element's token as encoding/xml has it.
func (t *keptToken) startElement() xml.StartElement {
	return xml.StartElement{Name: t.name, Attr: t.attr}
}

// xmlToken returns the token as encoding/xml has it.
func (t *keptToken) xmlToken() xml.Token {
	switch t.kind {
	case startToken:
		return t.startElement()
	case endToken:
		return xml.EndElement{Name: t.name}
	case textToken:
		return xml.CharData(t.text)
	}
	return t.other
}

// decoderTokens reads the tokens of an xml.Decoder.
type decoderTokens struct {
	d *xml.Decoder
}

// next returns the decoder's next token.
func (r decoderTokens) next() (token, error) {
	tok, err := r.d.Token()
	if err != nil {
		return token{}, err
	}
	switch t := tok.(type) {
	case xml.StartElement:
		return token{kind: startToken, start: t}, nil
	case xml.EndElement:
		return token{kind: endToken, name: t.Name}, nil
	case xml.CharData:
		return token{kind: textToken, text: t}, nil
	}
	return token{kind: otherToken, other: tok}, nil
}

// skip skips the rest of the element.
func (r decoderTokens) skip() error {
	return r.d.Skip()
}

// envelopeReader walks an envelope with a decoder whose tokens all go through the limits.
type envelopeReader struct {
	d       tokenReader
	version soapVersion
	// security is the wsse:Security block meant for the service, once read.
	security []byte
}

// read reads the document: one Envelope and nothing else but comments and white space.
func (r *envelopeReader) read() (*envelope, error) {
	root, ok, err := r.child("the document")
	switch {
	case err != nil:
		return nil, err
	case !ok:
		return nil, invalidData("request has no SOAP Envelope")
	}
	if err := r.checkRoot(root); err != nil {
		return nil, err
	}
	env, err := r.envelope()
	if err != nil {
		return nil, err
	}
	extra, ok, err := r.child("the document")
	switch {
	case err != nil:
		env.release()
		return nil, err
	case ok:
		env.release()
		return nil, invalidData("element " + clark(extra.Name) + " after the Envelope")
	}
	return env, nil
}

// checkRoot checks that root is the Envelope of the version the Content-Type announced.
func (r *envelopeReader) checkRoot(root xml.StartElement) error {
	if root.Name.Local != "Envelope" {
		return invalidData("root element " + clark(root.Name) + " is not a SOAP Envelope")
	}
	var found soapVersion
	switch root.Name.Space {
	case soap11NS:
		found = soap11
	case soap12NS:
		found = soap12
	default:
		return versionMismatch("unsupported SOAP envelope " + clark(root.Name))
	}
	if found != r.version {
		return versionMismatch(found.String() + " envelope sent as " + r.version.mediaType())
	}
	return nil
}

// envelope reads the Envelope's children: an optional Header, then the Body.
func (r *envelopeReader) envelope() (env *envelope, err error) {
	defer func() {
		if err != nil && env != nil {
			env.release()
		}
	}()
	seenHeader := false
	for {
		el, ok, err := r.child("Envelope")
		if err != nil {
			return env, err
		}
		if !ok {
			break
		}
		switch {
		case env != nil:
			return env, invalidData("element " + clark(el.Name) + " after the Body")
		case r.isSOAP(el, "Header") && !seenHeader:
			seenHeader = true
			err = r.header()
		case r.isSOAP(el, "Body"):
			env, err = r.body()
		default:
			return env, invalidData("unexpected element " + clark(el.Name) + " in the Envelope")
		}
		if err != nil {
			return env, err
		}
	}
	if env == nil {
		return nil, invalidData("Envelope has no Body")
	}
	env.security = r.security
	return env, nil
}

// header reads the Header's blocks: the wsse:Security block meant for the service is
// recorded for authentication, the others are checked and skipped.
func (r *envelopeReader) header() error {
	for {
		block, ok, err := r.child("Header")
		if err != nil || !ok {
			return err
		}
		mustUnderstand, role := r.blockAttrs(block)
		if block.Name.Space == wsseNS && block.Name.Local == "Security" && r.version.targetsUs(role) {
			if err := r.recordSecurity(block); err != nil {
				return err
			}
			continue
		}
		if err := r.checkHeaderBlock(block, mustUnderstand, role); err != nil {
			return err
		}
		if err := r.d.skip(); err != nil {
			return err
		}
	}
}

// blockAttrs returns a header block's mustUnderstand and actor (SOAP 1.1) or role (SOAP
// 1.2), read qualified or, as some clients (suds) send them, unqualified.
func (r *envelopeReader) blockAttrs(block xml.StartElement) (mustUnderstand, role string) {
	for _, a := range block.Attr {
		if a.Name.Space != r.version.namespace() && a.Name.Space != "" {
			continue
		}
		switch a.Name.Local {
		case "mustUnderstand":
			mustUnderstand = strings.TrimSpace(a.Value)
		case "actor", "role":
			role = strings.TrimSpace(a.Value)
		}
	}
	return mustUnderstand, role
}

// checkHeaderBlock refuses a block meant for the service, marked mustUnderstand and not
// understood. WS-Security's Security block is understood, whoever it is meant for.
func (r *envelopeReader) checkHeaderBlock(block xml.StartElement, mustUnderstand, role string) error {
	if block.Name.Space == wsseNS && block.Name.Local == "Security" {
		return nil
	}
	if (mustUnderstand != "1" && mustUnderstand != "true") || !r.version.targetsUs(role) {
		return nil
	}
	return &soapError{
		kind: faultMustUnderstand,
		err:  provisioning.Errorf(provisioning.ArgInvalidData, clip("header "+clark(block.Name)+" not understood")),
	}
}

// body records the Body's one element.
func (r *envelopeReader) body() (*envelope, error) {
	first, ok, err := r.child("Body")
	switch {
	case err != nil:
		return nil, err
	case !ok:
		return nil, invalidData("Body is empty")
	}
	env := envelopes.Get().(*envelope)
	env.tokens, err = r.subtree(first, env.tokens)
	if err != nil {
		env.release()
		return nil, err
	}
	extra, ok, err := r.child("Body")
	switch {
	case err != nil:
		env.release()
		return nil, err
	case ok:
		env.release()
		return nil, invalidData("Body has more than one element: " + clark(first.Name) + ", " + clark(extra.Name))
	}
	return env, nil
}

// subtree records the element start opened, up to its end element, in tokens, which it
// empties first.
func (r *envelopeReader) subtree(start xml.StartElement, tokens []keptToken) ([]keptToken, error) {
	tokens = append(tokens[:0], keptStart(start))
	for depth := 1; depth > 0; {
		tok, err := r.d.next()
		if err != nil {
			return tokens, err
		}
		switch tok.kind {
		case startToken:
			depth++
		case endToken:
			depth--
		}
		tokens = append(tokens, tok.keep())
	}
	return tokens, nil
}

// withoutNamespaceDecls returns a copy of a resolved start element without its namespace
// declarations: replayed, its names are already final and must not be resolved again.
func withoutNamespaceDecls(start xml.StartElement) xml.StartElement {
	attrs := make([]xml.Attr, 0, len(start.Attr))
	for _, a := range start.Attr {
		if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
			continue
		}
		attrs = append(attrs, a)
	}
	start.Attr = attrs
	return start
}

// child returns the next child element of the element being read, named parent in errors,
// skipping comments and white space; ok is false at the element's end, or at the end of the
// document. Text is refused.
func (r *envelopeReader) child(parent string) (el xml.StartElement, ok bool, err error) {
	for {
		tok, err := r.d.next()
		if err == io.EOF {
			return el, false, nil
		}
		if err != nil {
			return el, false, err
		}
		switch tok.kind {
		case startToken:
			return tok.start, true, nil
		case endToken:
			return el, false, nil
		case textToken:
			if len(bytes.TrimSpace(bytes.TrimPrefix(tok.text, []byte(byteOrderMark)))) != 0 {
				return el, false, invalidData("text in " + parent)
			}
		}
	}
}

// isSOAP reports whether el is the envelope element local of the request's version.
func (r *envelopeReader) isSOAP(el xml.StartElement, local string) bool {
	return el.Name.Space == r.version.namespace() && el.Name.Local == local
}

// clark returns name in Clark notation, {namespace}local.
func clark(name xml.Name) string {
	return "{" + name.Space + "}" + name.Local
}
