package provisioning

import (
	"context"
	"time"
)

// AgentGroupStateInput is an agent group state as a client sends it to changeAgentGroupState.
type AgentGroupStateInput struct {
	AgentGroup       *Ref
	State            string
	AllocatedCount   string // xs:int
	CurrentStartTime string // xs:dateTime
	CurrentEndTime   string // xs:dateTime
}

// ShowAgentGroupState returns an agent group's state and counts.
//
// Codes: those of a reference (ARG_NULL, ATTRIBUTE_NULL, ARG_INVALID_CHAR,
// ARG_TOO_LARGE, ARG_INVALID_TYPE, ARG_INVALID_DATA, OBJECT_NOT_EXISTS; see Ref).
func (s *Service) ShowAgentGroupState(ctx context.Context, ref *Ref) (AgentGroupState, error) {
	c, err := s.authorize(ctx, "showAgentGroupState")
	if err != nil {
		return AgentGroupState{}, err
	}
	var st AgentGroupState
	err = c.read(func(tx Tx) error {
		g, err := resolveAgentGroup(tx, ref, "agentGroup")
		if err != nil {
			return err
		}
		st, err = s.groupState(tx, g)
		return err
	})
	return st, err
}

// ListAgentGroupStates returns the states of the agent groups of an Account ordered by
// externalId, or the state of one agent group named by its internalId.
//
// Codes: those of a reference (ARG_NULL, ATTRIBUTE_NULL, ARG_INVALID_CHAR,
// ARG_TOO_LARGE, ARG_INVALID_TYPE, ARG_INVALID_DATA, OBJECT_NOT_EXISTS; see Ref);
// ARG_INVALID_TYPE also for an Enterprise; RESULT_TOO_LARGE (more groups than a list may
// return).
func (s *Service) ListAgentGroupStates(ctx context.Context, ref *Ref) ([]AgentGroupState, error) {
	c, err := s.authorize(ctx, "listAgentGroupStates")
	if err != nil {
		return nil, err
	}
	var states []AgentGroupState
	err = c.read(func(tx Tx) error {
		var groups []AgentGroup
		if k, _, ok := parseID(refInternalID(ref)); ok && k == KindAgentGroup {
			g, err := resolveAgentGroup(tx, ref, "org")
			if err != nil {
				return err
			}
			groups = []AgentGroup{g}
		} else {
			account, err := resolveAccount(tx, ref, "org")
			if err != nil {
				return err
			}
			if groups, err = tx.ListAgentGroups(account.ID, s.limits.ResultsPerList+1); err != nil {
				return err
			}
			if len(groups) > s.limits.ResultsPerList {
				return Errorf(ResultTooLarge, "org")
			}
		}
		states = make([]AgentGroupState, 0, len(groups))
		for _, g := range groups {
			st, err := s.groupState(tx, g)
			if err != nil {
				return err
			}
			states = append(states, st)
		}
		return nil
	})
	return states, err
}

// ChangeAgentGroupState changes the state attributes an agent group's type allows:
// allocatedCount in ENHANCED and REMOTE groups and in STANDARD groups whose allocation mode is
// GROUP; currentStartTime and currentEndTime in all; state only in STANDARD groups.
//
// Codes: ARG_NULL (no agentGroupState), ATTRIBUTE_NULL (no agentGroup, or nothing to change),
// the codes of the agentGroup reference (see Ref), ATTRIBUTE_INVALID_FORMAT (a value
// that is not of its type, or an end before the start), ATTRIBUTE_INVALID_DATA (an attribute
// the group's type does not let change).
func (s *Service) ChangeAgentGroupState(ctx context.Context, in *AgentGroupStateInput) error {
	c, err := s.authorize(ctx, "changeAgentGroupState")
	if err != nil {
		return err
	}
	if in == nil {
		return Errorf(ArgNull, "agentGroupState")
	}
	if in.AgentGroup == nil {
		return Errorf(AttributeNull, "agentGroup")
	}
	if in.State == "" && in.AllocatedCount == "" && in.CurrentStartTime == "" && in.CurrentEndTime == "" {
		return Errorf(AttributeNull, "agentGroupState")
	}
	return c.write(func(tx Tx) error {
		g, err := resolveAgentGroup(tx, in.AgentGroup, "agentGroup")
		if err != nil {
			return err
		}
		if err := in.apply(&g); err != nil {
			return err
		}
		return tx.UpdateAgentGroup(&g)
	})
}

// apply reads the given state attributes into g under the rules of g's type.
func (in *AgentGroupStateInput) apply(g *AgentGroup) error {
	if in.State != "" {
		// An enumeration of xs:string: no white space is collapsed.
		st := GroupState(in.State)
		if st != Active && st != Paused && st != Stopped {
			return Errorf(AttributeInvalidFormat, "state")
		}
		if g.Type != Standard {
			return Errorf(AttributeInvalidData, "state")
		}
		g.State = st
	}
	if in.AllocatedCount != "" {
		n, ok := parseInt(in.AllocatedCount)
		if !ok || n < 0 {
			return Errorf(AttributeInvalidFormat, "allocatedCount")
		}
		if g.Type == Standard && g.AllocationMode != Group {
			return Errorf(AttributeInvalidData, "allocatedCount")
		}
		g.AllocatedCount = n
	}
	if err := readDateTime(in.CurrentStartTime, "currentStartTime", &g.CurrentStartTime); err != nil {
		return err
	}
	if err := readDateTime(in.CurrentEndTime, "currentEndTime", &g.CurrentEndTime); err != nil {
		return err
	}
	if !g.CurrentStartTime.IsZero() && !g.CurrentEndTime.IsZero() && g.CurrentEndTime.Before(g.CurrentStartTime) {
		return Errorf(AttributeInvalidFormat, "currentEndTime")
	}
	return nil
}

// readDateTime reads an xs:dateTime attribute into out when it is given;
// ATTRIBUTE_INVALID_FORMAT naming it when it is not of its type.
func readDateTime(s, name string, out *time.Time) error {
	if s == "" {
		return nil
	}
	t, ok := parseDateTime(s)
	if !ok {
		return Errorf(AttributeInvalidFormat, name)
	}
	*out = t
	return nil
}

// groupState returns an agent group's state with its counts now.
func (s *Service) groupState(tx Tx, g AgentGroup) (AgentGroupState, error) {
	counts, err := tx.AgentCounts(&g, s.now())
	return AgentGroupState{Group: g, Counts: counts}, err
}

// refInternalID returns a reference's internalId, or "" for no reference.
func refInternalID(ref *Ref) string {
	if ref == nil {
		return ""
	}
	return ref.InternalID
}
