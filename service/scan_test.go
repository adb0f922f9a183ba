package service

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// scanned are envelopes of the kinds clients send, which the scanner reads without leaving
// them to encoding/xml.
var scanned = map[string]string{
	"compact":     env11("", echo("x")),
	"SOAP 1.2":    env12("", echo("x")),
	"declaration": `<?xml version='1.0' encoding='utf-8'?>` + "\n" + env11("", echo("x")),
	"indented and CRLF": "<soap:Envelope xmlns:soap=\"" + soap11NS + "\">\r\n  <soap:Header/>\r\n  <soap:Body>\r\n" +
		"    <cc:echo xmlns:cc=\"urn:engage:contactcenter:1\">\r\n      <cc:text>a\r\nb\rc</cc:text>\r\n    </cc:echo>\r\n" +
		"  </soap:Body>\r\n</soap:Envelope>\r\n",
	"entities and UTF-8": env11("", echo("&lt;Müller &amp; Søn&gt; &quot;&apos;")),
	"byte order mark":    byteOrderMark + `<?xml version="1.0"?>` + env11("", echo("x")),
	"comments":           "<!-- before -->" + env11("<!--Optional:-->", "<!-- ask -->"+echo("<!--Optional:-->x")),
	"attributes": `<s:Envelope xmlns:s="` + soap11NS + `" xml:lang="en"><s:Header><t:Trace xmlns:t="urn:trace" s:mustUnderstand='0' ` +
		`t:note="a &amp; b" s:actor="http://schemas.xmlsoap.org/soap/actor/next"/></s:Header><s:Body>` + echo("x") + `</s:Body></s:Envelope>`,
	"default namespace undone": env11("", `<echo xmlns="urn:engage:contactcenter:1"><text>x</text><other xmlns=""><text>y</text></other></echo>`),
	"deeper and wider than the first arrays": env11("", `<echo xmlns="urn:engage:contactcenter:1">`+
		strings.Repeat(`<p:a xmlns:p="urn:p" xmlns:q="urn:q" q:x="1" y="2">`, 20)+strings.Repeat(`</p:a>`, 20)+
		`<text`+attrs(20)+`>x</text></echo>`),
}

// unscanned are envelopes the scanner leaves to encoding/xml: each of them is outside its
// subset, and some are refused.
var unscanned = map[string]string{
	"CDATA":                    env11("", echo("<![CDATA[<x>]]>")),
	"character reference":      env11("", echo("&#x41;")),
	"DTD":                      `<!DOCTYPE x [<!ENTITY a "b">]>` + env11("", echo("&a;")),
	"processing instruction":   env11("", `<?php echo 1; ?>`+echo("x")),
	"late declaration":         " " + `<?xml version="1.0"?>` + env11("", echo("x")),
	"other encoding":           `<?xml version="1.0" encoding="ISO-8859-1"?>` + env11("", echo("x")),
	"non-ASCII name":           env11("", `<echo xmlns="urn:engage:contactcenter:1"><tëxt>x</tëxt></echo>`),
	"unknown entity":           env11("", echo("&nbsp;")),
	"mismatched end":           env11("", `<echo xmlns="urn:engage:contactcenter:1"><text>x</echo>`),
	"truncated":                `<soap:Envelope xmlns:soap="` + soap11NS + `"><soap:Body>`,
	"unquoted attribute":       `<soap:Envelope xmlns:soap=` + soap11NS + `><soap:Body/></soap:Envelope>`,
	"double dash in a comment": env11("", "<!-- a -- b -->"+echo("x")),
	"]]> in text":              env11("", echo("a]]>b")),
	"invalid UTF-8":            env11("", echo("\xff")),
	"control character":        env11("", echo("\x01")),
	"too deep":                 env11("", `<echo xmlns="urn:engage:contactcenter:1">`+nested(maxDepth)+`</echo>`),
	"too many attributes":      env11("", `<echo xmlns="urn:engage:contactcenter:1"`+attrs(maxAttributes+1)+`/>`),
}

// scanAll reads every token of body with the scanner, as copies, up to its first error.
func scanAll(body []byte) ([]xml.Token, error) {
	return readAll(newScanner(body, string(body)))
}

// decodeAll reads every token of body as decodeEnvelope's decoder returns them, as copies,
// up to its first error.
func decodeAll(body []byte) ([]xml.Token, error) {
	return readAll(decoderTokens{xml.NewTokenDecoder(newLimitedReader(bytes.NewReader(body)))})
}

// readAll reads every token of r, as copies of the whole tokens, up to its first error.
func readAll(r tokenReader) ([]xml.Token, error) {
	var tokens []xml.Token
	for {
		tok, err := r.next()
		if err != nil {
			return tokens, err
		}
		var whole xml.Token
		switch tok.kind {
		case startToken:
			whole = tok.start
		case endToken:
			whole = xml.EndElement{Name: tok.name}
		case textToken:
			whole = xml.CharData(tok.text)
		default:
			whole = tok.other
		}
		tokens = append(tokens, xml.CopyToken(whole))
	}
}

