package store

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/engage-oss/engage/provisioning"
)

// userRow is a row of users joined with its account's externalId (selectUser's columns).
type userRow struct {
	ID                int64
	AccountID         int64
	AccountExternalID string
	ExternalID        string
	Type              string
	FirstName         string
	LastName          string
	Email             string
	LoginEnabled      bool
	Attributes        string
	Created           int64
}

// fields returns pointers to the row's fields in the order of selectUser's columns.
func (r *userRow) fields() []any {
	return []any{&r.ID, &r.AccountID, &r.AccountExternalID, &r.ExternalID, &r.Type, &r.FirstName,
		&r.LastName, &r.Email, &r.LoginEnabled, &r.Attributes, &r.Created}
}

// attribute is the stored JSON form of a provisioning.Attribute.
type attribute struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

func (r *userRow) user() (provisioning.User, error) {
	return r.userWith(parseAttributes)
}

// userWith is user with the attributes parsed by parse.
func (r *userRow) userWith(parse func(string) ([]provisioning.Attribute, error)) (provisioning.User, error) {
	attrs, err := parse(r.Attributes)
	if err != nil {
		return provisioning.User{}, fmt.Errorf("store: user %d attributes: %w", r.ID, err)
	}
	return provisioning.User{
		ID:                r.ID,
		AccountID:         r.AccountID,
		AccountExternalID: r.AccountExternalID,
		ExternalID:        r.ExternalID,
		Type:              provisioning.UserType(r.Type),
		FirstName:         r.FirstName,
		LastName:          r.LastName,
		Email:             r.Email,
		LoginEnabled:      r.LoginEnabled,
		Attributes:        attrs,
		Created:           fromMillis(r.Created),
	}, nil
}

// parseAttributes returns the attributes of their stored form.
func parseAttributes(stored string) ([]provisioning.Attribute, error) {
	// Most users have no attributes: their stored form needs no parsing.
	if stored == noAttributes {
		return nil, nil
	}
	var attrs []attribute
	if err := json.Unmarshal([]byte(stored), &attrs); err != nil {
		return nil, err
	}
	var out []provisioning.Attribute
	for _, a := range attrs {
		out = append(out, provisioning.Attribute{Name: a.Name, Value: a.Value})
	}
	return out, nil
}

// sharedAttributes parses each stored form of attributes once and hands out the same
// attributes for it again: the users of a list mostly have the same few. Only for lists that
// are read and never modified (provisioning.Tx.ListAgents).
type sharedAttributes map[string][]provisioning.Attribute

// parse is parseAttributes, once for each stored form.
func (s sharedAttributes) parse(stored string) ([]provisioning.Attribute, error) {
	if attrs, ok := s[stored]; ok {
		return attrs, nil
	}
	attrs, err := parseAttributes(stored)
	if err == nil {
		s[stored] = slices.Clip(attrs)
	}
	return attrs, err
}

// noAttributes is the stored form of no attributes.
const noAttributes = "[]"

// attributesJSON returns the stored form of attributes: a JSON array, in order.
func attributesJSON(attrs []provisioning.Attribute) (string, error) {
	out := make([]attribute, len(attrs))
	for i, a := range attrs {
		out[i] = attribute{Name: a.Name, Value: a.Value}
	}
	b, err := json.Marshal(out)
	if err != nil {
		return "", fmt.Errorf("store: attributes: %w", err)
	}
	return string(b), nil
}

const selectUser = `
	SELECT u.id, u.account_id, a.external_id AS account_external_id, u.external_id, u.type,
	       u.first_name, u.last_name, u.email, u.login_enabled, u.attributes, u.created
	FROM users u
	JOIN orgs a ON a.id = u.account_id`

// User returns the user with this id.
func (t *tx) User(id int64) (provisioning.User, error) {
	return selectOne(t, notFound("user", id), (*userRow).user, selectUser+` WHERE u.id = CAST(? AS BIGINT)`, id)
}

