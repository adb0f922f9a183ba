package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/engage-oss/engage/auth"
	"github.com/engage-oss/engage/provisioning"
)

// The operators are kept beside the provisioning data, not in provisioning.Tx: they are
// not part of the provisioning rules. DB implements auth.Store.
var _ auth.Store = (*DB)(nil)

// operatorRow is a row of operators joined with its scope's externalId (and its parent's).
type operatorRow struct {
	ID                    int64          `db:"id"`
	Name                  string         `db:"name"`
	PasswordHash          string         `db:"password_hash"`
	Role                  string         `db:"role"`
	ScopeOrgID            sql.NullInt64  `db:"scope_org_id"`
	ScopeExternalID       sql.NullString `db:"scope_external_id"`
	ScopeParentExternalID sql.NullString `db:"scope_parent_external_id"`
	DigestSecret          []byte         `db:"digest_secret"`
	Demo                  bool           `db:"demo"`
	Created               int64          `db:"created"`
	Changed               int64          `db:"changed"`
}

func (r *operatorRow) operator() auth.Operator {
	scope := r.ScopeExternalID.String
	if r.ScopeParentExternalID.Valid {
		scope = r.ScopeParentExternalID.String + "/" + scope
	}
	return auth.Operator{
		ID:           r.ID,
		Name:         r.Name,
		PasswordHash: r.PasswordHash,
		Role:         provisioning.Role(r.Role),
		ScopeOrgID:   r.ScopeOrgID.Int64,
		Scope:        scope,
		DigestSecret: r.DigestSecret,
		Demo:         r.Demo,
		Created:      fromMillis(r.Created),
		Changed:      fromMillis(r.Changed),
	}
}

const selectOperator = `
	SELECT o.id, o.name, o.password_hash, o.role, o.scope_org_id, s.external_id AS scope_external_id,
	       p.external_id AS scope_parent_external_id, o.digest_secret, o.demo, o.created, o.changed
	FROM operators o
	LEFT JOIN orgs s ON s.id = o.scope_org_id
	LEFT JOIN orgs p ON p.id = s.parent_id`

