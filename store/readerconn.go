package store

import (
	"bytes"
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/engage-oss/engage/auth"
	"github.com/engage-oss/engage/provisioning"
)

// readerConns keeps, for each reader connection of a SQLite database, the statements that
// begin and end its transactions and what its last snapshot read: the agent lists, the
// operators, and the organizations and agent groups looked up by id. A read transaction
// costs one BEGIN, one PRAGMA and one COMMIT, prepared once for the connection (go-sqlite3
// compiles a statement without arguments again on every run); a list of a thousand agents read again in the same snapshot costs nothing more, where
// reading it costs SQLite's sort and joins and a conversion of some thirty columns a row,
// several milliseconds; an operator looked up again, a map's look-up.
//
// What a connection remembers is used only by a read transaction whose snapshot is the one
// it was read in. SQLite's PRAGMA data_version, read first in every read transaction, names
// that transaction's snapshot: it stays the same while the transaction lasts whatever others
// commit, and it differs in the next transaction on the connection when anyone else, in this
// process or in another (engage operator passwd, engage agents import), has committed in
// between. Reader connections never write, so every change counts. Numbers read on different
// connections cannot be compared, which is why each connection remembers for itself; write
// transactions remember nothing.
//
// PostgreSQL has no such number: there every read transaction reads.
type readerConns struct {
	mu sync.Mutex
	// conns has each reader connection's state, by its driver connection. The pool never
	// holds more than readers connections at once: more keys than that means some are of
	// connections it has closed without the store knowing, and the map is emptied of those
	// not in use.
	conns map[any]*readerConn
	// closed is set once the database is closing: a connection's statements are closed as
	// soon as no transaction uses them.
	closed bool
}

// readerConn is one reader connection's state, used only by the transaction that holds the
// connection.
type readerConn struct {
	// busy is set while a transaction holds the connection (under readerConns.mu).
	busy bool
	// begin, commit and dataVersion are prepared on the driver's connection.
	begin, commit, dataVersion driver.Stmt
	// row receives dataVersion's one column.
	row [1]driver.Value
	// version is the data_version of the snapshot that lists and operators were read in.
	version   int64
	lists     connLists
	operators map[string]auth.Operator
	// rows are the rows looked up by id (see remembered).
	rows map[rowKey]any
}

// rowKey names a row looked up by id: its table and its id.
type rowKey struct {
	table rowTable
	id    int64
}

// rowTable is a table whose rows a reader connection remembers.
type rowTable uint8

// The tables whose rows looked up by id are remembered: those most calls look up, an
// operator's scope and the agent group a call names.
const (
	orgsTable rowTable = iota
	agentGroupsTable
)

// rememberedRowsPerConn is how many rows looked up by id a connection remembers at most: it
// forgets them all when it has that many.
const rememberedRowsPerConn = 256

// remembered returns the row of table with this id as read by read, or, in a read
// transaction on SQLite, as its connection read it before in the same snapshot. Only rows
// whose values share nothing that a caller could change are remembered: a caller gets a copy.
func remembered[T any](t *tx, table rowTable, id int64, read func() (T, error)) (T, error) {
	if t.reader == nil {
		return read()
	}
	key := rowKey{table: table, id: id}
	if row, ok := t.reader.rows[key]; ok {
		return row.(T), nil
	}
	row, err := read()
	if err != nil {
		return row, err
	}
	if len(t.reader.rows) >= rememberedRowsPerConn {
		clear(t.reader.rows)
	}
	t.reader.rows[key] = row
	return row, nil
}

// newReaderConns returns the state of no connection yet.
func newReaderConns() *readerConns {
	return &readerConns{conns: make(map[any]*readerConn)}
}

// errClosed is a transaction begun on a database being closed.
var errClosed = errors.New("database closed")

// take returns the state of the driver connection dc for a transaction that holds it,
// preparing its statements on first use; the transaction gives it back with done.
func (c *readerConns) take(dc any) (*readerConn, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, errClosed
	}
	rc, ok := c.conns[dc]
	if !ok {
		var err error
		if rc, err = prepareReaderConn(dc.(driver.ConnPrepareContext)); err != nil {
			return nil, err
		}
		if len(c.conns) >= readers {
			// The statements of the others are closed by the collector once nothing
			// refers to them (go-sqlite3 finalizes a statement no longer referenced).
			maps.DeleteFunc(c.conns, func(_ any, rc *readerConn) bool { return !rc.busy })
		}
		c.conns[dc] = rc
	}
	rc.busy = true
	return rc, nil
}

// done gives back the state of the driver connection dc once its transaction has ended;
// with failed, the connection is not to be used again and its state is dropped. Statements
// not to be used again are closed here, on the connection, while it is still open.
func (c *readerConns) done(dc any, rc *readerConn, failed bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	rc.busy = false
	if failed && c.conns[dc] == rc {
		delete(c.conns, dc)
	}
	if failed || c.closed {
		rc.close()
	}
}

// close closes the statements of every connection not in use, and has those in use closed
// when their transactions end.
func (c *readerConns) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	for _, rc := range c.conns {
		if !rc.busy {
			rc.close()
		}
	}
	clear(c.conns)
}

