package scaleout

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
)

// agentCount is how many agents the acquire tests make READY in one schedule group.
const agentCount = 40

// callCenter is an Enterprise and an Account with an agent group, one schedule group of it,
// and agentCount agents in that schedule group, READY and IDLE, all set up through one
// instance.
type callCenter struct {
	account, group, schedule string
	// agents maps each agent state internalId to its user's externalId.
	agents map[string]string
}

// byID writes the element tag holding a reference by internalId.
func byID(tag, id string) string {
	return "<cc:" + tag + "><cc:internalId>" + id + "</cc:internalId></cc:" + tag + ">"
}

// newCallCenter sets up a callCenter through in, checking each step's answer.
func newCallCenter(t *testing.T, in *instance) callCenter {
	t.Helper()
	in.must("createOrg", `<cc:org><cc:externalId>ent</cc:externalId><cc:type>ENTERPRISE</cc:type><cc:name>Scale-out</cc:name></cc:org>`)
	account := in.must("createOrg", `<cc:org><cc:externalId>acct</cc:externalId><cc:type>ACCOUNT</cc:type>`+
		`<cc:parent><cc:externalId>ent</cc:externalId></cc:parent><cc:name>Scale-out account</cc:name></cc:org>`).one(t)
	cc := callCenter{account: account.InternalID, agents: map[string]string{}}

	var users, agents strings.Builder
	for i := range agentCount {
		fmt.Fprintf(&users, `<cc:users><cc:externalId>agent%02d</cc:externalId>%s<cc:firstName>Agent</cc:firstName><cc:lastName>%d</cc:lastName></cc:users>`,
			i, byID("parent", cc.account), i)
		fmt.Fprintf(&agents, `<cc:agents><cc:externalId>agent%02d</cc:externalId>%s</cc:agents>`, i, byID("parent", cc.account))
	}
	if got := in.must("createUsers", users.String()).results; len(got) != agentCount {
		t.Fatalf("createUsers: want %d results, got %d", agentCount, len(got))
	}
	cc.group = in.must("createAgentGroup", `<cc:agentGroup><cc:externalId>sales</cc:externalId><cc:name>Sales</cc:name></cc:agentGroup>`+
		byID("parent", cc.account)).one(t).InternalID
	cc.schedule = in.must("createScheduleGroup", `<cc:scheduleGroup><cc:externalId>sales-all</cc:externalId><cc:name>Sales, all day</cc:name></cc:scheduleGroup>`+
		byID("parent", cc.group)).one(t).InternalID

	created := in.must("createAgents", agents.String()+byID("agentGroup", cc.group)+
		`<cc:initialState>`+byID("currentScheduleGroup", cc.schedule)+`</cc:initialState>`).results
	if len(created) != agentCount {
		t.Fatalf("createAgents: want %d results, got %d", agentCount, len(created))
	}
	for i, a := range created {
		want := fmt.Sprintf("agent%02d", i)
		switch {
		case a.Agent.ExternalID != want:
			t.Fatalf("createAgents: result %d is the agent of %q, want %q", i, a.Agent.ExternalID, want)
		case a.CurrentWorkState != "NOT_READY" || a.CurrentScheduleGroup.InternalID != cc.schedule:
			t.Fatalf("createAgents: %s is %s in schedule group %q, want NOT_READY in %q", want, a.CurrentWorkState, a.CurrentScheduleGroup.InternalID, cc.schedule)
		case cc.agents[a.InternalID] != "":
			t.Fatalf("createAgents: internalId %s given to %s and %s", a.InternalID, cc.agents[a.InternalID], want)
		}
		cc.agents[a.InternalID] = want
	}
	for id, user := range cc.agents {
		a := in.must("changeAgentState", `<cc:agentState><cc:internalId>`+id+`</cc:internalId><cc:requestedWorkState>READY</cc:requestedWorkState></cc:agentState>`).one(t)
		if a.CurrentWorkState != "READY" || a.CurrentContactState.State != "IDLE" {
			t.Fatalf("changeAgentState: %s (%s) is %s/%s, want READY/IDLE", id, user, a.CurrentWorkState, a.CurrentContactState.State)
		}
	}
	return cc
}

