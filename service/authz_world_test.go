package service_test

// The world of the authorization tests.

// place is an Account with what the matrix's calls name in it: an agent group with a
// schedule group, and an AGENT user who is an agent of the group, READY in the schedule group
// and Direct Connected to a device.
type place struct {
	name             string
	ent, entExt      string
	acct, acctExt    string
	group, groupExt  string
	sg, sgExt        string
	user, userExt    string
	agent, deviceExt string
}

// base is the world the service under test and its twin both hold, created in the same order
// so that its ids are the same in both.
type base struct {
	// namesakes are two Accounts "acct" in Enterprises of their own, created first, each
	// with an agent group "ag", a schedule group "sg" and an agent "u1" Direct Connected to
	// device "dev": namesakes of what is in the place inside the scopes, with smaller ids.
	namesakes [2]place
	// in is the place inside every scope: Account "acct" of Enterprise "ent", with agent group
	// "ag", schedule group "sg" and agent "u1" Direct Connected to device "dev".
	in place
	// beside is another Account of "ent", "acct-b", with a user "u1" and a user "other".
	beside, besideU1, besideOther string
}

// buildBase creates the base world through e, its unscoped administrator.
func buildBase(e *env) base {
	e.t.Helper()
	var b base
	for i := range b.namesakes {
		ent := e.mustEnterprise([]string{"ns-ent-1", "ns-ent-2"}[i])
		b.namesakes[i] = buildPlaceNamed(e, "namesake", ent, "acct", "")
	}
	b.in = buildPlaceNamed(e, "inside", e.mustEnterprise("ent"), "acct", "")
	b.beside = createAccount(e, b.in.ent, "acct-b")
	b.besideU1 = createUser(e, b.beside, "u1")
	b.besideOther = createUser(e, b.beside, "other")
	return b
}

// buildPlace creates a place in an Enterprise, its externalIds ending in suffix.
func buildPlace(e *env, name, ent, suffix string) *place {
	e.t.Helper()
	p := buildPlaceNamed(e, name, ent, "acct"+suffix, suffix)
	return &p
}

// buildPlaceNamed creates a place: Account acctExt in the Enterprise ent, and "ag", "sg",
// "u1" and device "dev", each followed by suffix, in it.
func buildPlaceNamed(e *env, name, ent, acctExt, suffix string) place {
	e.t.Helper()
	p := place{name: name, ent: ent, acctExt: acctExt,
		groupExt: "ag" + suffix, sgExt: "sg" + suffix, userExt: "u1" + suffix, deviceExt: "dev" + suffix}
	p.entExt = text(e.call("showOrg", orgRef(iid(ent))).result(), "externalId")
	p.acct = createAccount(e, ent, acctExt)
	p.group = createGroup(e, p.acct, p.groupExt)
	p.sg = e.mustScheduleGroup(p.group, p.sgExt)
	p.user = createUser(e, p.acct, p.userExt)
	p.agent = createAgent(e, p.user, p.group, p.sg)
	if got := text(e.call("acquireAgent", acquireReq(p.sg, p.deviceExt)).result(), "internalId"); got != p.agent {
		e.t.Fatalf("acquired %s, want %s", got, p.agent)
	}
	return p
}

// createAccount creates an Account in an Enterprise named by internalId.
func createAccount(e *env, ent, ext string) string {
	e.t.Helper()
	r := e.call("createOrg", orgRef(xid(ext), el("type", "ACCOUNT"), el("parent", iid(ent)))).result()
	return text(r, "internalId")
}

// createUser creates an AGENT user in an Account named by internalId.
func createUser(e *env, acct, ext string) string {
	e.t.Helper()
	r := e.call("createUsers", el("users", xid(ext), el("parent", iid(acct)), el("type", "AGENT")))
	r.wantWarnings()
	return text(r.result(), "internalId")
}

// createGroup creates an agent group in an Account named by internalId.
func createGroup(e *env, acct, ext string) string {
	e.t.Helper()
	return text(e.call("createAgentGroup", ag(xid(ext))+el("parent", iid(acct))).result(), "internalId")
}

// createAgent makes a user an agent of a group, READY in one of its schedule groups, all
// named by internalId, and returns its agent state's internalId.
func createAgent(e *env, user, group, sg string) string {
	e.t.Helper()
	r := e.call("createAgents", el("agents", iid(user))+groupRef(group)+
		el("initialState", el("currentScheduleGroup", iid(sg)), el("currentWorkState", "READY")))
	r.wantWarnings()
	return text(r.result(), "internalId")
}
