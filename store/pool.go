package store

import (
	"sync"

	"github.com/jmoiron/sqlx"
)

// pool is a pool of connections with its prepared statements. A query is prepared once on
// the pool; database/sql then prepares it once per connection and finds it there for every
// transaction on that connection, so a request does not compile its SQL again. The store's
// queries are fixed strings, so the cache holds a bounded number of statements. They are
// written with ? placeholders and rebound to the driver's when prepared.
//
// Preparing on the pool takes a connection of its own, which a transaction holding the only
// writer connection (or the last free reader) would wait for forever. So a transaction that
// misses the cache prepares the query for itself, and the pool prepares it in the background
// once a connection is free.
type pool struct {
	*sqlx.DB
	d       *dialect
	mu      sync.Mutex
	stmts   map[string]*sqlx.Stmt
	pending map[string]bool
	// preparing counts the statements being prepared in the background.
	preparing sync.WaitGroup
}

// newPool wraps db, a database of dialect d.
func newPool(db *sqlx.DB, d *dialect) *pool {
	return &pool{DB: db, d: d, stmts: make(map[string]*sqlx.Stmt), pending: make(map[string]bool)}
}

// cached returns the pool's statement for query, or nil when it is not prepared yet; it
// then starts preparing it in the background.
func (p *pool) cached(query string) *sqlx.Stmt {
	p.mu.Lock()
	defer p.mu.Unlock()
	if s, ok := p.stmts[query]; ok {
		return s
	}
	if !p.pending[query] {
		p.pending[query] = true
		p.preparing.Go(func() { p.prepare(query) })
	}
	return nil
}

// Close waits for the statements being prepared in the background, then closes the pool:
// a statement still being prepared on the server would hold locks on its tables after the
// database was closed (PostgreSQL's DROP SCHEMA of a test then deadlocks with it).
func (p *pool) Close() error {
	p.preparing.Wait()
	return p.DB.Close()
}

// prepare prepares query on the pool and keeps it; a failure (the pool closed) leaves it to
// be tried again by the next cache miss.
func (p *pool) prepare(query string) {
	s, err := p.Preparex(p.Rebind(query))
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.pending, query)
	if err == nil {
		p.stmts[query] = s
	}
}