// states lists the agent states of the call center's agent group through in, by agent
// state internalId, failing t unless it holds exactly the call center's agents.
func (cc callCenter) states(t *testing.T, in *instance) map[string]result {
	t.Helper()
	list := in.must("listAgentStatesUsingEntity", `<cc:baseEntity><cc:internalId>`+cc.group+`</cc:internalId></cc:baseEntity>`).results
	states := map[string]result{}
	for _, a := range list {
		if cc.agents[a.InternalID] != a.Agent.ExternalID {
			t.Fatalf("listAgentStatesUsingEntity on %s: agent state %s of %q, want the agent of %q", in.name, a.InternalID, a.Agent.ExternalID, cc.agents[a.InternalID])
		}
		states[a.InternalID] = a
	}
	if len(list) != agentCount || len(states) != agentCount {
		t.Fatalf("listAgentStatesUsingEntity on %s: want %d agents, got %d (%d distinct)", in.name, agentCount, len(list), len(states))
	}
	return states
}

// TestSetupThroughOneSeenThroughOther sets up a call center through A and finds all of it
// through B: the agents READY and IDLE in their schedule group, and the group's counts.
func TestSetupThroughOneSeenThroughOther(t *testing.T) {
	c := newCluster(t)
	cc := newCallCenter(t, c.a)

	for id, a := range cc.states(t, c.b) {
		if a.CurrentWorkState != "READY" || a.CurrentContactState.State != "IDLE" || a.CurrentScheduleGroup.InternalID != cc.schedule {
			t.Errorf("through B, %s (%s) is %s/%s in schedule group %q, want READY/IDLE in %q",
				id, cc.agents[id], a.CurrentWorkState, a.CurrentContactState.State, a.CurrentScheduleGroup.InternalID, cc.schedule)
		}
	}
	state := c.b.must("showAgentGroupState", byID("agentGroup", cc.group)).one(t)
	if want := fmt.Sprint(agentCount); state.AgentCount != want || state.ReadyCount != want {
		t.Errorf("showAgentGroupState through B: agentCount %s, readyCount %s, want %s and %s", state.AgentCount, state.ReadyCount, want, want)
	}
	sg := c.b.must("showScheduleGroup", byID("scheduleGroup", cc.schedule)).one(t)
	if sg.ExternalID != "sales-all" {
		t.Errorf("showScheduleGroup through B: externalId %q, want sales-all", sg.ExternalID)
	}
}

