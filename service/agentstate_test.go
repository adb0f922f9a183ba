package service_test

import (
	"testing"

	"github.com/beevik/etree"

	"github.com/engage-oss/engage/provisioning"
)

// change calls changeAgentState for the agent state internalId id with more of its XML.
func (e *env) change(id, inner string) *reply {
	e.t.Helper()
	return e.call("changeAgentState", "<cc:agentState><cc:internalId>"+id+"</cc:internalId>"+inner+"</cc:agentState>")
}

// requestWS and requestAction write a requested work state and a requested action.
func requestWS(ws string) string { return "<cc:requestedWorkState>" + ws + "</cc:requestedWorkState>" }
func requestAction(a string) string {
	return "<cc:requestedAction>" + a + "</cc:requestedAction>"
}

// wantState asserts an agent state's current work state and that no request is kept.
func wantState(t *testing.T, step string, a *etree.Element, ws string) {
	t.Helper()
	if text(a, "currentWorkState") != ws || text(a, "requestedAction") != "NONE" || a.FindElement("requestedWorkState") != nil {
		t.Errorf("%s: want %s and nothing kept, got %s/%s/%s", step, ws, text(a, "currentWorkState"), text(a, "requestedAction"), text(a, "requestedWorkState"))
	}
}

func TestChangeAgentStateMachine(t *testing.T) {
	e := newEnv(t)
	w := e.mustWorld()
	ids := e.mustAgents(w.group, "u1")
	id := ids[0]
	e.change(id, requestAction("LOGOUT")).ok()
	before := e.agentOf("u1")
	wantState(t, "created then logged out", before, "LOGGED_OUT")

	// Not allowed while LOGGED_OUT; nothing changes, not even what could change.
	e.change(id, requestWS("READY")).fault("INVALID_STATE", "READY")
	e.change(id, requestAction("LOGOUT")).fault("INVALID_STATE", "LOGOUT")
	e.change(id, "<cc:currentPhoneNumber>+15551230001</cc:currentPhoneNumber>"+requestWS("BREAK")).fault("INVALID_STATE", "BREAK")
	after := e.agentOf("u1")
	if text(after, "stateChanged") != text(before, "stateChanged") || text(after, "currentPhoneNumber") != "" {
		t.Errorf("a refused change changed the agent: %s", text(after, "currentPhoneNumber"))
	}
	wantState(t, "after refused changes", after, "LOGGED_OUT")

	// LOGIN goes to the group's initialWorkState (NOT_READY by default).
	wantState(t, "LOGIN", e.change(id, requestAction("LOGIN")).result(), "NOT_READY")
	e.change(id, requestAction("LOGIN")).fault("INVALID_STATE", "LOGIN")
	for _, ws := range []string{"READY", "BREAK", "NOT_READY", "BREAK", "READY", "NOT_READY", "READY"} {
		wantState(t, "to "+ws, e.change(id, requestWS(ws)).result(), ws)
	}
	e.change(id, requestWS("LOGGED_OUT")).fault("INVALID_STATE", "LOGGED_OUT")
	e.change(id, requestAction("LOGOUT")+requestWS("BREAK")).fault("INVALID_STATE", "LOGOUT")
	wantState(t, "still", e.agentOf("u1"), "READY")
	wantState(t, "LOGOUT", e.change(id, requestAction("LOGOUT")).result(), "LOGGED_OUT")
	// LOGIN with a work state: logged in, then moved.
	wantState(t, "LOGIN+BREAK", e.change(id, requestAction("LOGIN")+requestWS("BREAK")).result(), "BREAK")

	// loginEnabled=false logs the agent out: a work state asked with it cannot be had.
	e.change(id, "<cc:agent><cc:loginEnabled>false</cc:loginEnabled></cc:agent>"+requestWS("READY")).fault("INVALID_STATE", "READY")
	if a := e.agentOf("u1"); text(a, "agent/loginEnabled") != "true" {
		t.Errorf("a refused change stored loginEnabled=false")
	}
	wantState(t, "after refused loginEnabled=false", e.agentOf("u1"), "BREAK")
	// LOGIN then needs loginEnabled back.
	off := e.change(id, "<cc:agent><cc:loginEnabled>false</cc:loginEnabled></cc:agent>").result()
	wantState(t, "loginEnabled=false", off, "LOGGED_OUT")
	if text(off, "agent/loginEnabled") != "false" {
		t.Errorf("loginEnabled not stored")
	}
	e.change(id, requestAction("LOGIN")).fault("INVALID_STATE", "LOGIN")
	on := e.change(id, "<cc:agent><cc:loginEnabled>true</cc:loginEnabled></cc:agent>"+requestAction("LOGIN")).result()
	wantState(t, "loginEnabled=true and LOGIN", on, "NOT_READY")
	// A request that is not one of the enumeration's values.
	e.change(id, requestAction("JUMP")).fault("ATTRIBUTE_INVALID_DATA", "requestedAction")
	e.change(id, requestWS("ASLEEP")).fault("ATTRIBUTE_INVALID_DATA", "requestedWorkState")

	// A group whose initialWorkState is READY.
	ready := e.mustAgentGroup("acct", "agr", "<cc:initialWorkState>READY</cc:initialWorkState>")
	id2 := e.mustAgents(ready, "u2")[0]
	e.change(id2, requestAction("LOGOUT")).ok()
	wantState(t, "LOGIN into a READY group", e.change(id2, requestAction("LOGIN")).result(), "READY")
}

