package service

import (
	"context"

	"github.com/engage-oss/engage/provisioning"
)

// agentGroupRequest is the request wrapper of createAgentGroup (with parent), showAgentGroup,
// changeAgentGroup, deleteAgentGroup and showAgentGroupState.
type agentGroupRequest struct {
	AgentGroup *wireAgentGroup `xml:"agentGroup"`
	Parent     *wireOrg        `xml:"parent"`
}

// child returns the field of the wrapper's child element.
func (r *agentGroupRequest) child(local string) (*string, wireElement) {
	switch local {
	case "agentGroup":
		return nil, allocated(&r.AgentGroup)
	case "parent":
		return nil, allocated(&r.Parent)
	}
	return nil, nil
}

// listAgentGroupStatesRequest is the request wrapper of listAgentGroupStates.
type listAgentGroupStatesRequest struct {
	Org *wireOrg `xml:"org"`
}

// child returns the field of the wrapper's child element.
func (r *listAgentGroupStatesRequest) child(local string) (*string, wireElement) {
	if local == "org" {
		return nil, allocated(&r.Org)
	}
	return nil, nil
}

// changeAgentGroupStateRequest is the request wrapper of changeAgentGroupState.
type changeAgentGroupStateRequest struct {
	AgentGroupState *wireAgentGroupState `xml:"agentGroupState"`
}

// agentGroupOperations returns the agent group and agent group state operations.
func agentGroupOperations() []operation {
	return []operation{
		op("createAgentGroup", func(ctx context.Context, p *provisioning.Service, r *agentGroupRequest, w *xmlWriter) error {
			return result(w, writeAgentGroup)(p.CreateAgentGroup(ctx, r.AgentGroup.input(), r.Parent.ref()))
		}),
		op("showAgentGroup", func(ctx context.Context, p *provisioning.Service, r *agentGroupRequest, w *xmlWriter) error {
			return result(w, writeAgentGroup)(p.ShowAgentGroup(ctx, r.AgentGroup.ref()))
		}),
		op("changeAgentGroup", func(ctx context.Context, p *provisioning.Service, r *agentGroupRequest, w *xmlWriter) error {
			return result(w, writeAgentGroup)(p.ChangeAgentGroup(ctx, r.AgentGroup.input()))
		}),
		op("deleteAgentGroup", func(ctx context.Context, p *provisioning.Service, r *agentGroupRequest, w *xmlWriter) error {
			return p.DeleteAgentGroup(ctx, r.AgentGroup.ref())
		}),
		op("showAgentGroupState", func(ctx context.Context, p *provisioning.Service, r *agentGroupRequest, w *xmlWriter) error {
			return result(w, writeAgentGroupState)(p.ShowAgentGroupState(ctx, r.AgentGroup.ref()))
		}),
		op("listAgentGroupStates", func(ctx context.Context, p *provisioning.Service, r *listAgentGroupStatesRequest, w *xmlWriter) error {
			states, err := p.ListAgentGroupStates(ctx, r.Org.ref())
			results(w, writeAgentGroupState, states, nil)
			return err
		}),
		op("changeAgentGroupState", func(ctx context.Context, p *provisioning.Service, r *changeAgentGroupStateRequest, w *xmlWriter) error {
			return p.ChangeAgentGroupState(ctx, r.AgentGroupState.input())
		}),
	}
}
