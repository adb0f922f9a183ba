package service_test

import (
	"fmt"
	"testing"

	"github.com/engage-oss/engage/provisioning"
)

// Scopes beyond the matrix: externalIds that have namesakes outside the scope, creates and
// lists by scoped operators, and what scoped administrators may do with organizations.

// scoped returns the base world's operators: unscoped, scoped to its Enterprise and scoped to
// its Account, each with a role.
func scoped(e *env, b base, role provisioning.Role) (all, enterprise, account *env) {
	name := string(role)
	return e.operator(name+"-all", role, ""),
		e.operator(name+"-enterprise", role, b.in.ent),
		e.operator(name+"-account", role, b.in.acct)
}

// TestScopedExternalIDs checks that an externalId given alone is looked for only inside the
// scope: namesakes outside it (two of each, with smaller ids, so that a lookup that filtered
// what an unscoped finder returns would miss the one inside) neither hide the one inside nor
// make it ambiguous, while two namesakes inside the scope still do.
func TestScopedExternalIDs(t *testing.T) {
	e := newEnv(t)
	b := buildBase(e)
	all, ent, acct := scoped(e, b, provisioning.ReadOnly)
	for _, c := range []struct {
		op, inner, path, want string
	}{
		{"showOrg", orgRef(xid("acct")), "internalId", b.in.acct},
		{"showAgentGroup", ag(xid("ag")), "internalId", b.in.group},
		{"showScheduleGroup", sg(xid("sg")), "internalId", b.in.sg},
		{"showAgentGroupState", ag(xid("ag")), "agentGroup/internalId", b.in.group},
		{"listAgentGroupStates", orgRef(xid("acct")), "agentGroup/internalId", b.in.group},
		{"listAgentStatesUsingEntity", el("baseEntity", xid("ag")), "internalId", b.in.agent},
		{"listAgentStatesUsingEntity", el("baseEntity", xid("acct")), "internalId", b.in.agent},
		{"showAgentStateUsingDevice", el("device", xid("dev")) + orgRef(xid("acct")), "internalId", b.in.agent},
	} {
		t.Run(c.op, func(t *testing.T) {
			on(t, all).call(c.op, c.inner).fault("ARG_NULL", "parent")
			for _, scoped := range []*env{ent, acct} {
				if got := text(on(t, scoped).call(c.op, c.inner).result(), c.path); got != c.want {
					t.Errorf("%s: got %s, want %s", c.op, got, c.want)
				}
			}
		})
	}
	t.Run("user", func(t *testing.T) {
		// "u1" is in both Accounts of the Enterprise: ambiguous in its scope, not in the
		// Account's.
		on(t, ent).call("showUser", el("user", xid("u1"))).fault("ARG_NULL", "parent")
		if got := text(on(t, acct).call("showUser", el("user", xid("u1"))).result(), "internalId"); got != b.in.user {
			t.Errorf("showUser u1: got %s, want %s", got, b.in.user)
		}
		if got := text(on(t, acct).call("showAgentStateUsingUser", el("agent", xid("u1"))).result(), "internalId"); got != b.in.agent {
			t.Errorf("showAgentStateUsingUser u1: got %s, want %s", got, b.in.agent)
		}
		if got := text(on(t, ent).call("showUser", el("user", xid("other"))).result(), "internalId"); got != b.besideOther {
			t.Errorf("showUser other: got %s, want %s", got, b.besideOther)
		}
		on(t, acct).call("showUser", el("user", xid("other"))).fault("OBJECT_NOT_EXISTS", "other")
	})
	t.Run("enterprise", func(t *testing.T) {
		// The Enterprise is inside its own scope, not inside its Account's.
		if got := text(on(t, ent).call("showOrg", orgRef(xid("ent"))).result(), "internalId"); got != b.in.ent {
			t.Errorf("showOrg ent: got %s, want %s", got, b.in.ent)
		}
		on(t, acct).call("showOrg", orgRef(xid("ent"))).fault("OBJECT_NOT_EXISTS", "ent")
		on(t, acct).call("showOrg", orgRef(xid("acct"), el("parent", xid("ent")))).fault("OBJECT_NOT_EXISTS", "ent")
		on(t, acct).call("showAgentStateUsingDevice", el("device", xid("dev"))+orgRef(iid(b.in.ent))).fault("OBJECT_NOT_EXISTS", b.in.ent)
		r := on(t, ent).call("showAgentStateUsingDevice", el("device", xid("dev"))+orgRef(iid(b.in.ent))).result()
		if got := text(r, "internalId"); got != b.in.agent {
			t.Errorf("showAgentStateUsingDevice of the Enterprise: got %s, want %s", got, b.in.agent)
		}
	})
}

