package provisioning

import (
	"context"
	"errors"
	"slices"
)

// DeleteAgents removes agents (their users stay), each on its own, failures as warnings.
//
// Codes of the call: ARG_NULL, ARG_TOO_LARGE. Codes of an item: ARG_NULL, ATTRIBUTE_NULL,
// ARG_INVALID_CHAR, ARG_INVALID_TYPE, OBJECT_NOT_EXISTS (no such user, or the user is no
// agent).
func (s *Service) DeleteAgents(ctx context.Context, users []*Ref) ([]Warning, error) {
	c, err := s.authorize(ctx, "deleteAgents")
	if err != nil {
		return nil, err
	}
	if err := s.checkBatch(len(users), "agents"); err != nil {
		return nil, err
	}
	var warnings []Warning
	err = c.write(func(tx Tx) (err error) {
		warnings, err = eachItem(tx, len(users), func(i int) error {
			u, err := resolveUser(tx, users[i], "agents", 0)
			if err != nil {
				return err
			}
			err = tx.DeleteAgentOfUser(u.ID)
			if errors.Is(err, ErrNotFound) {
				return Errorf(ObjectNotExists, u.ExternalID)
			}
			return err
		})
		return err
	})
	return warnings, err
}

// agentOfUser finds the agent a user reference names: OBJECT_NOT_EXISTS when the user is no
// agent.
func agentOfUser(tx Tx, ref *Ref, arg string) (Agent, error) {
	u, err := resolveUser(tx, ref, arg, 0)
	if err != nil {
		return Agent{}, err
	}
	a, err := tx.AgentByUser(u.ID)
	if errors.Is(err, ErrNotFound) {
		return Agent{}, Errorf(ObjectNotExists, u.ExternalID)
	}
	return a, err
}

// ShowAgentStateUsingUser returns the state of the agent a user reference names.
//
// Codes: ARG_NULL, ATTRIBUTE_NULL, ARG_INVALID_CHAR, ARG_INVALID_TYPE, OBJECT_NOT_EXISTS.
func (s *Service) ShowAgentStateUsingUser(ctx context.Context, user *Ref) (Agent, error) {
	c, err := s.authorize(ctx, "showAgentStateUsingUser")
	if err != nil {
		return Agent{}, err
	}
	var a Agent
	err = c.read(func(tx Tx) (err error) {
		a, err = agentOfUser(tx, user, "agent")
		return err
	})
	return s.shown(a), err
}

// ShowAgentStateUsingDevice returns the state of the agent Direct Connected now to a device
// of an Account (or of any Account of an Enterprise); found is false when there is none.
//
// Codes: ARG_NULL (no device, no org), ATTRIBUTE_NULL (no device externalId),
// ARG_INVALID_CHAR, ARG_INVALID_TYPE (org is not an Account or an Enterprise),
// OBJECT_NOT_EXISTS (org).
func (s *Service) ShowAgentStateUsingDevice(ctx context.Context, device *Ref, org *Ref) (a Agent, found bool, err error) {
	c, err := s.authorize(ctx, "showAgentStateUsingDevice")
	if err != nil {
		return Agent{}, false, err
	}
	if device == nil {
		return Agent{}, false, Errorf(ArgNull, "device")
	}
	if device.ExternalID == "" {
		return Agent{}, false, Errorf(AttributeNull, "externalId")
	}
	if err := checkExternalID(device.ExternalID, "externalId"); err != nil {
		return Agent{}, false, err
	}
	err = c.read(func(tx Tx) error {
		if ref := refInternalID(org); ref != "" {
			if k, _, ok := parseID(ref); ok && k != KindOrg {
				return Errorf(ArgInvalidType, "org")
			}
		}
		o, err := resolveOrg(tx, org, "org")
		if err != nil {
			return err
		}
		accounts := []int64{o.ID}
		if o.Type == Enterprise {
			if accounts, err = tx.AccountsOf(o.ID); err != nil {
				return err
			}
		}
		agents, err := tx.AgentsByDevice(accounts, device.ExternalID, 1)
		if len(agents) > 0 {
			a, found = agents[0], true
		}
		return err
	})
	return s.shown(a), found, err
}

