package service_test

import (
	"testing"

	"github.com/engage-oss/engage/provisioning"
)

// ag writes an agentGroup request element.
func ag(inner ...string) string { return el("agentGroup", inner...) }

// agentGroupTags are the fields of an AgentGroup result, in order.
const agentGroupTags = "internalId externalId parent name type allocationMode intensity initialWorkState maxBreakTime created"

func TestCreateAgentGroup(t *testing.T) {
	e := newEnv(t, func(l *provisioning.Limits) { l.AgentGroupsPerAccount = 3 })
	w := e.mustWorld() // acct has one group, ag

	r := e.call("createAgentGroup", ag(xid("plain"))+el("parent", xid("acct"))).result()
	wantTags(t, r, agentGroupTags)
	wantFields(t, r, "externalId", "plain", "parent/internalId", w.account, "parent/externalId", "acct",
		"parent/type", "ACCOUNT", "name", "", "type", "STANDARD", "allocationMode", "INDIVIDUAL",
		"intensity", "100", "initialWorkState", "NOT_READY", "maxBreakTime", "900")
	wantCreated(t, r)
	if id := text(r, "internalId"); id == "" || id == w.group {
		t.Errorf("internalId %q", id)
	}
	if got, want := xmlString(t, e.call("showAgentGroup", ag(iid(text(r, "internalId")))).result()), xmlString(t, r); got != want {
		t.Errorf("showAgentGroup: want %s, got %s", want, got)
	}

	// Every attribute given; the parent inside the agent group.
	r = e.call("createAgentGroup", ag(xid("full"), el("parent", iid(w.account)), el("name", "Sales"),
		el("type", "ENHANCED"), el("allocationMode", "GROUP"), el("intensity", " 1 "),
		el("initialWorkState", "READY"), el("maxBreakTime", "0"))).result()
	wantTags(t, r, agentGroupTags)
	wantFields(t, r, "externalId", "full", "parent/internalId", w.account, "name", "Sales", "type", "ENHANCED",
		"allocationMode", "GROUP", "intensity", "1", "initialWorkState", "READY", "maxBreakTime", "0")

	// The same externalId in another Account is another group; the limit is per Account.
	e.mustAccount("ent", "acct2")
	e.mustAgentGroup("acct2", "plain", el("intensity", "100")+el("maxBreakTime", "86400"))

	g := func(extra ...string) string {
		return ag(append([]string{xid("new")}, extra...)...) + el("parent", xid("acct"))
	}
	wantFaults(t, e, "createAgentGroup", []faultCase{
		{"no agentGroup", el("parent", xid("acct")), "ARG_NULL", "agentGroup"},
		{"no parent", ag(xid("new")), "ARG_NULL", "parent"},
		{"no externalId", ag(el("name", "n")) + el("parent", xid("acct")), "ATTRIBUTE_NULL", "externalId"},
		{"invalid char", ag(xid("a,b")) + el("parent", xid("acct")), "ARG_INVALID_CHAR", "externalId"},
		{"externalId too long", ag(xid(long)) + el("parent", xid("acct")), "ARG_TOO_LARGE", "externalId"},
		{"name too long", g(el("name", longText)), "ATTRIBUTE_INVALID_DATA", "name"},
		{"unknown type", g(el("type", "FANCY")), "ATTRIBUTE_INVALID_DATA", "type"},
		{"unknown allocationMode", g(el("allocationMode", "ROUND_ROBIN")), "ATTRIBUTE_INVALID_DATA", "allocationMode"},
		{"intensity abc", g(el("intensity", "abc")), "ATTRIBUTE_INVALID_DATA", "intensity"},
		{"intensity 0", g(el("intensity", "0")), "ATTRIBUTE_INVALID_DATA", "intensity"},
		{"intensity 101", g(el("intensity", "101")), "ATTRIBUTE_INVALID_DATA", "intensity"},
		{"maxBreakTime -1", g(el("maxBreakTime", "-1")), "ATTRIBUTE_INVALID_DATA", "maxBreakTime"},
		{"maxBreakTime 86401", g(el("maxBreakTime", "86401")), "ATTRIBUTE_INVALID_DATA", "maxBreakTime"},
		{"maxBreakTime 1.5", g(el("maxBreakTime", "1.5")), "ATTRIBUTE_INVALID_DATA", "maxBreakTime"},
		{"unknown initialWorkState", g(el("initialWorkState", "SLEEPING")), "ATTRIBUTE_INVALID_DATA", "initialWorkState"},
		{"initialWorkState BREAK", g(el("initialWorkState", "BREAK")), "ATTRIBUTE_INVALID_DATA", "initialWorkState"},
		{"parent is an enterprise", ag(xid("new")) + el("parent", xid("ent")), "ARG_INVALID_TYPE", "parent"},
		{"parent is a group", ag(xid("new")) + el("parent", iid(w.group)), "ARG_INVALID_TYPE", "parent"},
		{"parent not exists", ag(xid("new")) + el("parent", xid("nope")), "OBJECT_NOT_EXISTS", "nope"},
		{"parent bad internalId", ag(xid("new")) + el("parent", iid("bad")), "OBJECT_NOT_EXISTS", "bad"},
		{"group exists in a full account", ag(xid("ag")) + el("parent", xid("acct")), "OBJECT_EXISTS", "ag"},
		{"too many groups", ag(xid("fourth")) + el("parent", xid("acct")), "SYSTEM_LIMIT_EXCEEDED", "agentGroup"},
	})
	e.call("showAgentGroup", ag(xid("fourth"))).fault("OBJECT_NOT_EXISTS", "fourth")
}

