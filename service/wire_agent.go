package service

import "github.com/engage-oss/engage/provisioning"

// wireDevice is the XSD type Device; directConnected and connectedAgent are read-only.
type wireDevice struct {
	InternalID string   `xml:"internalId"`
	ExternalID string   `xml:"externalId"`
	Parent     *wireOrg `xml:"parent"`
}

// child returns the field of a Device's child element.
func (d *wireDevice) child(local string) (*string, wireElement) {
	switch local {
	case "internalId":
		return &d.InternalID, nil
	case "externalId":
		return &d.ExternalID, nil
	case "parent":
		return nil, allocated(&d.Parent)
	}
	return nil, nil
}

// ref returns the reference a Device names, or nil for no Device.
func (d *wireDevice) ref() *provisioning.Ref {
	if d == nil {
		return nil
	}
	return &provisioning.Ref{InternalID: d.InternalID, ExternalID: d.ExternalID, Parent: d.Parent.ref()}
}

// wireContactState is the XSD type ContactState.
type wireContactState struct {
	State  string      `xml:"state"`
	Device *wireDevice `xml:"device"`
}

// wireAgentState is the XSD type AgentState; stateChanged is read-only.
type wireAgentState struct {
	InternalID           string             `xml:"internalId"`
	Agent                *wireUser          `xml:"agent"`
	AgentGroup           *wireAgentGroup    `xml:"agentGroup"`
	CurrentScheduleGroup *wireScheduleGroup `xml:"currentScheduleGroup"`
	CurrentWorkState     string             `xml:"currentWorkState"`
	RequestedWorkState   string             `xml:"requestedWorkState"`
	RequestedAction      string             `xml:"requestedAction"`
	CurrentContactState  *wireContactState  `xml:"currentContactState"`
	CurrentPhoneNumber   string             `xml:"currentPhoneNumber"`
}

// input returns the AgentState as the agent operations take it, or nil for no AgentState.
func (s *wireAgentState) input() *provisioning.AgentStateInput {
	if s == nil {
		return nil
	}
	in := &provisioning.AgentStateInput{
		InternalID: s.InternalID, AgentRef: s.Agent.ref(), AgentGroup: s.AgentGroup.ref(),
		CurrentScheduleGroup: s.CurrentScheduleGroup.ref(), CurrentWorkState: s.CurrentWorkState,
		RequestedWorkState: s.RequestedWorkState, RequestedAction: s.RequestedAction,
		CurrentPhoneNumber: s.CurrentPhoneNumber,
	}
	if s.Agent != nil {
		u := s.Agent.input()
		in.Agent = &u
	}
	if c := s.CurrentContactState; c != nil {
		in.ContactState, in.Device = c.State, c.Device.ref()
	}
	return in
}

// wireBaseEntity is the XSD type BaseEntity.
type wireBaseEntity struct {
	InternalID string          `xml:"internalId"`
	ExternalID string          `xml:"externalId"`
	Type       string          `xml:"type"`
	Parent     *wireBaseEntity `xml:"parent"`
}

// child returns the field of a BaseEntity's child element.
func (b *wireBaseEntity) child(local string) (*string, wireElement) {
	switch local {
	case "internalId":
		return &b.InternalID, nil
	case "externalId":
		return &b.ExternalID, nil
	case "type":
		return &b.Type, nil
	case "parent":
		return nil, allocated(&b.Parent)
	}
	return nil, nil
}

// ref returns the reference a BaseEntity names, or nil for no BaseEntity.
func (b *wireBaseEntity) ref() *provisioning.Ref {
	if b == nil {
		return nil
	}
	return &provisioning.Ref{InternalID: b.InternalID, ExternalID: b.ExternalID, Type: b.Type, Parent: b.Parent.ref()}
}
