package service

import (
	"context"

	"github.com/engage-oss/engage/provisioning"
)

// createAgentsRequest is the request wrapper of createAgents.
type createAgentsRequest struct {
	Agents       []*wireUser     `xml:"agents"`
	AgentGroup   *wireAgentGroup `xml:"agentGroup"`
	InitialState *wireAgentState `xml:"initialState"`
}

// createAgentsUsingStringRequest is the request wrapper of createAgentsUsingString.
type createAgentsUsingStringRequest struct {
	Agents       string          `xml:"agents"`
	AgentGroup   *wireAgentGroup `xml:"agentGroup"`
	InitialState *wireAgentState `xml:"initialState"`
}

// agentsRequest is the request wrapper of deleteAgents.
type agentsRequest struct {
	Agents []*wireUser `xml:"agents"`
}

// child returns the field of the wrapper's child element.
func (r *agentsRequest) child(local string) (*string, wireElement) {
	if local == "agents" {
		return nil, pointerItem(&r.Agents)
	}
	return nil, nil
}

// agentRequest is the request wrapper of showAgentStateUsingUser.
type agentRequest struct {
	Agent *wireUser `xml:"agent"`
}

// child returns the field of the wrapper's child element.
func (r *agentRequest) child(local string) (*string, wireElement) {
	if local == "agent" {
		return nil, allocated(&r.Agent)
	}
	return nil, nil
}

// deviceRequest is the request wrapper of showAgentStateUsingDevice.
type deviceRequest struct {
	Device *wireDevice `xml:"device"`
	Org    *wireOrg    `xml:"org"`
}

// child returns the field of the wrapper's child element.
func (r *deviceRequest) child(local string) (*string, wireElement) {
	switch local {
	case "device":
		return nil, allocated(&r.Device)
	case "org":
		return nil, allocated(&r.Org)
	}
	return nil, nil
}

// baseEntityRequest is the request wrapper of listAgentStatesUsingEntity.
type baseEntityRequest struct {
	BaseEntity *wireBaseEntity `xml:"baseEntity"`
}

// child returns the field of the wrapper's child element.
func (r *baseEntityRequest) child(local string) (*string, wireElement) {
	if local == "baseEntity" {
		return nil, allocated(&r.BaseEntity)
	}
	return nil, nil
}

// agentStateRequest is the request wrapper of changeAgentState, acquireAgent and
// releaseAgent.
type agentStateRequest struct {
	AgentState *wireAgentState `xml:"agentState"`
}

// agentOperations returns the agent and agent state operations.
func agentOperations() []operation {
	return []operation{
		op("createAgents", func(ctx context.Context, p *provisioning.Service, r *createAgentsRequest, w *xmlWriter) error {
			agents, warnings, err := p.CreateAgents(ctx, userRefs(r.Agents), r.AgentGroup.ref(), r.InitialState.input())
			results(w, writeAgentState, agents, warnings)
			return err
		}),
		op("createAgentsUsingString", func(ctx context.Context, p *provisioning.Service, r *createAgentsUsingStringRequest, w *xmlWriter) error {
			agents, warnings, err := p.CreateAgentsUsingString(ctx, r.Agents, r.AgentGroup.ref(), r.InitialState.input())
			results(w, writeAgentState, agents, warnings)
			return err
		}),
		op("deleteAgents", func(ctx context.Context, p *provisioning.Service, r *agentsRequest, w *xmlWriter) error {
			warnings, err := p.DeleteAgents(ctx, userRefs(r.Agents))
			writeWarnings(w, warnings)
			return err
		}),
		op("showAgentStateUsingUser", func(ctx context.Context, p *provisioning.Service, r *agentRequest, w *xmlWriter) error {
			return result(w, writeAgentState)(p.ShowAgentStateUsingUser(ctx, r.Agent.ref()))
		}),
		op("showAgentStateUsingDevice", func(ctx context.Context, p *provisioning.Service, r *deviceRequest, w *xmlWriter) error {
			return optionalResult(w, writeAgentState)(p.ShowAgentStateUsingDevice(ctx, r.Device.ref(), r.Org.ref()))
		}),
		op("listAgentStatesUsingEntity", func(ctx context.Context, p *provisioning.Service, r *baseEntityRequest, w *xmlWriter) error {
			agents, err := p.ListAgentStatesUsingEntity(ctx, r.BaseEntity.ref())
			results(w, writeAgentState, agents, nil)
			return err
		}),
		op("changeAgentState", func(ctx context.Context, p *provisioning.Service, r *agentStateRequest, w *xmlWriter) error {
			return result(w, writeAgentState)(p.ChangeAgentState(ctx, r.AgentState.input()))
		}),
		op("acquireAgent", func(ctx context.Context, p *provisioning.Service, r *agentStateRequest, w *xmlWriter) error {
			return optionalResult(w, writeAgentState)(p.AcquireAgent(ctx, r.AgentState.input()))
		}),
		op("releaseAgent", func(ctx context.Context, p *provisioning.Service, r *agentStateRequest, w *xmlWriter) error {
			return result(w, writeAgentState)(p.ReleaseAgent(ctx, r.AgentState.input()))
		}),
	}
}
