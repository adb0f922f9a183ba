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

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// PostgresEnv is the environment variable that holds the URL of a PostgreSQL database the
// tests may create schemas in, such as postgres://engage@127.0.0.1:5433/engage_test.
const PostgresEnv = "ENGAGE_TEST_POSTGRES"

// Postgres returns the URL in PostgresEnv: "" when the tests run on SQLite.
func Postgres() string { return os.Getenv(PostgresEnv) }

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
