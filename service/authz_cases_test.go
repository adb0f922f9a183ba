package service_test

// The requests of the authorization matrix, one case per operation.

// naming is a way a reference names its entity.
type naming string

// The ways of naming an entity.
const (
	byID     naming = "internalId"
	byParent naming = "externalId+parent"
	byExt    naming = "externalId"
)

// allNamings are every way of naming an entity.
var allNamings = []naming{byID, byParent, byExt}

// ref writes a reference to an entity named as v says: by internalId, by externalId with its
// parent's internalId, or by externalId alone.
func ref(v naming, id, ext, parent string) string {
	switch v {
	case byParent:
		return xid(ext) + el("parent", iid(parent))
	case byExt:
		return xid(ext)
	}
	return iid(id)
}

// cellSetup creates, as the unscoped administrator, what a cell needs beyond the place.
type cellSetup struct {
	m     *matrix
	admin *env
}

// fresh returns a new externalId.
func (s *cellSetup) fresh(prefix string) string { return s.m.fresh(prefix) }

// user creates a new AGENT user in a place and returns its internalId and externalId.
func (s *cellSetup) user(p *place) (id, ext string) {
	ext = s.fresh("user")
	return createUser(s.admin, p.acct, ext), ext
}

// matrixCase is one operation of the matrix.
type matrixCase struct {
	op string
	// names are the ways its target may be named; nil for all of them.
	names []naming
	// request returns the inner XML of a request whose target is in p, named as v says,
	// having created what it needs.
	request func(s *cellSetup, p *place, v naming) string
}

// naming returns the ways the case's target may be named.
func (c matrixCase) naming() []naming {
	if c.names == nil {
		return allNamings
	}
	return c.names
}

// matrixCases returns a case for every operation of the contract.
func matrixCases() []matrixCase {
	account := func(p *place, v naming) string { return ref(v, p.acct, p.acctExt, p.ent) }
	group := func(p *place, v naming) string { return ref(v, p.group, p.groupExt, p.acct) }
	return []matrixCase{
		{op: "createOrg", names: []naming{byID, byExt}, request: func(s *cellSetup, p *place, v naming) string {
			return orgRef(xid(s.fresh("acct")), el("type", "ACCOUNT"), el("parent", ref(v, p.ent, p.entExt, "")))
		}},
		{op: "showOrg", request: func(_ *cellSetup, p *place, v naming) string {
			return orgRef(account(p, v))
		}},
		{op: "deleteOrg", request: func(s *cellSetup, p *place, v naming) string {
			ext := s.fresh("acct")
			return orgRef(ref(v, createAccount(s.admin, p.ent, ext), ext, p.ent))
		}},
		{op: "createUsers", request: func(s *cellSetup, p *place, v naming) string {
			return el("users", xid(s.fresh("user")), el("parent", account(p, v)), el("type", "AGENT"))
		}},
		{op: "showUser", request: func(_ *cellSetup, p *place, v naming) string {
			return el("user", ref(v, p.user, p.userExt, p.acct))
		}},
		{op: "deleteUsers", request: func(s *cellSetup, p *place, v naming) string {
			id, ext := s.user(p)
			return el("users", ref(v, id, ext, p.acct))
		}},
		{op: "createAgentGroup", request: func(s *cellSetup, p *place, v naming) string {
			return ag(xid(s.fresh("group"))) + el("parent", account(p, v))
		}},
		{op: "showAgentGroup", request: func(_ *cellSetup, p *place, v naming) string {
			return ag(group(p, v))
		}},
		{op: "changeAgentGroup", request: func(_ *cellSetup, p *place, v naming) string {
			return ag(group(p, v), el("intensity", "50"))
		}},
		{op: "deleteAgentGroup", request: func(s *cellSetup, p *place, v naming) string {
			ext := s.fresh("group")
			return ag(ref(v, createGroup(s.admin, p.acct, ext), ext, p.acct))
		}},
		{op: "createScheduleGroup", request: func(s *cellSetup, p *place, v naming) string {
			return sg(xid(s.fresh("schedule"))) + el("parent", group(p, v))
		}},
		{op: "showScheduleGroup", request: func(_ *cellSetup, p *place, v naming) string {
			return sg(ref(v, p.sg, p.sgExt, p.group))
		}},
		{op: "deleteScheduleGroup", request: func(s *cellSetup, p *place, v naming) string {
			ext := s.fresh("schedule")
			return sg(ref(v, s.admin.mustScheduleGroup(p.group, ext), ext, p.group))
		}},
		{op: "showAgentGroupState", request: func(_ *cellSetup, p *place, v naming) string {
			return ag(group(p, v))
		}},
		{op: "listAgentGroupStates", request: func(_ *cellSetup, p *place, v naming) string {
			return orgRef(account(p, v))
		}},
		{op: "changeAgentGroupState", request: func(_ *cellSetup, p *place, v naming) string {
			return el("agentGroupState", ag(group(p, v)), el("currentStartTime", "2026-01-01T09:00:00Z"))
		}},
		{op: "createAgents", request: func(s *cellSetup, p *place, v naming) string {
			id, _ := s.user(p)
			return el("agents", iid(id)) + ag(group(p, v))
		}},
		{op: "createAgentsUsingString", request: func(s *cellSetup, p *place, v naming) string {
			_, ext := s.user(p)
			return el("agents", ext) + ag(group(p, v))
		}},
		{op: "deleteAgents", request: func(s *cellSetup, p *place, v naming) string {
			id, ext := s.user(p)
			createAgent(s.admin, id, p.group, p.sg)
			return el("agents", ref(v, id, ext, p.acct))
		}},
		{op: "showAgentStateUsingUser", request: func(_ *cellSetup, p *place, v naming) string {
			return el("agent", ref(v, p.user, p.userExt, p.acct))
		}},
		{op: "showAgentStateUsingDevice", request: func(_ *cellSetup, p *place, v naming) string {
			return el("device", xid(p.deviceExt)) + orgRef(account(p, v))
		}},
		{op: "listAgentStatesUsingEntity", request: func(_ *cellSetup, p *place, v naming) string {
			return el("baseEntity", group(p, v))
		}},
		{op: "changeAgentState", names: []naming{byID}, request: func(_ *cellSetup, p *place, _ naming) string {
			return el("agentState", iid(p.agent), el("requestedAction", "NONE"))
		}},
		{op: "acquireAgent", request: func(_ *cellSetup, p *place, v naming) string {
			return el("agentState", el("currentScheduleGroup", ref(v, p.sg, p.sgExt, p.group)))
		}},
		{op: "releaseAgent", request: func(_ *cellSetup, p *place, v naming) string {
			if v == byID {
				return el("agentState", iid(p.agent))
			}
			return el("agentState", el("agent", ref(v, p.user, p.userExt, p.acct)))
		}},
	}
}
