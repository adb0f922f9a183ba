package service_test

import (
	"fmt"
	"sort"
	"sync"
	"testing"

	"github.com/beevik/etree"
)

// acquireReq writes an acquireAgent request for a schedule group (by internalId), with a
// customer device when device is set.
func acquireReq(schedule, device string) string {
	s := "<cc:agentState><cc:currentScheduleGroup><cc:internalId>" + schedule + "</cc:internalId></cc:currentScheduleGroup>"
	if device != "" {
		s += "<cc:currentContactState><cc:device><cc:externalId>" + device + "</cc:externalId></cc:device></cc:currentContactState>"
	}
	return s + "</cc:agentState>"
}

// acquire calls acquireAgent and returns the acquired agent's externalId, "" for none.
func (e *env) acquire(schedule, device string) (string, *etree.Element) {
	e.t.Helper()
	r := e.call("acquireAgent", acquireReq(schedule, device))
	results := r.results()
	r.wantWarnings()
	switch len(results) {
	case 0:
		return "", nil
	case 1:
		return text(results[0], "agent/externalId"), results[0]
	}
	e.t.Fatalf("acquireAgent: %d results", len(results))
	return "", nil
}

// release calls releaseAgent for an agent state internalId.
func (e *env) release(id string) *etree.Element {
	e.t.Helper()
	return e.call("releaseAgent", "<cc:agentState><cc:internalId>"+id+"</cc:internalId></cc:agentState>").result()
}

// scheduledAgents makes users agents of the world's group in its schedule group and returns
// their agent state internalIds by user.
func (e *env) scheduledAgents(w world, initial string, users ...string) map[string]string {
	e.t.Helper()
	r := e.call("createAgents", userRefs(users...)+groupRef(w.group)+"<cc:initialState><cc:currentScheduleGroup><cc:internalId>"+
		w.schedule+"</cc:internalId></cc:currentScheduleGroup>"+initial+"</cc:initialState>")
	r.wantWarnings()
	ids := map[string]string{}
	for _, a := range r.results() {
		ids[text(a, "agent/externalId")] = text(a, "internalId")
	}
	return ids
}

// readyInOrder makes agents READY one after another, each in a later millisecond than the one
// before (as the service's own stateChanged shows it), so that they have been idle the longest
// in that order whatever their ids.
func (e *env) readyInOrder(ids ...string) {
	e.t.Helper()
	last := ""
	for _, id := range ids {
		for try := 0; ; try++ {
			changed := text(e.change(id, requestWS("READY")).result(), "stateChanged")
			if changed > last {
				last = changed
				break
			}
			if try == 1000 {
				e.t.Fatalf("stateChanged does not move past %s", last)
			}
			e.change(id, requestWS("NOT_READY")).ok()
		}
	}
}

func TestAcquireAgentIdleLongest(t *testing.T) {
	e := newEnv(t)
	w := e.mustWorld()
	e.mustUsers("acct", "", "u4")
	ids := e.scheduledAgents(w, "", "u1", "u2", "u3", "u4")
	if got, _ := e.acquire(w.schedule, ""); got != "" {
		t.Fatalf("no agent is READY, yet %s was acquired", got)
	}
	// u3, u1 and u4 become READY in that order; u2 stays NOT_READY.
	e.readyInOrder(ids["u3"], ids["u1"], ids["u4"])
	for _, want := range []string{"u3", "u1", "u4"} {
		got, a := e.acquire(w.schedule, "")
		if got != want {
			t.Fatalf("acquired %q, want %s", got, want)
		}
		if text(a, "currentContactState/state") != "RESERVED" || text(a, "currentWorkState") != "READY" ||
			text(a, "currentContactState/since") == "" || a.FindElement("currentContactState/device") != nil {
			t.Errorf("%s acquired as %s/%s", got, text(a, "currentWorkState"), text(a, "currentContactState/state"))
		}
		if text(e.agentOf(want), "currentContactState/state") != "RESERVED" {
			t.Errorf("%s is not shown RESERVED", want)
		}
	}
	if got, _ := e.acquire(w.schedule, ""); got != "" {
		t.Errorf("every READY agent is reserved, yet %s was acquired", got)
	}
	// Released, an agent is idle from then on: u1 (released first, and the lower id should
	// both releases land in one millisecond) before u4; released by the agent's user too.
	if a := e.release(ids["u1"]); text(a, "currentContactState/state") != "IDLE" || text(a, "currentWorkState") != "READY" {
		t.Errorf("released u1: %s/%s", text(a, "currentWorkState"), text(a, "currentContactState/state"))
	}
	e.call("releaseAgent", "<cc:agentState><cc:agent><cc:externalId>u4</cc:externalId></cc:agent></cc:agentState>").result()
	for _, want := range []string{"u1", "u4", ""} {
		if got, _ := e.acquire(w.schedule, ""); got != want {
			t.Errorf("after the releases acquired %q, want %q", got, want)
		}
	}
	// Releasing an IDLE agent returns its state unchanged.
	before := e.agentOf("u2")
	after := e.release(ids["u2"])
	if text(after, "currentContactState/state") != "IDLE" || text(after, "currentContactState/since") != text(before, "currentContactState/since") ||
		text(after, "stateChanged") != text(before, "stateChanged") || text(after, "currentWorkState") != "NOT_READY" {
		t.Errorf("releasing an idle agent changed it")
	}
}