// prepareReaderConn prepares the statements of a reader connection on conn.
func prepareReaderConn(conn driver.ConnPrepareContext) (*readerConn, error) {
	ctx := context.Background()
	rc := &readerConn{operators: make(map[string]auth.Operator), rows: make(map[rowKey]any)}
	var err error
	for _, s := range []struct {
		stmt  *driver.Stmt
		query string
	}{{&rc.begin, "BEGIN"}, {&rc.commit, "COMMIT"}, {&rc.dataVersion, "PRAGMA data_version"}} {
		if *s.stmt, err = conn.PrepareContext(ctx, s.query); err != nil {
			rc.close()
			return nil, err
		}
	}
	return rc, nil
}

// close closes the connection's prepared statements and forgets them.
func (rc *readerConn) close() {
	for _, stmt := range []*driver.Stmt{&rc.begin, &rc.commit, &rc.dataVersion} {
		if *stmt != nil {
			_ = (*stmt).Close()
			*stmt = nil
		}
	}
}

// beginRead begins a read transaction and takes its snapshot, forgetting what was read in
// another one. If it fails, the transaction may be open.
func (rc *readerConn) beginRead() error {
	if err := exec(rc.begin); err != nil {
		return err
	}
	rows, err := rc.dataVersion.(driver.StmtQueryContext).QueryContext(context.Background(), nil)
	if err != nil {
		return err
	}
	err = rows.Next(rc.row[:])
	if closeErr := rows.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return err
	}
	v, ok := rc.row[0].(int64)
	if !ok {
		return fmt.Errorf("data_version %T", rc.row[0])
	}
	if v != rc.version {
		rc.version, rc.lists = v, connLists{}
		clear(rc.operators)
		clear(rc.rows)
	}
	return nil
}

// exec runs a prepared statement without arguments.
func exec(stmt driver.Stmt) error {
	_, err := stmt.(driver.StmtExecContext).ExecContext(context.Background(), nil)
	return err
}

// snapshot is a read transaction on a reader connection of a SQLite database: t, whose
// conn and reader are the connection and its state.
type snapshot struct {
	conns *readerConns
	t     *tx
}

// beginSnapshot takes a reader connection and begins a read transaction on it. A short
// transaction runs to its end once begun: see run.
func (db *DB) beginSnapshot(ctx context.Context) (*snapshot, error) {
	ctx = context.WithoutCancel(ctx)
	conn, err := db.reader.Connx(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: begin: %w", err)
	}
	var rc *readerConn
	err = conn.Raw(func(dc any) error {
		if rc, err = db.readerConns.take(dc); err != nil {
			return err
		}
		if err := rc.beginRead(); err != nil {
			// The transaction may be open: the connection must not serve another.
			db.readerConns.done(dc, rc, true)
			return errors.Join(err, driver.ErrBadConn)
		}
		return nil
	})
	if err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("store: begin: %w", err)
	}
	return &snapshot{conns: db.readerConns, t: &tx{ctx: ctx, d: db.d, conn: conn, reader: rc}}, nil
}

// end commits the transaction and puts the connection back; a connection whose transaction
// could not be ended is closed instead.
func (s *snapshot) end() error {
	s.t.close()
	err := s.t.conn.Raw(func(dc any) error {
		err := exec(s.t.reader.commit)
		s.conns.done(dc, s.t.reader, err != nil)
		if err != nil {
			// The transaction may still be open: the connection must not serve another.
			return errors.Join(err, driver.ErrBadConn)
		}
		return nil
	})
	closeErr := s.t.conn.Close()
	if err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return closeErr
}

// connLists are the agent lists a connection read in its snapshot.
type connLists struct {
	// lists are the lists, the most recently used first; they hold at most
	// cachedAgentsPerConn agents together.
	lists []cachedList
}

// cachedAgentsPerConn is how many agents a connection's lists hold together: two lists of
// the default largest size, some 1 MB.
const cachedAgentsPerConn = 2048

// listKey is what a list was asked for: ListAgents' arguments.
type listKey struct {
	accountID, groupID int64
	limit              int
}

// cachedList is one list and what it was asked for.
type cachedList struct {
	key    listKey
	agents []provisioning.Agent
}

// get returns the list asked for by key.
func (l *connLists) get(key listKey) ([]provisioning.Agent, bool) {
	i := slices.IndexFunc(l.lists, func(c cachedList) bool { return c.key == key })
	if i < 0 {
		return nil, false
	}
	found := l.lists[i]
	l.lists = slices.Insert(slices.Delete(l.lists, i, i+1), 0, found)
	return found.agents, true
}

// put keeps agents and drops the least recently used lists beyond cachedAgentsPerConn
// agents. agents is to have no room to append to in place (slices.Clip): an append to a
// shared list then makes a copy.
func (l *connLists) put(key listKey, agents []provisioning.Agent) {
	if len(agents) > cachedAgentsPerConn {
		return
	}
	l.lists = slices.Insert(l.lists, 0, cachedList{key: key, agents: agents})
	held := 0
	for i, c := range l.lists {
		if held += len(c.agents); held > cachedAgentsPerConn {
			l.lists = slices.Delete(l.lists, i, len(l.lists))
			break
		}
	}
}

// operator returns the operator the connection read in its snapshot, a copy that the caller
// may change.
func (rc *readerConn) operator(name string) (auth.Operator, bool) {
	op, ok := rc.operators[name]
	op.DigestSecret = bytes.Clone(op.DigestSecret)
	return op, ok
}

// putOperator remembers op, read in the connection's snapshot.
func (rc *readerConn) putOperator(op auth.Operator) {
	op.DigestSecret = bytes.Clone(op.DigestSecret)
	rc.operators[op.Name] = op
}
