package service_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/engage-oss/engage/internal/storetest"
)

// The checks of TestConcurrentClients: those each answer allows during the run, those of the
// database file during and after it, and the counts against the lists and the rows after it.

// groupState shows an agent group's state and checks its counts against each other and the
// limit; it returns agentCount, and false when the call failed.
func (l *loadTest) groupState(g loadGroup) (int, bool) {
	ans := l.call("showAgentGroupState", groupRef(g.id), nil, nil)
	if ans == nil {
		return 0, false
	}
	if n := len(ans.results()); n != 1 {
		l.fail("showAgentGroupState %s: %d results", g.id, n)
		return 0, false
	}
	var n [5]int
	for i, s := range groupCounts(ans.results()[0]) {
		n[i] = l.atoi(s, "showAgentGroupState "+g.id)
	}
	agents, loggedIn, ready, busy, onBreak := n[0], n[1], n[2], n[3], n[4]
	if agents > loadLimit || loggedIn > agents || ready+onBreak > loggedIn || busy > agents {
		l.fail("showAgentGroupState %s: agentCount %d (limit %d), loggedIn %d, ready %d, busy %d, break %d do not add up",
			g.id, agents, loadLimit, loggedIn, ready, busy, onBreak)
	}
	return agents, true
}

// list lists the agents of an Account or of one of its groups.
func (l *loadTest) list(rng *rand.Rand, a *loadAccount) {
	if rng.IntN(2) == 0 {
		l.listAccount(a)
		return
	}
	l.listGroup(a.groups[rng.IntN(len(a.groups))])
}

// listAccount lists an Account's agents and returns the group of each agent's user, checking
// that each is listed once, in a group of the Account, and that there are no more than the
// limit; false when the call failed.
func (l *loadTest) listAccount(a *loadAccount) (map[string]string, bool) {
	ans := l.call("listAgentStatesUsingEntity", "<cc:baseEntity><cc:internalId>"+a.id+"</cc:internalId></cc:baseEntity>", nil, nil)
	if ans == nil {
		return nil, false
	}
	groups := map[string]bool{}
	for _, g := range a.groups {
		groups[g.id] = true
	}
	byUser := map[string]string{}
	var ids []string
	for _, r := range ans.results() {
		user, group := text(r, "agent/externalId"), text(r, "agentGroup/internalId")
		if other, twice := byUser[user]; twice {
			l.fail("listAgentStatesUsingEntity %s: %s listed twice, in %s and %s", a.id, user, other, group)
		}
		if !groups[group] {
			l.fail("listAgentStatesUsingEntity %s: %s in %s, not a group of the Account", a.id, user, group)
		}
		byUser[user] = group
		ids = append(ids, text(r, "internalId"))
	}
	if len(ans.results()) > loadLimit {
		l.fail("listAgentStatesUsingEntity %s: %d agents, over the limit %d", a.id, len(ans.results()), loadLimit)
	}
	a.seen(ids...)
	return byUser, true
}

// listGroup lists an agent group's agents and returns their users, checking that each is
// listed once and in that group; false when the call failed.
func (l *loadTest) listGroup(g loadGroup) (map[string]bool, bool) {
	ans := l.call("listAgentStatesUsingEntity", "<cc:baseEntity><cc:internalId>"+g.id+"</cc:internalId></cc:baseEntity>", nil, nil)
	if ans == nil {
		return nil, false
	}
	users := map[string]bool{}
	for _, r := range ans.results() {
		user := text(r, "agent/externalId")
		if users[user] {
			l.fail("listAgentStatesUsingEntity %s: %s listed twice", g.id, user)
		}
		if got := text(r, "agentGroup/internalId"); got != g.id {
			l.fail("listAgentStatesUsingEntity %s: %s listed in %s", g.id, user, got)
		}
		users[user] = true
	}
	return users, true
}