func TestChangeAgentStateFields(t *testing.T) {
	e := newEnv(t)
	w := e.mustWorld()
	other := e.mustAgentGroup("acct", "ag2", "")
	e.mustUsers("acct", "", "u4")
	e.call("createUsers", "<cc:users><cc:externalId>ann</cc:externalId><cc:parent><cc:externalId>acct</cc:externalId></cc:parent>"+
		"<cc:firstName>Ann</cc:firstName><cc:attribute><cc:name>team</cc:name><cc:value>red</cc:value></cc:attribute></cc:users>").result()
	ids := e.mustAgents(w.group, "u1", "u2", "ann")
	id := ids[0]

	a := e.change(id, "<cc:agent><cc:attribute><cc:name>registrationMethod</cc:name><cc:value>SIP</cc:value></cc:attribute></cc:agent>"+
		"<cc:currentPhoneNumber>+15551230001</cc:currentPhoneNumber>").result()
	if text(a, "agent/attribute[name='registrationMethod']/value") != "SIP" || text(a, "currentPhoneNumber") != "+15551230001" {
		t.Errorf("registrationMethod and phone not changed: %v", text(a, "currentPhoneNumber"))
	}
	// The same phone number again is no change; another agent's is OBJECT_EXISTS.
	e.change(id, "<cc:currentPhoneNumber>+15551230001</cc:currentPhoneNumber>").ok()
	e.change(ids[1], "<cc:currentPhoneNumber>+15551230001</cc:currentPhoneNumber>").fault("OBJECT_EXISTS", "+15551230001")
	e.change(ids[1], "<cc:currentPhoneNumber>15551230002</cc:currentPhoneNumber>").fault("ATTRIBUTE_INVALID_DATA", "currentPhoneNumber")
	e.change(id, "<cc:agent><cc:attribute><cc:name>registrationMethod</cc:name><cc:value>FAX</cc:value></cc:attribute></cc:agent>").fault("ATTRIBUTE_INVALID_DATA", "registrationMethod")
	e.change(id, "<cc:agent><cc:loginEnabled>maybe</cc:loginEnabled></cc:agent>").fault("ATTRIBUTE_INVALID_DATA", "loginEnabled")
	if text(e.agentOf("u2"), "currentPhoneNumber") != "" {
		t.Errorf("u2 took u1's phone number")
	}

	// Any other field that differs from the stored value is refused, naming it.
	for _, c := range []struct{ inner, name string }{
		{"<cc:agent><cc:externalId>u2</cc:externalId></cc:agent>", "agent"},
		{"<cc:agent><cc:internalId>" + w.users[1] + "</cc:internalId></cc:agent>", "agent"},
		{"<cc:agent><cc:type>SUPERVISOR</cc:type></cc:agent>", "type"},
		{"<cc:agent><cc:firstName>Bob</cc:firstName></cc:agent>", "firstName"},
		{"<cc:agent><cc:lastName>Smith</cc:lastName></cc:agent>", "lastName"},
		{"<cc:agent><cc:email>a@example.com</cc:email></cc:agent>", "email"},
		{"<cc:agent><cc:attribute><cc:name>team</cc:name><cc:value>red</cc:value></cc:attribute></cc:agent>", "team"},
		{groupRef(other), "agentGroup"},
		{"<cc:currentScheduleGroup><cc:internalId>" + w.schedule + "</cc:internalId></cc:currentScheduleGroup>", "currentScheduleGroup"},
		{"<cc:currentWorkState>READY</cc:currentWorkState>", "currentWorkState"},
		{"<cc:currentContactState><cc:state>RESERVED</cc:state></cc:currentContactState>", "currentContactState"},
		{"<cc:currentContactState><cc:state>IDLE</cc:state><cc:device><cc:externalId>+15550000001</cc:externalId></cc:device></cc:currentContactState>", "device"},
	} {
		e.change(id, c.inner+requestWS("READY")).fault("ATTRIBUTE_INVALID_DATA", c.name)
	}
	wantState(t, "after refused changes", e.agentOf("u1"), "NOT_READY")
	// ann's own firstName and team, sent back unchanged, are no change.
	e.change(ids[2], "<cc:agent><cc:externalId>ann</cc:externalId><cc:firstName>Ann</cc:firstName>"+
		"<cc:attribute><cc:name>team</cc:name><cc:value>red</cc:value></cc:attribute></cc:agent>").ok()
	e.change(ids[2], "<cc:agent><cc:attribute><cc:name>team</cc:name><cc:value>blue</cc:value></cc:attribute></cc:agent>").fault("ATTRIBUTE_INVALID_DATA", "team")

	// The state as shown, sent back with a request, is accepted.
	shown := e.agentOf("u1")
	shown.RemoveChildAt(shown.FindElement("stateChanged").Index())
	for _, el := range shown.FindElements("//*") {
		el.Space = "cc"
	}
	shown.CreateElement("requestedWorkState").SetText("BREAK")
	doc := etree.NewDocument()
	doc.SetRoot(shown)
	inner, err := doc.WriteToString()
	if err != nil {
		t.Fatal(err)
	}
	r := e.call("changeAgentState", "<cc:agentState"+inner[len("<cc:result"):len(inner)-len("</cc:result>")]+"</cc:agentState>")
	wantState(t, "the shown state sent back", r.result(), "BREAK")

	change := func(inner string) *reply { return e.call("changeAgentState", inner) }
	change("").fault("ARG_NULL", "agentState")
	change("<cc:agentState>"+requestWS("READY")+"</cc:agentState>").fault("ARG_NULL", "internalId")
	e.change("agt-999", requestWS("READY")).fault("OBJECT_NOT_EXISTS", "agt-999")
	e.change("agt-x", requestWS("READY")).fault("OBJECT_NOT_EXISTS", "agt-x")
	e.change(w.users[0], requestWS("READY")).fault("ARG_INVALID_TYPE", "agentState")
}

