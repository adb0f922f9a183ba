package provisioning

import "context"

// ScheduleGroupInput is a schedule group as a client sends it.
type ScheduleGroupInput struct {
	Ref
	Name      string
	StartTime string // xs:time
	EndTime   string // xs:time
}

// CreateScheduleGroup creates a schedule group in an agent group. Its externalId is optional.
//
// Codes: ARG_NULL (no scheduleGroup, no parent), ARG_INVALID_CHAR and ARG_TOO_LARGE
// (externalId), ARG_INVALID_DATA (name, startTime, endTime), ARG_INVALID_TYPE (the parent is
// not an agent group), the codes of the parent reference (see Ref), OBJECT_EXISTS (checked
// before the limit), SYSTEM_LIMIT_EXCEEDED (the agent group has the most schedule groups it
// may have).
func (s *Service) CreateScheduleGroup(ctx context.Context, in *ScheduleGroupInput, parent *Ref) (ScheduleGroup, error) {
	c, err := s.authorize(ctx, "createScheduleGroup")
	if err != nil {
		return ScheduleGroup{}, err
	}
	if in == nil {
		return ScheduleGroup{}, Errorf(ArgNull, "scheduleGroup")
	}
	if parent == nil {
		parent = in.Parent
	}
	if parent == nil {
		return ScheduleGroup{}, Errorf(ArgNull, "parent")
	}
	sg := ScheduleGroup{ExternalID: in.ExternalID, Name: in.Name, Created: s.now()}
	if sg.ExternalID != "" {
		if err := checkExternalID(sg.ExternalID, "externalId"); err != nil {
			return ScheduleGroup{}, err
		}
	}
	if len(sg.Name) > maxTextLength {
		return ScheduleGroup{}, Errorf(ArgInvalidData, "name")
	}
	if err := readTime(in.StartTime, "startTime", &sg.StartTime); err != nil {
		return ScheduleGroup{}, err
	}
	if err := readTime(in.EndTime, "endTime", &sg.EndTime); err != nil {
		return ScheduleGroup{}, err
	}
	err = c.write(func(tx Tx) error {
		g, err := resolveAgentGroup(tx, parent, "parent")
		if err != nil {
			return err
		}
		sg.AgentGroupID, sg.AgentGroupExternalID = g.ID, g.ExternalID
		// As for agent groups, a taken externalId is reported before the limit.
		if sg.ExternalID != "" {
			if found, err := tx.FindScheduleGroups(g.ID, sg.ExternalID); err != nil || len(found) > 0 {
				if err == nil {
					err = Errorf(ObjectExists, sg.ExternalID)
				}
				return err
			}
		}
		n, err := tx.CountScheduleGroups(g.ID)
		if err != nil {
			return err
		}
		if n >= s.limits.ScheduleGroupsPerAgentGroup {
			return organizationLimit("scheduleGroup")
		}
		return insert(tx.InsertScheduleGroup, &sg, sg.ExternalID)
	})
	return sg, err
}

// readTime reads an xs:time attribute into out, in canonical form, when it is given;
// ARG_INVALID_DATA naming it when it is not of its type.
func readTime(s, name string, out *string) error {
	if s == "" {
		return nil
	}
	t, ok := parseTime(s)
	if !ok {
		return Errorf(ArgInvalidData, name)
	}
	*out = t
	return nil
}

// ShowScheduleGroup returns the schedule group a reference names.
//
// Codes: those of a reference (ARG_NULL, ATTRIBUTE_NULL, ARG_INVALID_CHAR,
// ARG_TOO_LARGE, ARG_INVALID_TYPE, ARG_INVALID_DATA, OBJECT_NOT_EXISTS; see Ref).
func (s *Service) ShowScheduleGroup(ctx context.Context, ref *Ref) (ScheduleGroup, error) {
	c, err := s.authorize(ctx, "showScheduleGroup")
	if err != nil {
		return ScheduleGroup{}, err
	}
	var sg ScheduleGroup
	err = c.read(func(tx Tx) (err error) {
		sg, err = resolveScheduleGroup(tx, ref, "scheduleGroup")
		return err
	})
	return sg, err
}

// DeleteScheduleGroup deletes a schedule group that is no agent's current schedule group.
//
// Codes: those of a reference (ARG_NULL, ATTRIBUTE_NULL, ARG_INVALID_CHAR,
// ARG_TOO_LARGE, ARG_INVALID_TYPE, ARG_INVALID_DATA, OBJECT_NOT_EXISTS; see Ref),
// INVALID_STATE naming its internalId (an agent's current schedule group is this one).
func (s *Service) DeleteScheduleGroup(ctx context.Context, ref *Ref) error {
	c, err := s.authorize(ctx, "deleteScheduleGroup")
	if err != nil {
		return err
	}
	return c.write(func(tx Tx) error {
		sg, err := resolveScheduleGroup(tx, ref, "scheduleGroup")
		if err != nil {
			return err
		}
		inUse, err := tx.ScheduleGroupInUse(sg.ID)
		if err != nil {
			return err
		}
		if inUse {
			return Errorf(InvalidState, sg.InternalID())
		}
		return tx.DeleteScheduleGroup(sg.ID)
	})
}