// TestScopedWrites checks that scoped operators create and change only inside their scope,
// naming by externalId alone what has namesakes outside it, and that what they name outside
// it is reported as what does not exist.
func TestScopedWrites(t *testing.T) {
	e := newEnv(t)
	b := buildBase(e)
	_, ent, acct := scoped(e, b, provisioning.Provisioning)

	// A user created in "acct" is created in the Account inside the scope; one in "acct-b",
	// beside it, fails as one in an Account that does not exist.
	r := acct.call("createUsers", el("users", xid("new1"), el("parent", xid("acct")))+
		el("users", xid("new2"), el("parent", xid("acct-b")))+
		el("users", xid("new3"), el("parent", xid("no-such-acct"))))
	r.wantWarnings(warning{Index: 1, Code: "OBJECT_NOT_EXISTS", Argument: "acct-b"},
		warning{Index: 2, Code: "OBJECT_NOT_EXISTS", Argument: "no-such-acct"})
	if got := text(r.result(), "parent/internalId"); got != b.in.acct {
		t.Errorf("new1 created in %s, want %s", got, b.in.acct)
	}

	// Agents: "new1" by externalId alone into "ag" by externalId alone; a user beside the
	// Account, by internalId, fails as one that does not exist.
	absent := "usr-999999"
	r = acct.call("createAgents", el("agents", xid("new1"))+el("agents", iid(b.besideOther))+el("agents", iid(absent))+ag(xid("ag")))
	r.wantWarnings(warning{Index: 1, Code: "OBJECT_NOT_EXISTS", Argument: b.besideOther},
		warning{Index: 2, Code: "OBJECT_NOT_EXISTS", Argument: absent})
	if got := text(r.result(), "agentGroup/internalId"); got != b.in.group {
		t.Errorf("agent created in %s, want %s", got, b.in.group)
	}
	if got := len(acct.call("listAgentStatesUsingEntity", el("baseEntity", iid(b.in.acct))).results()); got != 2 {
		t.Errorf("the Account lists %d agents, want 2", got)
	}

	// A schedule group by externalId alone, acquired from: the one inside the scope.
	acct.call("releaseAgent", el("agentState", iid(b.in.agent))).result()
	if got := text(acct.call("acquireAgent", el("agentState", el("currentScheduleGroup", xid("sg")))).result(), "internalId"); got != b.in.agent {
		t.Errorf("acquired %s, want %s", got, b.in.agent)
	}

	// The Enterprise's operator groups in either Account; its lists show only what is there.
	ent.call("createAgentGroup", ag(xid("ag-b"))+el("parent", xid("acct-b"))).result()
	if got := len(ent.call("listAgentGroupStates", orgRef(xid("acct-b"))).results()); got != 1 {
		t.Errorf("acct-b lists %d groups, want 1", got)
	}
	acct.call("listAgentGroupStates", orgRef(xid("acct-b"))).fault("OBJECT_NOT_EXISTS", "acct-b")
	ns := b.namesakes[0]
	ent.call("listAgentStatesUsingEntity", el("baseEntity", iid(ns.acct))).fault("OBJECT_NOT_EXISTS", ns.acct)
	ent.call("changeAgentState", el("agentState", iid(ns.agent))).fault("OBJECT_NOT_EXISTS", ns.agent)
	ent.call("deleteScheduleGroup", sg(iid(ns.sg))).fault("OBJECT_NOT_EXISTS", ns.sg)
}

// TestScopedOrgAdministration checks what each administrator may do with organizations: only
// an unscoped one creates and deletes Enterprises; one scoped to an Enterprise creates and
// deletes its Accounts but not the Enterprise; one scoped to an Account has no Enterprise to
// create an Account in and may not delete its own Account.
func TestScopedOrgAdministration(t *testing.T) {
	e := newEnv(t)
	b := buildBase(e)
	all, ent, acct := scoped(e, b, provisioning.Administrator)
	enterprise := func(ext string) string { return orgRef(xid(ext), el("type", "ENTERPRISE")) }
	account := func(ext, parent string) string {
		return orgRef(xid(ext), el("type", "ACCOUNT"), el("parent", xid(parent)))
	}
	denied := func(r *reply, op string) { r.fault("PERMISSION_DENIED", op) }

	id := text(all.call("createOrg", enterprise("new-ent")).result(), "internalId")
	all.call("deleteOrg", orgRef(iid(id))).ok()
	for _, scoped := range []*env{ent, acct} {
		denied(scoped.call("createOrg", enterprise("new-ent")), "createOrg")
	}
	denied(ent.call("deleteOrg", orgRef(iid(b.in.ent))), "deleteOrg")
	denied(acct.call("deleteOrg", orgRef(iid(b.in.acct))), "deleteOrg")

	id = text(ent.call("createOrg", account("acct-new", "ent")).result(), "internalId")
	if got := text(ent.call("showOrg", orgRef(xid("acct-new"))).result(), "internalId"); got != id {
		t.Errorf("showOrg acct-new: got %s, want %s", got, id)
	}
	ent.call("deleteOrg", orgRef(xid("acct-new"))).ok()
	ent.call("createOrg", account("acct-new", "ns-ent-1")).fault("OBJECT_NOT_EXISTS", "ns-ent-1")
	ent.call("deleteOrg", orgRef(iid(b.namesakes[0].acct))).fault("OBJECT_NOT_EXISTS", b.namesakes[0].acct)

	acct.call("createOrg", account("acct-new", "ent")).fault("OBJECT_NOT_EXISTS", "ent")
	acct.call("createOrg", account("acct-new", "no-such-ent")).fault("OBJECT_NOT_EXISTS", "no-such-ent")
	acct.call("deleteOrg", orgRef(iid(b.beside))).fault("OBJECT_NOT_EXISTS", b.beside)
	acct.call("deleteOrg", orgRef(xid("acct-b"))).fault("OBJECT_NOT_EXISTS", "acct-b")
	for _, c := range []struct{ ext, parent string }{{"x1", b.in.ent}, {"x2", fmt.Sprint("org-", 999999)}} {
		acct.call("createOrg", orgRef(xid(c.ext), el("type", "ACCOUNT"), el("parent", iid(c.parent)))).fault("OBJECT_NOT_EXISTS", c.parent)
	}
}
