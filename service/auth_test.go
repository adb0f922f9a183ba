package service_test

import (
	"crypto/rand"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/engage-oss/engage/auth"
	"github.com/engage-oss/engage/provisioning"
	"github.com/engage-oss/engage/service"
)

// enterprise is the createOrg request of an Enterprise.
func enterprise(externalID string) string {
	return "<cc:org>" + org(externalID, "") + "<cc:type>ENTERPRISE</cc:type></cc:org>"
}

// countingEnv starts a service whose password verifications are counted.
func countingEnv(t *testing.T) (*env, *atomic.Int64) {
	var n atomic.Int64
	e := startEnv(t, func(o *auth.Options) {
		o.VerifyPassword = func(encoded, password string) (bool, error) {
			n.Add(1)
			return auth.VerifyPassword(encoded, password)
		}
	})
	return e, &n
}

// TestAuthenticationFailed checks the refusals, in both versions: no credentials, a wrong
// password, an unknown name. Each is the same fault (401, Basic challenge) and runs nothing.
func TestAuthenticationFailed(t *testing.T) {
	for _, soap12 := range []bool{false, true} {
		e, verifies := countingEnv(t)
		e.soap12 = soap12
		for _, c := range []struct {
			name       string
			e          *env
			verifySlow int64
		}{
			{"no credentials", e.as("", ""), 0},
			{"wrong password", e.as(adminName, "wrong"), 1},
			{"unknown name", e.as("nobody", adminPassword), 1},
			{"unknown name, PasswordText", e.as("nobody", adminPassword).withSecurity("text"), 1},
			{"wrong password, PasswordText", e.as(adminName, "wrong").withSecurity("text"), 1},
			{"empty Security header", e.as("", "").withHeader(securityBlock("", "")), 0},
		} {
			before := verifies.Load()
			c.e.call("createOrg", enterprise("x")).fault("AUTHENTICATION_FAILED", "")
			if n := verifies.Load() - before; n != c.verifySlow {
				t.Errorf("%s: %d password verifications, want %d", c.name, n, c.verifySlow)
			}
		}
		e.call("showOrg", "<cc:org>"+org("x", "")+"</cc:org>").fault("OBJECT_NOT_EXISTS", "x")
	}
}

// TestAuthenticationMethods checks that Basic, PasswordText and PasswordDigest each let the
// operator in, in both versions, and that suds's header is understood.
func TestAuthenticationMethods(t *testing.T) {
	e := newEnv(t)
	e.mustEnterprise("ent")
	for _, soap12 := range []bool{false, true} {
		e.soap12 = soap12
		for _, c := range []*env{e, e.withSecurity("text"), e.withSecurity("digest")} {
			c.call("showOrg", "<cc:org>"+org("ent", "")+"</cc:org>").result()
		}
	}
	e.soap12 = false
	suds := `<wsse:Security mustUnderstand="true" xmlns:wsse="` + wsseNS + `"><wsse:UsernameToken>` +
		`<wsse:Username>` + adminName + `</wsse:Username><wsse:Password>` + adminPassword + `</wsse:Password>` +
		`<wsse:Nonce>2a0b1d5e9b8c4f3a7e6d5c4b3a291807</wsse:Nonce>` +
		`<wsu:Created xmlns:wsu="` + wsuNS + `">` + time.Now().UTC().Format(time.RFC3339Nano) + `</wsu:Created>` +
		`</wsse:UsernameToken></wsse:Security>`
	e.as("", "").withHeader(suds).call("showOrg", "<cc:org>"+org("ent", "")+"</cc:org>").result()

	// A READ_ONLY operator made by the harness authenticates too.
	e.operator("reader", provisioning.ReadOnly, "").call("showOrg", "<cc:org>"+org("ent", "")+"</cc:org>").result()
}

