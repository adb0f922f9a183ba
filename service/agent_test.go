package service_test

import (
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/engage-oss/engage/provisioning"
)

// userRefs writes one <cc:agents> User reference by externalId per id.
func userRefs(ids ...string) string {
	var b strings.Builder
	for _, id := range ids {
		b.WriteString("<cc:agents><cc:externalId>" + id + "</cc:externalId></cc:agents>")
	}
	return b.String()
}

// groupRef writes the agentGroup parameter by internalId.
func groupRef(id string) string {
	return "<cc:agentGroup><cc:internalId>" + id + "</cc:internalId></cc:agentGroup>"
}

// mustAgents makes users of the world's Account agents of a group and returns their agent
// state internalIds, in order.
func (e *env) mustAgents(group string, users ...string) []string {
	e.t.Helper()
	r := e.call("createAgents", userRefs(users...)+groupRef(group))
	if w := r.warnings(); len(w) > 0 {
		e.t.Fatalf("createAgents: %+v", w)
	}
	var ids []string
	for _, a := range r.results() {
		ids = append(ids, text(a, "internalId"))
	}
	if len(ids) != len(users) {
		e.t.Fatalf("createAgents: %d results for %d users", len(ids), len(users))
	}
	return ids
}

// agentOf returns the state of the agent a user (by externalId) is.
func (e *env) agentOf(user string) *etree.Element {
	e.t.Helper()
	return e.call("showAgentStateUsingUser", "<cc:agent><cc:externalId>"+user+"</cc:externalId></cc:agent>").result()
}

// agentUsers returns the agent externalIds of AgentState elements, in order.
func agentUsers(states []*etree.Element) []string {
	out := []string{}
	for _, s := range states {
		out = append(out, text(s, "agent/externalId"))
	}
	return out
}

// listGroup returns the agent externalIds listAgentStatesUsingEntity gives for a group.
func (e *env) listGroup(group string) []string {
	e.t.Helper()
	return agentUsers(e.call("listAgentStatesUsingEntity", "<cc:baseEntity><cc:internalId>"+group+"</cc:internalId></cc:baseEntity>").results())
}

func equal(a, b []string) bool { return strings.Join(a, "|") == strings.Join(b, "|") }

func TestCreateAgentsPartialSuccess(t *testing.T) {
	e := newEnv(t)
	w := e.mustWorld()
	e.mustUsers("acct", "SUPERVISOR", "sup")
	e.mustAccount("ent", "acct2")
	e.mustUsers("acct2", "", "x1")
	r := e.call("createAgents", userRefs("u3", "zz", "sup", "u1", "u3", "u 1")+
		"<cc:agents><cc:internalId>"+w.group+"</cc:internalId></cc:agents>"+
		"<cc:agents><cc:internalId>"+w.users[1]+"</cc:internalId><cc:externalId>u3</cc:externalId></cc:agents>"+
		"<cc:agents>"+org("x1", "acct2")+"</cc:agents>"+
		"<cc:agents/>"+
		"<cc:agents><cc:internalId>"+w.users[1]+"</cc:internalId></cc:agents>"+
		userRefs(strings.Repeat("u", 65))+groupRef(w.group))
	results := r.results()
	if got := agentUsers(results); !equal(got, []string{"u3", "u1", "u2"}) {
		t.Fatalf("results %v, want u3 u1 u2 (request order)", got)
	}
	r.wantWarnings(
		warning{Index: 1, Code: "OBJECT_NOT_EXISTS", Argument: "zz"},
		warning{Index: 2, Code: "INVALID_OBJECT_TYPE", Argument: "sup"},
		warning{Index: 4, Code: "OBJECT_EXISTS", Argument: "u3"},
		warning{Index: 5, Code: "ARG_INVALID_CHAR", Argument: "externalId"},
		warning{Index: 6, Code: "ARG_INVALID_TYPE", Argument: "agents"},
		warning{Index: 7, Code: "ARG_INVALID_DATA", Argument: "u3"},
		warning{Index: 8, Code: "OBJECT_NOT_EXISTS", Argument: "x1"},
		warning{Index: 9, Code: "ATTRIBUTE_NULL", Argument: "externalId"},
		warning{Index: 11, Code: "ARG_TOO_LARGE", Argument: "externalId"},
	)
	for i, a := range results {
		if !strings.HasPrefix(text(a, "internalId"), "agt-") || text(a, "agentGroup/internalId") != w.group ||
			text(a, "currentWorkState") != "NOT_READY" || text(a, "requestedAction") != "NONE" ||
			text(a, "currentContactState/state") != "IDLE" || a.FindElement("currentPhoneNumber") == nil {
			t.Errorf("result %d: %s", i, r.raw)
		}
	}
	shown := e.agentOf("u2")
	if text(shown, "internalId") != text(results[2], "internalId") || text(shown, "agent/internalId") != w.users[1] {
		t.Errorf("showAgentStateUsingUser(u2) is not the created agent")
	}
	if got := e.listGroup(w.group); !equal(got, []string{"u1", "u2", "u3"}) {
		t.Errorf("agents of the group: %v", got)
	}
}

