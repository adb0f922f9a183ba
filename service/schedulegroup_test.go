package service_test

import (
	"testing"

	"github.com/engage-oss/engage/provisioning"
)

// sg writes a scheduleGroup request element.
func sg(inner ...string) string { return el("scheduleGroup", inner...) }

func TestCreateScheduleGroup(t *testing.T) {
	e := newEnv(t, func(l *provisioning.Limits) { l.ScheduleGroupsPerAgentGroup = 4 })
	w := e.mustWorld() // ag has sg

	r := e.call("createScheduleGroup", sg(xid("day"), el("name", "Day shift"), el("startTime", "08:00:00"),
		el("endTime", " 17:30:00.000 "))+el("parent", iid(w.group))).result()
	wantTags(t, r, "internalId externalId parent name startTime endTime")
	wantFields(t, r, "externalId", "day", "parent/internalId", w.group, "parent/externalId", "ag",
		"name", "Day shift", "startTime", "08:00:00", "endTime", "17:30:00")
	if id := text(r, "internalId"); id == "" || id == w.schedule {
		t.Errorf("internalId %q", id)
	}
	if got, want := xmlString(t, e.call("showScheduleGroup", sg(iid(text(r, "internalId")))).result()), xmlString(t, r); got != want {
		t.Errorf("showScheduleGroup: want %s, got %s", want, got)
	}

	// A time with a time zone is kept in UTC.
	r = e.call("createScheduleGroup", sg(xid("zoned"), el("startTime", "01:30:00+02:00"), el("endTime", "12:00:00Z"))+
		el("parent", iid(w.group))).result()
	wantFields(t, r, "startTime", "23:30:00", "endTime", "12:00:00")

	// No externalId, no window; the parent inside the schedule group, by externalId and parent.
	r = e.call("createScheduleGroup", sg(el("parent", xid("ag"), el("parent", xid("acct"))))).result()
	wantTags(t, r, "internalId parent name")
	wantFields(t, r, "parent/internalId", w.group, "name", "", "externalId", absent, "startTime", absent, "endTime", absent)

	// Another group may reuse an externalId; the limit is per agent group.
	other := e.mustAgentGroup("acct", "other", "")
	e.mustScheduleGroup(other, "sg")

	s := func(extra ...string) string { return sg(extra...) + el("parent", iid(w.group)) }
	wantFaults(t, e, "createScheduleGroup", []faultCase{
		{"no scheduleGroup", el("parent", iid(w.group)), "ARG_NULL", "scheduleGroup"},
		{"no parent", sg(xid("x")), "ARG_NULL", "parent"},
		{"invalid char", s(xid("a b")), "ARG_INVALID_CHAR", "externalId"},
		{"externalId too long", s(xid(long)), "ARG_TOO_LARGE", "externalId"},
		{"name too long", s(el("name", longText)), "ARG_INVALID_DATA", "name"},
		{"bad startTime", s(el("startTime", "25:00:00")), "ARG_INVALID_DATA", "startTime"},
		{"bad endTime", s(el("endTime", "noon")), "ARG_INVALID_DATA", "endTime"},
		{"one-digit hour", s(el("startTime", "8:00:00")), "ARG_INVALID_DATA", "startTime"},
		{"no seconds", s(el("endTime", "08:00")), "ARG_INVALID_DATA", "endTime"},
		{"comma before the fraction", s(el("endTime", "08:00:00,5")), "ARG_INVALID_DATA", "endTime"},
		{"parent is an account", sg(xid("x")) + el("parent", iid(w.account)), "ARG_INVALID_TYPE", "parent"},
		{"parent not exists", sg(xid("x")) + el("parent", xid("nope")), "OBJECT_NOT_EXISTS", "nope"},
		{"parent bad internalId", sg(xid("x")) + el("parent", iid("bad")), "OBJECT_NOT_EXISTS", "bad"},
		{"schedule group exists in a full group", s(xid("sg")), "OBJECT_EXISTS", "sg"},
		{"too many schedule groups", s(xid("fourth")), "SYSTEM_LIMIT_EXCEEDED", "scheduleGroup"},
		{"too many without externalId", s(), "SYSTEM_LIMIT_EXCEEDED", "scheduleGroup"},
	})
	e.call("showScheduleGroup", sg(xid("fourth"))).fault("OBJECT_NOT_EXISTS", "fourth")
}

// scheduleGroupFaults are the faults of op for each bad scheduleGroup reference. "sg" is in
// ag and in other.
func scheduleGroupFaults(w world) []faultCase {
	return []faultCase{
		{"no scheduleGroup", "", "ARG_NULL", "scheduleGroup"},
		{"no id", sg(), "ATTRIBUTE_NULL", "externalId"},
		{"invalid char", sg(xid("s/g")), "ARG_INVALID_CHAR", "externalId"},
		{"externalId too long", sg(xid(long)), "ARG_TOO_LARGE", "externalId"},
		{"internalId of a group", sg(iid(w.group)), "ARG_INVALID_TYPE", "scheduleGroup"},
		{"parent is an account", sg(xid("sg"), el("parent", iid(w.account))), "ARG_INVALID_TYPE", "parent"},
		{"ids name different schedule groups", sg(iid(w.schedule), xid("night")), "ARG_INVALID_DATA", "night"},
		{"ambiguous externalId", sg(xid("sg")), "ARG_NULL", "parent"},
		{"bad internalId", sg(iid("bad")), "OBJECT_NOT_EXISTS", "bad"},
		{"unknown internalId", sg(iid("sch-999")), "OBJECT_NOT_EXISTS", "sch-999"},
		{"unknown externalId", sg(xid("nope")), "OBJECT_NOT_EXISTS", "nope"},
		{"unknown parent", sg(xid("sg"), el("parent", xid("nope"))), "OBJECT_NOT_EXISTS", "nope"},
	}
}

