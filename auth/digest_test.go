package auth

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestPasswordDigest(t *testing.T) {
	f := newFixture(t)
	created := "2026-11-22T04:59:30.250Z"
	nonce := []byte("nonce-0001-abcdef")
	f.wantCaller("alice", nil, security(digestToken("alice", alicePassword, nonce, created)))

	tests := []struct {
		name  string
		token string
	}{
		{"the same nonce again", digestToken("alice", alicePassword, nonce, created)},
		{"the same nonce with another Created", digestToken("alice", alicePassword, nonce, "2026-11-22T04:59:31Z")},
		{"the same nonce as hex text", strings.Replace(digestToken("alice", alicePassword, nonce, created),
			`EncodingType="`+Base64BinaryEncoding+`">`+base64.StdEncoding.EncodeToString(nonce),
			`EncodingType="#HexBinary">`+hex.EncodeToString(nonce), 1)},
		{"wrong password", digestToken("alice", "wrong", []byte("n2"), created)},
		{"Created over five minutes old", digestToken("alice", alicePassword, []byte("n3"), "2026-11-22T04:54:59Z")},
		{"Created in the future", digestToken("alice", alicePassword, []byte("n4"), "2026-11-22T05:00:31Z")},
		{"Created with white space", digestToken("alice", alicePassword, []byte("n5"), " "+created)},
		{"Created unreadable", digestToken("alice", alicePassword, []byte("n6"), "yesterday")},
		{"operator without PasswordDigest", digestToken("bob", bobPassword, []byte("n7"), created)},
		{"unknown operator", digestToken("mallory", "x", []byte("n8"), created)},
		{"no Nonce", `<wsse:UsernameToken><wsse:Username>alice</wsse:Username><wsse:Password Type="` + PasswordDigestType + `">` +
			digestOf(nil, created, alicePassword) + `</wsse:Password><wsu:Created>` + created + `</wsu:Created></wsse:UsernameToken>`},
		{"no Created", `<wsse:UsernameToken><wsse:Username>alice</wsse:Username><wsse:Password Type="` + PasswordDigestType + `">` +
			digestOf([]byte("n9"), "", alicePassword) + `</wsse:Password><wsse:Nonce>` + base64.StdEncoding.EncodeToString([]byte("n9")) +
			`</wsse:Nonce></wsse:UsernameToken>`},
		{"digest not Base64", strings.Replace(digestToken("alice", alicePassword, []byte("n10"), created), `#PasswordDigest">`, `#PasswordDigest">%%`, 1)},
		{"unknown EncodingType", strings.Replace(digestToken("alice", alicePassword, []byte("n11"), created), Base64BinaryEncoding, "#Rot13", 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.t = t
			before := f.verifies.Load()
			f.wantFailure(nil, security(tt.token))
			if f.verifies.Load() != before {
				t.Error("a PasswordDigest ran the slow password hash")
			}
		})
	}
	f.t = t
	// Within the allowed skew, and on the edge of the window.
	f.wantCaller("alice", nil, security(digestToken("alice", alicePassword, []byte("n12"), "2026-11-22T05:00:29Z")))
	f.wantCaller("alice", nil, security(digestToken("alice", alicePassword, []byte("n13"), "2026-11-22T04:55:00Z")))
	// Created with an offset.
	f.wantCaller("alice", nil, security(digestToken("alice", alicePassword, []byte("n14"), "2026-11-22T06:59:00+02:00")))
}

// TestDigestNonceWithoutEncodingType accepts the nonces clients send without EncodingType:
// Base64, hex digits digested as bytes, or hex digits digested as text (suds recipes).
func TestDigestNonceWithoutEncodingType(t *testing.T) {
	f := newFixture(t)
	created := "2026-11-22T04:59:59Z"
	for i, c := range []struct{ text, digested string }{
		{base64.StdEncoding.EncodeToString([]byte("raw-bytes-1")), "raw-bytes-1"},
		{"0f8a2b6cd2a1a5de5b1c3b9f22ad3e4f", "\x0f\x8a\x2b\x6c\xd2\xa1\xa5\xde\x5b\x1c\x3b\x9f\x22\xad\x3e\x4f"},
		{"1f8a2b6cd2a1a5de5b1c3b9f22ad3e4f", "1f8a2b6cd2a1a5de5b1c3b9f22ad3e4f"},
	} {
		token := `<wsse:UsernameToken><wsse:Username>alice</wsse:Username><wsse:Password Type="` + PasswordDigestType + `">` +
			digestOf([]byte(c.digested), created, alicePassword) + `</wsse:Password><wsse:Nonce>` + c.text +
			`</wsse:Nonce><wsu:Created>` + created + `</wsu:Created></wsse:UsernameToken>`
		if _, err := f.auth(nil, security(token)); err != nil {
			t.Errorf("nonce %d: %v", i, err)
		}
	}
}

func TestDigestNeedsTheSecretKey(t *testing.T) {
	f := newFixture(t, func(o *Options) { o.SecretKey = nil })
	f.wantFailure(nil, security(digestToken("alice", alicePassword, []byte("n"), "2026-11-22T04:59:59Z")))
	// PasswordText and Basic still work without the key.
	f.wantCaller("alice", basic("alice", alicePassword), nil)

	g := newFixture(t, func(o *Options) { o.SecretKey = make([]byte, KeyBytes); o.SecretKey[0] = 1 })
	_, err := g.auth(nil, security(digestToken("alice", alicePassword, []byte("n"), "2026-11-22T04:59:59Z")))
	if err == nil || strings.Contains(fmt.Sprint(err), "authentication failed") {
		t.Errorf("secret sealed under another key: %v, want an internal error", err)
	}
	if _, err := New(Options{Store: g.store, SecretKey: []byte("short")}); err == nil {
		t.Error("a short secret key accepted")
	}
}

func TestMemoryNonces(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	m := NewMemoryNonces(func() time.Time { return now })
	use := func(name, nonce string) bool {
		ok, err := m.Use(t.Context(), name, []byte(nonce), now.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !use("a", "n") || use("a", "n") {
		t.Error("a nonce accepted twice, or not once")
	}
	if !use("b", "n") {
		t.Error("one operator's nonce blocks another's")
	}
	now = now.Add(2 * time.Minute)
	if !use("a", "n") {
		t.Error("an expired nonce is still remembered")
	}
	for i := range 3000 {
		use("c", fmt.Sprint(i))
	}
	now = now.Add(2 * time.Minute)
	use("d", "x")
	use("d", "y")
	if len(m.seen) > 2000 {
		t.Errorf("%d nonces kept after they all expired", len(m.seen))
	}
}
