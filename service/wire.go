package service

import "github.com/engage-oss/engage/provisioning"

// The wire types mirror the XSD's complexTypes for decoding requests. Every leaf is a string:
// the generated types would abort the whole decode on a non-number intensity (without naming
// it) and gowsdl's XSDDateTime drops an unreadable dateTime silently, while the contract wants
// each bad value reported with its method's documented code, naming the attribute. The
// provisioning package reads the lexical forms. Child elements match by local name.

// wireOrg is the XSD type Org.
type wireOrg struct {
	InternalID string   `xml:"internalId"`
	ExternalID string   `xml:"externalId"`
	Type       string   `xml:"type"`
	Parent     *wireOrg `xml:"parent"`
	Name       string   `xml:"name"`
}

// child returns the field of an Org's child element.
func (o *wireOrg) child(local string) (*string, wireElement) {
	switch local {
	case "internalId":
		return &o.InternalID, nil
	case "externalId":
		return &o.ExternalID, nil
	case "type":
		return &o.Type, nil
	case "parent":
		return nil, allocated(&o.Parent)
	case "name":
		return &o.Name, nil
	}
	return nil, nil
}

// ref returns the reference an Org names, or nil for no Org.
func (o *wireOrg) ref() *provisioning.Ref {
	if o == nil {
		return nil
	}
	return &provisioning.Ref{InternalID: o.InternalID, ExternalID: o.ExternalID, Type: o.Type, Parent: o.Parent.ref()}
}

// input returns the Org as createOrg takes it, or nil for no Org.
func (o *wireOrg) input() *provisioning.OrgInput {
	if o == nil {
		return nil
	}
	return &provisioning.OrgInput{ExternalID: o.ExternalID, Type: o.Type, Parent: o.Parent.ref(), Name: o.Name}
}

// wireAttribute is the XSD type Attribute.
type wireAttribute struct {
	Name  string `xml:"name"`
	Value string `xml:"value"`
}

// child returns the field of an Attribute's child element.
func (a *wireAttribute) child(local string) (*string, wireElement) {
	switch local {
	case "name":
		return &a.Name, nil
	case "value":
		return &a.Value, nil
	}
	return nil, nil
}

// wireUser is the XSD type User.
type wireUser struct {
	InternalID   string          `xml:"internalId"`
	ExternalID   string          `xml:"externalId"`
	Parent       *wireOrg        `xml:"parent"`
	Type         string          `xml:"type"`
	FirstName    string          `xml:"firstName"`
	LastName     string          `xml:"lastName"`
	Email        string          `xml:"email"`
	LoginEnabled string          `xml:"loginEnabled"`
	Attributes   []wireAttribute `xml:"attribute"`
}

// child returns the field of a User's child element.
func (u *wireUser) child(local string) (*string, wireElement) {
	switch local {
	case "internalId":
		return &u.InternalID, nil
	case "externalId":
		return &u.ExternalID, nil
	case "parent":
		return nil, allocated(&u.Parent)
	case "type":
		return &u.Type, nil
	case "firstName":
		return &u.FirstName, nil
	case "lastName":
		return &u.LastName, nil
	case "email":
		return &u.Email, nil
	case "loginEnabled":
		return &u.LoginEnabled, nil
	case "attribute":
		return nil, item(&u.Attributes)
	}
	return nil, nil
}

// ref returns the reference a User names, or nil for no User.
func (u *wireUser) ref() *provisioning.Ref {
	if u == nil {
		return nil
	}
	return &provisioning.Ref{InternalID: u.InternalID, ExternalID: u.ExternalID, Parent: u.Parent.ref()}
}

// input returns the User as createUsers takes it.
func (u *wireUser) input() provisioning.UserInput {
	if u == nil {
		return provisioning.UserInput{}
	}
	return provisioning.UserInput{
		ExternalID: u.ExternalID, Parent: u.Parent.ref(), Type: u.Type, FirstName: u.FirstName,
		LastName: u.LastName, Email: u.Email, LoginEnabled: u.LoginEnabled,
		Attributes: attributes(u.Attributes),
	}
}

// attributes returns the wire attributes as the domain's.
func attributes(in []wireAttribute) []provisioning.Attribute {
	if len(in) == 0 {
		return nil
	}
	out := make([]provisioning.Attribute, len(in))
	for i, a := range in {
		out[i] = provisioning.Attribute{Name: a.Name, Value: a.Value}
	}
	return out
}

// userRefs returns the references a list of Users names.
func userRefs(users []*wireUser) []*provisioning.Ref {
	refs := make([]*provisioning.Ref, len(users))
	for i, u := range users {
		refs[i] = u.ref()
	}
	return refs
}

