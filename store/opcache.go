package store

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"sync"

	"github.com/engage-oss/engage/auth"
)

// operatorCache keeps the operators read from a SQLite database for as long as nothing is
// committed to it. Every call is authenticated, and reading the operator's row cost a call
// about as much as its operation; SQLite's PRAGMA data_version, read before each look-up on
// a connection of the cache's own, changes whenever any other connection commits, in this
// process or in another one (engage operator passwd and remove). An entry is used only while
// data_version is what it was before the entry was read, so a change to an operator still
// takes effect on the next call, and a call reads one number instead of the row.
//
// It holds only names that exist, read from operators added by an administrator, so it is
// as large as the operators table at most. PostgreSQL has no data_version: there the row is
// read on every call.
type operatorCache struct {
	// pool has the one connection the data versions are read on: numbers read on different
	// connections cannot be compared.
	pool *sql.DB

	mu sync.Mutex
	// conn and version are the connection and its prepared pragma, run on the driver's
	// connection itself: through database/sql the pragma cost twice as much, with twelve
	// allocations, on every call. nil until first needed, and again after an error.
	conn    *sql.Conn
	version driver.Stmt
	// row receives the pragma's one column.
	row [1]driver.Value
	// epoch counts the connections used; with seen it identifies the state of the database
	// the entries were read in.
	epoch uint64
	seen  int64
	rows  map[string]auth.Operator
}

// cacheState is the database's state as a look-up saw it: an entry read in it may be kept
// only while the cache is still in the same state.
type cacheState struct {
	epoch   uint64
	version int64
}

// newOperatorCache returns a cache that reads the data version on pool, a pool of one
// connection that the cache alone uses.
func newOperatorCache(pool *sql.DB) *operatorCache {
	return &operatorCache{pool: pool, rows: make(map[string]auth.Operator)}
}

// get returns the operator named name if the cache holds it and nothing was committed since
// it was read, and the state it read the data version in. ok is false when the version could
// not be read: the caller reads the row and must not put it.
func (c *operatorCache) get(ctx context.Context, name string) (op auth.Operator, hit bool, state cacheState, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, err := c.dataVersion(ctx)
	if err != nil {
		c.reset()
		return auth.Operator{}, false, cacheState{}, false
	}
	if v != c.seen {
		clear(c.rows)
		c.seen = v
	}
	state = cacheState{epoch: c.epoch, version: v}
	op, hit = c.rows[name]
	if hit {
		op.DigestSecret = bytes.Clone(op.DigestSecret)
	}
	return op, hit, state, true
}

// put remembers op, read after get returned state, unless the database changed since.
func (c *operatorCache) put(state cacheState, op auth.Operator) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn == nil || state != (cacheState{epoch: c.epoch, version: c.seen}) {
		return
	}
	op.DigestSecret = bytes.Clone(op.DigestSecret)
	c.rows[op.Name] = op
}

// dataVersion reads PRAGMA data_version on the cache's connection, opening it first if
// needed. c.mu is held.
func (c *operatorCache) dataVersion(ctx context.Context) (int64, error) {
	if c.conn == nil {
		conn, err := c.pool.Conn(ctx)
		if err != nil {
			return 0, err
		}
		if err := conn.Raw(func(dc any) (err error) {
			c.version, err = dc.(driver.ConnPrepareContext).PrepareContext(ctx, "PRAGMA data_version")
			return err
		}); err != nil {
			_ = conn.Close()
			return 0, err
		}
		c.conn = conn
		c.epoch++
	}
	err := c.conn.Raw(func(any) error {
		rows, err := c.version.(driver.StmtQueryContext).QueryContext(context.Background(), nil)
		if err != nil {
			return err
		}
		defer rows.Close()
		return rows.Next(c.row[:])
	})
	if err != nil {
		return 0, err
	}
	v, ok := c.row[0].(int64)
	if !ok {
		return 0, fmt.Errorf("store: data_version %T", c.row[0])
	}
	return v, nil
}

// reset forgets every entry and the connection, after an error. c.mu is held.
func (c *operatorCache) reset() {
	clear(c.rows)
	if c.conn != nil {
		_ = c.conn.Raw(func(any) error { return c.version.Close() })
		_ = c.conn.Close()
		c.conn, c.version = nil, nil
	}
}

// close closes the cache's connection and its pool.
func (c *operatorCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reset()
	return c.pool.Close()
}