// agentGroupRefCases are bad agent group references (the content of the element) and the
// code each gives, naming arg for a reference of the wrong type. "ag" is in acct and acct2.
func agentGroupRefCases(w world, arg string) []faultCase {
	return []faultCase{
		{"no id", "", "ATTRIBUTE_NULL", "externalId"},
		{"invalid char", xid("a*b"), "ARG_INVALID_CHAR", "externalId"},
		{"externalId too long", xid(long), "ARG_TOO_LARGE", "externalId"},
		{"internalId of a user", iid(w.users[0]), "ARG_INVALID_TYPE", arg},
		{"parent is an enterprise", xid("ag") + el("parent", xid("ent")), "ARG_INVALID_TYPE", "parent"},
		{"ids name different groups", iid(w.group) + xid("other"), "ARG_INVALID_DATA", "other"},
		{"ambiguous externalId", xid("ag"), "ARG_NULL", "parent"},
		{"bad internalId", iid("bad"), "OBJECT_NOT_EXISTS", "bad"},
		{"unknown internalId", iid("agp-999"), "OBJECT_NOT_EXISTS", "agp-999"},
		{"unknown externalId", xid("nope"), "OBJECT_NOT_EXISTS", "nope"},
		{"unknown parent", xid("ag") + el("parent", xid("nope")), "OBJECT_NOT_EXISTS", "nope"},
	}
}

// agentGroupFaults are the faults of op for each bad agentGroup reference.
func agentGroupFaults(w world, op string) []faultCase {
	cases := []faultCase{{"no agentGroup", "", "ARG_NULL", "agentGroup"}}
	for _, c := range agentGroupRefCases(w, "agentGroup") {
		cases = append(cases, faultCase{c.name, ag(c.inner), c.code, c.arg})
	}
	return cases
}

// mustTwoAccounts adds acct2 with its own "ag" and a group "other" in acct to a world.
func (e *env) mustTwoAccounts() (ag2 string) {
	e.t.Helper()
	e.mustAccount("ent", "acct2")
	e.mustAgentGroup("acct", "other", "")
	return e.mustAgentGroup("acct2", "ag", "")
}

