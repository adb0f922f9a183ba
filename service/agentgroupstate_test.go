package service_test

import (
	"testing"

	"github.com/engage-oss/engage/provisioning"
)

// agentGroupStateTags are the fields of an AgentGroupState result without its times, in order.
const agentGroupStateTags = "agentGroup state allocatedCount agentCount loggedInCount readyCount busyCount breakCount"

// ags writes an agentGroupState request element for the group with internalId id.
func ags(id string, extra ...string) string {
	return el("agentGroupState", append([]string{ag(iid(id))}, extra...)...)
}

func TestShowAgentGroupState(t *testing.T) {
	e := newEnv(t)
	w := e.mustWorld()
	e.mustTwoAccounts()

	r := e.call("showAgentGroupState", ag(iid(w.group))).result()
	wantTags(t, r, agentGroupStateTags)
	wantFields(t, r, "agentGroup/internalId", w.group, "agentGroup/externalId", "ag", "state", "ACTIVE",
		"allocatedCount", "0", "agentCount", "0", "loggedInCount", "0", "readyCount", "0", "busyCount", "0", "breakCount", "0")

	// The counts follow the agents: u1 and u2 READY, u3 LOGGED_OUT.
	e.call("createAgents", el("agents", xid("u1"))+el("agents", xid("u2"))+ag(iid(w.group))+
		el("initialState", el("currentWorkState", "READY"))).results()
	e.call("createAgents", el("agents", xid("u3"))+ag(iid(w.group))+
		el("initialState", el("currentWorkState", "LOGGED_OUT"))).result()
	r = e.call("showAgentGroupState", ag(xid("ag"), el("parent", xid("acct")))).result()
	wantFields(t, r, "agentGroup/internalId", w.group, "state", "ACTIVE", "agentCount", "3",
		"loggedInCount", "2", "readyCount", "2", "busyCount", "0", "breakCount", "0")

	wantFaults(t, e, "showAgentGroupState", agentGroupFaults(w, "showAgentGroupState"))
}

func TestListAgentGroupStates(t *testing.T) {
	e := newEnv(t)
	w := e.mustWorld()
	b := e.mustAgentGroup("acct", "b", el("type", "REMOTE"))
	a := e.mustAgentGroup("acct", "a", "")
	e.mustAccount("ent", "empty")
	e.mustEnterprise("ent2")
	e.mustAccount("ent2", "acct")

	// An Account's groups ordered by externalId.
	res := e.call("listAgentGroupStates", orgRef(iid(w.account))).results()
	if len(res) != 3 {
		t.Fatalf("want 3 results, got %d", len(res))
	}
	for i, id := range []string{a, w.group, b} {
		wantTags(t, res[i], agentGroupStateTags)
		wantFields(t, res[i], "agentGroup/internalId", id, "state", "ACTIVE", "allocatedCount", "0", "agentCount", "0")
	}
	if n := len(e.call("listAgentGroupStates", orgRef(xid("acct"), el("parent", xid("ent")))).results()); n != 3 {
		t.Errorf("by externalId and parent: %d results", n)
	}
	if r := e.call("listAgentGroupStates", orgRef(xid("empty"))); len(r.results()) != 0 {
		t.Errorf("an Account without groups: %s", r.raw)
	}
	// One agent group by its internalId.
	wantFields(t, e.call("listAgentGroupStates", orgRef(iid(b))).result(), "agentGroup/internalId", b, "agentGroup/externalId", "b")

	wantFaults(t, e, "listAgentGroupStates", []faultCase{
		{"no org", "", "ARG_NULL", "org"},
		{"no id", orgRef(), "ATTRIBUTE_NULL", "externalId"},
		{"invalid char", orgRef(xid("a b")), "ARG_INVALID_CHAR", "externalId"},
		{"an enterprise", orgRef(iid(w.enterprise)), "ARG_INVALID_TYPE", "org"},
		{"an enterprise by externalId", orgRef(xid("ent")), "ARG_INVALID_TYPE", "org"},
		{"externalId too long", orgRef(xid(long)), "ARG_TOO_LARGE", "externalId"},
		{"ambiguous externalId", orgRef(xid("acct")), "ARG_NULL", "parent"},
		{"internalId of a user", orgRef(iid(w.users[0])), "ARG_INVALID_TYPE", "org"},
		{"ids name different orgs", orgRef(iid(w.account), xid("empty")), "ARG_INVALID_DATA", "empty"},
		{"ids name different groups", orgRef(iid(b), xid("a")), "ARG_INVALID_DATA", "a"},
		{"bad internalId", orgRef(iid("bad")), "OBJECT_NOT_EXISTS", "bad"},
		{"unknown group", orgRef(iid("agp-999")), "OBJECT_NOT_EXISTS", "agp-999"},
		{"unknown account", orgRef(xid("nope")), "OBJECT_NOT_EXISTS", "nope"},
	})

	lim := newEnv(t, func(l *provisioning.Limits) { l.ResultsPerList = 1 })
	lw := lim.mustWorld()
	if n := len(lim.call("listAgentGroupStates", orgRef(iid(lw.account))).results()); n != 1 {
		t.Errorf("at the limit: %d results", n)
	}
	lim.mustAgentGroup("acct", "second", "")
	lim.call("listAgentGroupStates", orgRef(iid(lw.account))).fault("RESULT_TOO_LARGE", "org")
	lim.call("listAgentGroupStates", orgRef(iid(lw.group))).result()
}