// UsersByExternalID returns the users of an Account that have these externalIds, by
// externalId.
func (t *tx) UsersByExternalID(accountID int64, externalIDs []string) (map[string]provisioning.User, error) {
	list, err := json.Marshal(externalIDs)
	if err != nil {
		return nil, err
	}
	found, err := selectAll(t, (*userRow).user, usersByExternalID.in(t.d), accountID, string(list))
	if err != nil {
		return nil, err
	}
	users := make(map[string]provisioning.User, len(found))
	for _, u := range found {
		users[u.ExternalID] = u
	}
	return users, nil
}

// usersByExternalID selects the users of an account whose externalIds are in a JSON array:
// one statement text, and so one prepared statement, however many there are.
var usersByExternalID = dialectQuery{
	sqlite: selectUser + `
		WHERE u.account_id = CAST(? AS BIGINT) AND u.external_id IN (SELECT value FROM json_each(?))`,
	postgres: selectUser + `
		WHERE u.account_id = CAST(? AS BIGINT) AND u.external_id IN (SELECT json_array_elements_text(?::json))`,
}

// FindUsers returns at most two users with this externalId in accountID (0: any account).
func (t *tx) FindUsers(accountID int64, externalID string) ([]provisioning.User, error) {
	if accountID == 0 {
		return selectAll(t, (*userRow).user, selectUser+`
			WHERE u.external_id = CAST(? AS TEXT) ORDER BY u.id LIMIT 2`, externalID)
	}
	return selectAll(t, (*userRow).user, selectUser+`
		WHERE u.account_id = CAST(? AS BIGINT) AND u.external_id = CAST(? AS TEXT) ORDER BY u.id LIMIT 2`, accountID, externalID)
}

// InsertUser stores a new user and sets its ID; ErrExists when its externalId is taken in
// its Account.
func (t *tx) InsertUser(u *provisioning.User) error {
	attrs, err := attributesJSON(u.Attributes)
	if err != nil {
		return err
	}
	id, err := t.insert(`
		INSERT INTO users (account_id, external_id, type, first_name, last_name, email,
		                   login_enabled, attributes, created)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		u.AccountID, u.ExternalID, string(u.Type), u.FirstName, u.LastName, u.Email,
		u.LoginEnabled, attrs, millis(u.Created))
	if err != nil {
		return err
	}
	u.ID = id
	return nil
}

// UpdateUser stores the user's LoginEnabled and Attributes.
func (t *tx) UpdateUser(u *provisioning.User) error {
	attrs, err := attributesJSON(u.Attributes)
	if err != nil {
		return err
	}
	return t.execOne(notFound("user", u.ID), `
		UPDATE users SET login_enabled = ?, attributes = ? WHERE id = ?`,
		u.LoginEnabled, attrs, u.ID)
}

// DeleteUser removes the user with this id. It fails while the user is an agent.
func (t *tx) DeleteUser(id int64) error {
	return t.execOne(notFound("user", id), `DELETE FROM users WHERE id = ?`, id)
}

// AgentUsers returns which of these users are agents.
func (t *tx) AgentUsers(userIDs []int64) (map[int64]bool, error) {
	if userIDs == nil {
		userIDs = []int64{}
	}
	list, err := json.Marshal(userIDs)
	if err != nil {
		return nil, fmt.Errorf("store: user ids: %w", err)
	}
	var ids []int64
	if err := t.selectRows(&ids, agentUsers.in(t.d), string(list)); err != nil {
		return nil, err
	}
	agents := make(map[int64]bool, len(ids))
	for _, id := range ids {
		agents[id] = true
	}
	return agents, nil
}

// agentUsers selects the user ids of the agents whose users' ids are in a JSON array.
var agentUsers = dialectQuery{
	sqlite:   `SELECT user_id FROM agents WHERE user_id IN (SELECT value FROM json_each(?))`,
	postgres: `SELECT user_id FROM agents WHERE user_id IN (SELECT json_array_elements_text(?::json)::bigint)`,
}

// UserIsAgent reports whether the user is an agent.
func (t *tx) UserIsAgent(id int64) (bool, error) {
	return t.exists(`SELECT EXISTS (SELECT 1 FROM agents WHERE user_id = ?)`, id)
}