// goldenRequests returns the requests of the golden fixtures, by file name.
func goldenRequests(t testing.TB) map[string][]byte {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("..", "fixtures", "golden", "*.request.xml"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no golden requests: %v", err)
	}
	requests := make(map[string][]byte)
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		requests[filepath.Base(name)] = b
	}
	return requests
}

func TestScannerReadsWhatClientsSend(t *testing.T) {
	bodies := goldenRequests(t)
	for name, body := range scanned {
		bodies[name] = []byte(body)
	}
	for _, name := range []string{"wsse.xml", "header.xml", "two-bodies.xml", "operations.xml"} {
		bodies[name] = []byte(seed(t, name))
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			got, err := scanAll(body)
			if err != io.EOF {
				t.Fatalf("scanner stopped with %v after %d tokens", err, len(got))
			}
			want, err := decodeAll(body)
			if err != io.EOF {
				t.Fatalf("decoder stopped with %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("tokens differ\nscanner: %#v\ndecoder: %#v", got, want)
			}
		})
	}
}

func TestScannerLeavesTheRest(t *testing.T) {
	for name, body := range unscanned {
		t.Run(name, func(t *testing.T) {
			got, err := scanAll([]byte(body))
			if !errors.Is(err, errUnsupported) {
				t.Fatalf("scanner ended with %v, want errUnsupported", err)
			}
			want, _ := decodeAll([]byte(body))
			if !isPrefix(got, want) {
				t.Errorf("tokens before stopping differ\nscanner: %#v\ndecoder: %#v", got, want)
			}
		})
	}
}

// TestScannedAsDecoded sends each envelope with its length, which the scanner reads, and
// chunked, which encoding/xml reads: the answers, the faults and the Security block the
// authenticator sees are the same.
func TestScannedAsDecoded(t *testing.T) {
	srv := newTestServer(t, Config{MaxRequestBytes: 64 << 10})
	bodies := make(map[string]string)
	for _, m := range []map[string]string{scanned, unscanned} {
		for name, body := range m {
			bodies[name] = body
		}
	}
	for _, name := range []string{"wsse.xml", "header.xml", "two-bodies.xml", "operations.xml", "billion-laughs.xml", "xxe.xml", "malformed.xml"} {
		bodies[name] = seed(t, name)
	}
	send := func(t *testing.T, body io.Reader) (response, []byte) {
		srv.auth.reset()
		h := http.Header{"Content-Type": {ct11}, CorrelationHeader: {"same-id"}}
		res := srv.do(t, http.MethodPost, EndpointPath, h, body)
		security, _ := srv.auth.last()
		return res, security
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			scannedRes, scannedSecurity := send(t, strings.NewReader(body))
			// A reader of unknown length makes the client send the body chunked.
			decodedRes, decodedSecurity := send(t, struct{ io.Reader }{strings.NewReader(body)})
			if scannedRes.status != decodedRes.status || !bytes.Equal(scannedRes.body, decodedRes.body) {
				t.Errorf("with its length: %d %s\nchunked: %d %s", scannedRes.status, scannedRes.body, decodedRes.status, decodedRes.body)
			}
			if !bytes.Equal(scannedSecurity, decodedSecurity) {
				t.Errorf("Security block with its length: %s\nchunked: %s", scannedSecurity, decodedSecurity)
			}
		})
	}
}

// FuzzScanner checks that the scanner returns the decoder's tokens up to where it stops,
// and that readEnvelope answers as decodeEnvelope does.
func FuzzScanner(f *testing.F) {
	for _, m := range []map[string]string{scanned, unscanned} {
		for _, body := range m {
			f.Add([]byte(body), false)
		}
	}
	addEnvelopeSeeds(f)
	f.Fuzz(func(t *testing.T, body []byte, use12 bool) {
		got, scanErr := scanAll(body)
		want, decodeErr := decodeAll(body)
		if scanErr == io.EOF && decodeErr != io.EOF {
			t.Fatalf("scanner read to the end, decoder stopped with %v", decodeErr)
		}
		if !isPrefix(got, want) {
			t.Fatalf("tokens differ\nscanner: %#v\ndecoder: %#v", got, want)
		}
		v := soap11
		if use12 {
			v = soap12
		}
		env, err := readEnvelope(bytes.NewReader(body), int64(len(body)), v)
		wantEnv, wantErr := decodeEnvelope(bytes.NewReader(body), v)
		if !reflect.DeepEqual(env, wantEnv) || !sameFault(err, wantErr) {
			t.Fatalf("readEnvelope: %#v, %v\ndecodeEnvelope: %#v, %v", env, err, wantEnv, wantErr)
		}
	})
}

// isPrefix reports whether the tokens of got begin those of want.
func isPrefix(got, want []xml.Token) bool {
	if len(got) > len(want) {
		return false
	}
	for i := range got {
		if !reflect.DeepEqual(got[i], want[i]) {
			return false
		}
	}
	return true
}

// sameFault reports whether two errors of readEnvelope make the same fault.
func sameFault(a, b error) bool {
	if a == nil || b == nil {
		return a == b
	}
	fa, _ := faultFor(a)
	fb, _ := faultFor(b)
	return fa == fb
}
