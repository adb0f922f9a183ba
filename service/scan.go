package service

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"sync"
	"unicode/utf8"
)

// scanner reads a whole request body held in memory and returns the tokens encoding/xml
// would return for it, namespaces resolved, without its tokenizer's per-byte reads and
// copies: names and plain attribute values are slices of one string copy of the body. It
// reads only a strict subset of XML: elements with ASCII names, quoted attributes, text and
// attribute values with the five predefined entities, comments, and an XML declaration
// of version 1.0 in UTF-8 at the start. Anything else, and anything encoding/xml or the
// request limits would refuse, stops it with errUnsupported: readEnvelope then reads the
// body again with encoding/xml, which answers as it always did. So every token the scanner
// returns is the very token the decoder would have returned in its place, and the faults
// keep their wording, down to the line of a syntax error.
type scanner struct {
	// data is the body, and text the same bytes as a string.
	data []byte
	text string
	pos  int
	// open are the elements open, innermost last.
	open []openElement
	// bindings are the namespace declarations in scope, innermost last: a prefix (""
	// for the default namespace) means the namespace of its last binding.
	bindings []binding
	// closing is the element of an empty-element tag whose end comes next.
	closing bool
	// started is set once a token other than a byte order mark has been returned.
	started bool
	// elements counts the elements so far.
	elements int
	err      error
	// attrs holds the attributes of the elements, each element's a capped slice of it.
	attrs []xml.Attr
	// The first backing arrays of open, bindings and attrs, large enough for most requests.
	firstOpen     [16]openElement
	firstBindings [8]binding
	firstAttrs    [8]xml.Attr
}

// openElement is an element whose end has not been read: its name as written, and how many
// bindings were in scope before its own.
type openElement struct {
	name     xml.Name
	bindings int
}

// binding is one namespace declaration.
type binding struct {
	prefix, namespace string
}

// errUnsupported is the scanner meeting something outside the subset it reads.
var errUnsupported = errors.New("service: outside the scanner's subset of XML")

// scanners are reused from request to request: their first arrays make them large.
var scanners = sync.Pool{New: func() any { return new(scanner) }}

// newScanner returns a scanner over data, from scanners; text holds the same bytes. The
// attributes of the start elements it returns are its own, valid until its release.
func newScanner(data []byte, text string) *scanner {
	s := scanners.Get().(*scanner)
	s.data, s.text = data, text
	s.open, s.bindings, s.attrs = s.firstOpen[:0], s.firstBindings[:0], s.firstAttrs[:0]
	return s
}

// release empties the scanner, holding nothing of its body, and returns it to scanners.
func (s *scanner) release() {
	*s = scanner{}
	scanners.Put(s)
}

// next returns the next token, io.EOF at the end of the document, or errUnsupported. Its
// first error is final.
func (s *scanner) next() (token, error) {
	if s.err != nil {
		return token{}, s.err
	}
	tok, err := s.read()
	if err != nil {
		s.err = err
		return token{}, err
	}
	if tok.kind != textToken || string(tok.text) != byteOrderMark {
		s.started = true
	}
	return tok, nil
}

// skip reads tokens up to the end of the element whose start was just read, as
// xml.Decoder.Skip does.
func (s *scanner) skip() error {
	depth := 0
	for {
		tok, err := s.next()
		if err != nil {
			return err
		}
		switch tok.kind {
		case startToken:
			depth++
		case endToken:
			if depth == 0 {
				return nil
			}
			depth--
		}
	}
}

// read reads one token.
func (s *scanner) read() (token, error) {
	if s.closing {
		s.closing = false
		return s.end(s.open[len(s.open)-1].name), nil
	}
	if s.pos == len(s.data) {
		if len(s.open) > 0 {
			return token{}, errUnsupported
		}
		return token{}, io.EOF
	}
	if s.data[s.pos] != '<' {
		return s.charData()
	}
	if s.pos+1 == len(s.data) {
		return token{}, errUnsupported
	}
	switch s.data[s.pos+1] {
	case '/':
		return s.endTag()
	case '?':
		return s.declaration()
	case '!':
		return s.comment()
	}
	return s.startTag()
}

// charData reads text up to the next tag or the end of the document.
func (s *scanner) charData() (token, error) {
	end := bytes.IndexByte(s.data[s.pos:], '<')
	if end < 0 {
		end = len(s.data)
	} else {
		end += s.pos
	}
	raw := s.data[s.pos:end]
	if bytes.Contains(raw, []byte("]]>")) {
		return token{}, errUnsupported
	}
	start := s.pos
	s.pos = end
	if plain(raw) {
		return token{kind: textToken, text: raw, stableText: s.text[start:end]}, nil
	}
	text, ok := unescape(raw)
	if !ok {
		return token{}, errUnsupported
	}
	return token{kind: textToken, text: text}, nil
}