// groupCounts returns the counts of an AgentGroupState.
func groupCounts(s *etree.Element) [5]string {
	return [5]string{text(s, "agentCount"), text(s, "loggedInCount"), text(s, "readyCount"), text(s, "busyCount"), text(s, "breakCount")}
}

func TestAgentGroupStateCounts(t *testing.T) {
	e := newEnv(t)
	w := e.mustWorld()
	other := e.mustAgentGroup("acct", "ag2", "")
	e.mustUsers("acct", "", "u4", "u5")
	show := func() [5]string {
		return groupCounts(e.call("showAgentGroupState", groupRef(w.group)).result())
	}
	if got := show(); got != [5]string{"0", "0", "0", "0", "0"} {
		t.Errorf("no agents: %v", got)
	}
	r := e.call("createAgents", userRefs("u1", "u2", "u3", "u4")+groupRef(w.group)+
		"<cc:initialState><cc:currentScheduleGroup><cc:internalId>"+w.schedule+"</cc:internalId></cc:currentScheduleGroup></cc:initialState>")
	ids := []string{}
	for _, a := range r.results() {
		ids = append(ids, text(a, "internalId"))
	}
	e.mustAgents(other, "u5")
	e.change(ids[0], requestAction("LOGOUT")).ok()
	e.change(ids[2], requestWS("READY")).ok()
	e.change(ids[3], requestWS("BREAK")).ok()
	// u1 LOGGED_OUT, u2 NOT_READY, u3 READY, u4 BREAK.
	if got := show(); got != [5]string{"4", "3", "1", "0", "1"} {
		t.Errorf("agentCount, loggedInCount, readyCount, busyCount, breakCount: %v", got)
	}
	// u3 acquired: busy, and still READY as a work state.
	acquired := e.call("acquireAgent", "<cc:agentState><cc:currentScheduleGroup><cc:internalId>"+w.schedule+"</cc:internalId></cc:currentScheduleGroup></cc:agentState>").result()
	if text(acquired, "internalId") != ids[2] {
		t.Fatalf("acquired %s, want u3", text(acquired, "agent/externalId"))
	}
	if got := show(); got != [5]string{"4", "3", "1", "1", "1"} {
		t.Errorf("with u3 acquired: %v", got)
	}
	e.change(ids[3], requestWS("READY")).ok()
	e.change(ids[0], requestAction("LOGIN")).ok()
	if got := show(); got != [5]string{"4", "4", "2", "1", "0"} {
		t.Errorf("u4 READY, u1 logged in: %v", got)
	}
	e.call("releaseAgent", "<cc:agentState><cc:internalId>"+ids[2]+"</cc:internalId></cc:agentState>").ok()
	e.call("deleteAgents", userRefs("u2")).ok()
	if got := show(); got != [5]string{"3", "3", "2", "0", "0"} {
		t.Errorf("u3 released, u2 deleted: %v", got)
	}

	// listAgentGroupStates: the Account's groups by externalId, each with its counts.
	states := e.call("listAgentGroupStates", "<cc:org><cc:internalId>"+w.account+"</cc:internalId></cc:org>").results()
	if len(states) != 2 || text(states[0], "agentGroup/externalId") != "ag" || text(states[1], "agentGroup/externalId") != "ag2" {
		t.Fatalf("listAgentGroupStates: %d states", len(states))
	}
	if got := groupCounts(states[0]); got != [5]string{"3", "3", "2", "0", "0"} {
		t.Errorf("ag in the list: %v", got)
	}
	if got := groupCounts(states[1]); got != [5]string{"1", "1", "0", "0", "0"} {
		t.Errorf("ag2 in the list: %v", got)
	}
	one := e.call("listAgentGroupStates", "<cc:org><cc:internalId>"+other+"</cc:internalId></cc:org>").result()
	if got := groupCounts(one); text(one, "agentGroup/externalId") != "ag2" || got != [5]string{"1", "1", "0", "0", "0"} {
		t.Errorf("listAgentGroupStates(ag2): %v", got)
	}
}

