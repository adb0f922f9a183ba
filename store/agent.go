package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/engage-oss/engage/provisioning"
)

// agentRow is a row of agents joined with its user (and the user's account), its agent
// group, its current schedule group and its device (selectAgent's columns).
type agentRow struct {
	ID                      int64
	User                    userRow
	AgentGroupID            int64
	AgentGroupExternalID    string
	MaxBreakTime            int
	ScheduleGroupID         sql.NullInt64
	ScheduleGroupExternalID sql.NullString
	WorkState               string
	RequestedWorkState      string
	RequestedAction         string
	ContactState            string
	DeviceID                sql.NullInt64
	DeviceExternalID        sql.NullString
	ContactSince            sql.NullInt64
	PhoneNumber             string
	StateChanged            int64
	IdleSince               int64
	Created                 int64
}

// fields returns pointers to the row's fields in the order of selectAgent's columns.
func (r *agentRow) fields() []any {
	return append(append([]any{&r.ID}, r.User.fields()...),
		&r.AgentGroupID, &r.AgentGroupExternalID, &r.MaxBreakTime,
		&r.ScheduleGroupID, &r.ScheduleGroupExternalID,
		&r.WorkState, &r.RequestedWorkState, &r.RequestedAction, &r.ContactState,
		&r.DeviceID, &r.DeviceExternalID, &r.ContactSince,
		&r.PhoneNumber, &r.StateChanged, &r.IdleSince, &r.Created)
}

func (r *agentRow) agent() (provisioning.Agent, error) {
	return r.agentWith(parseAttributes)
}

// agentWith is agent with the user's attributes parsed by parse.
func (r *agentRow) agentWith(parse func(string) ([]provisioning.Attribute, error)) (provisioning.Agent, error) {
	u, err := r.User.userWith(parse)
	if err != nil {
		return provisioning.Agent{}, err
	}
	return provisioning.Agent{
		ID:                      r.ID,
		User:                    u,
		AgentGroupID:            r.AgentGroupID,
		AgentGroupExternalID:    r.AgentGroupExternalID,
		MaxBreakTime:            r.MaxBreakTime,
		ScheduleGroupID:         r.ScheduleGroupID.Int64,
		ScheduleGroupExternalID: r.ScheduleGroupExternalID.String,
		WorkState:               provisioning.WorkState(r.WorkState),
		RequestedWorkState:      provisioning.WorkState(r.RequestedWorkState),
		RequestedAction:         provisioning.RequestedAction(r.RequestedAction),
		ContactState:            provisioning.ContactState(r.ContactState),
		DeviceID:                r.DeviceID.Int64,
		DeviceExternalID:        r.DeviceExternalID.String,
		ContactSince:            fromNullMillis(r.ContactSince),
		PhoneNumber:             r.PhoneNumber,
		StateChanged:            fromMillis(r.StateChanged),
		IdleSince:               fromMillis(r.IdleSince),
		Created:                 fromMillis(r.Created),
	}, nil
}

// selectAgent selects agentRow's columns, the user's as selectUser does.
const selectAgent = `
	SELECT a.id,
	       u.id, u.account_id, o.external_id, u.external_id, u.type, u.first_name,
	       u.last_name, u.email, u.login_enabled, u.attributes, u.created,
	       a.agent_group_id, g.external_id, g.max_break_time,
	       a.schedule_group_id, s.external_id,
	       a.work_state, a.requested_work_state, a.requested_action, a.contact_state,
	       a.device_id, d.external_id, a.contact_since,
	       a.phone_number, a.state_changed, a.idle_since, a.created
	FROM agents a
	JOIN users u ON u.id = a.user_id
	JOIN orgs o ON o.id = u.account_id
	JOIN agent_groups g ON g.id = a.agent_group_id
	LEFT JOIN schedule_groups s ON s.id = a.schedule_group_id
	LEFT JOIN devices d ON d.id = a.device_id`

