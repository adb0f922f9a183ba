package provisioning

import "context"

// Authorization. Every operation first checks its caller, the Caller its context carries
// (see WithCaller): a call without a caller, or by a caller whose role does not allow the
// operation, fails with PERMISSION_DENIED naming the operation, before anything else is
// checked or read. The roles allow:
//
//	operation                                   READ_ONLY  PROVISIONING  ADMINISTRATOR
//	showOrg, showUser, showAgentGroup,          yes        yes           yes
//	showScheduleGroup, showAgentGroupState,
//	listAgentGroupStates,
//	showAgentStateUsingUser,
//	showAgentStateUsingDevice,
//	listAgentStatesUsingEntity
//	createUsers, deleteUsers,                   no         yes           yes
//	createAgentGroup, changeAgentGroup,
//	deleteAgentGroup, createScheduleGroup,
//	deleteScheduleGroup, changeAgentGroupState,
//	createAgents, createAgentsUsingString,
//	deleteAgents, changeAgentState,
//	acquireAgent, releaseAgent
//	createOrg, deleteOrg of an Account          no         no            yes
//	createOrg, deleteOrg of an Enterprise       no         no            unscoped only
//
// A scoped caller (Caller.ScopeOrgID) sees and changes only what is inside its scope (see
// scope): anything outside it is reported exactly as if it did not exist. A scoped
// ADMINISTRATOR asking to create an Enterprise, or to delete the organization that is its
// scope, is refused with PERMISSION_DENIED: it creates and deletes the Accounts of its
// Enterprise only.

// minimumRole returns the least role that may call an operation; ok is false for an
// operation the table does not know, which nobody may call.
func minimumRole(op string) (r Role, ok bool) {
	switch op {
	case "showOrg", "showUser", "showAgentGroup", "showScheduleGroup", "showAgentGroupState",
		"listAgentGroupStates", "showAgentStateUsingUser", "showAgentStateUsingDevice",
		"listAgentStatesUsingEntity":
		return ReadOnly, true
	case "createUsers", "deleteUsers", "createAgentGroup", "changeAgentGroup", "deleteAgentGroup",
		"createScheduleGroup", "deleteScheduleGroup", "changeAgentGroupState", "createAgents",
		"createAgentsUsingString", "deleteAgents", "changeAgentState", "acquireAgent", "releaseAgent":
		return Provisioning, true
	case "createOrg", "deleteOrg":
		return Administrator, true
	}
	return "", false
}

// rank orders the roles, each allowing what the ones below it allow; 0 for a role that is
// none of them.
func rank(r Role) int {
	switch r {
	case ReadOnly:
		return 1
	case Provisioning:
		return 2
	case Administrator:
		return 3
	}
	return 0
}

// call is one authorized call of an operation: the operation, its context and its caller.
// The operation reaches the store only through read and write, which show it the store as
// its caller's scope lets the caller see it.
type call struct {
	s      *Service
	ctx    context.Context
	op     string
	caller Caller
}

// authorize checks that the caller the context carries may call op: PERMISSION_DENIED naming
// op when there is no caller or its role does not allow op.
func (s *Service) authorize(ctx context.Context, op string) (*call, error) {
	c, ok := CallerFrom(ctx)
	need, known := minimumRole(op)
	if !ok || !known || rank(c.Role) < rank(need) {
		return nil, Errorf(PermissionDenied, op)
	}
	return &call{s: s, ctx: ctx, op: op, caller: c}, nil
}

// scoped reports whether the caller is limited to a scope.
func (c *call) scoped() bool { return c.caller.ScopeOrgID != 0 }

// denied is PERMISSION_DENIED for the call's operation.
func (c *call) denied() error { return Errorf(PermissionDenied, c.op) }

// read runs fn in a read-only transaction, through the caller's scope.
func (c *call) read(fn func(Tx) error) error {
	return c.s.store.Read(c.ctx, c.inScope(fn))
}

// write runs fn in a write transaction, through the caller's scope.
func (c *call) write(fn func(Tx) error) error {
	return c.s.store.Write(c.ctx, c.inScope(fn))
}

// inScope returns fn run on the transaction as the caller's scope lets it be seen.
func (c *call) inScope(fn func(Tx) error) func(Tx) error {
	return func(tx Tx) error {
		scoped, err := withScope(tx, c.caller.ScopeOrgID)
		if err != nil {
			return err
		}
		return fn(scoped)
	}
}