func TestChangeAgentGroupState(t *testing.T) {
	e := newEnv(t)
	w := e.mustWorld() // ag is STANDARD, INDIVIDUAL
	e.mustAccount("ent", "acct2")
	e.mustAgentGroup("acct2", "ag", "")
	groups := map[string]string{
		"STANDARD INDIVIDUAL": w.group,
		"STANDARD GROUP":      e.mustAgentGroup("acct", "sgroup", el("allocationMode", "GROUP")),
		"ENHANCED":            e.mustAgentGroup("acct", "enh", el("type", "ENHANCED")),
		"REMOTE":              e.mustAgentGroup("acct", "rem", el("type", "REMOTE")+el("allocationMode", "GROUP")),
	}
	times := el("currentStartTime", "2024-05-01T08:00:00+02:00") + el("currentEndTime", "2024-05-01T18:30:00.5Z")
	for _, c := range []struct {
		group, change      string
		code, arg          string // of the refused change
		state, allocated   string // as shown after the change
		startTime, endTime string
	}{
		{group: "STANDARD INDIVIDUAL", change: el("state", "PAUSED") + times, state: "PAUSED", allocated: "0",
			startTime: "2024-05-01T06:00:00.000Z", endTime: "2024-05-01T18:30:00.500Z"},
		{group: "STANDARD INDIVIDUAL", change: el("allocatedCount", "5"), code: "ATTRIBUTE_INVALID_DATA", arg: "allocatedCount"},
		{group: "STANDARD GROUP", change: el("allocatedCount", "5") + el("state", "STOPPED"), state: "STOPPED", allocated: "5"},
		{group: "ENHANCED", change: el("allocatedCount", "7") + times, state: "ACTIVE", allocated: "7",
			startTime: "2024-05-01T06:00:00.000Z", endTime: "2024-05-01T18:30:00.500Z"},
		{group: "ENHANCED", change: el("state", "PAUSED"), code: "ATTRIBUTE_INVALID_DATA", arg: "state"},
		{group: "REMOTE", change: el("allocatedCount", "0"), state: "ACTIVE", allocated: "0"},
		{group: "REMOTE", change: el("state", "ACTIVE"), code: "ATTRIBUTE_INVALID_DATA", arg: "state"},
	} {
		name := c.group + " " + map[bool]string{true: "refuses " + c.arg, false: "changes"}[c.code != ""]
		t.Run(name, func(t *testing.T) {
			e.t = t
			id := groups[c.group]
			before := xmlString(t, e.call("showAgentGroupState", ag(iid(id))).result())
			r := e.call("changeAgentGroupState", ags(id, c.change))
			if c.code != "" {
				r.fault(c.code, c.arg)
				if after := xmlString(t, e.call("showAgentGroupState", ag(iid(id))).result()); after != before {
					t.Errorf("a refused change changed the state: %s", after)
				}
				return
			}
			if len(r.ok().wrapper.ChildElements()) != 0 {
				t.Errorf("want an empty response, got %s", r.raw)
			}
			st := e.call("showAgentGroupState", ag(iid(id))).result()
			wantFields(t, st, "agentGroup/internalId", id, "state", c.state, "allocatedCount", c.allocated, "agentCount", "0")
			if c.startTime != "" {
				wantFields(t, st, "currentStartTime", c.startTime, "currentEndTime", c.endTime)
			}
		})
	}
	e.t = t
	// The change shows in the list too.
	wantFields(t, e.call("listAgentGroupStates", orgRef(iid(w.group))).result(), "state", "PAUSED",
		"currentStartTime", "2024-05-01T06:00:00.000Z")

	// An end before the start, given together or against the stored start.
	wantFaults(t, e, "changeAgentGroupState", []faultCase{
		{"no agentGroupState", "", "ARG_NULL", "agentGroupState"},
		{"no agentGroup", el("agentGroupState", el("state", "ACTIVE")), "ATTRIBUTE_NULL", "agentGroup"},
		{"nothing to change", ags(w.group), "ATTRIBUTE_NULL", "agentGroupState"},
		{"no id", el("agentGroupState", ag(), el("state", "ACTIVE")), "ATTRIBUTE_NULL", "externalId"},
		{"invalid char", el("agentGroupState", ag(xid("a b")), el("state", "ACTIVE")), "ARG_INVALID_CHAR", "externalId"},
		{"internalId of a user", ags(w.users[0], el("state", "ACTIVE")), "ARG_INVALID_TYPE", "agentGroup"},
		{"ids name different groups", el("agentGroupState", ag(iid(w.group), xid("enh")), el("state", "ACTIVE")), "ARG_INVALID_DATA", "enh"},
		{"bad internalId", ags("bad", el("state", "ACTIVE")), "OBJECT_NOT_EXISTS", "bad"},
		{"unknown externalId", el("agentGroupState", ag(xid("nope")), el("state", "ACTIVE")), "OBJECT_NOT_EXISTS", "nope"},
		{"externalId too long", el("agentGroupState", ag(xid(long)), el("state", "ACTIVE")), "ARG_TOO_LARGE", "externalId"},
		{"ambiguous externalId", el("agentGroupState", ag(xid("ag")), el("state", "ACTIVE")), "ARG_NULL", "parent"},
		{"unknown state", ags(w.group, el("state", "RUNNING")), "ATTRIBUTE_INVALID_FORMAT", "state"},
		{"state with spaces", ags(w.group, el("state", " PAUSED ")), "ATTRIBUTE_INVALID_FORMAT", "state"},
		{"one-digit hour", ags(w.group, el("currentStartTime", "2024-05-01T8:00:00Z")), "ATTRIBUTE_INVALID_FORMAT", "currentStartTime"},
		{"comma before the fraction", ags(w.group, el("currentEndTime", "2024-05-01T20:00:00,5Z")), "ATTRIBUTE_INVALID_FORMAT", "currentEndTime"},
		{"allocatedCount abc", ags(groups["ENHANCED"], el("allocatedCount", "abc")), "ATTRIBUTE_INVALID_FORMAT", "allocatedCount"},
		{"allocatedCount -1", ags(groups["ENHANCED"], el("allocatedCount", "-1")), "ATTRIBUTE_INVALID_FORMAT", "allocatedCount"},
		{"bad currentStartTime", ags(w.group, el("currentStartTime", "2024-05-01 08:00")), "ATTRIBUTE_INVALID_FORMAT", "currentStartTime"},
		{"bad currentEndTime", ags(w.group, el("currentEndTime", "2024-13-01T08:00:00Z")), "ATTRIBUTE_INVALID_FORMAT", "currentEndTime"},
		{"end before start", ags(w.group, el("currentStartTime", "2024-06-01T10:00:00Z"), el("currentEndTime", "2024-06-01T09:59:59Z")), "ATTRIBUTE_INVALID_FORMAT", "currentEndTime"},
		{"end before the stored start", ags(w.group, el("currentEndTime", "2024-05-01T05:00:00Z")), "ATTRIBUTE_INVALID_FORMAT", "currentEndTime"},
	})
	wantFields(t, e.call("showAgentGroupState", ag(iid(w.group))).result(),
		"currentStartTime", "2024-05-01T06:00:00.000Z", "currentEndTime", "2024-05-01T18:30:00.500Z")
}

func TestAgentGroupStateSOAP12(t *testing.T) {
	e := newEnv(t)
	e.soap12 = true
	w := e.mustWorld()
	wantFields(t, e.call("showAgentGroupState", ag(iid(w.group))).result(), "state", "ACTIVE", "agentCount", "0")
	e.call("showAgentGroupState", ag(xid("nope"))).fault("OBJECT_NOT_EXISTS", "nope")
	e.call("changeAgentGroupState", ags(w.group, el("state", "STOPPED"))).ok()
	e.call("changeAgentGroupState", ags(w.group, el("currentStartTime", "soon"))).fault("ATTRIBUTE_INVALID_FORMAT", "currentStartTime")
	wantFields(t, e.call("listAgentGroupStates", orgRef(xid("acct"))).result(), "state", "STOPPED")
	e.call("listAgentGroupStates", orgRef(xid("ent"))).fault("ARG_INVALID_TYPE", "org")
}
