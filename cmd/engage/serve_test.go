package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/engage-oss/engage/auth"
	"github.com/engage-oss/engage/provisioning"
	"github.com/engage-oss/engage/store"
)

// TestServeRefusesRemoteWithOnlyDemoOperators checks that serve keeps to loopback while the
// database has no operator, or demo ones only, and listens anywhere once a real one exists.
func TestServeRefusesRemoteWithOnlyDemoOperators(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "engage.db")
	serveRemote := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return run(ctx, []string{"serve", "--listen", "0.0.0.0:0", "--db", dbPath}, nil, io.Discard, io.Discard)
	}
	if err := serveRemote(); err == nil || !strings.Contains(err.Error(), `refusing to listen on "0.0.0.0:0"`) {
		t.Fatalf("no operator: %v, want a refusal", err)
	}
	db, err := store.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddOperator(context.Background(), auth.Operator{Name: "demo", PasswordHash: "x", Role: provisioning.Administrator, Demo: true}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := serveRemote(); err == nil || !strings.Contains(err.Error(), "no operator but demo ones") ||
		!strings.Contains(err.Error(), "engage operator add") {
		t.Fatalf("demo operator only: %v, want a refusal naming engage operator add", err)
	}
	// Loopback is fine with the demo operator.
	_, _, stop := startServe(t, "--db", dbPath)
	stop()

	mustEngage(t, "real-password", "operator", "add", "--name", "ops", "--role", "ADMINISTRATOR", "--password-stdin", "--db", dbPath)
	wsdlURL, stderr, stop := startServe(t, "--db", dbPath, "--listen", "0.0.0.0:0")
	stop()
	if !strings.Contains(stderr.String(), "plain HTTP on a non-loopback address") {
		t.Errorf("no warning about plain HTTP (WSDL at %s):\n%s", wsdlURL, stderr.String())
	}
}