// wireAgentGroup is the XSD type AgentGroup.
type wireAgentGroup struct {
	InternalID       string   `xml:"internalId"`
	ExternalID       string   `xml:"externalId"`
	Parent           *wireOrg `xml:"parent"`
	Name             string   `xml:"name"`
	Type             string   `xml:"type"`
	AllocationMode   string   `xml:"allocationMode"`
	Intensity        string   `xml:"intensity"`
	InitialWorkState string   `xml:"initialWorkState"`
	MaxBreakTime     string   `xml:"maxBreakTime"`
}

// child returns the field of an AgentGroup's child element.
func (g *wireAgentGroup) child(local string) (*string, wireElement) {
	switch local {
	case "internalId":
		return &g.InternalID, nil
	case "externalId":
		return &g.ExternalID, nil
	case "parent":
		return nil, allocated(&g.Parent)
	case "name":
		return &g.Name, nil
	case "type":
		return &g.Type, nil
	case "allocationMode":
		return &g.AllocationMode, nil
	case "intensity":
		return &g.Intensity, nil
	case "initialWorkState":
		return &g.InitialWorkState, nil
	case "maxBreakTime":
		return &g.MaxBreakTime, nil
	}
	return nil, nil
}

// ref returns the reference an AgentGroup names, or nil for no AgentGroup.
func (g *wireAgentGroup) ref() *provisioning.Ref {
	if g == nil {
		return nil
	}
	return &provisioning.Ref{InternalID: g.InternalID, ExternalID: g.ExternalID, Parent: g.Parent.ref()}
}

// input returns the AgentGroup as createAgentGroup and changeAgentGroup take it.
func (g *wireAgentGroup) input() *provisioning.AgentGroupInput {
	if g == nil {
		return nil
	}
	return &provisioning.AgentGroupInput{
		Ref: *g.ref(), Name: g.Name, Type: g.Type, AllocationMode: g.AllocationMode,
		Intensity: g.Intensity, InitialWorkState: g.InitialWorkState, MaxBreakTime: g.MaxBreakTime,
	}
}

// wireScheduleGroup is the XSD type ScheduleGroup.
type wireScheduleGroup struct {
	InternalID string          `xml:"internalId"`
	ExternalID string          `xml:"externalId"`
	Parent     *wireAgentGroup `xml:"parent"`
	Name       string          `xml:"name"`
	StartTime  string          `xml:"startTime"`
	EndTime    string          `xml:"endTime"`
}

// child returns the field of a ScheduleGroup's child element.
func (s *wireScheduleGroup) child(local string) (*string, wireElement) {
	switch local {
	case "internalId":
		return &s.InternalID, nil
	case "externalId":
		return &s.ExternalID, nil
	case "parent":
		return nil, allocated(&s.Parent)
	case "name":
		return &s.Name, nil
	case "startTime":
		return &s.StartTime, nil
	case "endTime":
		return &s.EndTime, nil
	}
	return nil, nil
}

// ref returns the reference a ScheduleGroup names, or nil for no ScheduleGroup.
func (s *wireScheduleGroup) ref() *provisioning.Ref {
	if s == nil {
		return nil
	}
	return &provisioning.Ref{InternalID: s.InternalID, ExternalID: s.ExternalID, Parent: s.Parent.ref()}
}

// input returns the ScheduleGroup as createScheduleGroup takes it.
func (s *wireScheduleGroup) input() *provisioning.ScheduleGroupInput {
	if s == nil {
		return nil
	}
	return &provisioning.ScheduleGroupInput{Ref: *s.ref(), Name: s.Name, StartTime: s.StartTime, EndTime: s.EndTime}
}

// wireAgentGroupState is the XSD type AgentGroupState; its counts are read-only and ignored.
type wireAgentGroupState struct {
	AgentGroup       *wireAgentGroup `xml:"agentGroup"`
	State            string          `xml:"state"`
	AllocatedCount   string          `xml:"allocatedCount"`
	CurrentStartTime string          `xml:"currentStartTime"`
	CurrentEndTime   string          `xml:"currentEndTime"`
}

// input returns the AgentGroupState as changeAgentGroupState takes it.
func (s *wireAgentGroupState) input() *provisioning.AgentGroupStateInput {
	if s == nil {
		return nil
	}
	return &provisioning.AgentGroupStateInput{
		AgentGroup: s.AgentGroup.ref(), State: s.State, AllocatedCount: s.AllocatedCount,
		CurrentStartTime: s.CurrentStartTime, CurrentEndTime: s.CurrentEndTime,
	}
}
