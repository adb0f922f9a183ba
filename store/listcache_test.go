package store

import (
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
	f.db.lists.mu.Lock()
	marked := 0
	for _, l := range f.db.lists.conns {
		for _, c := range l.lists {
			c.agents[0].User.FirstName = "cached"
			marked++
		}
	}
	f.db.lists.mu.Unlock()
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
	if _, hit := l.get(7, key(1)); hit {
		t.Fatal("hit in an empty cache")
	}
	l.put(key(1), agents(1000))
	l.put(key(2), agents(1000))
	if _, hit := l.get(7, key(1)); !hit {
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
	if _, hit := l.get(7, key(5)); hit {
		t.Error("a list larger than the whole cache was kept")
	}
	if _, hit := l.get(8, key(4)); hit {
		t.Error("hit in another snapshot")
	}
	if len(l.lists) != 0 {
		t.Errorf("%d lists kept after the snapshot changed, want 0", len(l.lists))
	}
}
