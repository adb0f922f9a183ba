package auth

import (
	"net/http"
	"testing"
)

// FuzzSecurityHeader feeds arbitrary bytes to the WS-Security header parser and through
// Authenticate: it must never panic, and whatever it accepts must be a known operator.
func FuzzSecurityHeader(f *testing.F) {
	created := "2026-11-22T04:59:30Z"
	for _, seed := range []string{
		string(security(textToken("alice", alicePassword, ""))),
		string(security(textToken("alice", alicePassword, PasswordTextType))),
		string(security(digestToken("alice", alicePassword, []byte("fuzz-nonce"), created))),
		string(security(`<wsu:Timestamp><wsu:Created>` + created + `</wsu:Created><wsu:Expires>2026-11-22T05:05:00Z</wsu:Expires></wsu:Timestamp>` +
			textToken("bob", bobPassword, "wsse:PasswordText"))),
		`<wsse:Security xmlns:wsse="` + WSSENamespace + `" mustUnderstand="true"><wsse:UsernameToken><wsse:Username>alice</wsse:Username>` +
			`<wsse:Password>x</wsse:Password><wsse:Nonce>0f8a2b6c</wsse:Nonce><wsu:Created xmlns:wsu="` + WSUNamespace + `">` + created +
			`</wsu:Created></wsse:UsernameToken></wsse:Security>`,
		string(security(`<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo/></ds:Signature>`)),
		string(security(textToken("alice", "x", "") + textToken("bob", "y", ""))),
		`<!DOCTYPE x [<!ENTITY e "e">]><wsse:Security xmlns:wsse="` + WSSENamespace + `">&e;</wsse:Security>`,
		`<?xml version="1.0" encoding="ISO-8859-1"?><wsse:Security xmlns:wsse="` + WSSENamespace + `"/>`,
		`<Security/>`, ``, `<`, `<wsse:Security xmlns:wsse="` + WSSENamespace + `"><wsse:UsernameToken><wsse:Username><b/></wsse:Username>`,
	} {
		f.Add([]byte(seed))
	}
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := parseSecurity(b); err != nil {
			return
		}
		c, err := fx.a.Authenticate(t.Context(), http.Header{}, b)
		if err == nil && c.Name != "alice" && c.Name != "bob" {
			t.Fatalf("authenticated as %+v", c)
		}
	})
}
