package provisioning

import (
	"errors"
	"fmt"
	"math"
)

// A caller with a scope sees only what is inside it: for an Enterprise, the Enterprise, its
// Accounts and everything in them; for an Account, the Account and everything in it. The
// scope is enforced in one place, scopedTx: every operation reaches the store through it (see
// call), and each of its lookups answers for what is outside the scope exactly what it answers
// for what does not exist. A lookup by id finds nothing (ErrNotFound, which the resolvers
// report as OBJECT_NOT_EXISTS naming the id the client sent); a finder or a list leaves it out,
// so that an externalId is neither found nor made ambiguous by entities outside the scope.
//
// What a lookup does takes the same work whether the entity is absent, outside the scope or
// inside it: the scope's Accounts are read once when the call begins, so that deciding
// whether something is inside is a map lookup, not a query that only found rows would make.
// Finders for an externalId without a parent look in each Account of the scope rather than
// everywhere, so that their cost depends only on what is inside the scope (the finders' two
// rows could otherwise be filled by entities outside it).
//
// Writes, counts and the other methods are passed through: they are only ever given ids that
// a lookup through the scope returned.

// scope is the part of the system a caller may see.
type scope struct {
	// org is the scope's organization; its ID is 0 for the whole system.
	org Org
	// gone is true when the scope's organization no longer exists: nothing is inside.
	gone bool
	// accounts are the ids of the Accounts inside the scope, in the order they were created;
	// in is the same as a set.
	accounts []int64
	in       map[int64]bool
}

// newScope reads the scope of the organization orgID (0: the whole system) in tx.
func newScope(tx Tx, orgID int64) (*scope, error) {
	sc := &scope{in: map[int64]bool{}}
	if orgID == 0 {
		return sc, nil
	}
	o, err := tx.Org(orgID)
	switch {
	case errors.Is(err, ErrNotFound):
		sc.org.ID, sc.gone = orgID, true
		return sc, nil
	case err != nil:
		return nil, err
	}
	sc.org = o
	sc.accounts = []int64{o.ID}
	if o.Type == Enterprise {
		if sc.accounts, err = tx.AccountsOf(o.ID); err != nil {
			return nil, err
		}
	}
	for _, id := range sc.accounts {
		sc.in[id] = true
	}
	return sc, nil
}

// all reports whether the scope is the whole system.
func (sc *scope) all() bool { return sc.org.ID == 0 }

// hasAccount reports whether the Account accountID is inside the scope.
func (sc *scope) hasAccount(accountID int64) bool { return sc.all() || sc.in[accountID] }

// hasOrg reports whether an organization is inside the scope.
func (sc *scope) hasOrg(o Org) bool {
	if o.Type == Enterprise {
		return sc.all() || (!sc.gone && o.ID == sc.org.ID)
	}
	return sc.hasAccount(o.ID)
}

// outside is the error of a lookup by id of an entity outside the scope: the one of an
// entity that does not exist.
func outside(kind string, id int64) error {
	return fmt.Errorf("%w: %s %d", ErrNotFound, kind, id)
}

// scopedTx is a Tx that sees only what is inside a scope.
type scopedTx struct {
	Tx
	sc *scope
}

// withScope returns tx as the caller whose scope is the organization orgID sees it: tx itself
// for the whole system.
func withScope(tx Tx, orgID int64) (Tx, error) {
	if orgID == 0 {
		return tx, nil
	}
	sc, err := newScope(tx, orgID)
	if err != nil {
		return nil, err
	}
	return scopedTx{Tx: tx, sc: sc}, nil
}

// Org returns the organization with this id when it is inside the scope.
func (t scopedTx) Org(id int64) (Org, error) {
	o, err := t.Tx.Org(id)
	if err == nil && !t.sc.hasOrg(o) {
		return Org{}, outside("org", id)
	}
	return o, err
}

// FindOrgs returns the organizations inside the scope with this externalId under parentID
// (0: anywhere inside the scope).
func (t scopedTx) FindOrgs(parentID int64, externalID string) ([]Org, error) {
	if parentID != 0 {
		found, err := t.Tx.FindOrgs(parentID, externalID)
		return filter(found, t.sc.hasOrg), err
	}
	var found []Org
	if !t.sc.gone && t.sc.org.ExternalID == externalID {
		found = append(found, t.sc.org)
	}
	if t.sc.org.Type == Enterprise {
		accounts, err := t.Tx.FindOrgs(t.sc.org.ID, externalID)
		if err != nil {
			return nil, err
		}
		found = append(found, accounts...)
	}
	return found[:min(len(found), 2)], nil
}

// User returns the user with this id when its Account is inside the scope.
func (t scopedTx) User(id int64) (User, error) {
	u, err := t.Tx.User(id)
	if err == nil && !t.sc.hasAccount(u.AccountID) {
		return User{}, outside("user", id)
	}
	return u, err
}

// FindUsers returns the users inside the scope with this externalId in accountID (0: in any
// Account of the scope).
func (t scopedTx) FindUsers(accountID int64, externalID string) ([]User, error) {
	return findIn(t.sc, accountID, externalID, t.Tx.FindUsers, func(u User) int64 { return u.AccountID })
}

// UsersByExternalID returns the users of an Account inside the scope that have these
// externalIds; none for an Account outside it.
func (t scopedTx) UsersByExternalID(accountID int64, externalIDs []string) (map[string]User, error) {
	if !t.sc.hasAccount(accountID) {
		return map[string]User{}, nil
	}
	return t.Tx.UsersByExternalID(accountID, externalIDs)
}

