package provisioning

import (
	"context"
	"errors"
	"slices"
	"time"
)

// ChangeAgentState changes what may change of an agent's state: agent.loginEnabled,
// requestedAction, the agent's registrationMethod attribute, currentPhoneNumber and
// requestedWorkState. Any other field given with a value other than the stored one is refused,
// naming it. A work-state request the state machine does not allow is INVALID_STATE; one made
// while the agent is not IDLE is kept and applied when the agent is released. Setting
// loginEnabled to false logs the agent out (kept as a LOGOUT while the agent is not IDLE); a
// LOGIN or a requestedWorkState asked of an agent so logged out is INVALID_STATE.
//
// Codes: ARG_NULL (no agentState, no internalId), ARG_INVALID_TYPE, OBJECT_NOT_EXISTS,
// ATTRIBUTE_INVALID_DATA, INVALID_STATE, OBJECT_EXISTS (the phone number is another agent's).
func (s *Service) ChangeAgentState(ctx context.Context, in *AgentStateInput) (Agent, error) {
	c, err := s.authorize(ctx, "changeAgentState")
	if err != nil {
		return Agent{}, err
	}
	if in == nil {
		return Agent{}, Errorf(ArgNull, "agentState")
	}
	if in.InternalID == "" {
		return Agent{}, Errorf(ArgNull, "internalId")
	}
	var a Agent
	err = c.write(func(tx Tx) (err error) {
		if a, err = loadAgent(tx, in.InternalID); err != nil {
			return err
		}
		now := s.now()
		current := a.EffectiveWorkState(now)
		if err := checkUnchanged(in, &a, current); err != nil {
			return err
		}
		userChanged, err := changeUser(&a.User, in.Agent)
		if err != nil {
			return err
		}
		if in.CurrentPhoneNumber != "" && in.CurrentPhoneNumber != a.PhoneNumber {
			if !validPhoneNumber(in.CurrentPhoneNumber) {
				return Errorf(AttributeInvalidData, "currentPhoneNumber")
			}
			if err := checkPhoneFree(tx, a.User.AccountID, in.CurrentPhoneNumber, a.ID); err != nil {
				return err
			}
			a.PhoneNumber = in.CurrentPhoneNumber
		}
		req, err := readRequest(in)
		if err != nil {
			return err
		}
		if !a.User.LoginEnabled && loggedIn(current) {
			// The agent is being logged out: a login or a work state asked for cannot be
			// had, rather than dropped in silence.
			switch {
			case req.Action == Login:
				return Errorf(InvalidState, string(Login))
			case req.WorkState != "":
				return Errorf(InvalidState, string(req.WorkState))
			}
			req = Request{Action: Logout}
		}
		if err := s.request(tx, &a, current, req, now); err != nil {
			return err
		}
		if userChanged {
			if err := tx.UpdateUser(&a.User); err != nil {
				return err
			}
		}
		return tx.UpdateAgent(&a)
	})
	return s.shown(a), err
}

// loadAgent finds the agent state an internalId names.
func loadAgent(tx Tx, internalID string) (Agent, error) {
	ref := &Ref{InternalID: internalID}
	id, err := idOf(ref, KindAgent, "agentState")
	if err != nil {
		return Agent{}, err
	}
	return load(ref, id, tx.Agent)
}

// request applies a work-state request to an agent, or keeps it while the agent is not IDLE.
func (s *Service) request(tx Tx, a *Agent, current WorkState, req Request, now time.Time) error {
	if req.empty() {
		return nil
	}
	g, err := tx.AgentGroup(a.AgentGroupID)
	if err != nil {
		return err
	}
	next, err := NextWorkState(current, req, a.User.LoginEnabled, g.InitialWorkState)
	if err != nil {
		return err
	}
	if a.ContactState != Idle {
		a.RequestedAction, a.RequestedWorkState = req.Action, req.WorkState
		if a.RequestedAction == "" {
			a.RequestedAction = NoAction
		}
		return nil
	}
	a.moveTo(next, now)
	return nil
}