func TestAcquireAgentDevice(t *testing.T) {
	e := newEnv(t)
	w := e.mustWorld()
	e.mustAccount("ent", "acct2")
	ids := e.scheduledAgents(w, "", "u1", "u2")
	e.readyInOrder(ids["u1"], ids["u2"])
	const device = "sip:alice@example.com"
	got, a := e.acquire(w.schedule, device)
	if got != "u1" || text(a, "currentContactState/state") != "CONNECTED" ||
		text(a, "currentContactState/device/externalId") != device || text(a, "currentContactState/device/directConnected") != "true" {
		t.Fatalf("acquired with a device: %s %s", got, text(a, "currentContactState/state"))
	}
	byDevice := func(orgRef string) *reply {
		return e.call("showAgentStateUsingDevice", "<cc:device><cc:externalId>"+device+"</cc:externalId></cc:device><cc:org>"+orgRef+"</cc:org>")
	}
	for _, orgRef := range []string{org("acct", ""), org("acct", "ent"), "<cc:internalId>" + w.account + "</cc:internalId>", org("ent", ""), "<cc:internalId>" + w.enterprise + "</cc:internalId>"} {
		found := byDevice(orgRef).result()
		if text(found, "internalId") != ids["u1"] || text(found, "currentContactState/state") != "CONNECTED" {
			t.Errorf("showAgentStateUsingDevice(%s): %s", orgRef, text(found, "agent/externalId"))
		}
	}
	// Another Account's device of that name is not connected.
	r := byDevice(org("acct2", ""))
	if n := len(r.results()); n != 0 {
		t.Errorf("found in acct2: %d results", n)
	}
	r.wantWarnings()
	// A second customer on the same schedule group gets u2.
	if got, _ := e.acquire(w.schedule, "+15557654321"); got != "u2" {
		t.Errorf("second acquire: %q", got)
	}
	// Released, the device is disconnected and no longer found.
	released := e.release(ids["u1"])
	if text(released, "currentContactState/state") != "IDLE" || released.FindElement("currentContactState/device") != nil {
		t.Errorf("released u1 is still connected")
	}
	for _, orgRef := range []string{org("acct", ""), org("ent", "")} {
		if n := len(byDevice(orgRef).results()); n != 0 {
			t.Errorf("showAgentStateUsingDevice(%s) after release: %d results", orgRef, n)
		}
	}
	// Acquiring again with the same device connects it again.
	if got, _ := e.acquire(w.schedule, device); got != "u1" || text(byDevice(org("ent", "")).result(), "internalId") != ids["u1"] {
		t.Errorf("reconnected %q", got)
	}

	show := func(inner string) *reply { return e.call("showAgentStateUsingDevice", inner) }
	dev := "<cc:device><cc:externalId>" + device + "</cc:externalId></cc:device>"
	show("<cc:org>"+org("acct", "")+"</cc:org>").fault("ARG_NULL", "device")
	show(dev).fault("ARG_NULL", "org")
	show("<cc:device/><cc:org>"+org("acct", "")+"</cc:org>").fault("ATTRIBUTE_NULL", "externalId")
	show("<cc:device><cc:internalId>dev-1</cc:internalId></cc:device><cc:org>"+org("acct", "")+"</cc:org>").fault("ATTRIBUTE_NULL", "externalId")
	show("<cc:device><cc:externalId>a b</cc:externalId></cc:device><cc:org>"+org("acct", "")+"</cc:org>").fault("ARG_INVALID_CHAR", "externalId")
	show(dev+"<cc:org><cc:internalId>"+w.group+"</cc:internalId></cc:org>").fault("ARG_INVALID_TYPE", "org")
	show(dev+"<cc:org><cc:internalId>"+w.schedule+"</cc:internalId></cc:org>").fault("ARG_INVALID_TYPE", "org")
	show(dev+"<cc:org>"+org("nope", "")+"</cc:org>").fault("OBJECT_NOT_EXISTS", "nope")
	show(dev+"<cc:org><cc:internalId>org-999</cc:internalId></cc:org>").fault("OBJECT_NOT_EXISTS", "org-999")
}

