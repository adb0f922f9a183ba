package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/engage-oss/engage/internal/storetest"
	"github.com/engage-oss/engage/provisioning"
)

// TestMigrationsOfEachDialect checks that both dialects have one migration of every version:
// a shared file, or one of their own.
func TestMigrationsOfEachDialect(t *testing.T) {
	versions := func(d *dialect) []string {
		ms, err := migrations(d)
		if err != nil {
			t.Fatalf("%s: %v", d.name, err)
		}
		var out []string
		for _, m := range ms {
			out = append(out, fmt.Sprintf("%d", m.version))
		}
		return out
	}
	sqlite, postgres := versions(sqliteDialect), versions(postgresDialect)
	if fmt.Sprint(sqlite) != fmt.Sprint(postgres) || len(sqlite) < 3 {
		t.Errorf("versions: sqlite %v, postgres %v; want the same, at least 3", sqlite, postgres)
	}
	ms, _ := migrations(postgresDialect)
	if ms[0].name != "0001_initial.postgres.sql" || ms[2].name != "0003_digest_nonces.sql" {
		t.Errorf("postgres migrations %s, %s: want its own 0001 and the shared 0003", ms[0].name, ms[2].name)
	}
}

func TestDialectOf(t *testing.T) {
	for dsn, want := range map[string]*dialect{
		"engage.db":                            sqliteDialect,
		"/var/lib/engage/engage.db":            sqliteDialect,
		"postgres://engage@db.example/engage":  postgresDialect,
		"postgresql://engage@db.example/x?a=b": postgresDialect,
		"POSTGRES://engage@db.example/engage":  postgresDialect,
	} {
		if got := dialectOf(dsn); got != want {
			t.Errorf("dialectOf(%q) = %s, want %s", dsn, got.name, want.name)
		}
	}
	if got := Redacted("postgres://engage:s3cret@db.example/engage"); got != "postgres://engage:xxxxx@db.example/engage" {
		t.Errorf("Redacted = %q", got)
	}
}

// TestWritesAreSerialAcrossProcesses runs a check-then-insert from two handles on one
// database, as two service processes would: the writes never interleave, so the count
// that each write checks holds and exactly the limit is inserted.
func TestWritesAreSerialAcrossProcesses(t *testing.T) {
	dsn := storetest.DSN(t)
	handles := []*DB{MustOpenPath(t, dsn), MustOpenPath(t, dsn)}
	const limit, tries = 10, 40
	var wg sync.WaitGroup
	var mu sync.Mutex
	inserted := 0
	for i := range tries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := handles[i%2].Write(context.Background(), func(ptx provisioning.Tx) error {
				n, err := ptx.(*tx).count(`SELECT COUNT(*) FROM orgs`)
				if err != nil || n >= limit {
					return err
				}
				time.Sleep(time.Millisecond) // widen the window between the check and the insert
				o := provisioning.Org{ExternalID: fmt.Sprintf("E%d", i), Type: provisioning.Enterprise, Created: t0}
				if err := ptx.InsertOrg(&o); err != nil {
					return err
				}
				mu.Lock()
				inserted++
				mu.Unlock()
				return nil
			})
			if err != nil {
				t.Errorf("Write: %v", err)
			}
		}()
	}
	wg.Wait()
	var n int
	if err := handles[1].reader.Get(&n, `SELECT COUNT(*) FROM orgs`); err != nil || n != limit || inserted != limit {
		t.Errorf("orgs = %d (%v), inserted %d; want %d", n, err, inserted, limit)
	}
}

// TestNonces checks that a nonce is accepted once until it expires, by every handle on the
// database.
func TestNonces(t *testing.T) {
	dsn := storetest.DSN(t)
	now := time.Now()
	clock := func() time.Time { return now }
	a, b := MustOpenPath(t, dsn).Nonces(clock), MustOpenPath(t, dsn).Nonces(clock)
	ctx := context.Background()
	use := func(n *Nonces, name, nonce string) bool {
		t.Helper()
		fresh, err := n.Use(ctx, name, []byte(nonce), now.Add(5*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		return fresh
	}
	if !use(a, "alice", "n1") {
		t.Fatal("a new nonce was refused")
	}
	if use(a, "alice", "n1") || use(b, "alice", "n1") {
		t.Error("a nonce was accepted twice")
	}
	if !use(b, "bob", "n1") {
		t.Error("another operator's nonce was refused")
	}
	if !use(b, "alice", "n1\x00") {
		t.Error("a different nonce was refused")
	}
	now = now.Add(5*time.Minute + time.Millisecond)
	if !use(b, "alice", "n1") {
		t.Error("an expired nonce was refused")
	}
	var rows int
	if err := a.db.reader.Get(&rows, `SELECT COUNT(*) FROM digest_nonces`); err != nil || rows != 1 {
		t.Errorf("digest_nonces holds %d rows (%v), want the 1 not expired", rows, err)
	}
}

// TestPostgresSchema checks what the PostgreSQL migrations must keep from SQLite: text
// compared and ordered byte by byte whatever the database's collation, and backups left to
// pg_dump.
func TestPostgresSchema(t *testing.T) {
	if storetest.Postgres() == "" {
		t.Skip("PostgreSQL only")
	}
	db := MustOpen(t)
	var loose []string
	if err := db.reader.Select(&loose, `
		SELECT table_name || '.' || column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND data_type = 'text'
		  AND (column_name LIKE '%external_id' OR column_name IN ('name', 'first_name', 'last_name', 'email', 'phone_number'))
		  AND collation_name IS DISTINCT FROM 'C'
		ORDER BY 1`); err != nil {
		t.Fatal(err)
	}
	if len(loose) > 0 {
		t.Errorf("text columns without COLLATE \"C\": %v", loose)
	}
	if err := db.Backup(context.Background(), t.TempDir()+"/copy"); err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Error("Backup of PostgreSQL succeeded, want a pointer to pg_dump")
	}
}

// TestWriteNeverClaimsWhatItDidNotStore swallows a failed statement inside a write
// transaction, as no caller should: SQLite goes on with the transaction, PostgreSQL aborts it
// and answers its COMMIT with a rollback. Either way, Write reports success only when the
// transaction's other writes are stored.
func TestWriteNeverClaimsWhatItDidNotStore(t *testing.T) {
	db := MustOpen(t)
	MustInsertOrg(t, db, 0, "taken")
	err := db.Write(context.Background(), func(ptx provisioning.Tx) error {
		o := provisioning.Org{ExternalID: "kept?", Type: provisioning.Enterprise, Created: t0}
		if err := ptx.InsertOrg(&o); err != nil {
			return err
		}
		dup := provisioning.Org{ExternalID: "taken", Type: provisioning.Enterprise, Created: t0}
		if err := ptx.InsertOrg(&dup); !errors.Is(err, provisioning.ErrExists) {
			t.Errorf("InsertOrg(taken) = %v, want ErrExists", err)
		}
		return nil
	})
	var stored []provisioning.Org
	MustRead(t, db, func(tx provisioning.Tx) error {
		var err error
		stored, err = tx.FindOrgs(0, "kept?")
		return err
	})
	if (err == nil) != (len(stored) == 1) {
		t.Errorf("Write = %v with %d of its orgs stored: success must mean stored", err, len(stored))
	}
}