// moveTo sets an agent's work state and the moments that depend on it. An over-long break
// counts as the NOT_READY it is shown as: moving to NOT_READY stores the NOT_READY it has been
// since the break ran out, and moving to BREAK starts a new break.
func (a *Agent) moveTo(ws WorkState, now time.Time) {
	effective := a.EffectiveWorkState(now)
	switch {
	case ws == a.WorkState && ws == effective:
		return
	case ws == effective:
		a.WorkState = ws
		a.StateChanged = a.StateChanged.Add(time.Duration(a.MaxBreakTime) * time.Second)
		return
	}
	a.WorkState, a.StateChanged = ws, now
	if ws == Ready {
		a.IdleSince = now
	}
}

// readRequest reads the work-state request of a changeAgentState call.
func readRequest(in *AgentStateInput) (Request, error) {
	req := Request{Action: RequestedAction(in.RequestedAction), WorkState: WorkState(in.RequestedWorkState)}
	if !slices.Contains([]RequestedAction{"", NoAction, Login, Logout}, req.Action) {
		return req, Errorf(AttributeInvalidData, "requestedAction")
	}
	if !slices.Contains([]WorkState{"", LoggedOut, NotReady, Ready, Break}, req.WorkState) {
		return req, Errorf(AttributeInvalidData, "requestedWorkState")
	}
	return req, nil
}

// changeUser applies to an agent's user what changeAgentState may change of it (loginEnabled
// and the registrationMethod attribute) and refuses any other attribute that differs.
func changeUser(u *User, in *UserInput) (changed bool, err error) {
	if in == nil {
		return false, nil
	}
	if in.LoginEnabled != "" {
		enabled, ok := parseBool(in.LoginEnabled)
		if !ok {
			return false, Errorf(AttributeInvalidData, "loginEnabled")
		}
		changed = enabled != u.LoginEnabled
		u.LoginEnabled = enabled
	}
	for _, attr := range in.Attributes {
		switch {
		case attr.Name == RegistrationMethod:
			if !slices.Contains(registrationMethods, attr.Value) {
				return false, Errorf(AttributeInvalidData, RegistrationMethod)
			}
			changed = setAttribute(u, attr.Name, attr.Value) || changed
		case u.Attribute(attr.Name) != attr.Value:
			return false, Errorf(AttributeInvalidData, attr.Name)
		}
	}
	return changed, nil
}

// checkUnchanged refuses, naming it, a field of a changeAgentState request that may not
// change and was given with a value other than the stored one.
func checkUnchanged(in *AgentStateInput, a *Agent, current WorkState) error {
	differs := func(given, stored string) bool { return given != "" && given != stored }
	refDiffers := func(ref *Ref, internalID, externalID string) bool {
		return ref != nil && (differs(ref.InternalID, internalID) || differs(ref.ExternalID, externalID))
	}
	u := &a.User
	checks := []struct {
		differs bool
		name    string
	}{
		{refDiffers(in.AgentRef, u.InternalID(), u.ExternalID), "agent"},
		{refDiffers(in.AgentGroup, FormatID(KindAgentGroup, a.AgentGroupID), a.AgentGroupExternalID), "agentGroup"},
		{refDiffers(in.CurrentScheduleGroup, scheduleGroupID(a), a.ScheduleGroupExternalID), "currentScheduleGroup"},
		{differs(in.CurrentWorkState, string(current)), "currentWorkState"},
		{differs(in.ContactState, string(a.ContactState)), "currentContactState"},
		{in.Device != nil && differs(in.Device.ExternalID, a.DeviceExternalID), "device"},
	}
	if in.Agent != nil {
		checks = append(checks, []struct {
			differs bool
			name    string
		}{
			{differs(in.Agent.Type, string(u.Type)), "type"},
			{differs(in.Agent.FirstName, u.FirstName), "firstName"},
			{differs(in.Agent.LastName, u.LastName), "lastName"},
			{differs(in.Agent.Email, u.Email), "email"},
		}...)
	}
	for _, c := range checks {
		if c.differs {
			return Errorf(AttributeInvalidData, c.name)
		}
	}
	return nil
}

// scheduleGroupID returns the internalId of an agent's current schedule group, or "".
func scheduleGroupID(a *Agent) string {
	if a.ScheduleGroupID == 0 {
		return ""
	}
	return FormatID(KindScheduleGroup, a.ScheduleGroupID)
}