func TestShowAgentGroup(t *testing.T) {
	e := newEnv(t)
	w := e.mustWorld()
	ag2 := e.mustTwoAccounts()
	for _, c := range []struct{ name, inner, id string }{
		{"by internalId", iid(w.group), w.group},
		{"by internalId and externalId", iid(w.group) + xid("ag"), w.group},
		{"by externalId", xid("other"), ""},
		{"by externalId and parent", xid("ag") + el("parent", xid("acct2")), ag2},
		{"by externalId and parent internalId", xid("ag") + el("parent", iid(w.account)), w.group},
	} {
		t.Run(c.name, func(t *testing.T) {
			e.t = t
			r := e.call("showAgentGroup", ag(c.inner)).result()
			if c.id != "" {
				wantFields(t, r, "internalId", c.id)
			}
			wantTags(t, r, agentGroupTags)
		})
	}
	e.t = t
	wantFaults(t, e, "showAgentGroup", agentGroupFaults(w, "showAgentGroup"))
}

func TestChangeAgentGroup(t *testing.T) {
	e := newEnv(t)
	w := e.mustWorld()
	e.mustTwoAccounts()
	before := e.call("showAgentGroup", ag(iid(w.group))).result()

	// Unchanged values of the fixed attributes may be given.
	r := e.call("changeAgentGroup", ag(iid(w.group), el("name", ""), el("type", "STANDARD"), el("allocationMode", "INDIVIDUAL"),
		el("intensity", "40"), el("initialWorkState", "READY"), el("maxBreakTime", "60"))).result()
	wantTags(t, r, agentGroupTags)
	wantFields(t, r, "internalId", w.group, "externalId", "ag", "parent/internalId", w.account, "name", "",
		"type", "STANDARD", "allocationMode", "INDIVIDUAL", "intensity", "40", "initialWorkState", "READY",
		"maxBreakTime", "60", "created", text(before, "created"))
	if got, want := xmlString(t, e.call("showAgentGroup", ag(iid(w.group))).result()), xmlString(t, r); got != want {
		t.Errorf("showAgentGroup after the change: want %s, got %s", want, got)
	}
	// One attribute at a time, by externalId and parent; the others stay.
	r = e.call("changeAgentGroup", ag(xid("ag"), el("parent", xid("acct")), el("initialWorkState", "NOT_READY"))).result()
	wantFields(t, r, "intensity", "40", "initialWorkState", "NOT_READY", "maxBreakTime", "60")

	g := func(extra ...string) string { return ag(append([]string{iid(w.group)}, extra...)...) }
	wantFaults(t, e, "changeAgentGroup", append(agentGroupFaults(w, "changeAgentGroup"), []faultCase{
		{"name", g(el("name", "Renamed")), "ATTRIBUTE_INVALID_DATA", "name"},
		{"type", g(el("type", "REMOTE")), "ATTRIBUTE_INVALID_DATA", "type"},
		{"allocationMode", g(el("allocationMode", "GROUP")), "ATTRIBUTE_INVALID_DATA", "allocationMode"},
		{"intensity abc", g(el("intensity", "abc")), "ATTRIBUTE_INVALID_DATA", "intensity"},
		{"intensity 0", g(el("intensity", "0")), "ATTRIBUTE_INVALID_DATA", "intensity"},
		{"maxBreakTime -1", g(el("maxBreakTime", "-1")), "ATTRIBUTE_INVALID_DATA", "maxBreakTime"},
		{"unknown initialWorkState", g(el("initialWorkState", "SLEEPING")), "ATTRIBUTE_INVALID_DATA", "initialWorkState"},
		{"initialWorkState BREAK", g(el("initialWorkState", "BREAK")), "INVALID_STATE", "BREAK"},
		{"initialWorkState LOGGED_OUT", g(el("initialWorkState", "LOGGED_OUT")), "INVALID_STATE", "LOGGED_OUT"},
		{"fixed with changeable", g(el("intensity", "10"), el("type", "ENHANCED")), "ATTRIBUTE_INVALID_DATA", "type"},
	}...))
	// A refused change changes nothing.
	wantFields(t, e.call("showAgentGroup", ag(iid(w.group))).result(), "intensity", "40", "type", "STANDARD", "name", "")
}