func TestAcquireAgentGroupNotActive(t *testing.T) {
	e := newEnv(t)
	w := e.mustWorld()
	ids := e.scheduledAgents(w, "<cc:currentWorkState>READY</cc:currentWorkState>", "u1")
	setState := func(state string) {
		e.call("changeAgentGroupState", "<cc:agentGroupState>"+groupRef(w.group)+"<cc:state>"+state+"</cc:state></cc:agentGroupState>").ok()
	}
	for _, state := range []string{"PAUSED", "STOPPED"} {
		setState(state)
		if got, _ := e.acquire(w.schedule, "+15557654321"); got != "" {
			t.Errorf("group %s: acquired %s", state, got)
		}
		if st := text(e.agentOf("u1"), "currentContactState/state"); st != "IDLE" {
			t.Errorf("group %s: u1 is %s", state, st)
		}
	}
	setState("ACTIVE")
	if got, a := e.acquire(w.schedule, ""); got != "u1" || text(a, "internalId") != ids["u1"] {
		t.Errorf("group ACTIVE again: acquired %q", got)
	}
}

func TestAcquireReleaseFaults(t *testing.T) {
	e := newEnv(t)
	w := e.mustWorld()
	e.scheduledAgents(w, "", "u1")
	for _, soap12 := range []bool{false, true} {
		e.soap12 = soap12
		acquire := func(inner string) *reply { return e.call("acquireAgent", inner) }
		acquire("").fault("ARG_NULL", "agentState")
		acquire("<cc:agentState/>").fault("ARG_NULL", "currentScheduleGroup")
		acquire(acquireReq(w.group, "")).fault("ARG_INVALID_TYPE", "currentScheduleGroup")
		acquire(acquireReq("sch-999", "")).fault("OBJECT_NOT_EXISTS", "sch-999")
		acquire("<cc:agentState><cc:currentScheduleGroup><cc:externalId>nope</cc:externalId></cc:currentScheduleGroup></cc:agentState>").fault("OBJECT_NOT_EXISTS", "nope")
		acquire("<cc:agentState><cc:currentScheduleGroup><cc:externalId>s g</cc:externalId></cc:currentScheduleGroup></cc:agentState>").fault("ARG_INVALID_CHAR", "externalId")
		acquire("<cc:agentState><cc:currentScheduleGroup><cc:internalId>"+w.schedule+"</cc:internalId></cc:currentScheduleGroup>"+
			"<cc:currentContactState><cc:device/></cc:currentContactState></cc:agentState>").fault("ARG_NULL", "device")
		acquire(acquireReq(w.schedule, "a b")).fault("ARG_INVALID_CHAR", "device")
		// RESULT_TOO_LARGE cannot happen: acquireAgent returns one agent at most.

		release := func(inner string) *reply { return e.call("releaseAgent", inner) }
		release("").fault("ARG_NULL", "agentState")
		release("<cc:agentState/>").fault("ARG_NULL", "internalId")
		release("<cc:agentState><cc:internalId>agt-999</cc:internalId></cc:agentState>").fault("OBJECT_NOT_EXISTS", "agt-999")
		release("<cc:agentState><cc:internalId>"+w.users[0]+"</cc:internalId></cc:agentState>").fault("ARG_INVALID_TYPE", "agentState")
		release("<cc:agentState><cc:agent><cc:externalId>u2</cc:externalId></cc:agent></cc:agentState>").fault("OBJECT_NOT_EXISTS", "u2")
		release("<cc:agentState><cc:agent><cc:externalId>zz</cc:externalId></cc:agent></cc:agentState>").fault("OBJECT_NOT_EXISTS", "zz")
		release("<cc:agentState><cc:agent><cc:internalId>"+w.group+"</cc:internalId></cc:agent></cc:agentState>").fault("ARG_INVALID_TYPE", "agent")
		release("<cc:agentState><cc:agent><cc:externalId>u/1</cc:externalId></cc:agent></cc:agentState>").fault("ARG_INVALID_CHAR", "externalId")
		// RESULT_TOO_LARGE cannot happen: releaseAgent returns one agent.
	}
}