// getAgent returns the one agent that query (selectAgent plus a condition) finds.
func (t *tx) getAgent(notFound error, query string, args ...any) (provisioning.Agent, error) {
	return selectOne(t, notFound, (*agentRow).agent, query, args...)
}

// Agent returns the agent with this id.
func (t *tx) Agent(id int64) (provisioning.Agent, error) {
	return t.getAgent(notFound("agent", id), selectAgent+` WHERE a.id = CAST(? AS BIGINT)`, id)
}

// AgentByUser returns the agent that a user is.
func (t *tx) AgentByUser(userID int64) (provisioning.Agent, error) {
	return t.getAgent(notFound("agent of user", userID), selectAgent+` WHERE a.user_id = CAST(? AS BIGINT)`, userID)
}

// AgentIDByPhone returns the id of the agent of an Account whose currentPhoneNumber is
// phone; no agent has the empty phone number.
func (t *tx) AgentIDByPhone(accountID int64, phone string) (int64, error) {
	var id int64
	err := t.get(notFound("agent with phone", phone), &id,
		`SELECT id FROM agents WHERE account_id = ? AND phone_number = ? AND phone_number <> ''`, accountID, phone)
	return id, err
}

// AgentsByDevice returns at most limit agents Direct Connected now to a device with this
// externalId in any of the accounts, in the order they were created.
func (t *tx) AgentsByDevice(accountIDs []int64, deviceExternalID string, limit int) ([]provisioning.Agent, error) {
	if accountIDs == nil {
		accountIDs = []int64{}
	}
	ids, err := json.Marshal(accountIDs)
	if err != nil {
		return nil, fmt.Errorf("store: account ids: %w", err)
	}
	return selectAll(t, (*agentRow).agent, agentsByDevice.in(t.d), deviceExternalID, string(ids), limit)
}

// agentsByDevice selects the agents connected to a device of an externalId in accounts
// whose ids are in a JSON array: one statement text, and so one prepared statement, however
// many there are.
var agentsByDevice = dialectQuery{
	sqlite: selectAgent + `
		WHERE d.external_id = CAST(? AS TEXT) AND d.account_id IN (SELECT value FROM json_each(?))
		ORDER BY a.id LIMIT CAST(? AS BIGINT)`,
	postgres: selectAgent + `
		WHERE d.external_id = CAST(? AS TEXT) AND d.account_id IN (SELECT json_array_elements_text(?::json)::bigint)
		ORDER BY a.id LIMIT CAST(? AS BIGINT)`,
}

// ListAgents returns at most limit agents of an agent group (groupID) or of an Account
// (accountID, when groupID is 0) ordered by their user's externalId. A read transaction on
// SQLite gets a list its connection read before in the same snapshot again (see readerConns).
func (t *tx) ListAgents(accountID, groupID int64, limit int) ([]provisioning.Agent, error) {
	key := listKey{accountID: accountID, groupID: groupID, limit: limit}
	if t.reader == nil {
		return t.listAgents(key)
	}
	if agents, ok := t.reader.lists.get(key); ok {
		return agents, nil
	}
	agents, err := t.listAgents(key)
	if err != nil {
		return nil, err
	}
	agents = slices.Clip(agents)
	t.reader.lists.put(key, agents)
	return agents, nil
}

// listAgents reads the list that ListAgents is asked for. Its agents' users share their
// attributes where they are the same.
func (t *tx) listAgents(k listKey) ([]provisioning.Agent, error) {
	shared := sharedAttributes{}
	agent := func(r *agentRow) (provisioning.Agent, error) { return r.agentWith(shared.parse) }
	if k.groupID != 0 {
		return selectAll(t, agent, selectAgent+`
			WHERE a.agent_group_id = CAST(? AS BIGINT) ORDER BY u.external_id, a.id LIMIT CAST(? AS BIGINT)`, k.groupID, k.limit)
	}
	return selectAll(t, agent, selectAgent+`
		WHERE a.account_id = CAST(? AS BIGINT) ORDER BY u.external_id, a.id LIMIT CAST(? AS BIGINT)`, k.accountID, k.limit)
}

