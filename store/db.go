// Package store implements provisioning.Store on SQLite: one database file, opened with two
// pools of connections, a single writer whose transactions never interleave and a few
// readers that each see one consistent snapshot. The schema is created and upgraded by the
// embedded migrations when the database is opened.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/jmoiron/sqlx"
	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver

	"github.com/engage-oss/engage/provisioning"
)

// readers is the size of the pool that serves Read.
const readers = 4

var _ provisioning.Store = (*DB)(nil)

// DB is an open SQLite database. It is safe for concurrent use.
type DB struct {
	// writer has a single connection and takes the write lock at BEGIN (BEGIN IMMEDIATE),
	// so write transactions run one at a time and never fail to upgrade a lock.
	writer *pool
	// reader's connections are query-only.
	reader *pool
}

// Open opens (creating if needed) the SQLite database at path and runs the embedded
// migrations that it has not applied yet.
func Open(path string) (*DB, error) {
	if path == "" || strings.ContainsAny(path, "?#") || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("store: invalid database path %q", path)
	}
	writer, err := sqlx.Open("sqlite3", dsn(path, true))
	if err != nil {
		return nil, fmt.Errorf("store: open writer: %w", err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	writer.SetConnMaxIdleTime(0)
	if _, err := migrate(context.Background(), writer); err != nil {
		_ = writer.Close()
		return nil, fmt.Errorf("store: migrate %s: %w", path, err)
	}

	// The readers are opened once the file exists and is in WAL mode.
	reader, err := sqlx.Open("sqlite3", dsn(path, false))
	if err != nil {
		_ = writer.Close()
		return nil, fmt.Errorf("store: open reader: %w", err)
	}
	reader.SetMaxOpenConns(readers)
	reader.SetMaxIdleConns(readers)
	if err := reader.Ping(); err != nil {
		_ = reader.Close()
		_ = writer.Close()
		return nil, fmt.Errorf("store: open reader: %w", err)
	}
	return &DB{writer: newPool(writer), reader: newPool(reader)}, nil
}

// dsn returns the data source name of a pool. The pragmas are in the DSN so that the
// driver sets them on every connection it opens, not only on the one an Exec happens to use.
func dsn(path string, write bool) string {
	q := url.Values{}
	q.Set("_foreign_keys", "on")
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "5000")
	q.Set("_synchronous", "FULL")
	if write {
		q.Set("_txlock", "immediate")
	} else {
		// The driver ignores sql.TxOptions.ReadOnly: the connection itself refuses writes.
		q.Set("_query_only", "on")
	}
	return path + "?" + q.Encode()
}

// Close closes both pools.
func (db *DB) Close() error {
	return errors.Join(db.reader.Close(), db.writer.Close())
}

// Read runs fn in a read-only transaction that sees one consistent snapshot.
func (db *DB) Read(ctx context.Context, fn func(provisioning.Tx) error) error {
	return run(ctx, db.reader, &sql.TxOptions{ReadOnly: true}, fn)
}

// Write runs fn in a write transaction: committed when fn returns nil, rolled back
// otherwise (and when fn panics), and never interleaved with another write.
func (db *DB) Write(ctx context.Context, fn func(provisioning.Tx) error) error {
	return run(ctx, db.writer, nil, fn)
}

// run begins a transaction on p, runs fn in it and commits when fn returns nil. A transaction
// is short and runs to its end once begun: cancelling ctx then does not interrupt it, so a
// batch whose client went away still commits whole (and its retry is answered OBJECT_EXISTS),
// and no goroutine watches ctx for each transaction and query, which costs a read a third of
// its time (BenchmarkReadAgentGroup).
func run(ctx context.Context, p *pool, opts *sql.TxOptions, fn func(provisioning.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	ctx = context.WithoutCancel(ctx)
	sqlTx, err := p.BeginTxx(ctx, opts)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	// Rollback after a commit is a no-op; this also rolls back when fn panics.
	defer func() { _ = sqlTx.Rollback() }()

	t := newTx(ctx, p, sqlTx)
	if err := fn(t); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}
