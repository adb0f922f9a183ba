package main

import (
	"database/sql"
	"os"
	"testing"

	"github.com/engage-oss/engage/internal/storetest"
)

func TestNewer(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"15", "9.6", true},
		{"9.6", "15", false},
		{"16", "15", true},
		{"15", "15", false},
		{"9.6", "9.5", true},
		{"10", "9.6", true},
	} {
		a, b := "/usr/lib/postgresql/"+c.a+"/bin", "/usr/lib/postgresql/"+c.b+"/bin"
		if got := newer(a, b); got != c.want {
			t.Errorf("newer(%s, %s) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

// TestRun runs commands against throw-away clusters: one that works in the database,
// one that fails, whose exit code run returns. Each leaves nothing in the temporary folder.
func TestRun(t *testing.T) {
	if _, err := serverBin(); err != nil {
		t.Skip(err)
	}
	for _, c := range []struct {
		name string
		args []string
		want int
	}{
		// This test binary again, with the database set, running TestDatabase.
		{"database", []string{"sh", "-c", `[ -n "$` + storetest.PostgresEnv + `" ] && exec "$0" -test.run='^TestDatabase$'`, os.Args[0]}, 0},
		{"exit code", []string{"--", "sh", "-c", "exit 3"}, 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			// The server's user must reach the cluster's folder in here.
			tmp, err := os.MkdirTemp("", "pgcluster-test-")
			if err != nil {
				t.Fatal(err)
			}
			defer os.RemoveAll(tmp)
			if err := os.Chmod(tmp, 0o755); err != nil {
				t.Fatal(err)
			}
			t.Setenv("TMPDIR", tmp)
			t.Setenv(storetest.PostgresEnv, "")

			if got := run(c.args); got != c.want {
				t.Errorf("run(%q) = %d, want %d", c.args, got, c.want)
			}
			if left, _ := os.ReadDir(tmp); len(left) > 0 {
				t.Errorf("left behind: %v", left)
			}
		})
	}
}

// TestDatabase works in a schema of the database in storetest.PostgresEnv, when it is set:
// TestRun runs it under run.
func TestDatabase(t *testing.T) {
	if storetest.Postgres() == "" {
		t.Skip(storetest.PostgresEnv + " is not set")
	}
	db, err := sql.Open("pgx", storetest.PostgresSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE t (n int)`); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow(`INSERT INTO t VALUES (42) RETURNING n`).Scan(&n); err != nil || n != 42 {
		t.Fatalf("insert: %d, %v", n, err)
	}
}
