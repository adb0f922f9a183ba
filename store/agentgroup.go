package store

import (
	"database/sql"
	"time"

	"github.com/engage-oss/engage/provisioning"
)

// agentGroupRow is a row of agent_groups joined with its account's externalId
// (selectAgentGroup's columns).
type agentGroupRow struct {
	ID                int64
	AccountID         int64
	AccountExternalID string
	ExternalID        string
	Name              string
	Type              string
	AllocationMode    string
	Intensity         int
	InitialWorkState  string
	MaxBreakTime      int
	Created           int64
	State             string
	AllocatedCount    int
	CurrentStartTime  sql.NullInt64
	CurrentEndTime    sql.NullInt64
}

// fields returns pointers to the row's fields in the order of selectAgentGroup's columns.
func (r *agentGroupRow) fields() []any {
	return []any{&r.ID, &r.AccountID, &r.AccountExternalID, &r.ExternalID, &r.Name,
		&r.Type, &r.AllocationMode, &r.Intensity, &r.InitialWorkState, &r.MaxBreakTime,
		&r.Created, &r.State, &r.AllocatedCount, &r.CurrentStartTime, &r.CurrentEndTime}
}

func (r *agentGroupRow) agentGroup() (provisioning.AgentGroup, error) {
	return provisioning.AgentGroup{
		ID:                r.ID,
		AccountID:         r.AccountID,
		AccountExternalID: r.AccountExternalID,
		ExternalID:        r.ExternalID,
		Name:              r.Name,
		Type:              provisioning.AgentGroupType(r.Type),
		AllocationMode:    provisioning.AllocationMode(r.AllocationMode),
		Intensity:         r.Intensity,
		InitialWorkState:  provisioning.WorkState(r.InitialWorkState),
		MaxBreakTime:      r.MaxBreakTime,
		Created:           fromMillis(r.Created),
		State:             provisioning.GroupState(r.State),
		AllocatedCount:    r.AllocatedCount,
		CurrentStartTime:  fromNullMillis(r.CurrentStartTime),
		CurrentEndTime:    fromNullMillis(r.CurrentEndTime),
	}, nil
}

// selectAgentGroup selects agentGroupRow's columns.
const selectAgentGroup = `
	SELECT g.id, g.account_id, a.external_id, g.external_id, g.name,
	       g.type, g.allocation_mode, g.intensity, g.initial_work_state, g.max_break_time,
	       g.created, g.state, g.allocated_count, g.current_start_time, g.current_end_time
	FROM agent_groups g
	JOIN orgs a ON a.id = g.account_id`

// AgentGroup returns the agent group with this id (in a read transaction on SQLite, see
// remembered).
func (t *tx) AgentGroup(id int64) (provisioning.AgentGroup, error) {
	return remembered(t, agentGroupsTable, id, func() (provisioning.AgentGroup, error) {
		return selectOne(t, notFound("agent group", id), (*agentGroupRow).agentGroup,
			selectAgentGroup+` WHERE g.id = CAST(? AS BIGINT)`, id)
	})
}

// FindAgentGroups returns at most two agent groups with this externalId in accountID (0:
// any account).
func (t *tx) FindAgentGroups(accountID int64, externalID string) ([]provisioning.AgentGroup, error) {
	if accountID == 0 {
		return selectAll(t, (*agentGroupRow).agentGroup, selectAgentGroup+`
			WHERE g.external_id = CAST(? AS TEXT) ORDER BY g.id LIMIT 2`, externalID)
	}
	return selectAll(t, (*agentGroupRow).agentGroup, selectAgentGroup+`
		WHERE g.account_id = CAST(? AS BIGINT) AND g.external_id = CAST(? AS TEXT) ORDER BY g.id LIMIT 2`, accountID, externalID)
}

