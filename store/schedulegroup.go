package store

import (
	"database/sql"

	"github.com/engage-oss/engage/provisioning"
)

// scheduleGroupRow is a row of schedule_groups joined with its agent group's externalId
// (selectScheduleGroup's columns).
type scheduleGroupRow struct {
	ID                   int64
	AgentGroupID         int64
	AgentGroupExternalID string
	ExternalID           sql.NullString
	Name                 string
	StartTime            sql.NullString
	EndTime              sql.NullString
	Created              int64
}

// fields returns pointers to the row's fields in the order of selectScheduleGroup's columns.
func (r *scheduleGroupRow) fields() []any {
	return []any{&r.ID, &r.AgentGroupID, &r.AgentGroupExternalID, &r.ExternalID, &r.Name,
		&r.StartTime, &r.EndTime, &r.Created}
}

func (r *scheduleGroupRow) scheduleGroup() (provisioning.ScheduleGroup, error) {
	return provisioning.ScheduleGroup{
		ID:                   r.ID,
		AgentGroupID:         r.AgentGroupID,
		AgentGroupExternalID: r.AgentGroupExternalID,
		ExternalID:           r.ExternalID.String,
		Name:                 r.Name,
		StartTime:            r.StartTime.String,
		EndTime:              r.EndTime.String,
		Created:              fromMillis(r.Created),
	}, nil
}

// selectScheduleGroup selects scheduleGroupRow's columns.
const selectScheduleGroup = `
	SELECT s.id, s.agent_group_id, g.external_id, s.external_id,
	       s.name, s.start_time, s.end_time, s.created
	FROM schedule_groups s
	JOIN agent_groups g ON g.id = s.agent_group_id`

// ScheduleGroup returns the schedule group with this id.
func (t *tx) ScheduleGroup(id int64) (provisioning.ScheduleGroup, error) {
	return selectOne(t, notFound("schedule group", id), (*scheduleGroupRow).scheduleGroup,
		selectScheduleGroup+` WHERE s.id = CAST(? AS BIGINT)`, id)
}

// FindScheduleGroups returns at most two schedule groups with this externalId in
// agentGroupID (0: any agent group). Schedule groups without an externalId are never found.
func (t *tx) FindScheduleGroups(agentGroupID int64, externalID string) ([]provisioning.ScheduleGroup, error) {
	if agentGroupID == 0 {
		return selectAll(t, (*scheduleGroupRow).scheduleGroup, selectScheduleGroup+`
			WHERE s.external_id = CAST(? AS TEXT) ORDER BY s.id LIMIT 2`, externalID)
	}
	return selectAll(t, (*scheduleGroupRow).scheduleGroup, selectScheduleGroup+`
		WHERE s.agent_group_id = CAST(? AS BIGINT) AND s.external_id = CAST(? AS TEXT) ORDER BY s.id LIMIT 2`, agentGroupID, externalID)
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