// ListAgentStatesUsingEntity returns the states of the agents of an agent group or of an
// Account, ordered by the agent's externalId.
//
// Codes: ARG_NULL, ATTRIBUTE_NULL, ARG_INVALID_CHAR, ARG_INVALID_TYPE (neither an agent group
// nor an Account), OBJECT_NOT_EXISTS, RESULT_TOO_LARGE (more agents than a list may return).
func (s *Service) ListAgentStatesUsingEntity(ctx context.Context, entity *Ref) ([]Agent, error) {
	c, err := s.authorize(ctx, "listAgentStatesUsingEntity")
	if err != nil {
		return nil, err
	}
	var agents []Agent
	err = c.read(func(tx Tx) error {
		accountID, groupID, err := resolveAgentContainer(tx, entity)
		if err != nil {
			return err
		}
		agents, err = tx.ListAgents(accountID, groupID, s.limits.ResultsPerList+1)
		if err != nil {
			return err
		}
		if len(agents) > s.limits.ResultsPerList {
			return Errorf(ResultTooLarge, "baseEntity")
		}
		return nil
	})
	return s.shownAll(agents), err
}

// resolveAgentContainer finds the agent group or Account a base entity names: by the kind
// of its internalId, by its type, or by its parent's type (an Enterprise's child is an
// Account, an Account's child an agent group).
func resolveAgentContainer(tx Tx, ref *Ref) (accountID, groupID int64, err error) {
	const arg = "baseEntity"
	if err := checkRef(ref, arg); err != nil {
		return 0, 0, err
	}
	asGroup := func() (int64, int64, error) {
		g, err := resolveAgentGroup(tx, ref, arg)
		return g.AccountID, g.ID, err
	}
	asAccount := func() (int64, int64, error) {
		o, err := resolveAccount(tx, &Ref{InternalID: ref.InternalID, ExternalID: ref.ExternalID, Parent: ref.Parent}, arg)
		return o.ID, 0, err
	}
	if ref.InternalID != "" {
		k, _, ok := parseID(ref.InternalID)
		switch {
		case !ok:
			return 0, 0, Errorf(ObjectNotExists, ref.InternalID)
		case k == KindAgentGroup:
			return asGroup()
		case k == KindOrg:
			return asAccount()
		}
		return 0, 0, Errorf(ArgInvalidType, arg)
	}
	switch ref.Type {
	case entityAgentGroup:
		return asGroup()
	case string(Account):
		return asAccount()
	case "":
	default:
		return 0, 0, Errorf(ArgInvalidType, arg)
	}
	if ref.Parent != nil {
		parent, err := resolveOrg(tx, ref.Parent, "parent")
		if err != nil {
			return 0, 0, err
		}
		if parent.Type == Enterprise {
			return asAccount()
		}
		return asGroup()
	}
	// Neither type nor parent: the externalId must name exactly one Account or agent group.
	groups, err := tx.FindAgentGroups(0, ref.ExternalID)
	if err != nil {
		return 0, 0, err
	}
	orgs, err := tx.FindOrgs(0, ref.ExternalID)
	if err != nil {
		return 0, 0, err
	}
	accounts := filter(orgs, func(o Org) bool { return o.Type == Account })
	switch {
	case len(groups)+len(accounts) > 1:
		return 0, 0, Errorf(ArgNull, "parent")
	case len(groups) == 1:
		return groups[0].AccountID, groups[0].ID, nil
	case len(accounts) == 1:
		return accounts[0].ID, 0, nil
	case len(orgs) > 0:
		return 0, 0, Errorf(ArgInvalidType, arg)
	}
	return 0, 0, Errorf(ObjectNotExists, ref.ExternalID)
}

// shown returns an agent as it is shown now: an over-long break reads as NOT_READY.
func (s *Service) shown(a Agent) Agent {
	a.WorkState = a.EffectiveWorkState(s.now())
	return a
}

// shownAll returns a list of agents as shown at this moment (see shown) without modifying
// it, since the store may share it: the list itself when no agent reads otherwise, as almost
// always, and a copy otherwise.
func (s *Service) shownAll(agents []Agent) []Agent {
	now := s.now()
	for i := range agents {
		if agents[i].EffectiveWorkState(now) != agents[i].WorkState {
			shown := slices.Clone(agents)
			for j := i; j < len(shown); j++ {
				shown[j].WorkState = shown[j].EffectiveWorkState(now)
			}
			return shown
		}
	}
	return agents
}
