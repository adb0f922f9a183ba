package store

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/jmoiron/sqlx"
	"github.com/mattn/go-sqlite3"
)

// dialect is what differs between the two databases the store runs on. The queries are
// written once, with ? placeholders that sqlx's Rebind turns into PostgreSQL's $n; the few
// statements whose text must differ are a dialectQuery.
//
// A SELECT that joins tables or has an ORDER BY writes the parameter that a column is
// compared with as CAST(? AS BIGINT) or CAST(? AS TEXT), and so does every LIMIT. A bare
// parameter there has SQLite consult its bound value when it plans the statement (the
// planner's row estimates, the limit), so SQLite must plan the statement anew whenever the
// parameter is bound again, and go-sqlite3 clears the bindings before every run: the
// statement would be parsed and planned on every run, which about doubles the cost of a
// look-up. SQLite does not look into a CAST when it plans, and plans the statement once;
// it still looks the rows up by the same indexes, and PostgreSQL's plans are those of the
// bare parameter.
type dialect struct {
	// name names the dialect in the migrations' file names (NNNN_name.<name>.sql).
	name string
	// driver is the database/sql driver.
	driver string
	// beginRead begins a read transaction that sees one consistent snapshot.
	beginRead string
	// beginWrite begins a write transaction.
	beginWrite string
	// lockWrites, when not empty, is run first in every write transaction and waits until
	// no other write transaction on the database runs, in any process.
	lockWrites string
	// isUnique reports whether err is a broken UNIQUE or PRIMARY KEY constraint.
	isUnique func(err error) bool
	// commit commits the transaction open on conn, and fails when it did not commit.
	commit func(ctx context.Context, conn *sqlx.Conn) error
	// bindType is sqlx's placeholder style of the driver; rebound keeps each query's text
	// rebound to it (the store's queries are fixed strings, so it holds a bounded number).
	bindType int
	rebound  sync.Map
}

// rebind returns query, written with ? placeholders, in the driver's placeholder style:
// rebound once per query text, not on every run.
func (d *dialect) rebind(query string) string {
	if d.bindType == sqlx.QUESTION {
		return query
	}
	if q, ok := d.rebound.Load(query); ok {
		return q.(string)
	}
	q := sqlx.Rebind(d.bindType, query)
	d.rebound.Store(query, q)
	return q
}

// execCommit commits with a plain COMMIT, which fails when it cannot commit.
func execCommit(ctx context.Context, conn *sqlx.Conn) error {
	_, err := conn.ExecContext(ctx, "COMMIT")
	return err
}

// errRolledBack is a COMMIT that PostgreSQL answered with a rollback.
var errRolledBack = errors.New("COMMIT rolled back: a statement of the transaction failed")

// postgresCommit commits on PostgreSQL, which answers the COMMIT of a transaction that a
// failed statement aborted with a rollback and no error: only the command tag tells.
func postgresCommit(ctx context.Context, conn *sqlx.Conn) error {
	return conn.Raw(func(driverConn any) error {
		tag, err := driverConn.(*stdlib.Conn).Conn().Exec(ctx, "COMMIT")
		if err == nil && tag.String() != "COMMIT" {
			return errRolledBack
		}
		return err
	})
}

// sqliteDialect: one process owns the file's writer connection, which takes the write lock
// at BEGIN (BEGIN IMMEDIATE), so write transactions never interleave; a reader transaction
// sees the snapshot of its first read.
var sqliteDialect = &dialect{
	name:       "sqlite",
	bindType:   sqlx.QUESTION,
	driver:     "sqlite3",
	beginRead:  "BEGIN",
	beginWrite: "BEGIN IMMEDIATE",
	isUnique: func(err error) bool {
		var se sqlite3.Error
		return errors.As(err, &se) &&
			(se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey)
	},
	commit: execCommit,
}

// postgresDialect: several processes may write, so every write transaction first takes a
// transaction-scoped advisory lock of the schema it works in. Writes are then serial across
// all the instances on the database, exactly as SQLite's single writer makes them in one
// process, and every rule that a write checks before it writes (the limits, an agent
// acquired once, the counts) holds across instances. A read transaction is REPEATABLE READ,
// SQLite's snapshot.
var postgresDialect = &dialect{
	name:       "postgres",
	bindType:   sqlx.DOLLAR,
	driver:     "pgx",
	beginRead:  "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
	beginWrite: "BEGIN",
	// 0x656e6761 is "enga": the lock's first key keeps it apart from other advisory locks.
	lockWrites: `SELECT pg_advisory_xact_lock(1701734241, hashtext(current_schema()))`,
	isUnique: func(err error) bool {
		var pe *pgconn.PgError
		return errors.As(err, &pe) && pe.Code == "23505" // unique_violation
	},
	commit: postgresCommit,
}

// dialectOf returns the dialect of a --db value: PostgreSQL for a postgres:// or
// postgresql:// URL, SQLite (a file path) for anything else.
func dialectOf(dsn string) *dialect {
	if u, err := url.Parse(dsn); err == nil && (strings.EqualFold(u.Scheme, "postgres") || strings.EqualFold(u.Scheme, "postgresql")) {
		return postgresDialect
	}
	return sqliteDialect
}

// IsPostgres reports whether a --db value names a PostgreSQL database rather than a SQLite
// file.
func IsPostgres(dsn string) bool { return dialectOf(dsn) == postgresDialect }

// dialectQuery is a statement whose text differs between the dialects.
type dialectQuery struct {
	sqlite, postgres string
}

// in returns the query's text in dialect d.
func (q dialectQuery) in(d *dialect) string {
	if d == postgresDialect {
		return q.postgres
	}
	return q.sqlite
}
