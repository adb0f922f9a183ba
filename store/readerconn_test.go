package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/engage-oss/engage/internal/storetest"
	"github.com/engage-oss/engage/provisioning"
)

// readGroupList reads the fixture group's list in a read transaction of db.
func (f agentFixture) readGroupList(tb testing.TB, db *DB) []provisioning.Agent {
	tb.Helper()
	var got []provisioning.Agent
	MustRead(tb, db, func(tx provisioning.Tx) (err error) {
		got, err = tx.ListAgents(0, f.group.ID, 10)
		return err
	})
	return got
}

// readOnEveryReader reads the fixture group's list on each of db's reader connections at
// once, so that each has it cached, and returns the lists they read.
func (f agentFixture) readOnEveryReader(tb testing.TB, db *DB) []string {
	tb.Helper()
	var all sync.WaitGroup
	all.Add(readers)
	lists := make([]string, readers)
	var wg sync.WaitGroup
	for i := range readers {
		wg.Go(func() {
			MustRead(tb, db, func(tx provisioning.Tx) error {
				got, err := tx.ListAgents(0, f.group.ID, 10)
				lists[i] = listNames(got)
				// Each transaction holds its connection until all of them have read.
				all.Done()
				all.Wait()
				return err
			})
		})
	}
	wg.Wait()
	return lists
}

func TestListCacheNeverServesAnOldSnapshot(t *testing.T) {
	t.Run("after a commit of another process", func(t *testing.T) {
		dsn := storetest.DSN(t)
		f := withAlice(t, newAgentFixtureIn(t, MustOpenPath(t, dsn)))
		other := MustOpenPath(t, dsn)
		for i, got := range f.readOnEveryReader(t, f.db) {
			if got != "[alice]" {
				t.Fatalf("reader %d before: %s, want [alice]", i, got)
			}
		}
		MustInsertAgent(t, other, f.users[0], f.group, 0, provisioning.Ready, provisioning.Idle, t0) // carol
		for i, got := range f.readOnEveryReader(t, f.db) {
			if got != "[alice carol]" {
				t.Errorf("reader %d after another handle's commit: %s, want [alice carol]", i, got)
			}
		}
	})
	t.Run("after a commit of its own writer", func(t *testing.T) {
		f := withAlice(t, newAgentFixture(t))
		f.readOnEveryReader(t, f.db)
		f.MustInsertAgentTx(t, f.users[2], "") // bob
		for i, got := range f.readOnEveryReader(t, f.db) {
			if got != "[alice bob]" {
				t.Errorf("reader %d after a write: %s, want [alice bob]", i, got)
			}
		}
	})
	t.Run("in write transactions, whose own commits SQLite does not count", func(t *testing.T) {
		f := withAlice(t, newAgentFixture(t))
		list := func() (got []provisioning.Agent) {
			MustWrite(t, f.db, func(tx provisioning.Tx) (err error) {
				got, err = tx.ListAgents(0, f.group.ID, 10)
				return err
			})
			return got
		}
		list()
		f.MustInsertAgentTx(t, f.users[2], "") // bob
		if got := listNames(list()); got != "[alice bob]" {
			t.Errorf("list in a write after a write: %s, want [alice bob]", got)
		}
	})
}

// withAlice makes alice an agent of f's group.
func withAlice(t *testing.T, f agentFixture) agentFixture {
	t.Helper()
	f.MustInsertAgentTx(t, f.users[1], "") // alice
	return f
}

func TestListCacheServesTheListReadInTheSameSnapshot(t *testing.T) {
	sqliteOnly(t)
	f := withAlice(t, newAgentFixture(t))
	first := f.readGroupList(t, f.db)
	if len(first) != cap(first) {
		t.Errorf("the list has room for %d more agents: an append would write into the shared list", cap(first)-len(first))
	}
	// The pool hands out the connection put back last: the next read is on the same
	// connection, in the same snapshot. Mark its cached list to see that it is served.
	f.db.readerConns.mu.Lock()
	marked := 0
	for _, rc := range f.db.readerConns.conns {
		for _, c := range rc.lists.lists {
			c.agents[0].User.FirstName = "cached"
			marked++
		}
	}
	f.db.readerConns.mu.Unlock()
	if marked != 1 {
		t.Fatalf("%d cached lists after one read, want 1", marked)
	}
	if got := f.readGroupList(t, f.db); got[0].User.FirstName != "cached" {
		t.Errorf("second read: first name %q, want the cached list's", got[0].User.FirstName)
	}
}

func TestConnListsKeepTheMostRecentlyUsed(t *testing.T) {
	agents := func(n int) []provisioning.Agent { return make([]provisioning.Agent, n) }
	key := func(group int64) listKey { return listKey{groupID: group, limit: 1001} }
	var l connLists
	if _, hit := l.get(key(1)); hit {
		t.Fatal("hit in an empty cache")
	}
	l.put(key(1), agents(1000))
	l.put(key(2), agents(1000))
	if _, hit := l.get(key(1)); !hit {
		t.Fatal("list 1 not kept")
	}
	l.put(key(3), agents(48)) // 2,048 agents in all: list 2, the least recently used, stays
	l.put(key(4), agents(1))  // now it goes
	var kept []int64
	for _, c := range l.lists {
		kept = append(kept, c.key.groupID)
	}
	if !slices.Equal(kept, []int64{4, 3, 1}) {
		t.Errorf("kept lists %v, want [4 3 1]", kept)
	}
	l.put(key(5), agents(cachedAgentsPerConn+1))
	if _, hit := l.get(key(5)); hit {
		t.Error("a list larger than the whole cache was kept")
	}
}