// TestAcquireAgentOnceAcrossInstances asks both instances at once for more agents than
// there are, twice (releasing them all in between through the other instance): each round
// hands out every agent exactly once, each to one caller with the caller's device, and
// answers the callers left over with the empty response of "no agent available".
func TestAcquireAgentOnceAcrossInstances(t *testing.T) {
	c := newCluster(t)
	cc := newCallCenter(t, c.a)
	// A first Basic call on B, so that the round does not start with its slow password check.
	cc.states(t, c.b)

	instances := []*instance{c.a, c.b}
	for round := 1; round <= 2; round++ {
		const callers = 2 * agentCount // half through A, half through B
		var (
			failures errs
			mu       sync.Mutex
			// holder maps each agent state internalId handed out to the caller that got it.
			holder = map[string]int{}
			byWho  = map[*instance]int{}
			none   int
		)
		together(callers, func(i int) {
			in := instances[i%2]
			device := fmt.Sprintf("+1555%03d%04d", round, i)
			a, err := in.call("acquireAgent", `<cc:agentState>`+byID("currentScheduleGroup", cc.schedule)+
				`<cc:currentContactState><cc:device><cc:externalId>`+device+`</cc:externalId></cc:device></cc:currentContactState></cc:agentState>`)
			if err == nil {
				err = a.success()
			}
			if err != nil {
				failures.add(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			switch len(a.results) {
			case 0:
				none++
			case 1:
				r := a.results[0]
				if prev, taken := holder[r.InternalID]; taken {
					failures.add(fmt.Errorf("round %d: agent %s (%s) handed out twice: to caller %d and to caller %d through %s",
						round, r.InternalID, r.Agent.ExternalID, prev, i, in.name))
				}
				holder[r.InternalID] = i
				byWho[in]++
				switch {
				case cc.agents[r.InternalID] == "":
					failures.add(fmt.Errorf("round %d: caller %d got %s, not an agent of the schedule group", round, i, r.InternalID))
				case r.CurrentContactState.State != "CONNECTED" || r.CurrentContactState.Device.ExternalID != device:
					failures.add(fmt.Errorf("round %d: caller %d got %s %s with device %q, want CONNECTED with %s",
						round, i, r.InternalID, r.CurrentContactState.State, r.CurrentContactState.Device.ExternalID, device))
				}
			default:
				failures.add(fmt.Errorf("round %d: acquireAgent through %s: %d results", round, in.name, len(a.results)))
			}
		})
		failures.report(t)
		t.Logf("round %d: %d agents acquired through A, %d through B, %d callers without one", round, byWho[c.a], byWho[c.b], none)
		if len(holder) != agentCount || none != callers-agentCount {
			t.Fatalf("round %d: %d callers got %d distinct agents and %d got none; want %d agents handed out and %d callers without one",
				round, callers-none, len(holder), none, agentCount, callers-agentCount)
		}

		// Every agent is now CONNECTED to its caller's device, as each instance shows it.
		for _, in := range instances {
			for id, a := range cc.states(t, in) {
				want := fmt.Sprintf("+1555%03d%04d", round, holder[id])
				if a.CurrentContactState.State != "CONNECTED" || a.CurrentContactState.Device.ExternalID != want {
					t.Errorf("round %d, through %s: %s is %s with device %q, want CONNECTED with %s",
						round, in.name, id, a.CurrentContactState.State, a.CurrentContactState.Device.ExternalID, want)
				}
			}
		}
		if a := c.b.must("acquireAgent", `<cc:agentState>`+byID("currentScheduleGroup", cc.schedule)+`</cc:agentState>`); len(a.results) != 0 {
			t.Fatalf("round %d: acquireAgent through B with every agent taken: want no result, got %s", round, a.results[0].InternalID)
		}
		if t.Failed() {
			return
		}

		// Each agent is released through the instance its caller did not use.
		ids := make([]string, 0, len(holder))
		for id := range holder {
			ids = append(ids, id)
		}
		together(len(ids), func(i int) {
			in := instances[(holder[ids[i]]+1)%2]
			a, err := in.call("releaseAgent", `<cc:agentState><cc:internalId>`+ids[i]+`</cc:internalId></cc:agentState>`)
			if err == nil {
				err = a.success()
			}
			if err == nil {
				if r, _ := a.onlyResult(); r.CurrentContactState.State != "IDLE" || r.CurrentWorkState != "READY" {
					err = fmt.Errorf("releaseAgent %s through %s: %s/%s, want READY/IDLE", ids[i], in.name, r.CurrentWorkState, r.CurrentContactState.State)
				}
			}
			failures.add(err)
		})
		failures.report(t)
		for id, a := range cc.states(t, c.a) {
			if a.CurrentContactState.State != "IDLE" || a.CurrentContactState.Device.ExternalID != "" {
				t.Fatalf("after the releases, through A: %s is %s with device %q, want IDLE without one", id, a.CurrentContactState.State, a.CurrentContactState.Device.ExternalID)
			}
		}
	}
}

// The limits the limit test starts both instances with, and how many Accounts it fills, one
// after the other: each Account reaching its limit is one more moment where two instances
// could both let one more through.
const (
	groupLimit    = 5
	agentLimit    = 10
	limitAccounts = 4
)

// TestLimitsAcrossInstances creates more agent groups, and more agents, than an Account may
// have, through both instances at once, in one Account after another: in each, exactly the limit is
// created, every other attempt gets SYSTEM_LIMIT_EXCEEDED, and both instances list exactly
// what was created.
func TestLimitsAcrossInstances(t *testing.T) {
	c := newCluster(t, "--max-agent-groups", fmt.Sprint(groupLimit), "--max-agents", fmt.Sprint(agentLimit))
	c.a.must("createOrg", `<cc:org><cc:externalId>ent</cc:externalId><cc:type>ENTERPRISE</cc:type></cc:org>`)
	instances := []*instance{c.a, c.b}
	newAccount := func(t *testing.T, ext string) string {
		t.Helper()
		return c.a.must("createOrg", `<cc:org><cc:externalId>`+ext+`</cc:externalId><cc:type>ACCOUNT</cc:type>`+
			`<cc:parent><cc:externalId>ent</cc:externalId></cc:parent></cc:org>`).one(t).InternalID
	}
	// limited tallies the attempts in one Account: what was created (externalId →
	// internalId) and how many were refused.
	type limited struct {
		created map[string]string
		refused int
	}

	// checkTallies fails t unless, in each Account, limit of the attempts were created and the
	// others refused, and each instance lists there exactly what was created. list is what
	// one instance lists in an Account (externalId → internalId); what names the things
	// created, in messages.
	checkTallies := func(t *testing.T, what string, attempts, limit int, accounts []string, tallies []limited, list func(in *instance, account string) map[string]string) {
		t.Helper()
		for n, account := range accounts {
			if got := tallies[n]; len(got.created) != limit || got.refused != attempts-limit {
				t.Errorf("Account %s: %d %s created and %d refused, want %d and %d", account, len(got.created), what, got.refused, limit, attempts-limit)
			}
			for _, in := range instances {
				if listed := list(in, account); !maps.Equal(listed, tallies[n].created) {
					t.Errorf("%s listed through %s in Account %s: %v, want the %s created, %v", what, in.name, account, listed, what, tallies[n].created)
				}
			}
		}
	}

	t.Run("agent groups", func(t *testing.T) {
		const attempts = 4 * groupLimit // per Account
		accounts := make([]string, limitAccounts)
		tallies := make([]limited, limitAccounts)
		for n := range accounts {
			accounts[n] = newAccount(t, fmt.Sprintf("acct-groups-%d", n))
			tallies[n].created = map[string]string{}
		}
		var (
			failures errs
			mu       sync.Mutex
			ids      = map[string]bool{}
		)
		createGroup := func(n, i int) {
			in := instances[i%2]
			ext := fmt.Sprintf("group%02d", i)
			a, err := in.call("createAgentGroup", `<cc:agentGroup><cc:externalId>`+ext+`</cc:externalId></cc:agentGroup>`+byID("parent", accounts[n]))
			if err != nil {
				failures.add(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if a.fault != nil {
				failures.add(a.faultCode("SYSTEM_LIMIT_EXCEEDED", http.StatusInternalServerError))
				tallies[n].refused++
				return
			}
			r, err := a.onlyResult()
			if err == nil {
				err = a.success()
			}
			if err != nil {
				failures.add(err)
				return
			}
			if ids[r.InternalID] {
				failures.add(fmt.Errorf("createAgentGroup %s through %s: internalId %s given twice", ext, in.name, r.InternalID))
			}
			ids[r.InternalID] = true
			tallies[n].created[ext] = r.InternalID
		}
		for n := range accounts {
			together(attempts, func(i int) { createGroup(n, i) })
		}
		failures.report(t)
		checkTallies(t, "agent groups", attempts, groupLimit, accounts, tallies, func(in *instance, account string) map[string]string {
			listed := map[string]string{}
			for _, s := range in.must("listAgentGroupStates", byID("org", account)).results {
				listed[s.AgentGroup.ExternalID] = s.AgentGroup.InternalID
			}
			return listed
		})
	})

	t.Run("agents", func(t *testing.T) {
		const attempts = 3 * agentLimit // per Account
		accounts := make([]string, limitAccounts)
		groups := make([]string, limitAccounts)
		tallies := make([]limited, limitAccounts)
		for n := range accounts {
			accounts[n] = newAccount(t, fmt.Sprintf("acct-agents-%d", n))
			groups[n] = c.a.must("createAgentGroup", `<cc:agentGroup><cc:externalId>support</cc:externalId></cc:agentGroup>`+byID("parent", accounts[n])).one(t).InternalID
			tallies[n].created = map[string]string{}
			var users strings.Builder
			for u := range attempts {
				fmt.Fprintf(&users, `<cc:users><cc:externalId>user%02d</cc:externalId>%s</cc:users>`, u, byID("parent", accounts[n]))
			}
			if got := len(c.a.must("createUsers", users.String()).results); got != attempts {
				t.Fatalf("createUsers: want %d results, got %d", attempts, got)
			}
		}
		var (
			failures errs
			mu       sync.Mutex
			ids      = map[string]bool{}
		)
		createAgent := func(n, i int) {
			in := instances[i%2]
			user := fmt.Sprintf("user%02d", i)
			a, err := in.call("createAgents", `<cc:agents><cc:externalId>`+user+`</cc:externalId>`+byID("parent", accounts[n])+`</cc:agents>`+byID("agentGroup", groups[n]))
			if err == nil {
				err = a.response200()
			}
			if err != nil {
				failures.add(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			switch {
			case len(a.results) == 1 && len(a.warnings) == 0:
				r := a.results[0]
				if ids[r.InternalID] {
					failures.add(fmt.Errorf("createAgents %s through %s: internalId %s given twice", user, in.name, r.InternalID))
				}
				ids[r.InternalID] = true
				tallies[n].created[user] = r.InternalID
			case len(a.results) == 0 && len(a.warnings) == 1 && a.warnings[0].Code == "SYSTEM_LIMIT_EXCEEDED" && a.warnings[0].Index == 0:
				tallies[n].refused++
			default:
				failures.add(fmt.Errorf("createAgents %s through %s: want one result or a SYSTEM_LIMIT_EXCEEDED warning, got %d results and warnings %+v (correlation id %s)",
					user, in.name, len(a.results), a.warnings, a.correlationID))
			}
		}
		for n := range accounts {
			together(attempts, func(i int) { createAgent(n, i) })
		}
		failures.report(t)
		checkTallies(t, "agents", attempts, agentLimit, accounts, tallies, func(in *instance, account string) map[string]string {
			listed := map[string]string{}
			for _, a := range in.must("listAgentStatesUsingEntity", byID("baseEntity", account)).results {
				listed[a.Agent.ExternalID] = a.InternalID
			}
			return listed
		})
	})
}

// TestWritesSeenAcrossInstances writes through one instance and reads through the other
// right after, in both directions: creations, changes and deletions of agent groups and
// schedule groups, and agents and their state. The internalIds the two instances assign
// never repeat.
func TestWritesSeenAcrossInstances(t *testing.T) {
	c := newCluster(t)
	ids := map[string]string{} // internalId → what it was assigned to
	assigned := func(id, what string) {
		t.Helper()
		if id == "" {
			t.Fatalf("%s: no internalId", what)
		}
		if prev, ok := ids[id]; ok {
			t.Fatalf("internalId %s assigned to %s and again to %s", id, prev, what)
		}
		ids[id] = what
	}

	ent := c.a.must("createOrg", `<cc:org><cc:externalId>ent</cc:externalId><cc:type>ENTERPRISE</cc:type></cc:org>`).one(t).InternalID
	assigned(ent, "the Enterprise")
	account := c.b.must("createOrg", `<cc:org><cc:externalId>acct</cc:externalId><cc:type>ACCOUNT</cc:type>`+byID("parent", ent)+`</cc:org>`).one(t).InternalID
	assigned(account, "the Account")
	if got := c.a.must("showOrg", byID("org", account)).one(t); got.ExternalID != "acct" {
		t.Fatalf("showOrg through A of the Account created through B: externalId %q", got.ExternalID)
	}

	for i := range 10 {
		w, r := c.a, c.b
		if i%2 == 1 {
			w, r = c.b, c.a
		}
		ext := fmt.Sprintf("group%02d", i)
		step := func(s string) string {
			return fmt.Sprintf("%s (written through %s, read through %s)", s, w.name, r.name)
		}

		group := w.must("createAgentGroup", `<cc:agentGroup><cc:externalId>`+ext+`</cc:externalId></cc:agentGroup>`+byID("parent", account)).one(t).InternalID
		assigned(group, "agent group "+ext)
		if got := r.must("showAgentGroup", byID("agentGroup", group)).one(t); got.ExternalID != ext || got.Intensity != "100" {
			t.Fatalf("%s: showAgentGroup %s: externalId %q intensity %q, want %s and 100", step("create"), group, got.ExternalID, got.Intensity, ext)
		}
		intensity := fmt.Sprint(50 + i)
		r.must("changeAgentGroup", `<cc:agentGroup><cc:internalId>`+group+`</cc:internalId><cc:intensity>`+intensity+`</cc:intensity></cc:agentGroup>`)
		if got := w.must("showAgentGroup", byID("agentGroup", group)).one(t); got.Intensity != intensity {
			t.Fatalf("%s: showAgentGroup %s: intensity %q, want %s", step("change"), group, got.Intensity, intensity)
		}
		schedule := w.must("createScheduleGroup", `<cc:scheduleGroup><cc:externalId>sg</cc:externalId></cc:scheduleGroup>`+byID("parent", group)).one(t).InternalID
		assigned(schedule, "schedule group of "+ext)
		if got := r.must("showScheduleGroup", byID("scheduleGroup", schedule)).one(t); got.ExternalID != "sg" {
			t.Fatalf("%s: showScheduleGroup %s: externalId %q, want sg", step("create"), schedule, got.ExternalID)
		}

		user := fmt.Sprintf("agent%02d", i)
		userID := w.must("createUsers", `<cc:users><cc:externalId>`+user+`</cc:externalId>`+byID("parent", account)+`</cc:users>`).one(t).InternalID
		assigned(userID, "user "+user)
		agent := r.must("createAgents", byID("agents", userID)+byID("agentGroup", group)+`<cc:initialState>`+byID("currentScheduleGroup", schedule)+`</cc:initialState>`).one(t).InternalID
		assigned(agent, "agent state of "+user)
		w.must("changeAgentState", `<cc:agentState><cc:internalId>`+agent+`</cc:internalId><cc:requestedWorkState>READY</cc:requestedWorkState></cc:agentState>`)
		if got := r.must("showAgentStateUsingUser", byID("agent", userID)).one(t); got.InternalID != agent || got.CurrentWorkState != "READY" {
			t.Fatalf("%s: showAgentStateUsingUser %s: agent state %s %s, want %s READY", step("changeAgentState"), user, got.InternalID, got.CurrentWorkState, agent)
		}
		if got := r.must("acquireAgent", `<cc:agentState>`+byID("currentScheduleGroup", schedule)+`</cc:agentState>`).one(t); got.InternalID != agent {
			t.Fatalf("%s: acquireAgent: got %s, want %s", step("changeAgentState"), got.InternalID, agent)
		}
		if got := w.must("showAgentStateUsingUser", byID("agent", userID)).one(t); got.CurrentContactState.State != "RESERVED" {
			t.Fatalf("%s: showAgentStateUsingUser %s: %s, want RESERVED", step("acquireAgent"), user, got.CurrentContactState.State)
		}
		w.must("releaseAgent", `<cc:agentState><cc:internalId>`+agent+`</cc:internalId></cc:agentState>`)

		w.must("deleteAgents", byID("agents", userID))
		r.must("deleteAgentGroup", byID("agentGroup", group))
		for _, check := range []struct{ op, ref string }{
			{"showAgentStateUsingUser", byID("agent", userID)},
			{"showAgentGroup", byID("agentGroup", group)},
			{"showScheduleGroup", byID("scheduleGroup", schedule)},
		} {
			a, err := w.call(check.op, check.ref)
			if err == nil {
				err = a.faultCode("OBJECT_NOT_EXISTS", http.StatusInternalServerError)
			}
			if err != nil {
				t.Fatalf("%s: %v", step("deleteAgents, deleteAgentGroup"), err)
			}
		}
	}
}

// TestSameExternalIDThroughBoth creates the same agent groups, and the same users, through
// both instances at the same moment: each is created once, and the other attempt is told
// OBJECT_EXISTS.
func TestSameExternalIDThroughBoth(t *testing.T) {
	c := newCluster(t)
	c.a.must("createOrg", `<cc:org><cc:externalId>ent</cc:externalId><cc:type>ENTERPRISE</cc:type></cc:org>`)
	account := c.a.must("createOrg", `<cc:org><cc:externalId>acct</cc:externalId><cc:type>ACCOUNT</cc:type>`+
		`<cc:parent><cc:externalId>ent</cc:externalId></cc:parent></cc:org>`).one(t).InternalID
	// A first Basic call on B, so that both start at once.
	c.b.must("showOrg", byID("org", account))
	instances := []*instance{c.a, c.b}
	const names = 10

	var (
		failures errs
		mu       sync.Mutex
		wins     = map[string][]string{} // externalId → the internalIds created for it
		exists   = map[string]int{}      // externalId → attempts told OBJECT_EXISTS
	)
	tally := func(key string, a *answer, err error) {
		if err != nil {
			failures.add(err)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		switch {
		case a.fault != nil && a.fault.Code == "OBJECT_EXISTS",
			a.fault == nil && len(a.results) == 0 && len(a.warnings) == 1 && a.warnings[0].Code == "OBJECT_EXISTS":
			exists[key]++
		case a.success() == nil && len(a.results) == 1:
			wins[key] = append(wins[key], a.results[0].InternalID)
		default:
			failures.add(fmt.Errorf("%s %s: want a success or OBJECT_EXISTS, got HTTP %d (correlation id %s)\n%.1000s", a.op, key, a.status, a.correlationID, a.raw))
		}
	}
	together(4*names, func(i int) {
		in := instances[i%2]
		n := i / 2 % names
		if i < 2*names {
			ext := fmt.Sprintf("group%02d", n)
			a, err := in.call("createAgentGroup", `<cc:agentGroup><cc:externalId>`+ext+`</cc:externalId></cc:agentGroup>`+byID("parent", account))
			tally("agent group "+ext, a, err)
		} else {
			ext := fmt.Sprintf("user%02d", n)
			a, err := in.call("createUsers", `<cc:users><cc:externalId>`+ext+`</cc:externalId>`+byID("parent", account)+`</cc:users>`)
			tally("user "+ext, a, err)
		}
	})
	failures.report(t)
	for i := range names {
		for _, key := range []string{fmt.Sprintf("agent group group%02d", i), fmt.Sprintf("user user%02d", i)} {
			if len(wins[key]) != 1 || exists[key] != 1 {
				t.Errorf("%s: created %d times %v, %d attempts told OBJECT_EXISTS; want once and once", key, len(wins[key]), wins[key], exists[key])
			}
		}
	}
	groups := c.b.must("listAgentGroupStates", byID("org", account)).results
	if len(groups) != names {
		t.Errorf("listAgentGroupStates through B: %d agent groups, want %d", len(groups), names)
	}
}

// TestDigestNonceOnceAcrossInstances sends PasswordDigest tokens to both instances: each
// accepts a fresh one, and a token one instance accepted is refused by the other (and by
// itself) with AUTHENTICATION_FAILED, also when both receive it at the same moment.
func TestDigestNonceOnceAcrossInstances(t *testing.T) {
	c := newCluster(t)
	c.a.must("createOrg", `<cc:org><cc:externalId>ent</cc:externalId><cc:type>ENTERPRISE</cc:type></cc:org>`)
	const show = `<cc:org><cc:externalId>ent</cc:externalId></cc:org>`
	accepted := func(in *instance, header, what string) {
		t.Helper()
		a, err := in.send(header, "showOrg", show)
		if err == nil {
			err = a.success()
		}
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if r := a.one(t); r.ExternalID != "ent" {
			t.Fatalf("%s: showOrg answered %q, want ent", what, r.ExternalID)
		}
	}
	refused := func(in *instance, header, what string) {
		t.Helper()
		a, err := in.send(header, "showOrg", show)
		if err == nil {
			err = a.faultCode("AUTHENTICATION_FAILED", http.StatusUnauthorized)
		}
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}

	// Each instance takes a fresh token: both hold the key, and the operator's secret.
	accepted(c.a, digestHeader(), "a fresh token to A")
	accepted(c.b, digestHeader(), "a fresh token to B")

	for _, pair := range [][2]*instance{{c.a, c.b}, {c.b, c.a}} {
		first, second := pair[0], pair[1]
		header := digestHeader()
		accepted(first, header, "a fresh token to "+first.name)
		refused(second, header, "the token "+first.name+" accepted, replayed to "+second.name)
		refused(first, header, "the token "+first.name+" accepted, replayed to "+first.name)
	}

	// Each token sent to both at the same moment: exactly one of them accepts it.
	const tokens = 20
	headers := make([]string, tokens)
	for i := range headers {
		headers[i] = digestHeader()
	}
	var (
		failures errs
		mu       sync.Mutex
		accepts  = make([][]string, tokens)
	)
	instances := []*instance{c.a, c.b}
	together(2*tokens, func(i int) {
		in, n := instances[i%2], i/2
		a, err := in.send(headers[n], "showOrg", show)
		if err != nil {
			failures.add(err)
			return
		}
		if a.success() == nil {
			mu.Lock()
			accepts[n] = append(accepts[n], in.name)
			mu.Unlock()
			return
		}
		failures.add(a.faultCode("AUTHENTICATION_FAILED", http.StatusUnauthorized))
	})
	failures.report(t)
	for n, by := range accepts {
		if len(by) != 1 {
			slices.Sort(by)
			t.Errorf("token %d, sent to A and B at once, accepted by %d instances %v, want exactly one", n, len(by), by)
		}
	}
}