func TestCreateAgentsFaults(t *testing.T) {
	e := newEnv(t, func(l *provisioning.Limits) { l.ItemsPerCall = 3 })
	w := e.mustWorld()
	other := e.mustAgentGroup("acct", "ag2", "")
	otherSchedule := e.mustScheduleGroup(other, "sg2")
	u1 := userRefs("u1")
	for _, soap12 := range []bool{false, true} {
		e.soap12 = soap12
		e.call("createAgents", groupRef(w.group)).fault("ARG_NULL", "agents")
		e.call("createAgents", u1).fault("ARG_NULL", "agentGroup")
		e.call("createAgents", userRefs("u1", "u2", "u3", "u1")+groupRef(w.group)).fault("ARG_TOO_LARGE", "agents")
		e.call("createAgents", u1+"<cc:agentGroup><cc:externalId>nope</cc:externalId></cc:agentGroup>").fault("OBJECT_NOT_EXISTS", "nope")
		e.call("createAgents", u1+groupRef("agp-999")).fault("OBJECT_NOT_EXISTS", "agp-999")
		e.call("createAgents", u1+groupRef(w.account)).fault("ARG_INVALID_TYPE", "agentGroup")
		e.call("createAgents", u1+"<cc:agentGroup><cc:externalId>a/g</cc:externalId></cc:agentGroup>").fault("ARG_INVALID_CHAR", "externalId")
		e.call("createAgents", u1+"<cc:agentGroup/>").fault("ATTRIBUTE_NULL", "externalId")
		state := func(inner string) string {
			return u1 + groupRef(w.group) + "<cc:initialState>" + inner + "</cc:initialState>"
		}
		e.call("createAgents", state("<cc:currentWorkState>SLEEPING</cc:currentWorkState>")).fault("ARG_INVALID_DATA", "currentWorkState")
		e.call("createAgents", state("<cc:currentScheduleGroup><cc:internalId>"+otherSchedule+"</cc:internalId></cc:currentScheduleGroup>")).fault("ARG_INVALID_DATA", "currentScheduleGroup")
		e.call("createAgents", state("<cc:currentScheduleGroup><cc:externalId>sg2</cc:externalId></cc:currentScheduleGroup>")).fault("OBJECT_NOT_EXISTS", "sg2")
		e.call("createAgents", state("<cc:currentPhoneNumber>5551230001</cc:currentPhoneNumber>")).fault("ARG_INVALID_DATA", "currentPhoneNumber")
		e.call("createAgents", state("<cc:agent><cc:attribute><cc:name>registrationMethod</cc:name><cc:value>FAX</cc:value></cc:attribute></cc:agent>")).fault("ARG_INVALID_DATA", "registrationMethod")
	}
	if got := e.listGroup(w.group); len(got) != 0 {
		t.Errorf("failed calls created agents %v", got)
	}
}

func TestCreateAgentsInitialState(t *testing.T) {
	e := newEnv(t)
	w := e.mustWorld()
	// Another agent group with a schedule group of the same externalId: the call's group
	// decides which one "sg" is.
	other := e.mustAgentGroup("acct", "ag2", "")
	e.mustScheduleGroup(other, "sg")
	e.call("createUsers", "<cc:users><cc:externalId>off</cc:externalId><cc:parent><cc:externalId>acct</cc:externalId></cc:parent><cc:loginEnabled>false</cc:loginEnabled></cc:users>").result()
	r := e.call("createAgents", userRefs("u1", "u2", "off")+groupRef(w.group)+
		"<cc:initialState><cc:agent><cc:attribute><cc:name>registrationMethod</cc:name><cc:value>SIP</cc:value></cc:attribute></cc:agent>"+
		"<cc:currentScheduleGroup><cc:externalId>sg</cc:externalId></cc:currentScheduleGroup>"+
		"<cc:currentWorkState>READY</cc:currentWorkState><cc:currentPhoneNumber>+15551230001</cc:currentPhoneNumber></cc:initialState>")
	results := r.results()
	// The initial phone number is one agent's: the items after the first to take it fail.
	r.wantWarnings(
		warning{Index: 1, Code: "OBJECT_EXISTS", Argument: "+15551230001"},
		warning{Index: 2, Code: "OBJECT_EXISTS", Argument: "+15551230001"},
	)
	if got := agentUsers(results); !equal(got, []string{"u1"}) {
		t.Fatalf("results %v", got)
	}
	a := results[0]
	if text(a, "currentWorkState") != "READY" || text(a, "currentScheduleGroup/internalId") != w.schedule ||
		text(a, "currentPhoneNumber") != "+15551230001" || text(a, "agent/attribute[name='registrationMethod']/value") != "SIP" {
		t.Errorf("initial state not applied: %s", r.raw)
	}
	// Without a phone number the user who may not log in is created LOGGED_OUT.
	a = e.call("createAgents", userRefs("u2", "off")+groupRef(w.group)+"<cc:initialState><cc:currentWorkState>BREAK</cc:currentWorkState></cc:initialState>").results()[1]
	if text(a, "currentWorkState") != "LOGGED_OUT" || text(a, "agent/loginEnabled") != "false" {
		t.Errorf("agent of a user with loginEnabled=false: %v %v", text(a, "currentWorkState"), text(a, "agent/loginEnabled"))
	}
	if text(e.agentOf("u2"), "currentWorkState") != "BREAK" {
		t.Errorf("u2 is not on BREAK")
	}
	// Without initialState, the group's initialWorkState.
	ready := e.mustAgentGroup("acct", "agr", "<cc:initialWorkState>READY</cc:initialWorkState>")
	e.mustAgents(ready, "u3")
	if text(e.agentOf("u3"), "currentWorkState") != "READY" {
		t.Errorf("u3 did not start in its group's initialWorkState")
	}
}

