// Package storetest gives tests a database of their own: a new SQLite file, or, when the
// environment names a PostgreSQL server (make test starts one), a new schema there. The
// same store and service tests so run against both.
package storetest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/jmoiron/sqlx"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "github.com/mattn/go-sqlite3"    // registers the "sqlite3" driver
)

// PostgresEnv is the environment variable that holds the URL of a PostgreSQL database the
// tests may create schemas in, such as postgres://engage@127.0.0.1:5433/engage_test.
const PostgresEnv = "ENGAGE_TEST_POSTGRES"

// Postgres returns the URL in PostgresEnv: "" when the tests run on SQLite.
func Postgres() string { return os.Getenv(PostgresEnv) }

// OpenSQL opens a plain handle on the database of dsn (a DSN result), for a test to check
// rows directly: a SQLite file read-only, or the PostgreSQL schema. Its Rebind turns ?
// placeholders into the driver's. It is closed when tb ends.
func OpenSQL(tb testing.TB, dsn string) *sqlx.DB {
	tb.Helper()
	driver, source := "sqlite3", "file:"+dsn+"?mode=ro&_busy_timeout=10000"
	if Postgres() != "" {
		driver, source = "pgx", dsn
	}
	db, err := sqlx.Open(driver, source)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = db.Close() })
	return db
}

// DSN returns the --db value of a new, empty database for tb: a fresh PostgreSQL schema
// when PostgresEnv is set, else a SQLite file in tb's temporary directory.
func DSN(tb testing.TB) string {
	tb.Helper()
	if Postgres() == "" {
		return filepath.Join(tb.TempDir(), "engage.db")
	}
	return PostgresSchema(tb)
}

// PostgresSchema creates a new schema in the database of PostgresEnv, dropped when tb ends,
// and returns a URL whose connections work in it. tb fails when PostgresEnv is not set.
func PostgresSchema(tb testing.TB) string {
	tb.Helper()
	base := Postgres()
	if base == "" {
		tb.Fatalf("%s is not set: make test starts a PostgreSQL server and sets it", PostgresEnv)
	}
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("%s: %v", PostgresEnv, err)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("open %s: %v", PostgresEnv, err)
	}
	defer admin.Close()

	suffix := make([]byte, 8)
	_, _ = rand.Read(suffix)
	schema := "test_" + hex.EncodeToString(suffix)
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			tb.Errorf("open %s: %v", PostgresEnv, err)
			return
		}
		defer db.Close()
		if _, err := db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
