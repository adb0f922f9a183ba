package provisioning

import (
	"context"
	"errors"
	"time"
)

// AgentStateInput is an agent state as a client sends it.
type AgentStateInput struct {
	InternalID           string
	Agent                *UserInput // the agent's user attributes, as sent
	AgentRef             *Ref       // the agent's user, as a reference
	AgentGroup           *Ref
	CurrentScheduleGroup *Ref
	CurrentWorkState     string
	RequestedWorkState   string
	RequestedAction      string
	ContactState         string // currentContactState.state
	Device               *Ref   // currentContactState.device
	CurrentPhoneNumber   string
}

// newAgent is one agent to create: its user and what its item sets on top of the initial
// state. err, when set, fails the item (a malformed record of the agents string).
type newAgent struct {
	user               *Ref
	phone              string
	registrationMethod string
	loginEnabled       string // xs:boolean, "" to leave the user's as it is
	scheduleGroup      string // externalId, "" for the initial state's
	err                error
}

// initialState is the checked initial state of a createAgents call.
type initialState struct {
	workState     WorkState // "" for the group's initial work state
	scheduleGroup ScheduleGroup
	phone         string
	attributes    []Attribute
}

// CreateAgents makes existing AGENT users agents of an agent group, each on its own: the
// created agents' states are returned in request order and each failed one is a warning.
//
// Codes of the call: ARG_NULL (no agents, no agentGroup), ARG_TOO_LARGE (more agents than the
// per-call limit), ARG_INVALID_TYPE, ARG_INVALID_CHAR, ATTRIBUTE_NULL and OBJECT_NOT_EXISTS
// (agentGroup, currentScheduleGroup),
// ARG_INVALID_DATA (an initial state value; a currentScheduleGroup named by externalId alone is
// looked for in agentGroup). Codes of an item: ATTRIBUTE_NULL (neither internalId nor
// externalId), ARG_INVALID_CHAR, ARG_TOO_LARGE (an externalId over 64 characters),
// ARG_INVALID_TYPE, ARG_INVALID_DATA, OBJECT_NOT_EXISTS (no such user in the group's Account),
// INVALID_OBJECT_TYPE (not an AGENT user), OBJECT_EXISTS (already an agent, or its phone number
// is another agent's), SYSTEM_LIMIT_EXCEEDED (the Account has the most agents it may have).
func (s *Service) CreateAgents(ctx context.Context, users []*Ref, group *Ref, initial *AgentStateInput) ([]Agent, []Warning, error) {
	c, err := s.authorize(ctx, "createAgents")
	if err != nil {
		return nil, nil, err
	}
	if err := s.checkBatch(len(users), "agents"); err != nil {
		return nil, nil, err
	}
	items := make([]newAgent, len(users))
	for i, u := range users {
		items[i].user = u
	}
	return s.createAgents(c, items, group, initial)
}