// TestCreateAgentsTwice sends the same batch twice: the second time creates nothing and warns
// OBJECT_EXISTS for each item.
func TestCreateAgentsTwice(t *testing.T) {
	e := newEnv(t)
	w := e.mustWorld()
	batch := userRefs("u1", "u2", "u3") + groupRef(w.group)
	first := e.call("createAgents", batch).results()
	second := e.call("createAgents", batch)
	if n := len(second.results()); n != 0 {
		t.Errorf("second createAgents created %d agents", n)
	}
	second.wantWarnings(
		warning{Index: 0, Code: "OBJECT_EXISTS", Argument: "u1"},
		warning{Index: 1, Code: "OBJECT_EXISTS", Argument: "u2"},
		warning{Index: 2, Code: "OBJECT_EXISTS", Argument: "u3"},
	)
	for i, u := range []string{"u1", "u2", "u3"} {
		if text(e.agentOf(u), "internalId") != text(first[i], "internalId") {
			t.Errorf("%s changed its agent state", u)
		}
	}
	if got := e.listGroup(w.group); len(got) != 3 {
		t.Errorf("agents after the second call: %v", got)
	}
}

func TestCreateAgentsSystemLimit(t *testing.T) {
	e := newEnv(t, func(l *provisioning.Limits) { l.AgentsPerAccount = 2 })
	w := e.mustWorld()
	e.mustUsers("acct", "", "u4")
	r := e.call("createAgents", userRefs("u1", "zz", "u2", "u3")+groupRef(w.group))
	if got := agentUsers(r.results()); !equal(got, []string{"u1", "u2"}) {
		t.Fatalf("results %v", got)
	}
	r.wantWarnings(
		warning{Index: 1, Code: "OBJECT_NOT_EXISTS", Argument: "zz"},
		warning{Index: 3, Code: "SYSTEM_LIMIT_EXCEEDED", Argument: "agents"},
	)
	// The limit is the Account's, whatever the group; an existing agent is still OBJECT_EXISTS.
	other := e.mustAgentGroup("acct", "ag2", "")
	e.call("createAgents", userRefs("u3", "u1")+groupRef(other)).wantWarnings(
		warning{Index: 0, Code: "SYSTEM_LIMIT_EXCEEDED", Argument: "agents"},
		warning{Index: 1, Code: "OBJECT_EXISTS", Argument: "u1"},
	)
	e.call("createAgentsUsingString", "<cc:agents>u3\nu4</cc:agents>"+groupRef(other)).wantWarnings(
		warning{Index: 0, Code: "SYSTEM_LIMIT_EXCEEDED", Argument: "agents"},
		warning{Index: 1, Code: "SYSTEM_LIMIT_EXCEEDED", Argument: "agents"},
	)
	// Deleting an agent makes room for one.
	e.call("deleteAgents", userRefs("u1")).ok()
	r = e.call("createAgents", userRefs("u3", "u4")+groupRef(other))
	if got := agentUsers(r.results()); !equal(got, []string{"u3"}) {
		t.Errorf("after a delete: %v", got)
	}
	r.wantWarnings(warning{Index: 1, Code: "SYSTEM_LIMIT_EXCEEDED", Argument: "agents"})
}