// CountAgents returns how many agents an Account has.
func (t *tx) CountAgents(accountID int64) (int, error) {
	return t.count(`SELECT COUNT(*) FROM agents WHERE account_id = ?`, accountID)
}

// NextIdleAgent returns the agent of a schedule group who is READY and IDLE and has been so
// the longest (ErrNotFound when there is none).
func (t *tx) NextIdleAgent(scheduleGroupID int64) (provisioning.Agent, error) {
	return t.getAgent(notFound("idle agent in schedule group", scheduleGroupID), selectAgent+`
		WHERE a.schedule_group_id = CAST(? AS BIGINT) AND a.work_state = 'READY' AND a.contact_state = 'IDLE'
		ORDER BY a.idle_since, a.id LIMIT 1`, scheduleGroupID)
}

// InsertAgent stores a new agent of a.User's account and sets its ID; ErrExists when the
// user is an agent or the phone number is another agent's of the account. An empty
// RequestedAction is stored as NONE and an empty ContactState as IDLE.
func (t *tx) InsertAgent(a *provisioning.Agent) error {
	id, err := t.insert(`
		INSERT INTO agents (user_id, account_id, agent_group_id, schedule_group_id, work_state,
		                    requested_work_state, requested_action, contact_state, device_id,
		                    contact_since, phone_number, state_changed, idle_since, created)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		a.User.ID, a.User.AccountID, a.AgentGroupID, nullID(a.ScheduleGroupID), string(a.WorkState),
		string(a.RequestedWorkState), requestedAction(a.RequestedAction), contactState(a.ContactState),
		nullID(a.DeviceID), nullMillis(a.ContactSince), a.PhoneNumber, millis(a.StateChanged),
		millis(a.IdleSince), millis(a.Created))
	if err != nil {
		return err
	}
	a.ID = id
	return nil
}

// UpdateAgent stores an agent's live state: ScheduleGroupID, WorkState, RequestedWorkState,
// RequestedAction, ContactState, DeviceID, ContactSince, PhoneNumber, StateChanged,
// IdleSince. ErrExists when the phone number is another agent's of the account.
func (t *tx) UpdateAgent(a *provisioning.Agent) error {
	return t.execOne(notFound("agent", a.ID), `
		UPDATE agents
		SET schedule_group_id = ?, work_state = ?, requested_work_state = ?,
		    requested_action = ?, contact_state = ?, device_id = ?, contact_since = ?,
		    phone_number = ?, state_changed = ?, idle_since = ?
		WHERE id = ?`,
		nullID(a.ScheduleGroupID), string(a.WorkState), string(a.RequestedWorkState),
		requestedAction(a.RequestedAction), contactState(a.ContactState), nullID(a.DeviceID),
		nullMillis(a.ContactSince), a.PhoneNumber, millis(a.StateChanged), millis(a.IdleSince), a.ID)
}

// DeleteAgentOfUser removes the agent that a user is (the user stays).
func (t *tx) DeleteAgentOfUser(userID int64) error {
	return t.execOne(notFound("agent of user", userID), `DELETE FROM agents WHERE user_id = ?`, userID)
}

// Device returns the id of the device of an Account with this externalId, creating it when
// there is none (which needs a write transaction).
func (t *tx) Device(accountID int64, externalID string) (int64, error) {
	var id int64
	err := t.get(notFound("device", externalID), &id,
		`SELECT id FROM devices WHERE account_id = ? AND external_id = ?`, accountID, externalID)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, provisioning.ErrNotFound) {
		return 0, err
	}
	return t.insert(`INSERT INTO devices (account_id, external_id) VALUES (?, ?) RETURNING id`, accountID, externalID)
}

func requestedAction(a provisioning.RequestedAction) string {
	if a == "" {
		return string(provisioning.NoAction)
	}
	return string(a)
}

func contactState(s provisioning.ContactState) string {
	if s == "" {
		return string(provisioning.Idle)
	}
	return string(s)
}
