package service_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/engage-oss/engage/provisioning"
)

// The concurrency test's world and load, bounded in time and in count.
const (
	loadAccounts = 3  // Accounts, each with ...
	loadGroups   = 3  // ... agent groups, each with one schedule group, and ...
	loadUsers    = 24 // ... AGENT users at the start (createUsers adds more)
	loadLimit    = 10 // the most agents an Account may have: far fewer than its users
	loadClients  = 64
	loadOps      = 150 // calls per client at most
	loadTime     = 3 * time.Second
	loadFailures = 10 // failures reported one by one; the rest are counted
)

// loadGroup is an agent group of the concurrency test and its schedule group.
type loadGroup struct{ id, schedule string }

// loadAccount is an Account of the concurrency test: its groups, its AGENT users, and the
// agent internalIds the clients have seen in it (some deleted since).
type loadAccount struct {
	id     string
	groups []loadGroup
	mu     sync.Mutex
	users  []string
	agents []string
}

// loadTest is one run of concurrent clients against one service.
type loadTest struct {
	t        *testing.T
	e        *env
	client   *http.Client
	accounts []*loadAccount
	mu       sync.Mutex
	// held is, for each agent acquired and not yet released, the client that acquired it.
	held  map[string]int
	tally map[string]int // calls by operation and outcome
	// calls counts the calls, failures what a client must never see, limitHits the
	// SYSTEM_LIMIT_EXCEEDED warnings.
	calls, failures, limitHits atomic.Int64
}

// TestConcurrentClients runs 64 clients at once against one service for a few seconds (and
// at most loadOps calls each), mixing createAgents and deleteAgents, changeAgentState,
// acquireAgent and releaseAgent, showAgentGroupState and listAgentStatesUsingEntity, and
// createUsers across several Accounts and agent groups, with an agent limit the creates
// reach. During the run every answer must be a success or a fault the call may document
// here (never INTERNAL_ERROR, never a database lock error), no acquired agent may be acquired
// again before its release, every listing must show each agent once and in its own group, and
// the counts must be within the limit; a reader of the database file checks the same beside
// the service. Afterwards the counts equal the lists and the rows, and no agent is left busy.
func TestConcurrentClients(t *testing.T) {
	if testing.Short() {
		t.Skip("a load test")
	}
	e := newEnv(t, func(l *provisioning.Limits) { l.AgentsPerAccount = loadLimit })
	l := &loadTest{t: t, e: e, client: newLoadClient(loadClients), held: map[string]int{}, tally: map[string]int{}}
	l.setUp()

	stop := make(chan struct{})
	watched := make(chan int)
	go func() { watched <- l.watchDB(stop) }()
	deadline := time.Now().Add(loadTime)
	var wg sync.WaitGroup
	for c := range loadClients {
		wg.Go(func() { l.run(c, deadline) })
	}
	wg.Wait()
	close(stop)
	t.Logf("the database file was checked %d times during the run", <-watched)

	l.checkAfter()
	if l.limitHits.Load() == 0 {
		t.Error("no createAgents item reached the agent limit")
	}
	if n := l.failures.Load(); n > loadFailures {
		t.Errorf("%d failures in all", n)
	}
	var outcomes []string
	for k, n := range l.tally {
		outcomes = append(outcomes, fmt.Sprintf("%s: %d", k, n))
	}
	sort.Strings(outcomes)
	t.Logf("%d calls from %d clients:\n%s", l.calls.Load(), loadClients, strings.Join(outcomes, "\n"))
}

// setUp creates the Enterprise, its Accounts, their agent groups and schedule groups, and the
// AGENT users (login enabled, so that agents can be READY).
func (l *loadTest) setUp() {
	e := l.e
	e.mustEnterprise("ent")
	for a := range loadAccounts {
		acct := &loadAccount{id: e.mustAccount("ent", fmt.Sprintf("a%d", a))}
		for g := range loadGroups {
			id := e.mustAgentGroup(fmt.Sprintf("a%d", a), fmt.Sprintf("a%d-g%d", a, g), "")
			acct.groups = append(acct.groups, loadGroup{id: id, schedule: e.mustScheduleGroup(id, "s")})
		}
		var users strings.Builder
		for u := range loadUsers {
			acct.users = append(acct.users, fmt.Sprintf("a%d-u%d", a, u))
			users.WriteString(newUser(acct.id, acct.users[u]))
		}
		e.call("createUsers", users.String()).wantWarnings()
		l.accounts = append(l.accounts, acct)
	}
}

// newUser writes a createUsers item: an AGENT user of an Account, login enabled.
func newUser(account, externalID string) string {
	return "<cc:users><cc:externalId>" + externalID + "</cc:externalId><cc:parent><cc:internalId>" + account +
		"</cc:internalId></cc:parent><cc:type>AGENT</cc:type><cc:loginEnabled>true</cc:loginEnabled></cc:users>"
}