func TestDeleteAgents(t *testing.T) {
	e := newEnv(t, func(l *provisioning.Limits) { l.ItemsPerCall = 5 })
	w := e.mustWorld()
	ids := e.mustAgents(w.group, "u1", "u2")
	r := e.call("deleteAgents", userRefs("u1", "u3", "zz")+
		"<cc:agents><cc:internalId>"+w.users[1]+"</cc:internalId></cc:agents>"+userRefs("u1"))
	if n := len(r.results()); n != 0 {
		t.Errorf("deleteAgents returned %d results", n)
	}
	r.wantWarnings(
		warning{Index: 1, Code: "OBJECT_NOT_EXISTS", Argument: "u3"}, // a user, not an agent
		warning{Index: 2, Code: "OBJECT_NOT_EXISTS", Argument: "zz"},
		warning{Index: 4, Code: "OBJECT_NOT_EXISTS", Argument: "u1"}, // deleted by item 0
	)
	e.call("showAgentStateUsingUser", "<cc:agent><cc:externalId>u1</cc:externalId></cc:agent>").fault("OBJECT_NOT_EXISTS", "u1")
	if got := e.listGroup(w.group); len(got) != 0 {
		t.Errorf("agents left: %v", got)
	}
	// The users stay, and may become agents again, under a new internalId.
	e.call("showUser", "<cc:user><cc:externalId>u1</cc:externalId></cc:user>").result()
	again := e.mustAgents(w.group, "u1")
	if again[0] == ids[0] || again[0] == ids[1] {
		t.Errorf("internalId %s reused", again[0])
	}
	e.call("deleteAgents", "").fault("ARG_NULL", "agents")
	e.call("deleteAgents", userRefs("u1", "u2", "u3", "u1", "u2", "u3")).fault("ARG_TOO_LARGE", "agents")
	if got := e.listGroup(w.group); !equal(got, []string{"u1"}) {
		t.Errorf("a refused call deleted agents: %v", got)
	}
}

func TestShowAgentStateUsingUser(t *testing.T) {
	e := newEnv(t)
	w := e.mustWorld()
	id := e.mustAgents(w.group, "u1")[0]
	for _, ref := range []string{
		"<cc:externalId>u1</cc:externalId>",
		"<cc:internalId>" + w.users[0] + "</cc:internalId>",
		org("u1", "acct"),
	} {
		a := e.call("showAgentStateUsingUser", "<cc:agent>"+ref+"</cc:agent>").result()
		if text(a, "internalId") != id || text(a, "agent/externalId") != "u1" || text(a, "agent/loginEnabled") != "true" {
			t.Errorf("showAgentStateUsingUser(%s): %v", ref, text(a, "internalId"))
		}
	}
	show := func(inner string) *reply { return e.call("showAgentStateUsingUser", inner) }
	show("").fault("ARG_NULL", "agent")
	show("<cc:agent><cc:externalId>zz</cc:externalId></cc:agent>").fault("OBJECT_NOT_EXISTS", "zz")
	show("<cc:agent><cc:externalId>u2</cc:externalId></cc:agent>").fault("OBJECT_NOT_EXISTS", "u2")
	show("<cc:agent><cc:internalId>usr-999</cc:internalId></cc:agent>").fault("OBJECT_NOT_EXISTS", "usr-999")
	show("<cc:agent><cc:internalId>"+w.group+"</cc:internalId></cc:agent>").fault("ARG_INVALID_TYPE", "agent")
	show("<cc:agent><cc:externalId>u(1)</cc:externalId></cc:agent>").fault("ARG_INVALID_CHAR", "externalId")
	show("<cc:agent/>").fault("ATTRIBUTE_NULL", "externalId")
}

// TestCreateAgentsSameUserTwice names a user twice in one batch: an item that fails leaves
// nothing of itself behind for the next item naming the same user, and once the user is an
// agent a later item is OBJECT_EXISTS and changes nothing.
func TestCreateAgentsSameUserTwice(t *testing.T) {
	e := newEnv(t)
	w := e.mustWorld()
	e.call("createAgentsUsingString", "<cc:agents>u2,+15550000001</cc:agents>"+groupRef(w.group)).ok()
	r := e.call("createAgentsUsingString", "<cc:agents>u1,+15550000001,SIP\nu1,,WEBRTC\nu1,,PHONE</cc:agents>"+groupRef(w.group))
	r.wantWarnings(
		warning{Index: 0, Code: "OBJECT_EXISTS", Argument: "+15550000001"},
		warning{Index: 2, Code: "OBJECT_EXISTS", Argument: "u1"},
	)
	if got := agentUsers(r.results()); !equal(got, []string{"u1"}) {
		t.Fatalf("results %v", got)
	}
	user := e.call("showUser", "<cc:user><cc:externalId>u1</cc:externalId></cc:user>").result()
	if got := text(user, "attribute/value"); got != "WEBRTC" {
		t.Errorf("u1's registrationMethod = %q, want the created item's WEBRTC", got)
	}
}