// AddOperator stores a new operator (its ID, Scope, Created and Changed are ignored) and
// returns it as stored; provisioning.ErrExists (wrapped) when the name is taken.
func (db *DB) AddOperator(ctx context.Context, op auth.Operator) (auth.Operator, error) {
	now := millis(time.Now())
	var r operatorRow
	err := db.write(ctx, func(t *tx) error {
		id, err := t.insert(`
			INSERT INTO operators (name, password_hash, role, scope_org_id, digest_secret, demo, created, changed)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			op.Name, op.PasswordHash, string(op.Role), nullID(op.ScopeOrgID), op.DigestSecret, op.Demo, now, now)
		if err != nil {
			return err
		}
		return t.get(nil, &r, selectOperator+` WHERE o.id = CAST(? AS BIGINT)`, id)
	})
	if err != nil {
		return auth.Operator{}, err
	}
	return r.operator(), nil
}

// Operator returns the operator with this name, or auth.ErrUnknownOperator (wrapped). On
// SQLite, the reader connection's copy when it read it before in the same snapshot (see
// readerConns), in the transaction of ctx's session when it has one (see Session); on
// PostgreSQL, the row read by one query.
func (db *DB) Operator(ctx context.Context, name string) (op auth.Operator, err error) {
	if db.readerConns == nil {
		var r operatorRow
		err := db.reader.GetContext(context.WithoutCancel(ctx), &r, db.d.rebind(operatorByName), name)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return auth.Operator{}, unknownOperator(name)
		case err != nil:
			return auth.Operator{}, fmt.Errorf("store: %w", err)
		}
		return r.operator(), nil
	}
	err = db.read(ctx, func(t *tx) error {
		op, err = t.operator(name)
		return err
	})
	return op, err
}

// operatorByName is the query of an operator by its name.
const operatorByName = selectOperator + ` WHERE o.name = CAST(? AS TEXT)`

// unknownOperator is the error of a look-up of a name that names no operator.
func unknownOperator(name string) error {
	return fmt.Errorf("store: operator %q: %w", name, auth.ErrUnknownOperator)
}

// operator reads the operator with this name in a read transaction on SQLite, where the
// connection remembers it for its snapshot.
func (t *tx) operator(name string) (auth.Operator, error) {
	if op, ok := t.reader.operator(name); ok {
		return op, nil
	}
	var r operatorRow
	if err := t.get(nil, &r, operatorByName, name); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return auth.Operator{}, unknownOperator(name)
		}
		return auth.Operator{}, err
	}
	op := r.operator()
	t.reader.putOperator(op)
	return op, nil
}

// ListOperators returns every operator, ordered by name.
func (db *DB) ListOperators(ctx context.Context) ([]auth.Operator, error) {
	var rows []operatorRow
	if err := db.reader.SelectContext(ctx, &rows, selectOperator+` ORDER BY o.name`); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	out := make([]auth.Operator, len(rows))
	for i := range rows {
		out[i] = rows[i].operator()
	}
	return out, nil
}

// RemoveOperator removes the operator with this name, or returns auth.ErrUnknownOperator
// (wrapped).
func (db *DB) RemoveOperator(ctx context.Context, name string) error {
	res, err := db.writer.ExecContext(ctx, db.d.rebind(`DELETE FROM operators WHERE name = ?`), name)
	return oneOperator(res, err, name)
}

// SetOperatorPassword stores an operator's new password hash and digest secret (nil: the
// operator may no longer use PasswordDigest), or returns auth.ErrUnknownOperator (wrapped).
func (db *DB) SetOperatorPassword(ctx context.Context, name, hash string, digestSecret []byte) error {
	res, err := db.writer.ExecContext(ctx, db.d.rebind(`
		UPDATE operators SET password_hash = ?, digest_secret = ?, changed = ? WHERE name = ?`),
		hash, digestSecret, millis(time.Now()), name)
	return oneOperator(res, err, name)
}

// oneOperator checks that a statement on the operator name changed one row.
func oneOperator(res sql.Result, err error, name string) error {
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	n, err := res.RowsAffected()
	switch {
	case err != nil:
		return fmt.Errorf("store: %w", err)
	case n == 0:
		return fmt.Errorf("store: operator %q: %w", name, auth.ErrUnknownOperator)
	}
	return nil
}

// HasOnlyDemoOperators reports whether every operator is a demo one, or there is none: no
// one has chosen a password the service could be opened to the network with.
func (db *DB) HasOnlyDemoOperators(ctx context.Context) (bool, error) {
	var real bool
	if err := db.reader.GetContext(ctx, &real, `SELECT EXISTS (SELECT 1 FROM operators WHERE NOT demo)`); err != nil {
		return false, fmt.Errorf("store: %w", err)
	}
	return !real, nil
}

// FindScopeOrgs returns at most two organizations with this externalId: among the accounts
// of the Enterprise parentExternalID when it is not empty, else among all organizations. An
// operator's scope is named so on the command line.
func (db *DB) FindScopeOrgs(ctx context.Context, parentExternalID, externalID string) ([]provisioning.Org, error) {
	var found []provisioning.Org
	err := run(ctx, db.d, db.reader, db.d.beginRead, "", func(t *tx) (err error) {
		if parentExternalID == "" {
			found, err = selectAll(t, (*orgRow).org, selectOrg+` WHERE o.external_id = CAST(? AS TEXT) ORDER BY o.id LIMIT 2`, externalID)
			return err
		}
		found, err = selectAll(t, (*orgRow).org, selectOrg+`
			WHERE o.external_id = CAST(? AS TEXT) AND p.external_id = CAST(? AS TEXT) AND p.parent_id IS NULL ORDER BY o.id LIMIT 2`,
			externalID, parentExternalID)
		return err
	})
	return found, err
}