// createAgents creates the agents of a createAgents or createAgentsUsingString call.
func (s *Service) createAgents(c *call, items []newAgent, groupRef *Ref, in *AgentStateInput) ([]Agent, []Warning, error) {
	if groupRef == nil {
		return nil, nil, Errorf(ArgNull, "agentGroup")
	}
	var created []Agent
	var warnings []Warning
	err := c.write(func(tx Tx) error {
		created = make([]Agent, 0, len(items))
		group, err := resolveAgentGroup(tx, groupRef, "agentGroup")
		if err != nil {
			return err
		}
		initial, err := checkInitialState(tx, &group, in)
		if err != nil {
			return err
		}
		count, err := tx.CountAgents(group.AccountID)
		if err != nil {
			return err
		}
		known, err := knownUsers(tx, group.AccountID, items)
		if err != nil {
			return err
		}
		now := s.now()
		warnings, err = eachItem(tx, len(items), func(i int) error {
			a, err := s.createAgent(tx, &group, &initial, &items[i], known, count, now)
			if err != nil {
				return err
			}
			count++
			created = append(created, a)
			return nil
		})
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return created, warnings, nil
}

// checkInitialState checks the initial state of a createAgents call against its group.
func checkInitialState(tx Tx, group *AgentGroup, in *AgentStateInput) (initialState, error) {
	var st initialState
	if in == nil {
		return st, nil
	}
	switch ws := WorkState(in.CurrentWorkState); ws {
	case "":
	case LoggedOut, NotReady, Ready, Break:
		st.workState = ws
	default:
		return st, Errorf(ArgInvalidData, "currentWorkState")
	}
	if ref := in.CurrentScheduleGroup; ref != nil {
		if ref.InternalID == "" && ref.Parent == nil {
			// The call's agent group is the scope of a schedule group named by externalId.
			scoped := *ref
			scoped.Parent = &Ref{InternalID: group.InternalID()}
			ref = &scoped
		}
		sg, err := resolveScheduleGroup(tx, ref, "currentScheduleGroup")
		if err != nil {
			return st, err
		}
		if sg.AgentGroupID != group.ID {
			return st, Errorf(ArgInvalidData, "currentScheduleGroup")
		}
		st.scheduleGroup = sg
	}
	if in.CurrentPhoneNumber != "" && !validPhoneNumber(in.CurrentPhoneNumber) {
		return st, Errorf(ArgInvalidData, "currentPhoneNumber")
	}
	st.phone = in.CurrentPhoneNumber
	if in.Agent != nil {
		attributes, err := checkAttributes(in.Agent.Attributes)
		if err != nil {
			return st, Errorf(ArgInvalidData, ErrorArg(err))
		}
		st.attributes = attributes
	}
	return st, nil
}

// batchUsers are the users of the group's Account that a batch's items name by externalId
// alone, the way most batches name them, and which of them are agents, found in two look-ups
// for the whole batch.
type batchUsers struct {
	byName map[string]User
	agents map[int64]bool
}

// knownUsers finds the batchUsers of items.
func knownUsers(tx Tx, accountID int64, items []newAgent) (batchUsers, error) {
	var names []string
	for i := range items {
		if name, ok := plainExternalID(items[i].user); ok && items[i].err == nil {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return batchUsers{}, nil
	}
	users, err := tx.UsersByExternalID(accountID, names)
	if err != nil || len(users) == 0 {
		return batchUsers{byName: users}, err
	}
	ids := make([]int64, 0, len(users))
	for _, u := range users {
		ids = append(ids, u.ID)
	}
	agents, err := tx.AgentUsers(ids)
	return batchUsers{byName: users, agents: agents}, err
}

// plainExternalID returns the externalId of a reference that names a user by it alone.
func plainExternalID(ref *Ref) (string, bool) {
	if ref == nil || ref.InternalID != "" || ref.Parent != nil || !ValidExternalID(ref.ExternalID) {
		return "", false
	}
	return ref.ExternalID, true
}

// createAgent creates one agent; count is how many agents the group's Account has now. A
// user found in known is taken from there, with whether it is an agent, once: a user named
// again is looked up afresh, so that it reflects what the earlier item did. (No other item
// of the batch makes a user an agent or not.)
func (s *Service) createAgent(tx Tx, group *AgentGroup, initial *initialState, item *newAgent, known batchUsers, count int, now time.Time) (Agent, error) {
	if item.err != nil {
		return Agent{}, item.err
	}
	name, _ := plainExternalID(item.user)
	u, found := known.byName[name]
	if found {
		delete(known.byName, name)
	} else {
		var err error
		if u, err = resolveUser(tx, item.user, "agents", group.AccountID); err != nil {
			return Agent{}, err
		}
	}
	if u.AccountID != group.AccountID {
		return Agent{}, Errorf(ObjectNotExists, refName(item.user))
	}
	if u.Type != UserAgent {
		return Agent{}, Errorf(InvalidObjectType, u.ExternalID)
	}
	agent := known.agents[u.ID]
	if !found {
		var err error
		if agent, err = tx.UserIsAgent(u.ID); err != nil {
			return Agent{}, err
		}
	}
	if agent {
		return Agent{}, Errorf(ObjectExists, u.ExternalID)
	}
	if count >= s.limits.AgentsPerAccount {
		return Agent{}, Errorf(SystemLimitExceeded, "agents")
	}
	a := Agent{
		AgentGroupID: group.ID, AgentGroupExternalID: group.ExternalID, MaxBreakTime: group.MaxBreakTime,
		RequestedAction: NoAction, ContactState: Idle, PhoneNumber: initial.phone,
		ScheduleGroupID: initial.scheduleGroup.ID, ScheduleGroupExternalID: initial.scheduleGroup.ExternalID,
		StateChanged: now, IdleSince: now, Created: now,
	}
	if item.phone != "" {
		a.PhoneNumber = item.phone
	}
	if err := checkPhoneFree(tx, group.AccountID, a.PhoneNumber, 0); err != nil {
		return Agent{}, err
	}
	if item.scheduleGroup != "" {
		found, err := tx.FindScheduleGroups(group.ID, item.scheduleGroup)
		if err != nil {
			return Agent{}, err
		}
		sg, err := pickOne(found, item.scheduleGroup)
		if err != nil {
			return Agent{}, err
		}
		a.ScheduleGroupID, a.ScheduleGroupExternalID = sg.ID, sg.ExternalID
	}
	if err := applyUserChanges(tx, &u, initial.attributes, item); err != nil {
		return Agent{}, err
	}
	a.User = u
	a.WorkState = initial.workState
	if a.WorkState == "" {
		a.WorkState = group.InitialWorkState
	}
	if !u.LoginEnabled {
		a.WorkState = LoggedOut
	}
	return a, insert(tx.InsertAgent, &a, u.ExternalID)
}

// applyUserChanges stores what creating an agent changes on its user: the initial state's
// attributes, then the item's registrationMethod and loginEnabled.
func applyUserChanges(tx Tx, u *User, attributes []Attribute, item *newAgent) error {
	changed := false
	for _, a := range attributes {
		changed = setAttribute(u, a.Name, a.Value) || changed
	}
	if item.registrationMethod != "" {
		changed = setAttribute(u, RegistrationMethod, item.registrationMethod) || changed
	}
	if item.loginEnabled != "" {
		enabled, _ := parseBool(item.loginEnabled)
		changed = changed || enabled != u.LoginEnabled
		u.LoginEnabled = enabled
	}
	if !changed {
		return nil
	}
	return tx.UpdateUser(u)
}

// setAttribute sets a user's attribute and reports whether that changed it.
func setAttribute(u *User, name, value string) bool {
	for i := range u.Attributes {
		if u.Attributes[i].Name == name {
			changed := u.Attributes[i].Value != value
			u.Attributes[i].Value = value
			return changed
		}
	}
	u.Attributes = append(u.Attributes, Attribute{Name: name, Value: value})
	return true
}

// checkPhoneFree refuses a phone number that another agent (not agentID) of the Account holds.
func checkPhoneFree(tx Tx, accountID int64, phone string, agentID int64) error {
	if phone == "" {
		return nil
	}
	other, err := tx.AgentIDByPhone(accountID, phone)
	switch {
	case errors.Is(err, ErrNotFound):
		return nil
	case err != nil:
		return err
	case other != agentID:
		return Errorf(ObjectExists, phone)
	}
	return nil
}

// validPhoneNumber reports whether s is an E.164 number: + and 2 to 15 digits, the first not 0.
func validPhoneNumber(s string) bool {
	if len(s) < 3 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// refName returns what names a reference in a message: its externalId, or its internalId.
func refName(ref *Ref) string {
	if ref.ExternalID != "" {
		return ref.ExternalID
	}
	return ref.InternalID
}