// TestHeaderWinsOverBasic checks that a UsernameToken is used when Basic credentials come
// with it.
func TestHeaderWinsOverBasic(t *testing.T) {
	e := newEnv(t)
	e.withHeader(securityBlock("", textToken(adminName, "wrong"))).call("createOrg", enterprise("x")).fault("AUTHENTICATION_FAILED", "")
	e.as(adminName, "wrong").withHeader(securityBlock("", textToken(adminName, adminPassword))).call("createOrg", enterprise("x")).result()
}

// TestPasswordDigestRefusals checks the PasswordDigest window, the replayed nonce and the
// operator created without PasswordDigest.
func TestPasswordDigestRefusals(t *testing.T) {
	e := newEnv(t).as("", "")
	stamp := func(d time.Duration) string { return time.Now().Add(d).UTC().Format("2006-01-02T15:04:05.000Z") }
	nonce := func() []byte {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		return b
	}
	digest := func(name, password string, n []byte, created string) *env {
		return e.withHeader(securityBlock(`soapenv:mustUnderstand="1"`, digestToken(name, password, n, created)))
	}
	show := "<cc:org>" + org("x", "") + "</cc:org>"
	for _, c := range []struct {
		name string
		e    *env
	}{
		{"Created over five minutes old", digest(adminName, adminPassword, nonce(), stamp(-5*time.Minute-time.Second))},
		{"Created in the future", digest(adminName, adminPassword, nonce(), stamp(2*time.Minute))},
		{"wrong password", digest(adminName, "wrong", nonce(), stamp(0))},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.e.call("showOrg", show).fault("AUTHENTICATION_FAILED", "")
		})
	}
	t.Run("replayed nonce", func(t *testing.T) {
		replayed := digest(adminName, adminPassword, nonce(), stamp(-time.Second))
		replayed.call("showOrg", show).fault("OBJECT_NOT_EXISTS", "x")
		replayed.call("showOrg", show).fault("AUTHENTICATION_FAILED", "")
	})
	t.Run("operator without PasswordDigest", func(t *testing.T) {
		e.addOperator("plain", "plain-password", provisioning.Administrator, "", false)
		digest("plain", "plain-password", nonce(), stamp(0)).call("showOrg", show).fault("AUTHENTICATION_FAILED", "")
		e.as("plain", "plain-password").call("showOrg", show).fault("OBJECT_NOT_EXISTS", "x")
	})
}

// TestCredentialCache checks that a second call does not hash the password again, and that
// a changed password or a removed operator takes effect on the next call.
func TestCredentialCache(t *testing.T) {
	e, verifies := countingEnv(t)
	show := "<cc:org>" + org("x", "") + "</cc:org>"
	for i := range 3 {
		e.call("showOrg", show).fault("OBJECT_NOT_EXISTS", "x")
		if n := verifies.Load(); n != 1 {
			t.Fatalf("call %d: %d password verifications, want 1", i+1, n)
		}
	}
	hash, err := auth.HashPasswordWith("changed-password", cheapParams)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.SetOperatorPassword(t.Context(), adminName, hash, nil); err != nil {
		t.Fatal(err)
	}
	e.call("showOrg", show).fault("AUTHENTICATION_FAILED", "")
	changed := e.as(adminName, "changed-password")
	changed.call("showOrg", show).fault("OBJECT_NOT_EXISTS", "x")
	if err := e.db.RemoveOperator(t.Context(), adminName); err != nil {
		t.Fatal(err)
	}
	changed.call("showOrg", show).fault("AUTHENTICATION_FAILED", "")
}

// TestContractNeedsNoCredentials checks that the WSDL and its schema are served to anyone.
func TestContractNeedsNoCredentials(t *testing.T) {
	e := newEnv(t)
	base := e.url[:len(e.url)-len(service.EndpointPath)]
	for _, url := range []string{e.url + "?wsdl", base + service.SchemaPath} {
		res, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", url, res.StatusCode)
		}
	}
}
