package store

import (
	"database/sql"

	"github.com/engage-oss/engage/provisioning"
)

// scheduleGroupRow is a row of schedule_groups joined with its agent group's externalId.
type scheduleGroupRow struct {
	ID                   int64          `db:"id"`
	AgentGroupID         int64          `db:"agent_group_id"`
	AgentGroupExternalID string         `db:"agent_group_external_id"`
	ExternalID           sql.NullString `db:"external_id"`
	Name                 string         `db:"name"`
	StartTime            sql.NullString `db:"start_time"`
	EndTime              sql.NullString `db:"end_time"`
	Created              int64          `db:"created"`
}

func (r *scheduleGroupRow) scheduleGroup() provisioning.ScheduleGroup {
	return provisioning.ScheduleGroup{
		ID:                   r.ID,
		AgentGroupID:         r.AgentGroupID,
		AgentGroupExternalID: r.AgentGroupExternalID,
		ExternalID:           r.ExternalID.String,
		Name:                 r.Name,
		StartTime:            r.StartTime.String,
		EndTime:              r.EndTime.String,
		Created:              fromMillis(r.Created),
	}
}

const selectScheduleGroup = `
	SELECT s.id, s.agent_group_id, g.external_id AS agent_group_external_id, s.external_id,
	       s.name, s.start_time, s.end_time, s.created
	FROM schedule_groups s
	JOIN agent_groups g ON g.id = s.agent_group_id`

// ScheduleGroup returns the schedule group with this id.
func (t *tx) ScheduleGroup(id int64) (provisioning.ScheduleGroup, error) {
	var r scheduleGroupRow
	if err := t.get(notFound("schedule group", id), &r, selectScheduleGroup+` WHERE s.id = CAST(? AS BIGINT)`, id); err != nil {
		return provisioning.ScheduleGroup{}, err
	}
	return r.scheduleGroup(), nil
}

// FindScheduleGroups returns at most two schedule groups with this externalId in
// agentGroupID (0: any agent group). Schedule groups without an externalId are never found.
func (t *tx) FindScheduleGroups(agentGroupID int64, externalID string) ([]provisioning.ScheduleGroup, error) {
	var rows []scheduleGroupRow
	var err error
	if agentGroupID == 0 {
		err = t.selectRows(&rows, selectScheduleGroup+`
			WHERE s.external_id = CAST(? AS TEXT) ORDER BY s.id LIMIT 2`, externalID)
	} else {
		err = t.selectRows(&rows, selectScheduleGroup+`
			WHERE s.agent_group_id = CAST(? AS BIGINT) AND s.external_id = CAST(? AS TEXT) ORDER BY s.id LIMIT 2`, agentGroupID, externalID)
	}
	if err != nil {
		return nil, err
	}
	out := make([]provisioning.ScheduleGroup, len(rows))
	for i := range rows {
		out[i] = rows[i].scheduleGroup()
	}
	return out, nil
}

// CountScheduleGroups returns how many schedule groups an agent group has.
func (t *tx) CountScheduleGroups(agentGroupID int64) (int, error) {
	return t.count(`SELECT COUNT(*) FROM schedule_groups WHERE agent_group_id = ?`, agentGroupID)
}

// InsertScheduleGroup stores a new schedule group and sets its ID; ErrExists when its
// externalId is taken in its agent group. An empty ExternalID, StartTime or EndTime is
// stored as NULL.
func (t *tx) InsertScheduleGroup(s *provisioning.ScheduleGroup) error {
	id, err := t.insert(`
		INSERT INTO schedule_groups (agent_group_id, external_id, name, start_time, end_time, created)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		s.AgentGroupID, nullString(s.ExternalID), s.Name, nullString(s.StartTime),
		nullString(s.EndTime), millis(s.Created))
	if err != nil {
		return err
	}
	s.ID = id
	return nil
}

// DeleteScheduleGroup removes the schedule group with this id. It fails while it is an
// agent's current schedule group.
func (t *tx) DeleteScheduleGroup(id int64) error {
	return t.execOne(notFound("schedule group", id), `DELETE FROM schedule_groups WHERE id = ?`, id)
}

// ScheduleGroupInUse reports whether an agent's current schedule group is this one.
func (t *tx) ScheduleGroupInUse(id int64) (bool, error) {
	return t.exists(`SELECT EXISTS (SELECT 1 FROM agents WHERE schedule_group_id = ?)`, id)
}
