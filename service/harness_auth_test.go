package service_test

import (
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/engage-oss/engage/auth"
	"github.com/engage-oss/engage/provisioning"
)

// The operator every env calls as unless told otherwise: unscoped ADMINISTRATOR, allowed
// PasswordDigest.
const (
	adminName     = "admin"
	adminPassword = "admin-password"
)

// cheapParams make the harness's password hashes fast to verify. Verification reads the
// parameters from the hash, so the real argon2id code runs, only cheaper.
var cheapParams = auth.Params{Time: 1, MemoryKiB: 64, Threads: 1}

// hashes remembers the hash of each password the harness used: one hash per password and
// test binary.
var hashes sync.Map

// hashOf returns a cheap hash of password.
func hashOf(password string) (string, error) {
	if h, ok := hashes.Load(password); ok {
		return h.(string), nil
	}
	h, err := auth.HashPasswordWith(password, cheapParams)
	if err != nil {
		return "", err
	}
	hashes.Store(password, h)
	return h, nil
}

// addOperator creates an operator in e's database. scope is the internalId of its
// Enterprise or Account ("org-2"), "" for the whole system; digest allows PasswordDigest.
func (e *env) addOperator(name, password string, role provisioning.Role, scope string, digest bool) {
	e.t.Helper()
	op := auth.Operator{Name: name, Role: role}
	if scope != "" {
		id, err := strconv.ParseInt(strings.TrimPrefix(scope, "org-"), 10, 64)
		if err != nil || !strings.HasPrefix(scope, "org-") {
			e.t.Fatalf("scope %q is not an org internalId", scope)
		}
		op.ScopeOrgID = id
	}
	var err error
	if op.PasswordHash, err = hashOf(password); err != nil {
		e.t.Fatal(err)
	}
	if digest {
		if op.DigestSecret, err = auth.SealSecret(e.key, name, password); err != nil {
			e.t.Fatal(err)
		}
	}
	if _, err := e.db.AddOperator(e.t.Context(), op); err != nil {
		e.t.Fatalf("add operator %s: %v", name, err)
	}
}

// operator creates an operator with the given role and scope (an org internalId, "" for
// none) and returns a copy of e calling as it.
func (e *env) operator(name string, role provisioning.Role, scope string) *env {
	e.t.Helper()
	password := name + "-password"
	e.addOperator(name, password, role, scope, false)
	return e.as(name, password)
}

// as returns a copy of e whose calls send other credentials; none when name is empty.
func (e *env) as(name, password string) *env {
	c := *e
	c.user, c.password = name, password
	return &c
}

// withSecurity returns a copy of e that sends its credentials in a WS-Security
// UsernameToken: "text" (PasswordText) or "digest" (PasswordDigest, a new nonce and the
// current time each call); "" goes back to HTTP Basic.
func (e *env) withSecurity(kind string) *env {
	c := *e
	c.security = kind
	return &c
}

// The WS-Security namespaces and Type URIs, as clients write them.
const (
	wsseNS     = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
	wsuNS      = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
	tokenTypes = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
	base64Type = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
)

// withHeader returns a copy of e that sends content in the SOAP Header, besides its Basic
// credentials if it has any (e.as("", "").withHeader(...) sends the header alone).
func (e *env) withHeader(content string) *env {
	c := *e
	c.rawHeader = content
	return &c
}

// header returns the SOAP Header of a call: e's raw header, e's UsernameToken, or empty.
func (e *env) header() string {
	if e.rawHeader != "" {
		return `<soapenv:Header>` + e.rawHeader + `</soapenv:Header>`
	}
	if e.security == "" || e.user == "" {
		return "<soapenv:Header/>"
	}
	var token string
	if e.security == "digest" {
		nonce := make([]byte, 16)
		_, _ = rand.Read(nonce)
		token = digestToken(e.user, e.password, nonce, time.Now().UTC().Format("2006-01-02T15:04:05.000Z"))
	} else {
		token = textToken(e.user, e.password)
	}
	return `<soapenv:Header>` + securityBlock(`soapenv:mustUnderstand="1"`, token) + `</soapenv:Header>`
}

// securityBlock returns a wsse:Security header block with the given attributes and content.
func securityBlock(attrs, content string) string {
	return `<wsse:Security ` + attrs + ` xmlns:wsse="` + wsseNS + `" xmlns:wsu="` + wsuNS + `">` + content + `</wsse:Security>`
}

// textToken returns a PasswordText UsernameToken.
func textToken(name, password string) string {
	return `<wsse:UsernameToken><wsse:Username>` + name + `</wsse:Username><wsse:Password Type="` + tokenTypes +
		`#PasswordText">` + password + `</wsse:Password></wsse:UsernameToken>`
}

// digestToken returns a PasswordDigest UsernameToken.
func digestToken(name, password string, nonce []byte, created string) string {
	h := sha1.New()
	h.Write(nonce)
	h.Write([]byte(created))
	h.Write([]byte(password))
	return `<wsse:UsernameToken wsu:Id="UsernameToken-1"><wsse:Username>` + name + `</wsse:Username>` +
		`<wsse:Password Type="` + tokenTypes + `#PasswordDigest">` + base64.StdEncoding.EncodeToString(h.Sum(nil)) + `</wsse:Password>` +
		`<wsse:Nonce EncodingType="` + base64Type + `">` + base64.StdEncoding.EncodeToString(nonce) + `</wsse:Nonce>` +
		`<wsu:Created>` + created + `</wsu:Created></wsse:UsernameToken>`
}
