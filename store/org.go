package store

import (
	"database/sql"

	"github.com/engage-oss/engage/provisioning"
)

// orgRow is a row of orgs joined with its parent's externalId (selectOrg's columns).
type orgRow struct {
	ID               int64
	ExternalID       string
	Type             string
	ParentID         sql.NullInt64
	ParentExternalID sql.NullString
	Name             string
	Created          int64
}

// fields returns pointers to the row's fields in the order of selectOrg's columns.
func (r *orgRow) fields() []any {
	return []any{&r.ID, &r.ExternalID, &r.Type, &r.ParentID, &r.ParentExternalID, &r.Name, &r.Created}
}

func (r *orgRow) org() (provisioning.Org, error) {
	return provisioning.Org{
		ID:               r.ID,
		ExternalID:       r.ExternalID,
		Type:             provisioning.OrgType(r.Type),
		ParentID:         r.ParentID.Int64,
		ParentExternalID: r.ParentExternalID.String,
		Name:             r.Name,
		Created:          fromMillis(r.Created),
	}, nil
}

// selectOrg selects orgRow's columns.
const selectOrg = `
	SELECT o.id, o.external_id, o.type, o.parent_id, p.external_id, o.name, o.created
	FROM orgs o
	LEFT JOIN orgs p ON p.id = o.parent_id`

// Org returns the organization with this id (in a read transaction on SQLite, see remembered).
func (t *tx) Org(id int64) (provisioning.Org, error) {
	return remembered(t, orgsTable, id, func() (provisioning.Org, error) {
		return selectOne(t, notFound("org", id), (*orgRow).org, selectOrg+` WHERE o.id = CAST(? AS BIGINT)`, id)
	})
}

// FindOrgs returns at most two organizations with this externalId under parentID (0:
// anywhere, enterprises and accounts alike).
func (t *tx) FindOrgs(parentID int64, externalID string) ([]provisioning.Org, error) {
	if parentID == 0 {
		return selectAll(t, (*orgRow).org, selectOrg+`
			WHERE o.external_id = CAST(? AS TEXT) ORDER BY o.id LIMIT 2`, externalID)
	}
	return selectAll(t, (*orgRow).org, selectOrg+`
		WHERE o.parent_id = CAST(? AS BIGINT) AND o.external_id = CAST(? AS TEXT) ORDER BY o.id LIMIT 2`, parentID, externalID)
}

// InsertOrg stores a new organization and sets its ID; ErrExists when its externalId is
// taken among its siblings (among the enterprises for an enterprise).
func (t *tx) InsertOrg(o *provisioning.Org) error {
	id, err := t.insert(`
		INSERT INTO orgs (external_id, type, parent_id, name, created)
		VALUES (?, ?, ?, ?, ?) RETURNING id`,
		o.ExternalID, string(o.Type), nullID(o.ParentID), o.Name, millis(o.Created))
	if err != nil {
		return err
	}
	o.ID = id
	return nil
}

// DeleteOrg removes the organization with this id. It fails while anything refers to it.
func (t *tx) DeleteOrg(id int64) error {
	return t.execOne(notFound("org", id), `DELETE FROM orgs WHERE id = ?`, id)
}

// OrgHasChildren reports whether an organization has accounts, users, agent groups or
// devices: anything that keeps it from being deleted.
func (t *tx) OrgHasChildren(id int64) (bool, error) {
	return t.exists(`
		SELECT EXISTS (SELECT 1 FROM orgs WHERE parent_id = ?)
		    OR EXISTS (SELECT 1 FROM users WHERE account_id = ?)
		    OR EXISTS (SELECT 1 FROM agent_groups WHERE account_id = ?)
		    OR EXISTS (SELECT 1 FROM devices WHERE account_id = ?)`,
		id, id, id, id)
}

// AccountsOf returns the ids of an Enterprise's accounts, in the order they were created.
func (t *tx) AccountsOf(enterpriseID int64) ([]int64, error) {
	ids := []int64{}
	if err := t.selectRows(&ids, `SELECT id FROM orgs WHERE parent_id = CAST(? AS BIGINT) ORDER BY id`, enterpriseID); err != nil {
		return nil, err
	}
	return ids, nil
}