// startTag reads a start tag or an empty-element tag.
func (s *scanner) startTag() (token, error) {
	s.pos++
	name, ok := s.name()
	if !ok {
		return token{}, errUnsupported
	}
	first := len(s.attrs)
	for {
		s.space()
		if s.pos == len(s.data) {
			return token{}, errUnsupported
		}
		if c := s.data[s.pos]; c == '>' {
			s.pos++
			break
		} else if c == '/' {
			if s.pos+1 == len(s.data) || s.data[s.pos+1] != '>' {
				return token{}, errUnsupported
			}
			s.pos += 2
			s.closing = true
			break
		}
		attr, ok := s.attr()
		if !ok {
			return token{}, errUnsupported
		}
		s.attrs = append(s.attrs, attr)
	}
	attrs := s.attrs[first:len(s.attrs):len(s.attrs)]
	s.elements++
	if len(s.open) >= maxDepth || s.elements > maxElements || len(attrs) > maxAttributes {
		// Past a limit: encoding/xml's reading names it.
		return token{}, errUnsupported
	}
	s.open = append(s.open, openElement{name: name, bindings: len(s.bindings)})
	for _, a := range attrs {
		switch {
		case a.Name.Space == "xmlns":
			s.bindings = append(s.bindings, binding{prefix: a.Name.Local, namespace: a.Value})
		case a.Name.Space == "" && a.Name.Local == "xmlns":
			s.bindings = append(s.bindings, binding{namespace: a.Value})
		}
	}
	s.translate(&name, true)
	for i := range attrs {
		s.translate(&attrs[i].Name, false)
	}
	return token{kind: startToken, start: xml.StartElement{Name: name, Attr: attrs}}, nil
}

// attr reads one attribute, name="value" or name='value'.
func (s *scanner) attr() (xml.Attr, bool) {
	name, ok := s.name()
	if !ok {
		return xml.Attr{}, false
	}
	s.space()
	if s.pos == len(s.data) || s.data[s.pos] != '=' {
		return xml.Attr{}, false
	}
	s.pos++
	s.space()
	if s.pos == len(s.data) {
		return xml.Attr{}, false
	}
	quote := s.data[s.pos]
	if quote != '"' && quote != '\'' {
		return xml.Attr{}, false
	}
	start := s.pos + 1
	end := bytes.IndexByte(s.data[start:], quote)
	if end < 0 {
		return xml.Attr{}, false
	}
	end += start
	raw := s.data[start:end]
	if bytes.IndexByte(raw, '<') >= 0 {
		return xml.Attr{}, false
	}
	s.pos = end + 1
	if plain(raw) {
		return xml.Attr{Name: name, Value: s.text[start:end]}, true
	}
	value, ok := unescape(raw)
	if !ok {
		return xml.Attr{}, false
	}
	return xml.Attr{Name: name, Value: string(value)}, true
}

// endTag reads an end tag, which must close the innermost open element.
func (s *scanner) endTag() (token, error) {
	s.pos += 2
	name, ok := s.name()
	if !ok {
		return token{}, errUnsupported
	}
	s.space()
	if s.pos == len(s.data) || s.data[s.pos] != '>' {
		return token{}, errUnsupported
	}
	s.pos++
	if len(s.open) == 0 || s.open[len(s.open)-1].name != name {
		return token{}, errUnsupported
	}
	return s.end(name), nil
}

// end closes the innermost open element, named name as written, and drops its bindings.
func (s *scanner) end(name xml.Name) token {
	s.translate(&name, true)
	top := s.open[len(s.open)-1]
	s.open = s.open[:len(s.open)-1]
	s.bindings = s.bindings[:top.bindings]
	return token{kind: endToken, name: name}
}

// comment reads a comment: <!-- up to the first --, which must end it.
func (s *scanner) comment() (token, error) {
	if !bytes.HasPrefix(s.data[s.pos:], []byte("<!--")) {
		// CDATA sections and directives (DTDs) are left to encoding/xml.
		return token{}, errUnsupported
	}
	start := s.pos + len("<!--")
	end := bytes.Index(s.data[start:], []byte("--"))
	if end < 0 {
		return token{}, errUnsupported
	}
	end += start
	if end+2 == len(s.data) || s.data[end+2] != '>' {
		return token{}, errUnsupported
	}
	s.pos = end + 3
	return token{kind: otherToken, other: xml.Comment(s.data[start:end])}, nil
}

// declaration reads the XML declaration at the start of the document, when it declares
// version 1.0 and, if anything more, the UTF-8 encoding; any other processing instruction is
// left to encoding/xml.
func (s *scanner) declaration() (token, error) {
	const target = "<?xml"
	rest := s.data[s.pos:]
	if s.started || !bytes.HasPrefix(rest, []byte(target)) || len(rest) == len(target) || !isSpace(rest[len(target)]) {
		return token{}, errUnsupported
	}
	end := bytes.Index(rest, []byte("?>"))
	if end < 0 {
		return token{}, errUnsupported
	}
	end += s.pos
	s.pos += len(target)
	s.space()
	inst := s.data[s.pos:end]
	if !plainDeclaration(inst) {
		return token{}, errUnsupported
	}
	s.pos = end + len("?>")
	return token{kind: otherToken, other: xml.ProcInst{Target: "xml", Inst: inst}}, nil
}