func TestDeleteAgentGroup(t *testing.T) {
	e := newEnv(t)
	w := e.mustWorld()
	e.mustTwoAccounts()
	wantFaults(t, e, "deleteAgentGroup", agentGroupFaults(w, "deleteAgentGroup"))

	// Busy while it has agents.
	e.call("createAgents", el("agents", xid("u1"))+el("agents", xid("u2"))+ag(iid(w.group))).results()
	e.call("deleteAgentGroup", ag(iid(w.group))).fault("INVALID_STATE", "ag")
	e.call("deleteAgents", el("agents", xid("u1"))).wantWarnings()
	e.call("deleteAgentGroup", ag(xid("ag"), el("parent", xid("acct")))).fault("INVALID_STATE", "ag")
	e.call("deleteAgents", el("agents", xid("u2"))).wantWarnings()

	// Emptied, it goes with its schedule groups.
	sg2 := e.mustScheduleGroup(w.group, "sg2")
	if r := e.call("deleteAgentGroup", ag(xid("ag"), el("parent", iid(w.account)))).ok(); len(r.wrapper.ChildElements()) != 0 {
		t.Errorf("deleteAgentGroup: want an empty response, got %s", r.raw)
	}
	e.call("showAgentGroup", ag(iid(w.group))).fault("OBJECT_NOT_EXISTS", w.group)
	e.call("showScheduleGroup", el("scheduleGroup", iid(w.schedule))).fault("OBJECT_NOT_EXISTS", w.schedule)
	e.call("showScheduleGroup", el("scheduleGroup", iid(sg2))).fault("OBJECT_NOT_EXISTS", sg2)
	e.call("deleteAgentGroup", ag(iid(w.group))).fault("OBJECT_NOT_EXISTS", w.group)
	// Now unambiguous, "ag" is acct2's.
	wantFields(t, e.call("showAgentGroup", ag(xid("ag"))).result(), "parent/externalId", "acct2")

	// Ids are never reused.
	again := e.mustAgentGroup("acct", "ag", "")
	if again == w.group || again == "" {
		t.Errorf("recreated agent group has internalId %q", again)
	}
	e.call("deleteAgentGroup", ag(iid(again))).ok()
	if third := e.mustAgentGroup("acct", "ag", ""); third == again || third == w.group {
		t.Errorf("internalId %q reused", third)
	}
}

func TestAgentGroupSOAP12(t *testing.T) {
	e := newEnv(t, func(l *provisioning.Limits) { l.AgentGroupsPerAccount = 1 })
	e.soap12 = true
	w := e.mustWorld()
	e.call("createAgentGroup", ag(xid("g2"))+el("parent", xid("acct"))).fault("SYSTEM_LIMIT_EXCEEDED", "agentGroup")
	e.call("createAgentGroup", ag(xid("ag"), el("intensity", "abc"))+el("parent", xid("acct"))).fault("ATTRIBUTE_INVALID_DATA", "intensity")
	wantFields(t, e.call("showAgentGroup", ag(iid(w.group))).result(), "type", "STANDARD", "intensity", "100")
	e.call("showAgentGroup", ag(iid("bad"))).fault("OBJECT_NOT_EXISTS", "bad")
	wantFields(t, e.call("changeAgentGroup", ag(iid(w.group), el("maxBreakTime", "30"))).result(), "maxBreakTime", "30")
	e.call("changeAgentGroup", ag(iid(w.group), el("initialWorkState", "BREAK"))).fault("INVALID_STATE", "BREAK")
	e.call("createAgents", el("agents", xid("u1"))+ag(iid(w.group))).result()
	e.call("deleteAgentGroup", ag(iid(w.group))).fault("INVALID_STATE", "ag")
	e.call("deleteAgents", el("agents", xid("u1"))).ok()
	e.call("deleteAgentGroup", ag(iid(w.group))).ok()
}
