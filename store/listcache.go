package store

import (
	"slices"
	"sync"

	"github.com/engage-oss/engage/provisioning"
)

// listCache keeps the agent lists recently read on each reader connection of a SQLite
// database, for as long as the connection's snapshots show nothing new. A list of a
// thousand agents costs SQLite's sort and joins and a conversion of some thirty columns a
// row, several milliseconds; a list read again costs one PRAGMA. The lists are shared by the
// transactions that read them, which only read them (see provisioning.Tx.ListAgents).
//
// An entry is used only by a read transaction whose snapshot is the one it was read in.
// SQLite's PRAGMA data_version, read inside a read transaction, names that transaction's
// snapshot: it stays the same while the transaction lasts whatever others commit, and it
// differs in the next transaction on the connection when anyone else, in this process or
// in another, has committed in between. Reader connections never write, so every change
// counts. Numbers read on different connections cannot be compared, which is why each
// connection has entries of its own; write transactions do not use the cache at all.
//
// PostgreSQL has no such number: there every list is read.
type listCache struct {
	mu sync.Mutex
	// conns has each reader connection's lists, by its driver connection. The pool never
	// holds more than readers connections at once: more keys than that means some are of
	// connections it has closed, and the map is emptied.
	conns map[any]*connLists
}

// connLists are the lists of one connection, used only by the transaction that holds it.
type connLists struct {
	// version is the data_version of the snapshot the lists were read in.
	version int64
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

// newListCache returns an empty cache.
func newListCache() *listCache {
	return &listCache{conns: make(map[any]*connLists)}
}

// of returns the lists of the driver connection conn.
func (c *listCache) of(conn any) *connLists {
	c.mu.Lock()
	defer c.mu.Unlock()
	l, ok := c.conns[conn]
	if !ok {
		if len(c.conns) >= readers {
			clear(c.conns)
		}
		l = &connLists{}
		c.conns[conn] = l
	}
	return l
}

// get returns the list asked for by key if it was read in the snapshot version.
func (l *connLists) get(version int64, key listKey) ([]provisioning.Agent, bool) {
	if version != l.version {
		l.version, l.lists = version, nil
		return nil, false
	}
	i := slices.IndexFunc(l.lists, func(c cachedList) bool { return c.key == key })
	if i < 0 {
		return nil, false
	}
	found := l.lists[i]
	l.lists = slices.Insert(slices.Delete(l.lists, i, i+1), 0, found)
	return found.agents, true
}

// put keeps agents, read in the snapshot version as get last saw it, and drops the least
// recently used lists beyond cachedAgentsPerConn agents. agents is to have no room to
// append to in place (slices.Clip): an append to a shared list then makes a copy.
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