// TestKeptRequestAppliedOnRelease checks that a work-state request made while the agent is
// not IDLE is kept, visible, and applied on release.
func TestKeptRequestAppliedOnRelease(t *testing.T) {
	e := newEnv(t)
	w := e.mustWorld()
	id := e.scheduledAgents(w, "<cc:currentWorkState>READY</cc:currentWorkState>", "u1")["u1"]
	kept := func(step string, a *etree.Element, ws, action string) {
		t.Helper()
		if text(a, "currentWorkState") != "READY" || text(a, "requestedWorkState") != ws || text(a, "requestedAction") != action {
			t.Errorf("%s: want READY with %q/%s kept, got %s with %q/%s", step, ws, action,
				text(a, "currentWorkState"), text(a, "requestedWorkState"), text(a, "requestedAction"))
		}
	}
	for i, c := range []struct {
		request, ws, action, after string
	}{
		{requestWS("BREAK"), "BREAK", "NONE", "BREAK"},
		{requestAction("LOGOUT"), "", "LOGOUT", "LOGGED_OUT"},
		{"<cc:agent><cc:loginEnabled>false</cc:loginEnabled></cc:agent>", "", "LOGOUT", "LOGGED_OUT"},
	} {
		if got, _ := e.acquire(w.schedule, "+15557654321"); got != "u1" {
			t.Fatalf("acquired %q", got)
		}
		kept(c.request, e.change(id, c.request).result(), c.ws, c.action)
		kept("shown", e.agentOf("u1"), c.ws, c.action)
		// A request the state does not allow is refused and keeps the kept one.
		e.change(id, requestAction("LOGIN")).fault("INVALID_STATE", "LOGIN")
		// What may change at once does.
		phone := fmt.Sprintf("+1555123%04d", i)
		if a := e.change(id, "<cc:currentPhoneNumber>"+phone+"</cc:currentPhoneNumber>").result(); text(a, "currentPhoneNumber") != phone {
			t.Errorf("phone not changed while CONNECTED")
		}
		kept("after other changes", e.agentOf("u1"), c.ws, c.action)
		a := e.release(id)
		wantState(t, "released after "+c.request, a, c.after)
		if text(a, "currentContactState/state") != "IDLE" || a.FindElement("currentContactState/device") != nil {
			t.Errorf("released: %s", text(a, "currentContactState/state"))
		}
		wantState(t, "shown after release", e.agentOf("u1"), c.after)
		if got, _ := e.acquire(w.schedule, ""); got != "" {
			t.Errorf("acquired %s, who is %s", got, c.after)
		}
		// Back to READY for the next case.
		e.change(id, "<cc:agent><cc:loginEnabled>true</cc:loginEnabled></cc:agent>").ok()
		if c.after == "LOGGED_OUT" {
			e.change(id, requestAction("LOGIN")).ok()
		}
		wantState(t, "ready again", e.change(id, requestWS("READY")).result(), "READY")
	}
}

// TestAcquireAgentConcurrently has many clients acquire agents of one schedule group at once:
// no agent is acquired twice and every available agent is acquired.
func TestAcquireAgentConcurrently(t *testing.T) {
	const agents, clients = 40, 48
	e := newEnv(t)
	w := e.mustWorld()
	var users []string
	for i := 0; i < agents; i++ {
		users = append(users, fmt.Sprintf("c%02d", i))
	}
	e.mustUsers("acct", "", users...)
	ids := e.scheduledAgents(w, "<cc:currentWorkState>READY</cc:currentWorkState>", users...)
	// u1 is READY but in no schedule group, so never acquired.
	e.mustAgents(w.group, "u1")
	e.change(text(e.agentOf("u1"), "internalId"), requestWS("READY")).ok()

	var mu sync.Mutex
	var acquired []string
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for {
				r := e.call("acquireAgent", acquireReq(w.schedule, fmt.Sprintf("+1555000%04d", i)))
				results := r.results()
				if len(results) == 0 {
					return
				}
				mu.Lock()
				acquired = append(acquired, text(results[0], "internalId"))
				mu.Unlock()
			}
		}()
	}
	close(start)
	wg.Wait()
	sort.Strings(acquired)
	var want []string
	for _, id := range ids {
		want = append(want, id)
	}
	sort.Strings(want)
	if !equal(acquired, want) {
		t.Errorf("acquired %d agents (%v), want each of the %d once", len(acquired), acquired, len(want))
	}
	if got := groupCounts(e.call("showAgentGroupState", groupRef(w.group)).result()); got[3] != fmt.Sprint(agents) {
		t.Errorf("busyCount %s, want %d", got[3], agents)
	}
}
