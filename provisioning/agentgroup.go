package provisioning

import "context"

// AgentGroupInput is an agent group as a client sends it: a reference (for a change) or a new
// group's externalId and parent, and the attributes as text.
type AgentGroupInput struct {
	Ref
	Name             string
	Type             string
	AllocationMode   string
	Intensity        string // xs:int
	InitialWorkState string
	MaxBreakTime     string // xs:int, seconds
}

// The defaults and bounds of an agent group's attributes.
const (
	defaultIntensity    = 100
	maxIntensity        = 100
	defaultMaxBreakTime = 900
	maxMaxBreakTime     = 86400
)

// CreateAgentGroup creates an agent group in an Account.
//
// Codes: ARG_NULL (no agentGroup, no parent), ATTRIBUTE_NULL (no externalId), ARG_INVALID_CHAR
// and ARG_TOO_LARGE (externalId), ATTRIBUTE_INVALID_DATA (name, type, allocationMode,
// intensity, initialWorkState, maxBreakTime), ARG_INVALID_TYPE (the parent is not an
// Account), the codes of the parent reference (see Ref), OBJECT_EXISTS (checked before the
// limit), SYSTEM_LIMIT_EXCEEDED (the Account has the most agent groups it may have).
func (s *Service) CreateAgentGroup(ctx context.Context, in *AgentGroupInput, parent *Ref) (AgentGroup, error) {
	c, err := s.authorize(ctx, "createAgentGroup")
	if err != nil {
		return AgentGroup{}, err
	}
	if in == nil {
		return AgentGroup{}, Errorf(ArgNull, "agentGroup")
	}
	if parent == nil {
		parent = in.Parent
	}
	if parent == nil {
		return AgentGroup{}, Errorf(ArgNull, "parent")
	}
	if err := checkNewExternalID(in.ExternalID); err != nil {
		return AgentGroup{}, err
	}
	g := AgentGroup{
		ExternalID: in.ExternalID, Name: in.Name, Type: Standard, AllocationMode: Individual,
		Intensity: defaultIntensity, InitialWorkState: NotReady, MaxBreakTime: defaultMaxBreakTime,
		Created: s.now(), State: Active,
	}
	if err := checkText(in.Name, "name"); err != nil {
		return AgentGroup{}, err
	}
	if in.Type != "" {
		g.Type = AgentGroupType(in.Type)
		if g.Type != Standard && g.Type != Enhanced && g.Type != Remote {
			return AgentGroup{}, Errorf(AttributeInvalidData, "type")
		}
	}
	if in.AllocationMode != "" {
		g.AllocationMode = AllocationMode(in.AllocationMode)
		if g.AllocationMode != Individual && g.AllocationMode != Group {
			return AgentGroup{}, Errorf(AttributeInvalidData, "allocationMode")
		}
	}
	if err := in.applyChangeable(&g, AttributeInvalidData); err != nil {
		return AgentGroup{}, err
	}
	err = c.write(func(tx Tx) error {
		account, err := resolveAccount(tx, parent, "parent")
		if err != nil {
			return err
		}
		g.AccountID, g.AccountExternalID = account.ID, account.ExternalID
		// A group that exists is reported as such even when the Account is full, so that a
		// client retrying a create that succeeded learns that it did.
		if found, err := tx.FindAgentGroups(account.ID, g.ExternalID); err != nil || len(found) > 0 {
			if err == nil {
				err = Errorf(ObjectExists, g.ExternalID)
			}
			return err
		}
		n, err := tx.CountAgentGroups(account.ID)
		if err != nil {
			return err
		}
		if n >= s.limits.AgentGroupsPerAccount {
			return organizationLimit("agentGroup")
		}
		return insert(tx.InsertAgentGroup, &g, g.ExternalID)
	})
	return g, err
}

