package enginetest

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// TestServe starts the real binary: a bad flag is an exit at start, a good start gives the
// endpoint a SOAP call reaches, and Kill leaves the process gone, Exited saying so.
func TestServe(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the real binary")
	}
	bin, err := Build(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var log SyncBuffer
	if p, err := Serve(bin, &log, "--no-such-flag"); err == nil || !strings.Contains(err.Error(), "exited at start") {
		if p != nil {
			p.Kill()
		}
		t.Fatalf("Serve with a bad flag: %v, want an exit at start", err)
	}

	p, err := Serve(bin, &log, "--db", filepath.Join(t.TempDir(), "engage.db"))
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	t.Cleanup(p.Kill)
	if state := p.Exited(); state != nil {
		t.Fatalf("Exited while serving: %v", state)
	}
	// The database has no operator: the call is refused, which only the endpoint does.
	req, err := Request(p.URL, "", "showOrg", "<cc:org><cc:externalId>ent</cc:externalId></cc:org>")
	if err != nil {
		t.Fatal(err)
	}
	resp, body, err := Do(http.DefaultClient, req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), "<code>AUTHENTICATION_FAILED</code>") {
		t.Fatalf("showOrg without credentials: HTTP %d\n%s", resp.StatusCode, body)
	}

	p.Kill()
	if state := p.Exited(); state == nil || state.Success() {
		t.Fatalf("Exited after Kill: %v, want a killed process", state)
	}
	p.Kill() // a second Kill does nothing
	for _, want := range []string{"serving on", "showOrg", "no-such-flag"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("the log holds no %q:\n%s", want, log.String())
		}
	}
}
