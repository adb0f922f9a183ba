package auth

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The namespaces of WS-Security 1.0 (the OASIS UsernameToken Profile).
const (
	// WSSENamespace is the namespace of wsse:Security and wsse:UsernameToken.
	WSSENamespace = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
	// WSUNamespace is the namespace of wsu:Created and wsu:Timestamp.
	WSUNamespace = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
)

// The Type URIs of wsse:Password and the EncodingType of wsse:Nonce.
const (
	// PasswordTextType is the Type of a password sent as it is.
	PasswordTextType = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText"
	// PasswordDigestType is the Type of Base64(SHA-1(nonce ‖ created ‖ password)).
	PasswordDigestType = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest"
	// Base64BinaryEncoding is the EncodingType of a Base64 nonce.
	Base64BinaryEncoding = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
)

// The bounds of a Security header: past them it is refused.
const (
	// MaxSecurityBytes is the largest Security header block read.
	MaxSecurityBytes = 64 << 10
	maxSecurityDepth = 32
	maxSecurityElems = 1000
	maxLeafBytes     = 4096
)

// usernameToken is a wsse:UsernameToken as sent.
type usernameToken struct {
	username, password string
	// digest is set for a Password of Type PasswordDigest.
	digest bool
	// nonce is the Nonce's text and nonceEncoding the suffix of its EncodingType
	// ("Base64Binary", "HexBinary" or "" when absent).
	nonce, nonceEncoding string
	hasNonce             bool
	created              string
	hasCreated           bool
}

// securityHeader is what the service reads of a wsse:Security header block.
type securityHeader struct {
	// token is the UsernameToken, nil when there is none.
	token *usernameToken
	// expires is the wsu:Timestamp's Expires, "" when there is none.
	expires string
}

// securityParser walks a Security block with its own bounds, whatever reader produced it.
type securityParser struct {
	d               *xml.Decoder
	depth, elements int
}

// parseSecurity reads a wsse:Security element, given as a standalone XML document: at most
// one UsernameToken and one wsu:Timestamp; other children are skipped. It never panics and
// refuses DTDs, oversized input and anything not shaped like the profile.
func parseSecurity(b []byte) (*securityHeader, error) {
	if len(b) > MaxSecurityBytes {
		return nil, errors.New("header block too large")
	}
	p := &securityParser{d: xml.NewDecoder(bytes.NewReader(b))}
	p.d.CharsetReader = func(label string, _ io.Reader) (io.Reader, error) {
		return nil, fmt.Errorf("unsupported encoding %q", label)
	}
	root, ok, err := p.child()
	switch {
	case err != nil:
		return nil, err
	case !ok:
		return nil, errors.New("no Security element")
	case root.Name.Space != WSSENamespace || root.Name.Local != "Security":
		return nil, fmt.Errorf("root %s is not wsse:Security", root.Name.Local)
	}
	h := &securityHeader{}
	seenTimestamp := false
	for {
		el, ok, err := p.child()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		switch {
		case el.Name.Space == WSSENamespace && el.Name.Local == "UsernameToken":
			if h.token != nil {
				return nil, errors.New("more than one UsernameToken")
			}
			if h.token, err = p.usernameToken(); err != nil {
				return nil, err
			}
		case el.Name.Space == WSUNamespace && el.Name.Local == "Timestamp":
			if seenTimestamp {
				return nil, errors.New("more than one Timestamp")
			}
			seenTimestamp = true
			if h.expires, err = p.timestamp(); err != nil {
				return nil, err
			}
		default:
			if err := p.skip(); err != nil {
				return nil, err
			}
		}
	}
	if _, ok, err := p.child(); err != nil || ok {
		return nil, errors.New("content after the Security element")
	}
	return h, nil
}

