package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/engage-oss/engage/auth"
	"github.com/engage-oss/engage/provisioning"
	"github.com/engage-oss/engage/store"
)

// engage runs the command line args with stdin and returns its output and error.
func engage(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &out)
	return out.String(), err
}

// mustEngage runs the command line args and fails the test on an error.
func mustEngage(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	out, err := engage(t, stdin, args...)
	if err != nil {
		t.Fatalf("engage %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// operatorOf reads an operator straight from the database.
func operatorOf(t *testing.T, dbPath, name string) (auth.Operator, error) {
	t.Helper()
	db, err := store.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return db.Operator(context.Background(), name)
}

func TestOperatorCommands(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "engage.db")
	mustEngage(t, "first-password\n", "operator", "add", "--name", "alice", "--role", "administrator", "--password-stdin", "--db", dbPath)
	alice, err := operatorOf(t, dbPath, "alice")
	if err != nil || alice.Role != provisioning.Administrator || alice.ScopeOrgID != 0 || alice.Demo || alice.DigestSecret != nil {
		t.Fatalf("alice %+v %v", alice, err)
	}
	if ok, _ := auth.VerifyPassword(alice.PasswordHash, "first-password"); !ok {
		t.Error("the password from standard input does not verify")
	}

	// Scopes, by externalId and as ENTERPRISE/ACCOUNT, refusing unknown and ambiguous ones.
	db, err := store.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []provisioning.Org{
		{ExternalID: "ent1", Type: provisioning.Enterprise}, {ExternalID: "ent2", Type: provisioning.Enterprise},
		{ExternalID: "acct", Type: provisioning.Account, ParentID: 1}, {ExternalID: "acct", Type: provisioning.Account, ParentID: 2},
	} {
		err := db.Write(context.Background(), func(tx provisioning.Tx) error { o.Created = time.Now(); return tx.InsertOrg(&o) })
		if err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	add := func(name string, extra ...string) (string, error) {
		return engage(t, name+"-password", append([]string{"operator", "add", "--name", name, "--role", "READ_ONLY", "--password-stdin", "--db", dbPath}, extra...)...)
	}
	if out, err := add("bob", "--scope", "ent1"); err != nil || !strings.Contains(out, "scope ent1") {
		t.Errorf("scope ent1: %v\n%s", err, out)
	}
	if out, err := add("carol", "--scope", "ent2/acct"); err != nil || !strings.Contains(out, "scope ent2/acct") {
		t.Errorf("scope ent2/acct: %v\n%s", err, out)
	}
	for scope, want := range map[string]string{"acct": "several organizations", "nope": "no Enterprise or Account", "ent1/nope": "no Enterprise"} {
		if _, err := add("dave", "--scope", scope); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("scope %s: %v, want %q", scope, err, want)
		}
	}
	if _, err := add("bob"); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("bob again: %v", err)
	}

	// PasswordDigest needs the key, and keeps the password sealed.
	keyFile := filepath.Join(dir, "key")
	if err := os.WriteFile(keyFile, bytes.Repeat([]byte{7}, auth.KeyBytes), 0o600); err != nil {
		t.Fatal(err)
	}
	var usage usageError
	if _, err := add("erin", "--digest"); !errors.As(err, &usage) {
		t.Errorf("--digest without a key: %v, want a usage error", err)
	}
	if _, err := add("erin", "--digest", "--secret-key-file", keyFile); err != nil {
		t.Fatal(err)
	}
	erin, _ := operatorOf(t, dbPath, "erin")
	if erin.DigestSecret == nil || bytes.Contains(erin.DigestSecret, []byte("erin-password")) {
		t.Errorf("erin's digest secret %q", erin.DigestSecret)
	}

	list := mustEngage(t, "", "operator", "list", "--db", dbPath)
	for _, want := range []string{
		"NAME", "alice  ADMINISTRATOR", "bob    READ_ONLY      ent1", "carol  READ_ONLY      ent2/acct", "erin   READ_ONLY      -          yes     no",
	} {
		if !strings.Contains(list, want) {
			t.Errorf("list lacks %q:\n%s", want, list)
		}
	}
	for _, secret := range []string{"$argon2id", "password"} {
		if strings.Contains(list, secret) {
			t.Errorf("list shows %q:\n%s", secret, list)
		}
	}

	// passwd: the new password verifies, the old one no longer; a digest operator needs the key.
	mustEngage(t, "second-password\r\n", "operator", "passwd", "--name", "alice", "--password-stdin", "--db", dbPath)
	alice, _ = operatorOf(t, dbPath, "alice")
	if ok, _ := auth.VerifyPassword(alice.PasswordHash, "second-password"); !ok {
		t.Error("the new password does not verify")
	}
	if ok, _ := auth.VerifyPassword(alice.PasswordHash, "first-password"); ok {
		t.Error("the old password still verifies")
	}
	if _, err := engage(t, "new-erin-password", "operator", "passwd", "--name", "erin", "--password-stdin", "--db", dbPath); err == nil {
		t.Error("passwd of a digest operator without the key")
	}
	mustEngage(t, "new-erin-password", "operator", "passwd", "--name", "erin", "--password-stdin", "--secret-key-file", keyFile, "--db", dbPath)
	if again, _ := operatorOf(t, dbPath, "erin"); bytes.Equal(again.DigestSecret, erin.DigestSecret) || again.DigestSecret == nil {
		t.Error("passwd did not seal the new digest secret")
	}
	if _, err := engage(t, "whatever-password", "operator", "passwd", "--name", "nobody", "--password-stdin", "--db", dbPath); err == nil ||
		!strings.Contains(err.Error(), "no operator nobody") {
		t.Errorf("passwd nobody: %v", err)
	}

	mustEngage(t, "", "operator", "remove", "--name", "bob", "--db", dbPath)
	if _, err := operatorOf(t, dbPath, "bob"); !errors.Is(err, auth.ErrUnknownOperator) {
		t.Errorf("bob after remove: %v", err)
	}
	if _, err := engage(t, "", "operator", "remove", "--name", "bob", "--db", dbPath); err == nil {
		t.Error("remove bob twice")
	}
	if _, err := engage(t, "", "operator", "list", "--db", filepath.Join(dir, "missing.db")); err == nil {
		t.Error("list on a missing database")
	}
}

func TestOperatorPasswordFromStdin(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "engage.db")
	for stdin, want := range map[string]string{
		"":                             "at least 8",
		"short\n":                      "at least 8",
		"two\nlines-of-password\n":     "one line",
		strings.Repeat("x", 2000):      "at most 1024",
		"a good password with spaces ": "",
	} {
		_, err := engage(t, stdin, "operator", "add", "--name", "op", "--role", "PROVISIONING", "--password-stdin", "--db", dbPath)
		if want == "" {
			if err != nil {
				t.Errorf("%q: %v", stdin, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", stdin, err, want)
		}
	}
	op, _ := operatorOf(t, dbPath, "op")
	if ok, _ := auth.VerifyPassword(op.PasswordHash, "a good password with spaces "); !ok {
		t.Error("the password lost its spaces")
	}
	// The help of each operator command works without a database (interop/ probes it).
	for _, sub := range operatorCommands {
		if out, err := engage(t, "", "operator", sub, "--help"); err != nil || !strings.Contains(out, "-db file") {
			t.Errorf("operator %s --help: %v\n%s", sub, err, out)
		}
	}
}
