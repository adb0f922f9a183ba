package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// migrationFS holds the schema migrations, NNNN_name.sql, applied in the order of NNNN.
// They are append-only: a released migration is never edited, a change is a new file.
//
//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one embedded schema migration.
type migration struct {
	version int64
	name    string
	sql     string
}

// migrations returns the embedded migrations ordered by version.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	seen := make(map[int64]string)
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		prefix, _, ok := strings.Cut(base, "_")
		if !ok {
			return nil, fmt.Errorf("migration %s: name is not NNNN_name.sql", base)
		}
		version, err := strconv.ParseInt(prefix, 10, 64)
		if err != nil || version <= 0 {
			return nil, fmt.Errorf("migration %s: name is not NNNN_name.sql", base)
		}
		if other, dup := seen[version]; dup {
			return nil, fmt.Errorf("migrations %s and %s have the same version", other, base)
		}
		seen[version] = base
		b, err := migrationFS.ReadFile(name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: version, name: base, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// migrate applies the migrations that db has not applied yet, each in its own transaction
// with its record in schema_migrations, and returns how many it applied. A migration is
// checked for inside its own (immediate) transaction, so two processes opening the same
// file at once do not both apply it.
func migrate(ctx context.Context, db *sqlx.DB) (int, error) {
	ms, err := migrations()
	if err != nil {
		return 0, err
	}
	if _, err := db.ExecContext(ctx, `
		CREATE TABLE IF NOT EXISTS schema_migrations (
			version    INTEGER PRIMARY KEY,
			applied_at INTEGER NOT NULL -- Unix milliseconds UTC
		)`); err != nil {
		return 0, fmt.Errorf("create schema_migrations: %w", err)
	}
	applied := 0
	for _, m := range ms {
		done, err := applyMigration(ctx, db, m)
		if err != nil {
			return applied, fmt.Errorf("migration %s: %w", m.name, err)
		}
		if done {
			applied++
		}
	}
	return applied, nil
}

// applyMigration applies m unless it is recorded as applied, and reports whether it did.
func applyMigration(ctx context.Context, db *sqlx.DB, m migration) (bool, error) {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer func() { _ = tx.Rollback() }()

	var done bool
	if err := tx.GetContext(ctx, &done,
		`SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = ?)`, m.version); err != nil {
		return false, err
	}
	if done {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx,
		`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`,
		m.version, time.Now().UnixMilli()); err != nil {
		return false, err
	}
	return true, tx.Commit()
}