// AgentGroup returns the agent group with this id when its Account is inside the scope.
func (t scopedTx) AgentGroup(id int64) (AgentGroup, error) {
	g, err := t.Tx.AgentGroup(id)
	if err == nil && !t.sc.hasAccount(g.AccountID) {
		return AgentGroup{}, outside("agent group", id)
	}
	return g, err
}

// FindAgentGroups returns the agent groups inside the scope with this externalId in
// accountID (0: in any Account of the scope).
func (t scopedTx) FindAgentGroups(accountID int64, externalID string) ([]AgentGroup, error) {
	return findIn(t.sc, accountID, externalID, t.Tx.FindAgentGroups, func(g AgentGroup) int64 { return g.AccountID })
}

// ListAgentGroups returns the agent groups of an Account inside the scope.
func (t scopedTx) ListAgentGroups(accountID int64, limit int) ([]AgentGroup, error) {
	found, err := t.Tx.ListAgentGroups(accountID, limit)
	return filter(found, func(g AgentGroup) bool { return t.sc.hasAccount(g.AccountID) }), err
}

// ScheduleGroup returns the schedule group with this id when its agent group is inside the
// scope.
func (t scopedTx) ScheduleGroup(id int64) (ScheduleGroup, error) {
	sg, err := t.Tx.ScheduleGroup(id)
	// The agent group is read even when there is no schedule group (as id 0, which names
	// nothing), so that one outside the scope costs what one that does not exist costs.
	g, gerr := t.Tx.AgentGroup(sg.AgentGroupID)
	switch {
	case err != nil:
		return ScheduleGroup{}, err
	case gerr != nil:
		return ScheduleGroup{}, gerr
	case !t.sc.hasAccount(g.AccountID):
		return ScheduleGroup{}, outside("schedule group", id)
	}
	return sg, nil
}

// FindScheduleGroups returns the schedule groups inside the scope with this externalId in
// agentGroupID (0: in any agent group of the scope).
func (t scopedTx) FindScheduleGroups(agentGroupID int64, externalID string) ([]ScheduleGroup, error) {
	if agentGroupID != 0 {
		found, err := t.Tx.FindScheduleGroups(agentGroupID, externalID)
		if err != nil {
			return nil, err
		}
		g, err := t.Tx.AgentGroup(agentGroupID)
		if errors.Is(err, ErrNotFound) || (err == nil && !t.sc.hasAccount(g.AccountID)) {
			return nil, nil
		}
		return found, err
	}
	var found []ScheduleGroup
	for _, accountID := range t.sc.accounts {
		groups, err := t.Tx.ListAgentGroups(accountID, math.MaxInt32)
		if err != nil {
			return nil, err
		}
		for _, g := range groups {
			in, err := t.Tx.FindScheduleGroups(g.ID, externalID)
			if err != nil {
				return nil, err
			}
			found = append(found, in...)
		}
	}
	return found[:min(len(found), 2)], nil
}

// Agent returns the agent with this id when its Account is inside the scope.
func (t scopedTx) Agent(id int64) (Agent, error) {
	return t.agent(t.Tx.Agent(id))
}

// AgentByUser returns the agent that a user is when its Account is inside the scope.
func (t scopedTx) AgentByUser(userID int64) (Agent, error) {
	return t.agent(t.Tx.AgentByUser(userID))
}

// NextIdleAgent returns the next agent of a schedule group inside the scope to acquire.
func (t scopedTx) NextIdleAgent(scheduleGroupID int64) (Agent, error) {
	return t.agent(t.Tx.NextIdleAgent(scheduleGroupID))
}

// agent passes on an agent a lookup found when its Account is inside the scope.
func (t scopedTx) agent(a Agent, err error) (Agent, error) {
	if err == nil && !t.sc.hasAccount(a.User.AccountID) {
		return Agent{}, outside("agent", a.ID)
	}
	return a, err
}

// AgentsByDevice returns the agents Direct Connected now to a device in the accounts that
// are inside the scope.
func (t scopedTx) AgentsByDevice(accountIDs []int64, deviceExternalID string, limit int) ([]Agent, error) {
	return t.Tx.AgentsByDevice(filter(accountIDs, t.sc.hasAccount), deviceExternalID, limit)
}

// ListAgents returns the agents of an agent group or an Account inside the scope.
func (t scopedTx) ListAgents(accountID, groupID int64, limit int) ([]Agent, error) {
	found, err := t.Tx.ListAgents(accountID, groupID, limit)
	return filter(found, func(a Agent) bool { return t.sc.hasAccount(a.User.AccountID) }), err
}

// AccountsOf returns the ids of an Enterprise's accounts that are inside the scope.
func (t scopedTx) AccountsOf(enterpriseID int64) ([]int64, error) {
	ids, err := t.Tx.AccountsOf(enterpriseID)
	return filter(ids, t.sc.hasAccount), err
}

// findIn runs a finder of entities of an Account for the scope: in accountID when it is
// given, in each Account of the scope otherwise, and keeps at most two entities inside the
// scope.
func findIn[T any](sc *scope, accountID int64, externalID string, find func(int64, string) ([]T, error), account func(T) int64) ([]T, error) {
	if sc.all() || accountID != 0 {
		found, err := find(accountID, externalID)
		return filter(found, func(v T) bool { return sc.hasAccount(account(v)) }), err
	}
	var found []T
	for _, id := range sc.accounts {
		in, err := find(id, externalID)
		if err != nil {
			return nil, err
		}
		found = append(found, in...)
	}
	return found[:min(len(found), 2)], nil
}
