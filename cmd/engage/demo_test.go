package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/engage-oss/engage/auth"
	"github.com/engage-oss/engage/provisioning"
	"github.com/engage-oss/engage/store"
)

func TestDemoCreatesANewDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"demo", "--db", path, "--listen", "127.0.0.1:9999"}, nil, &out, &out); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "http://127.0.0.1:9999/services/ContactCenter?wsdl") {
		t.Errorf("no WSDL URL printed:\n%s", out.String())
	}
	m := regexp.MustCompile(`name: +(\S+)\n +password: +(\S+)\n`).FindStringSubmatch(out.String())
	if m == nil || m[1] != "demo" || len(m[2]) < 16 {
		t.Fatalf("no demo credentials printed:\n%s", out.String())
	}
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	op, err := db.Operator(ctx, "demo")
	if err != nil || !op.Demo || op.Role != provisioning.Administrator || op.ScopeOrgID != 0 || op.DigestSecret != nil {
		t.Fatalf("demo operator %+v %v", op, err)
	}
	if ok, err := auth.VerifyPassword(op.PasswordHash, m[2]); !ok || err != nil {
		t.Errorf("the printed password does not verify: %v %v", ok, err)
	}
	if only, _ := db.HasOnlyDemoOperators(ctx); !only {
		t.Error("the demo database has an operator other than the demo one")
	}

	svc := provisioning.NewService(db, provisioning.DefaultLimits())
	asDemo := provisioning.WithCaller(ctx, provisioning.Caller{Name: "demo", Role: provisioning.Administrator})
	agents, err := svc.ListAgentStatesUsingEntity(asDemo, &provisioning.Ref{ExternalID: "demo-account", Type: "ACCOUNT"})
	if err != nil {
		t.Fatal(err)
	}
	if len(agents) != 6 {
		t.Fatalf("want the 6 demo agents, got %d", len(agents))
	}
	states := map[provisioning.WorkState]int{}
	for _, a := range agents {
		states[a.WorkState]++
	}
	if len(states) < 3 {
		t.Errorf("want agents in a few work states, got %v", states)
	}

	err = run(context.Background(), []string{"demo", "--db", path}, nil, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "new database") {
		t.Errorf("demo on an existing database: want a refusal, got %v", err)
	}
}