// ListAgentGroups returns at most limit agent groups of an Account ordered by externalId.
func (t *tx) ListAgentGroups(accountID int64, limit int) ([]provisioning.AgentGroup, error) {
	return selectAll(t, (*agentGroupRow).agentGroup, selectAgentGroup+`
		WHERE g.account_id = CAST(? AS BIGINT) ORDER BY g.external_id LIMIT CAST(? AS BIGINT)`, accountID, limit)
}

// CountAgentGroups returns how many agent groups an Account has.
func (t *tx) CountAgentGroups(accountID int64) (int, error) {
	return t.count(`SELECT COUNT(*) FROM agent_groups WHERE account_id = ?`, accountID)
}

// InsertAgentGroup stores a new agent group and sets its ID; ErrExists when its externalId
// is taken in its Account.
func (t *tx) InsertAgentGroup(g *provisioning.AgentGroup) error {
	id, err := t.insert(`
		INSERT INTO agent_groups (account_id, external_id, name, type, allocation_mode,
		                          intensity, initial_work_state, max_break_time, created,
		                          state, allocated_count, current_start_time, current_end_time)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		g.AccountID, g.ExternalID, g.Name, string(g.Type), string(g.AllocationMode),
		g.Intensity, string(g.InitialWorkState), g.MaxBreakTime, millis(g.Created),
		string(g.State), g.AllocatedCount, nullMillis(g.CurrentStartTime), nullMillis(g.CurrentEndTime))
	if err != nil {
		return err
	}
	g.ID = id
	return nil
}

// UpdateAgentGroup stores the changeable fields of an agent group and of its state:
// Intensity, InitialWorkState, MaxBreakTime, State, AllocatedCount, CurrentStartTime,
// CurrentEndTime.
func (t *tx) UpdateAgentGroup(g *provisioning.AgentGroup) error {
	return t.execOne(notFound("agent group", g.ID), `
		UPDATE agent_groups
		SET intensity = ?, initial_work_state = ?, max_break_time = ?, state = ?,
		    allocated_count = ?, current_start_time = ?, current_end_time = ?
		WHERE id = ?`,
		g.Intensity, string(g.InitialWorkState), g.MaxBreakTime, string(g.State),
		g.AllocatedCount, nullMillis(g.CurrentStartTime), nullMillis(g.CurrentEndTime), g.ID)
}

// DeleteAgentGroup removes an agent group and, by cascade, its schedule groups. It fails
// while an agent is in the group.
func (t *tx) DeleteAgentGroup(id int64) error {
	return t.execOne(notFound("agent group", id), `DELETE FROM agent_groups WHERE id = ?`, id)
}

// agentCountsRow is the result of the AgentCounts query.
type agentCountsRow struct {
	Agents   int `db:"agents"`
	LoggedIn int `db:"logged_in"`
	Ready    int `db:"ready"`
	Busy     int `db:"busy"`
	OnBreak  int `db:"on_break"`
}

// AgentCounts returns the counts of an agent group's agents at the moment now. A break
// longer than the group's maxBreakTime counts as NOT_READY, not as a break, as in
// provisioning.Agent.EffectiveWorkState.
func (t *tx) AgentCounts(g *provisioning.AgentGroup, now time.Time) (provisioning.AgentCounts, error) {
	breakSince := millis(now) - int64(g.MaxBreakTime)*1000
	var r agentCountsRow
	if err := t.get(nil, &r, `
		SELECT COUNT(*)                                                                AS agents,
		       COUNT(*) FILTER (WHERE work_state <> 'LOGGED_OUT')                      AS logged_in,
		       COUNT(*) FILTER (WHERE work_state = 'READY')                            AS ready,
		       COUNT(*) FILTER (WHERE contact_state <> 'IDLE')                         AS busy,
		       COUNT(*) FILTER (WHERE work_state = 'BREAK' AND state_changed >= ?)     AS on_break
		FROM agents
		WHERE agent_group_id = ?`, breakSince, g.ID); err != nil {
		return provisioning.AgentCounts{}, err
	}
	return provisioning.AgentCounts(r), nil
}