// run is one client: random calls until the deadline or loadOps calls, releasing what it
// acquired (at random, and all of it at the end). The first clients each start by making
// every user of an Account an agent, which reaches the limit whatever the others do.
func (l *loadTest) run(c int, deadline time.Time) {
	rng := rand.New(rand.NewPCG(uint64(c), uint64(time.Now().UnixNano())))
	var held []string
	if c < len(l.accounts) {
		l.createAgents(rng, l.accounts[c], 0)
	}
	for i := 0; i < loadOps && time.Now().Before(deadline); i++ {
		if len(held) > 0 && rng.IntN(2) == 0 {
			held = l.release(held)
			continue
		}
		a := l.accounts[rng.IntN(len(l.accounts))]
		switch r := rng.IntN(100); {
		case r < 20:
			n := 1 + rng.IntN(4)
			if rng.IntN(10) == 0 {
				n = 3 * loadLimit
			}
			l.createAgents(rng, a, n)
		case r < 30:
			l.deleteAgents(rng, a)
		case r < 45:
			l.changeState(rng, a)
		case r < 60:
			if id := l.acquire(c, rng, a); id != "" {
				held = append(held, id)
			}
		case r < 70:
			l.groupState(a.groups[rng.IntN(len(a.groups))])
		case r < 85:
			l.list(rng, a)
		default:
			l.createUsers(rng, a, fmt.Sprintf("n%d-%d", c, i))
		}
	}
	for len(held) > 0 {
		held = l.release(held)
	}
}

// fail records something a client must never see; the first few fail the test by name.
func (l *loadTest) fail(format string, args ...any) {
	if l.failures.Add(1) <= loadFailures {
		l.t.Errorf(format, args...)
	}
}

// count adds one to an outcome of the tally.
func (l *loadTest) count(outcome string) {
	l.mu.Lock()
	l.tally[outcome]++
	l.mu.Unlock()
}

// call sends op and returns its answer if the test allows it here: a success whose warnings
// have codes in warnings, or a fault with a code in faults. Anything else is a failure, and nil.
func (l *loadTest) call(op, inner string, faults, warnings codeSet) *answer {
	l.calls.Add(1)
	status, raw, err := l.e.exchange(l.client, op, inner)
	if err != nil {
		l.fail("%s: %v", op, err)
		return nil
	}
	a, err := parseAnswer(op, status, raw)
	if err != nil {
		l.fail("%v", err)
		return nil
	}
	if a.code != "" {
		if !faults[a.code] {
			l.fail("%s: fault %s %q, which this call cannot meet here:\n%.500s", op, a.code, a.arg, raw)
			return nil
		}
		l.count(op + " " + a.code)
		return a
	}
	l.count(op + " ok")
	for _, w := range a.wrapper.SelectElements("warning") {
		code := text(w, "code")
		if !warnings[code] {
			l.fail("%s: warning %s %q, which this call cannot meet here:\n%.500s", op, code, text(w, "argument"), raw)
			return nil
		}
		l.count(op + " warning " + code)
	}
	return a
}

// pick returns n of an Account's users at random (all of them when n is 0).
func (a *loadAccount) pick(rng *rand.Rand, n int) []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if n == 0 {
		return append([]string(nil), a.users...)
	}
	out := make([]string, n)
	for i := range out {
		out[i] = a.users[rng.IntN(len(a.users))]
	}
	return out
}

// seen remembers agent internalIds of an Account for changeAgentState.
func (a *loadAccount) seen(ids ...string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.agents = append(a.agents, ids...)
	if len(a.agents) > 4*loadLimit {
		a.agents = a.agents[len(a.agents)-4*loadLimit:]
	}
}

// createAgents makes n users of an Account, picked at random (all of them when n is 0),
// agents of one of its groups, in its schedule group and, half the time, READY.
func (l *loadTest) createAgents(rng *rand.Rand, a *loadAccount, n int) {
	users := a.pick(rng, n)
	g := a.groups[rng.IntN(len(a.groups))]
	initial := "<cc:currentScheduleGroup><cc:internalId>" + g.schedule + "</cc:internalId></cc:currentScheduleGroup>"
	if rng.IntN(2) == 0 {
		initial += "<cc:currentWorkState>READY</cc:currentWorkState>"
	}
	ans := l.call("createAgents", userRefs(users...)+groupRef(g.id)+"<cc:initialState>"+initial+"</cc:initialState>",
		nil, allow("OBJECT_EXISTS", "SYSTEM_LIMIT_EXCEEDED"))
	if ans == nil {
		return
	}
	warnings := ans.wrapper.SelectElements("warning")
	results := ans.results()
	if len(results)+len(warnings) != len(users) {
		l.fail("createAgents: %d results and %d warnings for %d users", len(results), len(warnings), len(users))
	}
	for _, w := range warnings {
		if text(w, "code") == "SYSTEM_LIMIT_EXCEEDED" {
			l.limitHits.Add(1)
		}
	}
	for _, r := range results {
		if got := text(r, "agentGroup/internalId"); got != g.id {
			l.fail("createAgents into %s: an agent of %s", g.id, got)
		}
		a.seen(text(r, "internalId"))
	}
}