func TestListAgentStatesUsingEntity(t *testing.T) {
	e := newEnv(t, func(l *provisioning.Limits) { l.ResultsPerList = 3 })
	w := e.mustWorld()
	other := e.mustAgentGroup("acct", "ag2", "")
	e.mustUsers("acct", "", "b2", "a2", "B1", "a10")
	e.mustAgents(w.group, "b2", "a10")
	e.mustAgents(other, "a2", "B1")
	list := func(entity string) *reply {
		return e.call("listAgentStatesUsingEntity", "<cc:baseEntity>"+entity+"</cc:baseEntity>")
	}
	id := func(internalID string) string { return "<cc:internalId>" + internalID + "</cc:internalId>" }
	typed := func(externalID, typ string) string {
		return "<cc:externalId>" + externalID + "</cc:externalId><cc:type>" + typ + "</cc:type>"
	}
	for _, c := range []struct {
		entity string
		want   []string
	}{
		{id(w.group), []string{"a10", "b2"}},
		{typed("ag2", "AGENT_GROUP"), []string{"B1", "a2"}},
		{org("ag", "acct"), []string{"a10", "b2"}},
		{"<cc:externalId>ag2</cc:externalId>", []string{"B1", "a2"}},
	} {
		if got := agentUsers(list(c.entity).results()); !equal(got, c.want) {
			t.Errorf("listAgentStatesUsingEntity(%s): %v, want %v", c.entity, got, c.want)
		}
	}
	// The Account has 4 agents, over the limit of 3.
	for _, entity := range []string{id(w.account), typed("acct", "ACCOUNT"), org("acct", "ent"), "<cc:externalId>acct</cc:externalId>"} {
		list(entity).fault("RESULT_TOO_LARGE", "baseEntity")
	}
	e.call("deleteAgents", userRefs("b2")).ok()
	for _, entity := range []string{id(w.account), typed("acct", "ACCOUNT"), org("acct", "ent"), "<cc:externalId>acct</cc:externalId>"} {
		if got := agentUsers(list(entity).results()); !equal(got, []string{"B1", "a10", "a2"}) {
			t.Errorf("listAgentStatesUsingEntity(%s): %v, ordered by externalId", entity, got)
		}
	}
	if n := len(list(id(e.mustAgentGroup("acct", "empty", ""))).results()); n != 0 {
		t.Errorf("empty group: %d results", n)
	}

	e.call("listAgentStatesUsingEntity", "").fault("ARG_NULL", "baseEntity")
	list("").fault("ATTRIBUTE_NULL", "externalId")
	list(id(w.enterprise)).fault("ARG_INVALID_TYPE", "baseEntity")
	list(id(w.schedule)).fault("ARG_INVALID_TYPE", "baseEntity")
	list(id(w.users[0])).fault("ARG_INVALID_TYPE", "baseEntity")
	list(typed("u1", "USER")).fault("ARG_INVALID_TYPE", "baseEntity")
	list(typed("ent", "ENTERPRISE")).fault("ARG_INVALID_TYPE", "baseEntity")
	list("<cc:externalId>ent</cc:externalId>").fault("ARG_INVALID_TYPE", "baseEntity")
	list("<cc:externalId>nope</cc:externalId>").fault("OBJECT_NOT_EXISTS", "nope")
	list(id("agp-999")).fault("OBJECT_NOT_EXISTS", "agp-999")
	list("<cc:externalId>a g</cc:externalId>").fault("ARG_INVALID_CHAR", "externalId")
}
