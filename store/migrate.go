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
)

// migrationFS holds the schema migrations, applied in the order of their version NNNN:
// NNNN_name.sql when the dialects agree on it, or one NNNN_name.<dialect>.sql for each
// dialect (sqlite, postgres) when they cannot. They are append-only: a released migration
// is never edited, a change is a new file.
//
//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one embedded schema migration.
type migration struct {
	version int64
	name    string
	sql     string
}

// migrations returns the embedded migrations of dialect d ordered by version.
func migrations(d *dialect) ([]migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	byVersion := make(map[int64]migration)
	// shared and own say, by version, whether a file for all dialects and one for d exist;
	// other, that a file for another dialect exists.
	shared, own, other := make(map[int64]string), make(map[int64]bool), make(map[int64]string)
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		prefix, rest, ok := strings.Cut(base, "_")
		version, err := strconv.ParseInt(prefix, 10, 64)
		if !ok || err != nil || version <= 0 {
			return nil, fmt.Errorf("migration %s: name is not NNNN_name.sql or NNNN_name.<dialect>.sql", base)
		}
		stem := strings.TrimSuffix(rest, ".sql")
		dialectName := ""
		if i := strings.LastIndexByte(stem, '.'); i >= 0 {
			dialectName = stem[i+1:]
			if dialectName != sqliteDialect.name && dialectName != postgresDialect.name {
				return nil, fmt.Errorf("migration %s: unknown dialect %q", base, dialectName)
			}
		}
		switch {
		case dialectName == "":
			if prev, dup := shared[version]; dup {
				return nil, fmt.Errorf("migrations %s and %s have the same version", prev, base)
			}
			shared[version] = base
		case dialectName != d.name:
			other[version] = base
			continue
		default:
			if own[version] {
				return nil, fmt.Errorf("migration %s: a second %s migration of version %d", base, d.name, version)
			}
			own[version] = true
		}
		b, err := migrationFS.ReadFile(name)
		if err != nil {
			return nil, err
		}
		byVersion[version] = migration{version: version, name: base, sql: string(b)}
	}
	for version, base := range shared {
		if own[version] {
			return nil, fmt.Errorf("migration %s: also written for %s alone", base, d.name)
		}
	}
	for version, base := range other {
		if _, ok := byVersion[version]; !ok {
			return nil, fmt.Errorf("migration %s: no %s migration of version %d", base, d.name, version)
		}
	}
	ms := make([]migration, 0, len(byVersion))
	for _, m := range byVersion {
		ms = append(ms, m)
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// migrate applies the migrations that the database has not applied yet, each in its own
// write transaction with its record in schema_migrations, and returns how many it applied.
// A migration is checked for inside its write transaction, which waits for any other
// writer (see dialect), so two processes opening the same database at once do not both
// apply it.
func (db *DB) migrate(ctx context.Context) (int, error) {
	ms, err := migrations(db.d)
	if err != nil {
		return 0, err
	}
	if err := db.write(ctx, func(t *tx) error {
		_, err := t.conn.ExecContext(t.ctx, `
			CREATE TABLE IF NOT EXISTS schema_migrations (
				version    BIGINT PRIMARY KEY,
				applied_at BIGINT NOT NULL -- Unix milliseconds UTC
			)`)
		return err
	}); err != nil {
		return 0, fmt.Errorf("create schema_migrations: %w", err)
	}
	applied := 0
	for _, m := range ms {
		done := false
		err := db.write(ctx, func(t *tx) error {
			var present bool
			if err := t.conn.GetContext(t.ctx, &present, t.d.rebind(
				`SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = ?)`), m.version); err != nil || present {
				return err
			}
			if _, err := t.conn.ExecContext(t.ctx, m.sql); err != nil {
				return err
			}
			done = true
			_, err := t.conn.ExecContext(t.ctx, t.d.rebind(
				`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`), m.version, time.Now().UnixMilli())
			return err
		})
		if err != nil {
			return applied, fmt.Errorf("migration %s: %w", m.name, err)
		}
		if done {
			applied++
		}
	}
	return applied, nil
}