// plainDeclaration reports whether the pseudo-attributes of an XML declaration are
// version="1.0" and, optionally after one space, encoding="UTF-8" or "utf-8", each quoted
// with ' or ", followed by white space only.
func plainDeclaration(inst []byte) bool {
	inst = bytes.TrimRight(inst, " \t\r\n")
	version, encoding, found := bytes.Cut(inst, []byte(" "))
	if !found {
		return quotedValue(inst, "version", "1.0")
	}
	return quotedValue(version, "version", "1.0") &&
		(quotedValue(encoding, "encoding", "UTF-8") || quotedValue(encoding, "encoding", "utf-8"))
}

// quotedValue reports whether pseudo is name="value" or name='value'.
func quotedValue(pseudo []byte, name, value string) bool {
	if len(pseudo) != len(name)+len(value)+3 || string(pseudo[:len(name)]) != name || pseudo[len(name)] != '=' {
		return false
	}
	quoted := pseudo[len(name)+1:]
	return (quoted[0] == '"' || quoted[0] == '\'') && quoted[len(quoted)-1] == quoted[0] &&
		string(quoted[1:len(quoted)-1]) == value
}

// name reads a name as written, prefix:local or local: ASCII letters, digits, _ . - and at
// most one colon, starting with a letter or _.
func (s *scanner) name() (xml.Name, bool) {
	start, colon := s.pos, -1
	for ; s.pos < len(s.data); s.pos++ {
		c := s.data[s.pos]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', c == '_':
		case '0' <= c && c <= '9', c == '.', c == '-':
			if s.pos == start {
				return xml.Name{}, false
			}
		case c == ':':
			if colon >= 0 || s.pos == start {
				return xml.Name{}, false
			}
			colon = s.pos
		case c >= utf8.RuneSelf:
			return xml.Name{}, false
		default:
			return s.splitName(start, colon)
		}
	}
	return s.splitName(start, colon)
}

// splitName returns the name read from start, split at colon when there is one.
func (s *scanner) splitName(start, colon int) (xml.Name, bool) {
	switch {
	case s.pos == start || colon == s.pos-1:
		return xml.Name{}, false
	case colon < 0:
		return xml.Name{Local: s.text[start:s.pos]}, true
	}
	return xml.Name{Space: s.text[start:colon], Local: s.text[colon+1 : s.pos]}, true
}

// space skips white space.
func (s *scanner) space() {
	for s.pos < len(s.data) && isSpace(s.data[s.pos]) {
		s.pos++
	}
}

// isSpace reports whether c is XML white space.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}

// translate resolves the prefix of a name as xml.Decoder does, with the bindings in scope.
func (s *scanner) translate(n *xml.Name, isElementName bool) {
	switch {
	case n.Space == "xmlns":
		return
	case n.Space == "" && !isElementName:
		return
	case n.Space == "xml":
		n.Space = xmlNamespace
	case n.Space == "" && n.Local == "xmlns":
		return
	}
	for i := len(s.bindings) - 1; i >= 0; i-- {
		if s.bindings[i].prefix == n.Space {
			n.Space = s.bindings[i].namespace
			return
		}
	}
}

// xmlNamespace is the namespace of the xml prefix.
const xmlNamespace = "http://www.w3.org/XML/1998/namespace"

// plain reports whether raw text reads as it is written: printable ASCII, tabs and line
// feeds, without entities or carriage returns.
func plain(raw []byte) bool {
	for _, c := range raw {
		if (c < 0x20 && c != '\t' && c != '\n') || c >= 0x7f || c == '&' {
			return false
		}
	}
	return true
}

// unescape returns text as encoding/xml reads it: the five predefined entities replaced,
// carriage returns (alone or before a line feed) read as line feeds, and every character
// checked to be one XML allows. It is not ok for anything else, character references
// included.
func unescape(raw []byte) ([]byte, bool) {
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; c {
		case '&':
			end := bytes.IndexByte(raw[i:], ';')
			if end < 0 {
				return nil, false
			}
			r, ok := predefinedEntity(string(raw[i+1 : i+end]))
			if !ok {
				return nil, false
			}
			out = append(out, r)
			i += end
		case '\r':
			out = append(out, '\n')
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
		default:
			out = append(out, c)
		}
	}
	for rest := out; len(rest) > 0; {
		r, size := utf8.DecodeRune(rest)
		if (r == utf8.RuneError && size == 1) || !isInCharacterRange(r) {
			return nil, false
		}
		rest = rest[size:]
	}
	return out, true
}

// predefinedEntity returns the character of one of XML's five predefined entities.
func predefinedEntity(name string) (byte, bool) {
	switch name {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "apos":
		return '\'', true
	case "quot":
		return '"', true
	}
	return 0, false
}

// isInCharacterRange reports whether r is a character XML allows, as encoding/xml checks.
func isInCharacterRange(r rune) bool {
	return r == 0x09 ||
		r == 0x0A ||
		r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
