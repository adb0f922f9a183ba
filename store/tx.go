package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/engage-oss/engage/provisioning"
)

var _ provisioning.Tx = (*tx)(nil)

// tx is one transaction, on a connection of its own (see run). Its statements are prepared
// once per connection by the driver, which keeps them by their text (go-sqlite3's statement
// cache, pgx's), so a request does not compile its SQL again. They are written with ?
// placeholders, rebound to the driver's.
type tx struct {
	ctx  context.Context
	d    *dialect
	conn *sqlx.Conn
	// reader is the state of the reader connection of a read transaction on SQLite, nil
	// otherwise.
	reader *readerConn
	// prepared are the statements execPrepared prepared, by their text.
	prepared map[string]*sql.Stmt
}

// Item runs fn inside a savepoint: its writes are released into the transaction when it
// returns nil and rolled back, leaving the rest of the transaction as it was, otherwise.
func (t *tx) Item(fn func() error) (err error) {
	if err := t.execPrepared("SAVEPOINT item"); err != nil {
		return err
	}
	defer func() {
		if err == nil {
			err = t.execPrepared("RELEASE item")
			return
		}
		// ROLLBACK TO keeps the savepoint open: RELEASE closes it.
		if rbErr := errors.Join(t.execPrepared("ROLLBACK TO item"), t.execPrepared("RELEASE item")); rbErr != nil {
			err = errors.Join(err, rbErr)
		}
	}()
	return fn()
}

// execPrepared runs a statement without arguments that the transaction runs many times
// (Item's, a thousand times in a batch), prepared on its first run. SQLite's driver would
// compile such a statement again on every run: it keeps only statements with arguments.
// PostgreSQL's keeps every statement: there it is exec.
func (t *tx) execPrepared(query string) error {
	if t.d == postgresDialect {
		return t.exec(query)
	}
	stmt, ok := t.prepared[query]
	if !ok {
		var err error
		if stmt, err = t.conn.PrepareContext(t.ctx, query); err != nil {
			return fmt.Errorf("store: %w", err)
		}
		if t.prepared == nil {
			t.prepared = make(map[string]*sql.Stmt)
		}
		t.prepared[query] = stmt
	}
	if _, err := stmt.ExecContext(t.ctx); err != nil {
		return t.d.mapError(err)
	}
	return nil
}

// close closes the statements the transaction prepared.
func (t *tx) close() {
	for _, stmt := range t.prepared {
		_ = stmt.Close()
	}
}

// exec runs a statement that returns no rows.
func (t *tx) exec(query string, args ...any) error {
	_, err := t.execResult(query, args...)
	return err
}

// execResult runs a statement that returns no rows and returns its result; constraint
// errors are mapped by mapError.
func (t *tx) execResult(query string, args ...any) (sql.Result, error) {
	res, err := t.conn.ExecContext(t.ctx, t.d.rebind(query), args...)
	if err != nil {
		return nil, t.d.mapError(err)
	}
	return res, nil
}

// returningID ends the INSERT statements that insert runs.
const returningID = " RETURNING id"

// insert runs an INSERT ... RETURNING id and returns the new row's id; constraint errors
// are mapped by mapError. SQLite runs the statement without its RETURNING clause, which
// has it fill an ephemeral table and makes an insert cost about twice as much, and reports
// the id as the last inserted rowid (every table's id is its rowid); PostgreSQL's driver has
// no last insert id, so there the statement returns it.
func (t *tx) insert(query string, args ...any) (int64, error) {
	if t.d != postgresDialect {
		if plain, ok := strings.CutSuffix(query, returningID); ok {
			res, err := t.execResult(plain, args...)
			if err != nil {
				return 0, err
			}
			id, err := res.LastInsertId()
			if err != nil {
				return 0, fmt.Errorf("store: last insert id: %w", err)
			}
			return id, nil
		}
	}
	var id int64
	if err := t.conn.QueryRowxContext(t.ctx, t.d.rebind(query), args...).Scan(&id); err != nil {
		return 0, t.d.mapError(err)
	}
	return id, nil
}

// execOne runs an UPDATE or DELETE of one row and returns notFound when there was none.
func (t *tx) execOne(notFound error, query string, args ...any) error {
	res, err := t.execResult(query, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: rows affected: %w", err)
	}
	if n == 0 {
		return notFound
	}
	return nil
}

// get scans the single row of query into dest; sql.ErrNoRows becomes notFound when it
// is not nil.
func (t *tx) get(notFound error, dest any, query string, args ...any) error {
	if err := t.conn.GetContext(t.ctx, dest, t.d.rebind(query), args...); err != nil {
		if notFound != nil && errors.Is(err, sql.ErrNoRows) {
			return notFound
		}
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

// selectRows scans the rows of query into dest, a pointer to a slice.
func (t *tx) selectRows(dest any, query string, args ...any) error {
	if err := t.conn.SelectContext(t.ctx, dest, t.d.rebind(query), args...); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

// scanned is a pointer to a row type that rows are scanned into in place: fields returns
// pointers to its fields in the order of its query's columns.
type scanned[R any] interface {
	*R
	fields() []any
}

// selectAll returns the rows of query, each scanned into an R and converted by convert.
// Scanning into one R's fields in column order, with no reflection on the column names, costs
// far less than sqlx's Select on rows of many columns.
func selectAll[R any, P scanned[R], T any](t *tx, convert func(P) (T, error), query string, args ...any) ([]T, error) {
	rows, err := t.conn.QueryContext(t.ctx, t.d.rebind(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	var r R
	dest := P(&r).fields()
	var out []T
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		v, err := convert(&r)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return out, nil
}

// selectOne is selectAll of a query that finds at most one row: notFound when it finds none.
func selectOne[R any, P scanned[R], T any](t *tx, notFound error, convert func(P) (T, error), query string, args ...any) (T, error) {
	list, err := selectAll(t, convert, query, args...)
	if err == nil && len(list) == 0 {
		err = notFound
	}
	if err != nil {
		var zero T
		return zero, err
	}
	return list[0], nil
}

// exists runs a SELECT EXISTS(...) query.
func (t *tx) exists(query string, args ...any) (bool, error) {
	var b bool
	if err := t.get(nil, &b, query, args...); err != nil {
		return false, err
	}
	return b, nil
}

// count runs a SELECT COUNT(*) query.
func (t *tx) count(query string, args ...any) (int, error) {
	var n int
	if err := t.get(nil, &n, query, args...); err != nil {
		return 0, err
	}
	return n, nil
}

// millis returns t as Unix milliseconds, the way times are stored.
func millis(t time.Time) int64 { return t.UnixMilli() }

// fromMillis returns stored Unix milliseconds as a UTC time.
func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// nullMillis stores an optional time: the zero time is NULL.
func nullMillis(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMilli(), Valid: true}
}

// fromNullMillis returns a stored optional time; NULL is the zero time.
func fromNullMillis(ms sql.NullInt64) time.Time {
	if !ms.Valid {
		return time.Time{}
	}
	return fromMillis(ms.Int64)
}

// nullString stores an optional string: "" is NULL.
func nullString(s string) sql.NullString {
	return sql.NullString{String: s, Valid: s != ""}
}

// nullID stores an optional reference: 0 is NULL.
func nullID(id int64) sql.NullInt64 {
	return sql.NullInt64{Int64: id, Valid: id != 0}
}