// mustOtherScheduleGroups adds "night" to ag and a group "other" with its own "sg".
func (e *env) mustOtherScheduleGroups(w world) (night, otherSG string) {
	e.t.Helper()
	night = e.mustScheduleGroup(w.group, "night")
	return night, e.mustScheduleGroup(e.mustAgentGroup("acct", "other", ""), "sg")
}

func TestShowScheduleGroup(t *testing.T) {
	e := newEnv(t)
	w := e.mustWorld()
	night, otherSG := e.mustOtherScheduleGroups(w)
	for _, c := range []struct{ name, inner, id string }{
		{"by internalId", iid(w.schedule), w.schedule},
		{"by internalId and externalId", iid(w.schedule) + xid("sg"), w.schedule},
		{"by externalId", xid("night"), night},
		{"by externalId and parent", xid("sg") + el("parent", xid("other")), otherSG},
		{"by externalId and parent internalId", xid("sg") + el("parent", iid(w.group)), w.schedule},
	} {
		t.Run(c.name, func(t *testing.T) {
			e.t = t
			r := e.call("showScheduleGroup", sg(c.inner)).result()
			wantFields(t, r, "internalId", c.id)
			wantTags(t, r, "internalId externalId parent name")
		})
	}
	e.t = t
	wantFields(t, e.call("showScheduleGroup", sg(iid(w.schedule))).result(),
		"externalId", "sg", "parent/internalId", w.group, "parent/externalId", "ag", "name", "")
	wantFaults(t, e, "showScheduleGroup", scheduleGroupFaults(w))
}

func TestDeleteScheduleGroup(t *testing.T) {
	e := newEnv(t)
	w := e.mustWorld()
	night, _ := e.mustOtherScheduleGroups(w)
	wantFaults(t, e, "deleteScheduleGroup", scheduleGroupFaults(w))

	// In use while an agent's current schedule group is it; an agent elsewhere does not count.
	e.call("createAgents", el("agents", xid("u1"))+ag(iid(w.group))+
		el("initialState", el("currentScheduleGroup", iid(w.schedule)))).result()
	e.call("createAgents", el("agents", xid("u2"))+ag(iid(w.group))).result()
	e.call("deleteScheduleGroup", sg(iid(w.schedule))).fault("INVALID_STATE", w.schedule)
	e.call("deleteScheduleGroup", sg(xid("sg"), el("parent", iid(w.group)))).fault("INVALID_STATE", w.schedule)
	if r := e.call("deleteScheduleGroup", sg(iid(night))).ok(); len(r.wrapper.ChildElements()) != 0 {
		t.Errorf("deleteScheduleGroup: want an empty response, got %s", r.raw)
	}
	e.call("showScheduleGroup", sg(iid(night))).fault("OBJECT_NOT_EXISTS", night)
	e.call("deleteScheduleGroup", sg(iid(night))).fault("OBJECT_NOT_EXISTS", night)

	e.call("deleteAgents", el("agents", xid("u1"))).wantWarnings()
	e.call("deleteScheduleGroup", sg(xid("sg"), el("parent", xid("ag")))).ok()
	e.call("showScheduleGroup", sg(iid(w.schedule))).fault("OBJECT_NOT_EXISTS", w.schedule)
	// Now unambiguous, "sg" is other's.
	wantFields(t, e.call("showScheduleGroup", sg(xid("sg"))).result(), "parent/externalId", "other")

	// Ids are never reused.
	again := e.mustScheduleGroup(w.group, "sg")
	if again == w.schedule || again == night || again == "" {
		t.Errorf("recreated schedule group has internalId %q", again)
	}
}

func TestScheduleGroupSOAP12(t *testing.T) {
	e := newEnv(t, func(l *provisioning.Limits) { l.ScheduleGroupsPerAgentGroup = 1 })
	e.soap12 = true
	w := e.mustWorld()
	e.call("createScheduleGroup", sg(xid("x"))+el("parent", iid(w.group))).fault("SYSTEM_LIMIT_EXCEEDED", "scheduleGroup")
	other := e.mustAgentGroup("acct", "other", "")
	r := e.call("createScheduleGroup", sg(xid("x"), el("startTime", "23:00:00"))+el("parent", iid(other))).result()
	wantFields(t, r, "externalId", "x", "startTime", "23:00:00", "parent/externalId", "other")
	e.call("createScheduleGroup", sg(el("startTime", "23:61:00"))+el("parent", iid(other))).fault("ARG_INVALID_DATA", "startTime")
	wantFields(t, e.call("showScheduleGroup", sg(iid(w.schedule))).result(), "externalId", "sg")
	e.call("showScheduleGroup", sg(iid(w.group))).fault("ARG_INVALID_TYPE", "scheduleGroup")
	e.call("createAgents", el("agents", xid("u1"))+ag(iid(w.group))+
		el("initialState", el("currentScheduleGroup", iid(w.schedule)))).result()
	e.call("deleteScheduleGroup", sg(iid(w.schedule))).fault("INVALID_STATE", w.schedule)
	e.call("deleteScheduleGroup", sg(xid("x"))).ok()
}
