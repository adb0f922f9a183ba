package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/engage-oss/engage/provisioning"
	"github.com/engage-oss/engage/store"
)

func TestDemoCreatesANewDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"demo", "--db", path}, nil, &out, &out); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc := provisioning.NewService(db, provisioning.DefaultLimits())
	agents, err := svc.ListAgentStatesUsingEntity(context.Background(), &provisioning.Ref{ExternalID: "demo-account", Type: "ACCOUNT"})
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