// usernameToken reads a UsernameToken's children.
func (p *securityParser) usernameToken() (*usernameToken, error) {
	t := &usernameToken{}
	seen := map[string]bool{}
	for {
		el, ok, err := p.child()
		if err != nil || !ok {
			if err == nil && !seen["Username"] {
				err = errors.New("UsernameToken without Username")
			}
			return t, err
		}
		local := el.Name.Local
		known := (el.Name.Space == WSSENamespace && (local == "Username" || local == "Password" || local == "Nonce")) ||
			((el.Name.Space == WSUNamespace || el.Name.Space == WSSENamespace) && local == "Created")
		if !known {
			if err := p.skip(); err != nil {
				return nil, err
			}
			continue
		}
		if seen[local] {
			return nil, errors.New("more than one " + local)
		}
		seen[local] = true
		text, err := p.leaf(local)
		if err != nil {
			return nil, err
		}
		switch local {
		case "Username":
			t.username = strings.TrimSpace(text)
		case "Password":
			t.password = text
			if t.digest, err = passwordIsDigest(attr(el, "Type")); err != nil {
				return nil, err
			}
		case "Nonce":
			t.nonce, t.hasNonce = strings.TrimSpace(text), true
			t.nonceEncoding = uriSuffix(attr(el, "EncodingType"))
		case "Created":
			t.created, t.hasCreated = text, true
		}
	}
}

// passwordIsDigest reads a Password's Type: PasswordText when missing. Clients write the full
// URI, or a QName such as wsse:PasswordDigest; only the part after '#' or ':' is compared.
func passwordIsDigest(typ string) (bool, error) {
	switch uriSuffix(typ) {
	case "", "PasswordText":
		return false, nil
	case "PasswordDigest":
		return true, nil
	}
	return false, fmt.Errorf("unknown password Type %q", clip(typ))
}

// uriSuffix returns what follows the last '#' of s, or its last ':' when it has no '#'.
func uriSuffix(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '#'); i >= 0 {
		return s[i+1:]
	}
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// timestamp reads a wsu:Timestamp and returns its Expires text.
func (p *securityParser) timestamp() (string, error) {
	var expires string
	for {
		el, ok, err := p.child()
		if err != nil || !ok {
			return expires, err
		}
		if el.Name.Space != WSUNamespace || el.Name.Local != "Expires" {
			if err := p.skip(); err != nil {
				return "", err
			}
			continue
		}
		if expires != "" {
			return "", errors.New("more than one Expires")
		}
		if expires, err = p.leaf("Expires"); err != nil {
			return "", err
		}
		if expires == "" {
			return "", errors.New("empty Expires")
		}
	}
}

// attr returns the value of el's attribute local, qualified or not.
func attr(el xml.StartElement, local string) string {
	for _, a := range el.Attr {
		if a.Name.Local == local && a.Name.Space != "xmlns" {
			return a.Value
		}
	}
	return ""
}

// next returns the next token, applying the bounds.
func (p *securityParser) next() (xml.Token, error) {
	tok, err := p.d.Token()
	if err != nil {
		if err == io.EOF && p.depth > 0 {
			return nil, io.ErrUnexpectedEOF
		}
		return nil, err
	}
	switch t := tok.(type) {
	case xml.StartElement:
		p.depth++
		p.elements++
		if p.depth > maxSecurityDepth || p.elements > maxSecurityElems {
			return nil, errors.New("header block too deep or too large")
		}
	case xml.EndElement:
		p.depth--
	case xml.Directive:
		return nil, errors.New("directive in the Security header")
	case xml.ProcInst:
		if t.Target != "xml" {
			return nil, errors.New("processing instruction in the Security header")
		}
	}
	return tok, nil
}

// child returns the next child element of the element being read; ok is false at its end
// (or at the end of the document). Text between elements is allowed and ignored.
func (p *securityParser) child() (xml.StartElement, bool, error) {
	for {
		tok, err := p.next()
		if err == io.EOF {
			return xml.StartElement{}, false, nil
		}
		if err != nil {
			return xml.StartElement{}, false, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, true, nil
		case xml.EndElement:
			return xml.StartElement{}, false, nil
		}
	}
}

// leaf returns the text of an element that must hold text only.
func (p *securityParser) leaf(name string) (string, error) {
	var b strings.Builder
	for {
		tok, err := p.next()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if b.Len()+len(t) > maxLeafBytes {
				return "", errors.New(name + " too long")
			}
			b.Write(t)
		case xml.StartElement:
			return "", errors.New("element inside " + name)
		case xml.EndElement:
			return b.String(), nil
		}
	}
}

// skip skips the rest of the element whose start was just read.
func (p *securityParser) skip() error {
	for depth := 1; depth > 0; {
		tok, err := p.next()
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

// clip shortens s for an error message.
func clip(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}