// openDB opens the service's database beside the service (a SQLite file read-only).
func (l *loadTest) openDB() *sqlx.DB {
	return storetest.OpenSQL(l.t, l.e.dsn)
}

// watchDB checks the database file every few milliseconds until stop is closed and returns
// how many times it did.
func (l *loadTest) watchDB(stop <-chan struct{}) int {
	db := l.openDB()
	defer db.Close()
	for n := 0; ; n++ {
		select {
		case <-stop:
			return n
		case <-time.After(20 * time.Millisecond):
		}
		l.checkDB(db, "during the run")
	}
}

// checkDB checks what must hold in the database file at any moment: no Account over the
// agent limit, no user who is two agents, no agent in a group of another Account or in a
// schedule group of another group.
func (l *loadTest) checkDB(db *sqlx.DB, when string) {
	for _, c := range []struct{ what, query string }{
		{"Accounts over the agent limit", fmt.Sprintf("SELECT count(*) FROM (SELECT account_id FROM agents GROUP BY account_id HAVING count(*) > %d) AS over_limit", loadLimit)},
		{"users who are two agents", "SELECT count(*) FROM (SELECT user_id FROM agents GROUP BY user_id HAVING count(*) > 1) AS twice"},
		{"agents in a group of another Account", "SELECT count(*) FROM agents a JOIN agent_groups g ON g.id = a.agent_group_id WHERE g.account_id <> a.account_id"},
		{"agents in a schedule group of another group", "SELECT count(*) FROM agents a JOIN schedule_groups s ON s.id = a.schedule_group_id WHERE s.agent_group_id <> a.agent_group_id"},
	} {
		var n int
		if err := db.QueryRow(c.query).Scan(&n); err != nil {
			l.fail("%s: %s: %v", when, c.what, err)
		} else if n != 0 {
			l.fail("%s: %d %s", when, n, c.what)
		}
	}
}

// rowID returns the row id an internalId names ("agp-3": 3).
func rowID(internalID string) string {
	_, id, _ := strings.Cut(internalID, "-")
	return id
}

// checkAfter checks the service once every client is done: nothing held, no agent left busy,
// and for each Account, its agents listed once each, in one group each, each group's
// agentCount equal to its list and to its rows, and the Account's list equal to its rows.
func (l *loadTest) checkAfter() {
	t := l.t
	if len(l.held) != 0 {
		t.Errorf("%d agents still held after every client released its own", len(l.held))
	}
	db := l.openDB()
	defer db.Close()
	l.checkDB(db, "after the run")
	count := func(query string, args ...any) int {
		var n int
		if err := db.QueryRow(db.Rebind(query), args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count("SELECT count(*) FROM agents WHERE contact_state <> 'IDLE' OR device_id IS NOT NULL"); n != 0 {
		t.Errorf("%d agents are still busy after every acquired agent was released", n)
	}
	for _, a := range l.accounts {
		byUser, ok := l.listAccount(a)
		if !ok {
			continue
		}
		inGroups := 0
		for _, g := range a.groups {
			agentCount, ok1 := l.groupState(g)
			members, ok2 := l.listGroup(g)
			if !ok1 || !ok2 {
				continue
			}
			rows := count("SELECT count(*) FROM agents WHERE agent_group_id = ?", rowID(g.id))
			if agentCount != len(members) || agentCount != rows {
				t.Errorf("group %s: agentCount %d, %d agents listed, %d agent rows", g.id, agentCount, len(members), rows)
			}
			for u := range members {
				if byUser[u] != g.id {
					t.Errorf("%s is listed in group %s, and in %q in the list of Account %s", u, g.id, byUser[u], a.id)
				}
			}
			inGroups += len(members)
		}
		rows := count("SELECT count(*) FROM agents WHERE account_id = ?", rowID(a.id))
		if inGroups != len(byUser) || rows != len(byUser) {
			t.Errorf("Account %s: %d agents listed, %d in its groups' lists, %d agent rows", a.id, len(byUser), inGroups, rows)
		}
	}
}