// deleteAgents deletes a few agents of an Account by their users, some of whom are no agents.
func (l *loadTest) deleteAgents(rng *rand.Rand, a *loadAccount) {
	l.call("deleteAgents", userRefs(a.pick(rng, 1+rng.IntN(3))...), nil, allow("OBJECT_NOT_EXISTS"))
}

// changeState asks a work state or an action of an agent of an Account, which may be gone.
func (l *loadTest) changeState(rng *rand.Rand, a *loadAccount) {
	a.mu.Lock()
	if len(a.agents) == 0 {
		a.mu.Unlock()
		return
	}
	id := a.agents[rng.IntN(len(a.agents))]
	a.mu.Unlock()
	request := []string{requestWS("READY"), requestWS("READY"), requestWS("NOT_READY"), requestWS("BREAK"),
		requestAction("LOGIN"), requestAction("LOGOUT")}[rng.IntN(6)]
	l.call("changeAgentState", "<cc:agentState><cc:internalId>"+id+"</cc:internalId>"+request+"</cc:agentState>",
		allow("OBJECT_NOT_EXISTS", "INVALID_STATE"), nil)
}

// acquire acquires an agent of a schedule group of an Account for client c and returns its
// internalId, "" for none. An agent that another client holds is a failure.
func (l *loadTest) acquire(c int, rng *rand.Rand, a *loadAccount) string {
	g := a.groups[rng.IntN(len(a.groups))]
	ans := l.call("acquireAgent", acquireReq(g.schedule, ""), nil, nil)
	if ans == nil || len(ans.results()) == 0 {
		return ""
	}
	if n := len(ans.results()); n != 1 {
		l.fail("acquireAgent: %d results", n)
		return ""
	}
	l.count("acquireAgent acquired one")
	r := ans.results()[0]
	id := text(r, "internalId")
	if text(r, "currentContactState/state") != "RESERVED" || text(r, "currentWorkState") != "READY" ||
		text(r, "currentScheduleGroup/internalId") != g.schedule {
		l.fail("acquireAgent in %s: %s is %s/%s in %s", g.schedule, id, text(r, "currentWorkState"),
			text(r, "currentContactState/state"), text(r, "currentScheduleGroup/internalId"))
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if other, ok := l.held[id]; ok {
		l.fail("acquireAgent gave client %d agent %s, which client %d acquired and has not released", c, id, other)
		return ""
	}
	l.held[id] = c
	return id
}

// release releases the last agent of held, which it no longer holds from the moment the
// call is sent; the agent may have been deleted meanwhile.
func (l *loadTest) release(held []string) []string {
	id := held[len(held)-1]
	l.mu.Lock()
	delete(l.held, id)
	l.mu.Unlock()
	ans := l.call("releaseAgent", "<cc:agentState><cc:internalId>"+id+"</cc:internalId></cc:agentState>", allow("OBJECT_NOT_EXISTS"), nil)
	if ans != nil && ans.code == "" {
		if r := ans.results(); len(r) != 1 || text(r[0], "currentContactState/state") != "IDLE" {
			l.fail("releaseAgent %s: not IDLE:\n%.500s", id, ans.raw)
		}
	}
	return held[:len(held)-1]
}

// createUsers creates a new AGENT user in an Account, and sometimes sends an existing one
// too; the new one joins the users the clients make agents of.
func (l *loadTest) createUsers(rng *rand.Rand, a *loadAccount, name string) {
	items := newUser(a.id, name)
	if rng.IntN(3) == 0 {
		items += newUser(a.id, a.pick(rng, 1)[0])
	}
	ans := l.call("createUsers", items, nil, allow("OBJECT_EXISTS"))
	if ans == nil {
		return
	}
	if r := ans.results(); len(r) != 1 || text(r[0], "externalId") != name {
		l.fail("createUsers %s: %d results:\n%.500s", name, len(r), ans.raw)
		return
	}
	a.mu.Lock()
	a.users = append(a.users, name)
	a.mu.Unlock()
}

// atoi reads a count of an answer; a malformed one is a failure.
func (l *loadTest) atoi(s, what string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		l.fail("%s: %q is not a count", what, s)
	}
	return n
}