func TestReaderConnThatFailsToBeginIsClosed(t *testing.T) {
	sqliteOnly(t)
	db := MustOpen(t)
	read := func() error {
		return db.Read(context.Background(), func(tx provisioning.Tx) error {
			_, err := tx.CountAgentGroups(1)
			return err
		})
	}
	if err := read(); err != nil {
		t.Fatal(err)
	}
	db.readerConns.mu.Lock()
	var broken *readerConn
	for _, rc := range db.readerConns.conns {
		broken = rc
		_ = rc.dataVersion.Close()
		rc.dataVersion = failingStmt{} // its next BEGIN succeeds, its PRAGMA fails
	}
	db.readerConns.mu.Unlock()
	if err := read(); err == nil {
		t.Fatal("read on the broken connection succeeded")
	}
	if err := read(); err != nil {
		t.Fatalf("read after the failure: %v", err)
	}
	db.readerConns.mu.Lock()
	defer db.readerConns.mu.Unlock()
	for _, rc := range db.readerConns.conns {
		if rc == broken {
			t.Error("the broken connection's state is still kept")
		}
	}
	if n := len(db.readerConns.conns); n != 1 {
		t.Errorf("%d connections' states, want 1", n)
	}
}

// failingStmt is a prepared statement whose every run fails.
type failingStmt struct{ driver.Stmt }

func (failingStmt) Close() error { return nil }

func (failingStmt) QueryContext(context.Context, []driver.NamedValue) (driver.Rows, error) {
	return nil, errors.New("failing statement")
}

// TestRowsRememberedPerSnapshot checks, on SQLite, that a row looked up by id in a read
// transaction is its connection's copy while nothing is committed, that any commit has it
// read again, that write transactions and missing rows are not served from memory, and that
// a connection forgets them all once it holds rememberedRowsPerConn.
func TestRowsRememberedPerSnapshot(t *testing.T) {
	sqliteOnly(t)
	db := MustOpen(t)
	account := MustAccount(t, db, "ent", "acct")
	g := MustInsertAgentGroup(t, db, account.ID, "g")
	// mark renames the remembered copies and returns how many there are.
	mark := func() int {
		db.readerConns.mu.Lock()
		defer db.readerConns.mu.Unlock()
		n := 0
		for _, rc := range db.readerConns.conns {
			for key, row := range rc.rows {
				switch row := row.(type) {
				case provisioning.AgentGroup:
					row.Name = "remembered"
					rc.rows[key] = row
				case provisioning.Org:
					row.Name = "remembered"
					rc.rows[key] = row
				}
				n++
			}
		}
		return n
	}
	names := func(read func(*DB, func(provisioning.Tx) error)) (group, org string) {
		read(db, func(tx provisioning.Tx) error {
			got, err := tx.AgentGroup(g.ID)
			if err != nil {
				return err
			}
			o, err := tx.Org(account.ID)
			group, org = got.Name, o.Name
			return err
		})
		return group, org
	}
	read := func(db *DB, fn func(provisioning.Tx) error) { MustRead(t, db, fn) }
	write := func(db *DB, fn func(provisioning.Tx) error) { MustWrite(t, db, fn) }

	names(read)
	MustRead(t, db, func(tx provisioning.Tx) error {
		if _, err := tx.AgentGroup(g.ID + 100); !errors.Is(err, provisioning.ErrNotFound) {
			t.Errorf("missing group: %v", err)
		}
		return nil
	})
	if n := mark(); n != 2 {
		t.Fatalf("%d rows remembered, want the group and the org", n)
	}
	// The pool hands out the connection put back last: the same one, in the same snapshot.
	if group, org := names(read); group != "remembered" || org != "remembered" {
		t.Errorf("read again: %q and %q, want the remembered copies", group, org)
	}
	if group, org := names(write); group != g.Name || org != account.Name {
		t.Errorf("in a write transaction: %q and %q, want %q and %q as stored", group, org, g.Name, account.Name)
	}
	MustInsertAgentGroup(t, db, account.ID, "g2") // a commit
	if group, org := names(read); group != g.Name || org != account.Name {
		t.Errorf("after a commit: %q and %q, want %q and %q as stored", group, org, g.Name, account.Name)
	}

	MustRead(t, db, func(tx provisioning.Tx) error {
		for id := range int64(rememberedRowsPerConn) {
			_, _ = tx.AgentGroup(g.ID + 1000 + id) // missing: not remembered
		}
		for range rememberedRowsPerConn {
			if _, err := tx.Org(account.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if n := mark(); n != 2 {
		t.Errorf("%d rows remembered after looking up missing ones, want 2", n)
	}
	rt := &tx{reader: &readerConn{rows: make(map[rowKey]any)}}
	for id := range int64(rememberedRowsPerConn + 1) {
		if _, err := remembered(rt, orgsTable, id, func() (int64, error) { return id, nil }); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(rt.reader.rows); n != 1 {
		t.Errorf("%d rows remembered after %d look-ups, want 1: the others forgotten at the bound", n, rememberedRowsPerConn+1)
	}
}
