package service

import (
	"context"

	"github.com/engage-oss/engage/provisioning"
)

// scheduleGroupRequest is the request wrapper of the schedule group operations; parent is
// createScheduleGroup's.
type scheduleGroupRequest struct {
	ScheduleGroup *wireScheduleGroup `xml:"scheduleGroup"`
	Parent        *wireAgentGroup    `xml:"parent"`
}

// child returns the field of the wrapper's child element.
func (r *scheduleGroupRequest) child(local string) (*string, wireElement) {
	switch local {
	case "scheduleGroup":
		return nil, allocated(&r.ScheduleGroup)
	case "parent":
		return nil, allocated(&r.Parent)
	}
	return nil, nil
}

// scheduleGroupOperations returns createScheduleGroup, showScheduleGroup and
// deleteScheduleGroup.
func scheduleGroupOperations() []operation {
	return []operation{
		op("createScheduleGroup", func(ctx context.Context, p *provisioning.Service, r *scheduleGroupRequest, w *xmlWriter) error {
			return result(w, writeScheduleGroup)(p.CreateScheduleGroup(ctx, r.ScheduleGroup.input(), r.Parent.ref()))
		}),
		op("showScheduleGroup", func(ctx context.Context, p *provisioning.Service, r *scheduleGroupRequest, w *xmlWriter) error {
			return result(w, writeScheduleGroup)(p.ShowScheduleGroup(ctx, r.ScheduleGroup.ref()))
		}),
		op("deleteScheduleGroup", func(ctx context.Context, p *provisioning.Service, r *scheduleGroupRequest, w *xmlWriter) error {
			return p.DeleteScheduleGroup(ctx, r.ScheduleGroup.ref())
		}),
	}
}