// AcquireAgent picks, among the agents of a schedule group who are READY and IDLE, the one who
// has been so the longest and reserves it: RESERVED, or CONNECTED and Direct Connected to the
// customer's device when one is given. found is false when no agent is available or the
// group's state is not ACTIVE. Two calls never acquire the same agent.
//
// Codes: ARG_NULL (no agentState, no currentScheduleGroup, a device without externalId),
// ARG_INVALID_CHAR, ARG_INVALID_TYPE, OBJECT_NOT_EXISTS. RESULT_TOO_LARGE, which the method
// reference lists, cannot happen: one agent at most is returned.
func (s *Service) AcquireAgent(ctx context.Context, in *AgentStateInput) (a Agent, found bool, err error) {
	c, err := s.authorize(ctx, "acquireAgent")
	if err != nil {
		return Agent{}, false, err
	}
	if in == nil {
		return Agent{}, false, Errorf(ArgNull, "agentState")
	}
	if in.CurrentScheduleGroup == nil {
		return Agent{}, false, Errorf(ArgNull, "currentScheduleGroup")
	}
	if in.Device != nil {
		if in.Device.ExternalID == "" {
			return Agent{}, false, Errorf(ArgNull, "device")
		}
		if err := checkExternalID(in.Device.ExternalID, "device"); err != nil {
			return Agent{}, false, err
		}
	}
	err = c.write(func(tx Tx) error {
		sg, err := resolveScheduleGroup(tx, in.CurrentScheduleGroup, "currentScheduleGroup")
		if err != nil {
			return err
		}
		g, err := tx.AgentGroup(sg.AgentGroupID)
		if err != nil || g.State != Active {
			return err
		}
		a, err = tx.NextIdleAgent(sg.ID)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		a.ContactState, a.ContactSince = Reserved, s.now()
		if in.Device != nil {
			if a.DeviceID, err = tx.Device(g.AccountID, in.Device.ExternalID); err != nil {
				return err
			}
			a.ContactState, a.DeviceExternalID = Connected, in.Device.ExternalID
		}
		found = true
		return tx.UpdateAgent(&a)
	})
	return s.shown(a), found, err
}

// ReleaseAgent returns an agent, named by its internalId or by its user, to IDLE: its device
// is disconnected and a kept work-state request is applied. An IDLE agent is returned
// unchanged.
//
// Codes: ARG_NULL (no agentState, neither internalId nor agent), ARG_INVALID_TYPE,
// ARG_INVALID_CHAR, OBJECT_NOT_EXISTS. RESULT_TOO_LARGE, which the method reference lists,
// cannot happen.
func (s *Service) ReleaseAgent(ctx context.Context, in *AgentStateInput) (Agent, error) {
	c, err := s.authorize(ctx, "releaseAgent")
	if err != nil {
		return Agent{}, err
	}
	if in == nil {
		return Agent{}, Errorf(ArgNull, "agentState")
	}
	var a Agent
	err = c.write(func(tx Tx) (err error) {
		switch {
		case in.InternalID != "":
			a, err = loadAgent(tx, in.InternalID)
		case in.AgentRef != nil:
			a, err = agentOfUser(tx, in.AgentRef, "agent")
		default:
			return Errorf(ArgNull, "internalId")
		}
		if err != nil || a.ContactState == Idle {
			return err
		}
		now := s.now()
		current := a.EffectiveWorkState(now)
		req := Request{Action: a.RequestedAction, WorkState: a.RequestedWorkState}
		if !a.User.LoginEnabled && loggedIn(current) {
			req = Request{Action: Logout}
		}
		a.ContactState, a.ContactSince, a.DeviceID, a.DeviceExternalID = Idle, now, 0, ""
		a.RequestedAction, a.RequestedWorkState = NoAction, ""
		// A kept request that the state no longer allows is dropped: the release itself
		// always happens.
		if err := s.request(tx, &a, current, req, now); err != nil && ErrorCode(err) != InvalidState {
			return err
		}
		if a.WorkState == Ready {
			a.IdleSince = now
		}
		return tx.UpdateAgent(&a)
	})
	return s.shown(a), err
}
