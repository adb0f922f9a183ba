package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// TestBackup copies an open database with DB.Backup: the copy passes integrity_check and
// holds the schema, and the readers stay query-only afterwards.
func TestBackup(t *testing.T) {
	sqliteOnly(t)
	dir := t.TempDir()
	db, err := Open(filepath.Join(dir, "engage.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	out := filepath.Join(dir, "copy.db")
	if err := db.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(ctx, out); err == nil {
		t.Error("a second backup overwrote the first")
	}
	for range readers {
		if _, err := db.reader.ExecContext(ctx, "CREATE TABLE t (x)"); err == nil {
			t.Fatal("a reader wrote after a backup")
		}
	}
	copyDB, err := sql.Open("sqlite3", out)
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	var check string
	var n int
	if err := copyDB.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check %q %v", check, err)
	}
	if err := copyDB.QueryRow("SELECT count(*) FROM schema_migrations").Scan(&n); err != nil || n == 0 {
		t.Errorf("migrations in the copy: %d %v", n, err)
	}
}
