// Package store implements provisioning.Store on SQLite, the embedded default, or on
// PostgreSQL, which several service processes can share. Either is opened with two pools of
// connections: a writer whose transactions never interleave (see dialect) and a few
// readers that each see one consistent snapshot. The schema is created and upgraded by the
// embedded migrations when the database is opened.
package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/jmoiron/sqlx"
	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver

	"github.com/engage-oss/engage/provisioning"
)

// readers is the size of the pool that serves Read.
const readers = 4

var _ provisioning.Store = (*DB)(nil)

// DB is an open database. It is safe for concurrent use.
type DB struct {
	d *dialect
	// writer has a single connection, so a process's write transactions queue here rather
	// than in the database; its transactions are serial (see dialect).
	writer *sqlx.DB
	// reader's connections serve read transactions and the operators' look-ups.
	reader *sqlx.DB
	// readerConns has the prepared statements of SQLite's reader connections and what their
	// snapshots read; nil on PostgreSQL.
	readerConns *readerConns
}

// Open opens the database that dsn names, a PostgreSQL URL (postgres://user@host/db?...)
// or else the path of a SQLite file, created when missing, and runs the embedded migrations
// that it has not applied yet.
func Open(dsn string) (*DB, error) {
	d := dialectOf(dsn)
	var writerDSN, readerDSN string
	if d == postgresDialect {
		writerDSN, readerDSN = dsn, dsn
	} else {
		if dsn == "" || strings.ContainsAny(dsn, "?#") || strings.HasPrefix(dsn, "file:") {
			return nil, fmt.Errorf("store: invalid database path %q", dsn)
		}
		writerDSN, readerDSN = sqliteDSN(dsn, true), sqliteDSN(dsn, false)
	}
	name := Redacted(dsn)
	writer, err := sqlx.Open(d.driver, writerDSN)
	if err != nil {
		return nil, fmt.Errorf("store: open writer: %w", err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	writer.SetConnMaxIdleTime(0)
	db := &DB{d: d, writer: writer}
	if _, err := db.migrate(context.Background()); err != nil {
		_ = writer.Close()
		return nil, fmt.Errorf("store: migrate %s: %w", name, err)
	}

	// SQLite's readers are opened once the file exists and is in WAL mode.
	reader, err := sqlx.Open(d.driver, readerDSN)
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
	db.reader = reader
	if d == sqliteDialect {
		db.readerConns = newReaderConns()
	}
	return db, nil
}

// Redacted returns a --db value without its password, fit for messages and logs.
func Redacted(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		return u.Redacted()
	}
	return dsn
}

// sqliteDSN returns the data source name of a SQLite pool. The pragmas are in the DSN so
// that the driver sets them on every connection it opens, not only on the one an Exec
// happens to use.
func sqliteDSN(path string, write bool) string {
	q := url.Values{}
	q.Set("_foreign_keys", "on")
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "5000")
	q.Set("_synchronous", "FULL")
	// Each connection keeps its statements prepared, found by their text; more than the
	// store runs (see tx).
	q.Set("_stmt_cache_size", strconv.Itoa(sqliteStatements))
	if !write {
		// The connection itself refuses writes: a read transaction's BEGIN cannot.
		q.Set("_query_only", "on")
	}
	return path + "?" + q.Encode()
}

// sqliteStatements is how many prepared statements a SQLite connection keeps: more than
// the store's distinct statements, about sixty.
const sqliteStatements = 128

// Close closes the pools.
func (db *DB) Close() error {
	if db.readerConns != nil {
		db.readerConns.close()
	}
	return errors.Join(db.reader.Close(), db.writer.Close())
}

// Read runs fn in a read-only transaction that sees one consistent snapshot: on SQLite, that
// of ctx's session when it has one (see Session).
func (db *DB) Read(ctx context.Context, fn func(provisioning.Tx) error) error {
	return db.read(ctx, func(t *tx) error { return fn(t) })
}

// Write runs fn in a write transaction: committed when fn returns nil, rolled back
// otherwise (and when fn panics), and never interleaved with another write.
func (db *DB) Write(ctx context.Context, fn func(provisioning.Tx) error) error {
	return db.write(ctx, func(t *tx) error { return fn(t) })
}

// write is Write for the store's own transactions. It ends ctx's session first, so that
// the request's later reads see what it writes.
func (db *DB) write(ctx context.Context, fn func(*tx) error) error {
	db.Release(ctx)
	return run(ctx, db.d, db.writer, db.d.beginWrite, db.d.lockWrites, fn)
}

// run takes a connection of conns, begins a transaction on it with the statement begin,
// runs first (when not empty) and fn in it, and commits when fn returns nil; a connection
// whose transaction could not be ended is closed rather than put back. A transaction is
// short and runs to its end once begun: cancelling ctx then does not interrupt it, so a
// batch whose client went away still commits whole (and its retry is answered
// OBJECT_EXISTS).
//
// The transaction is the connection's own BEGIN and COMMIT, not a database/sql Tx: a Tx
// starts a goroutine that waits for its end, and one more for every query in it, to close
// the query's rows should the Tx end first, whether or not ctx can be cancelled. That
// machinery cost a one-look-up read two thirds of its time (BenchmarkLookUp); queries on a
// connection under a ctx that cannot be cancelled start none.
func run(ctx context.Context, d *dialect, conns *sqlx.DB, begin, first string, fn func(*tx) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	ctx = context.WithoutCancel(ctx)
	conn, err := conns.Connx(ctx)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, begin); err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	committed := false
	// This also rolls back when fn panics.
	defer func() {
		if committed {
			return
		}
		if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
			// The transaction may still be open: the connection must not serve another.
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()

	t := &tx{ctx: ctx, d: d, conn: conn}
	defer t.close()
	if first != "" {
		if err := t.exec(first); err != nil {
			return err
		}
	}
	if err := fn(t); err != nil {
		return err
	}
	if err := d.commit(ctx, conn); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	committed = true
	return nil
}
