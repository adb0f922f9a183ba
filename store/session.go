package store

import (
	"context"
	"fmt"
)

// sessionKey is the context key of a session.
type sessionKey struct{}

// session is the read transaction that one request's look-ups and reads share (see Session).
// A request's calls are made one after the other: a session is not for concurrent use.
type session struct {
	db *DB
	// snap is the session's transaction: nil until the first look-up or read, and again
	// once released.
	snap *snapshot
}

// Session returns a context in which the operators' look-ups and the Reads of one request
// share one read transaction, begun by the first of them, and the function that ends it,
// which must be called. A Write ends it first, so that the request's later reads see what it
// wrote, in a transaction of their own; so does Release. On PostgreSQL it returns ctx: there
// each look-up and Read has a transaction of its own.
//
// A read call then takes one transaction instead of two: its operator's look-up and its
// operation see the same snapshot, one BEGIN, PRAGMA and COMMIT in all.
func (db *DB) Session(ctx context.Context) (context.Context, func()) {
	if db.readerConns == nil {
		return ctx, func() {}
	}
	s := &session{db: db}
	return context.WithValue(ctx, sessionKey{}, s), s.release
}

// Release ends the transaction of ctx's session, if it has one open: the session's later
// look-ups and reads take a new one. The authenticator calls it before verifying a password,
// which takes tens of milliseconds: the request holds no connection meanwhile.
func (db *DB) Release(ctx context.Context) {
	if s := db.sessionOf(ctx); s != nil {
		s.release()
	}
}

// sessionOf returns the session of db that ctx carries, or nil.
func (db *DB) sessionOf(ctx context.Context) *session {
	s, _ := ctx.Value(sessionKey{}).(*session)
	if s == nil || s.db != db {
		return nil
	}
	return s
}

// read runs fn in a read transaction: on SQLite, that of ctx's session when it has one.
func (db *DB) read(ctx context.Context, fn func(*tx) error) (err error) {
	if db.readerConns == nil {
		return run(ctx, db.d, db.reader, db.d.beginRead, "", fn)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if s := db.sessionOf(ctx); s != nil {
		if s.snap == nil {
			if s.snap, err = db.beginSnapshot(ctx); err != nil {
				return err
			}
		}
		return fn(s.snap.t)
	}
	snap, err := db.beginSnapshot(ctx)
	if err != nil {
		return err
	}
	// This also ends it when fn panics.
	defer func() {
		if endErr := snap.end(); err == nil {
			err = endErr
		}
	}()
	return fn(snap.t)
}

// release ends the session's transaction, if it is open. Its reads are done: a failure to
// end it leaves nothing to report, and the connection is closed.
func (s *session) release() {
	if s.snap != nil {
		_ = s.snap.end()
		s.snap = nil
	}
}