// applyChangeable reads the attributes changeAgentGroup may change (intensity,
// initialWorkState, maxBreakTime) into g, where given. A bad value is ATTRIBUTE_INVALID_DATA;
// a work state that cannot start a login (LOGGED_OUT, BREAK) is reported with stateCode.
func (in *AgentGroupInput) applyChangeable(g *AgentGroup, stateCode Code) error {
	if in.Intensity != "" {
		n, ok := parseInt(in.Intensity)
		if !ok || n < 1 || n > maxIntensity {
			return Errorf(AttributeInvalidData, "intensity")
		}
		g.Intensity = n
	}
	if in.MaxBreakTime != "" {
		n, ok := parseInt(in.MaxBreakTime)
		if !ok || n < 0 || n > maxMaxBreakTime {
			return Errorf(AttributeInvalidData, "maxBreakTime")
		}
		g.MaxBreakTime = n
	}
	switch ws := WorkState(in.InitialWorkState); ws {
	case "":
	case NotReady, Ready:
		g.InitialWorkState = ws
	case LoggedOut, Break:
		if stateCode == InvalidState {
			return Errorf(InvalidState, in.InitialWorkState)
		}
		return Errorf(stateCode, "initialWorkState")
	default:
		return Errorf(AttributeInvalidData, "initialWorkState")
	}
	return nil
}

// ShowAgentGroup returns the agent group a reference names.
//
// Codes: those of a reference (ARG_NULL, ATTRIBUTE_NULL, ARG_INVALID_CHAR,
// ARG_TOO_LARGE, ARG_INVALID_TYPE, ARG_INVALID_DATA, OBJECT_NOT_EXISTS; see Ref).
func (s *Service) ShowAgentGroup(ctx context.Context, ref *Ref) (AgentGroup, error) {
	c, err := s.authorize(ctx, "showAgentGroup")
	if err != nil {
		return AgentGroup{}, err
	}
	var g AgentGroup
	err = c.read(func(tx Tx) (err error) {
		g, err = resolveAgentGroup(tx, ref, "agentGroup")
		return err
	})
	return g, err
}

// ChangeAgentGroup changes an agent group's intensity, initialWorkState and maxBreakTime and
// returns the group as it now is. Any other attribute given with a value other than the
// stored one is refused, naming it.
//
// Codes: those of a reference (ARG_NULL, ATTRIBUTE_NULL, ARG_INVALID_CHAR,
// ARG_TOO_LARGE, ARG_INVALID_TYPE, ARG_INVALID_DATA, OBJECT_NOT_EXISTS; see Ref),
// ATTRIBUTE_INVALID_DATA (a bad value, or an attribute that cannot change), INVALID_STATE (an
// initialWorkState that cannot start a login). OBJECT_EXISTS, which the method reference lists,
// cannot happen: no attribute that could collide with another group may change.
func (s *Service) ChangeAgentGroup(ctx context.Context, in *AgentGroupInput) (AgentGroup, error) {
	c, err := s.authorize(ctx, "changeAgentGroup")
	if err != nil {
		return AgentGroup{}, err
	}
	if in == nil {
		return AgentGroup{}, Errorf(ArgNull, "agentGroup")
	}
	var g AgentGroup
	err = c.write(func(tx Tx) (err error) {
		if g, err = resolveAgentGroup(tx, &in.Ref, "agentGroup"); err != nil {
			return err
		}
		for _, f := range []struct{ given, stored, name string }{
			{in.Name, g.Name, "name"},
			{in.Type, string(g.Type), "type"},
			{in.AllocationMode, string(g.AllocationMode), "allocationMode"},
		} {
			if f.given != "" && f.given != f.stored {
				return Errorf(AttributeInvalidData, f.name)
			}
		}
		if err := in.applyChangeable(&g, InvalidState); err != nil {
			return err
		}
		return tx.UpdateAgentGroup(&g)
	})
	return g, err
}

// DeleteAgentGroup deletes an agent group that has no agents, with its schedule groups.
//
// Codes: those of a reference (ARG_NULL, ATTRIBUTE_NULL, ARG_INVALID_CHAR,
// ARG_TOO_LARGE, ARG_INVALID_TYPE, ARG_INVALID_DATA, OBJECT_NOT_EXISTS; see Ref),
// INVALID_STATE (the group has agents).
func (s *Service) DeleteAgentGroup(ctx context.Context, ref *Ref) error {
	c, err := s.authorize(ctx, "deleteAgentGroup")
	if err != nil {
		return err
	}
	return c.write(func(tx Tx) error {
		g, err := resolveAgentGroup(tx, ref, "agentGroup")
		if err != nil {
			return err
		}
		counts, err := tx.AgentCounts(&g, s.now())
		if err != nil {
			return err
		}
		if counts.Agents > 0 {
			return Errorf(InvalidState, g.ExternalID)
		}
		return tx.DeleteAgentGroup(g.ID)
	})
}
