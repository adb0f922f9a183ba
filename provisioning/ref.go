package provisioning

import (
	"errors"
	"slices"
)

// Ref names an entity: by InternalID, or by ExternalID plus Parent. Parent may be left out
// where the externalId alone is unambiguous. Type, when given, is the entity type the client
// says it names (an OrgType, or an entity type such as AGENT_GROUP for a base entity).
//
// The codes of a reference, each naming the argument the method gives it unless said
// otherwise: ARG_NULL (no reference; 'parent' for an externalId that is ambiguous without
// it), ATTRIBUTE_NULL (neither id), ARG_INVALID_CHAR and ARG_TOO_LARGE ('externalId'),
// ARG_INVALID_TYPE (an internalId of another kind of entity, a type that does not fit;
// 'parent' for a parent of the wrong kind), ARG_INVALID_DATA (the externalId, when the
// internalId names another entity), OBJECT_NOT_EXISTS (the id that names nothing).
type Ref struct {
	InternalID string
	ExternalID string
	Type       string
	Parent     *Ref
}

// The entity types a base entity reference may carry besides the org types.
const (
	entityAgentGroup    = "AGENT_GROUP"
	entityScheduleGroup = "SCHEDULE_GROUP"
	entityUser          = "USER"
)

// idOf reads the row id of a reference by internalId: ARG_INVALID_TYPE naming arg when it is
// the id of another kind of entity, OBJECT_NOT_EXISTS when it is no id of ours.
func idOf(ref *Ref, kind Kind, arg string) (int64, error) {
	k, id, ok := parseID(ref.InternalID)
	if !ok {
		return 0, Errorf(ObjectNotExists, ref.InternalID)
	}
	if k != kind {
		return 0, Errorf(ArgInvalidType, arg)
	}
	return id, nil
}

// load runs a lookup by id and turns "not found" into OBJECT_NOT_EXISTS naming the id.
func load[T any](ref *Ref, id int64, get func(int64) (T, error)) (T, error) {
	v, err := get(id)
	if errors.Is(err, ErrNotFound) {
		return v, Errorf(ObjectNotExists, ref.InternalID)
	}
	return v, err
}

// sameExternalID checks that a reference by internalId that also carries an externalId names
// the same entity with both.
func sameExternalID(ref *Ref, externalID string) error {
	if ref.ExternalID != "" && ref.ExternalID != externalID {
		return Errorf(ArgInvalidData, ref.ExternalID)
	}
	return nil
}

// pickOne returns the one entity a finder found: OBJECT_NOT_EXISTS when there is none, and
// ARG_NULL for the missing parent when the externalId is ambiguous without it.
func pickOne[T any](found []T, externalID string) (T, error) {
	var zero T
	switch len(found) {
	case 0:
		return zero, Errorf(ObjectNotExists, externalID)
	case 1:
		return found[0], nil
	}
	return zero, Errorf(ArgNull, "parent")
}

// checkRef checks what every reference needs before a lookup: the reference itself (ARG_NULL
// naming arg) and an identifying attribute (ATTRIBUTE_NULL), well formed.
func checkRef(ref *Ref, arg string) error {
	if ref == nil {
		return Errorf(ArgNull, arg)
	}
	if ref.InternalID == "" && ref.ExternalID == "" {
		return Errorf(AttributeNull, "externalId")
	}
	if ref.InternalID == "" {
		return checkExternalID(ref.ExternalID, "externalId")
	}
	return nil
}

// resolveOrg finds the organization a reference names. A type that is no organization type
// (nor the type of the organization found) is ARG_INVALID_TYPE naming arg.
func resolveOrg(tx Tx, ref *Ref, arg string) (Org, error) {
	if err := checkRef(ref, arg); err != nil {
		return Org{}, err
	}
	if ref.Type != "" && ref.Type != string(Enterprise) && ref.Type != string(Account) {
		return Org{}, Errorf(ArgInvalidType, arg)
	}
	var o Org
	if ref.InternalID != "" {
		id, err := idOf(ref, KindOrg, arg)
		if err != nil {
			return Org{}, err
		}
		if o, err = load(ref, id, tx.Org); err != nil {
			return Org{}, err
		}
		if err := sameExternalID(ref, o.ExternalID); err != nil {
			return Org{}, err
		}
	} else {
		var parentID int64
		if ref.Parent != nil {
			parent, err := resolveOrg(tx, ref.Parent, "parent")
			if err != nil {
				return Org{}, err
			}
			parentID = parent.ID
		}
		found, err := tx.FindOrgs(parentID, ref.ExternalID)
		if err != nil {
			return Org{}, err
		}
		if ref.Type != "" {
			found = filter(found, func(o Org) bool { return string(o.Type) == ref.Type })
		}
		if o, err = pickOne(found, ref.ExternalID); err != nil {
			return Org{}, err
		}
	}
	if ref.Type != "" && ref.Type != string(o.Type) {
		return Org{}, Errorf(ArgInvalidType, arg)
	}
	return o, nil
}

// resolveAccount finds the Account a reference names: ARG_INVALID_TYPE naming arg for an
// Enterprise.
func resolveAccount(tx Tx, ref *Ref, arg string) (Org, error) {
	o, err := resolveOrg(tx, ref, arg)
	if err == nil && o.Type != Account {
		return Org{}, Errorf(ArgInvalidType, arg)
	}
	return o, err
}

// parentAccountID resolves the Account a reference's parent names, or returns fallback when
// the reference has no parent.
func parentAccountID(tx Tx, ref *Ref, fallback int64) (int64, error) {
	if ref.Parent == nil {
		return fallback, nil
	}
	account, err := resolveAccount(tx, ref.Parent, "parent")
	return account.ID, err
}

// resolveUser finds the user a reference names; without a parent it looks in accountID
// (0: in any account).
func resolveUser(tx Tx, ref *Ref, arg string, accountID int64) (User, error) {
	if err := checkRef(ref, arg); err != nil {
		return User{}, err
	}
	if ref.InternalID != "" {
		id, err := idOf(ref, KindUser, arg)
		if err != nil {
			return User{}, err
		}
		u, err := load(ref, id, tx.User)
		if err != nil {
			return User{}, err
		}
		return u, sameExternalID(ref, u.ExternalID)
	}
	accountID, err := parentAccountID(tx, ref, accountID)
	if err != nil {
		return User{}, err
	}
	found, err := tx.FindUsers(accountID, ref.ExternalID)
	if err != nil {
		return User{}, err
	}
	return pickOne(found, ref.ExternalID)
}

// resolveAgentGroup finds the agent group a reference names.
func resolveAgentGroup(tx Tx, ref *Ref, arg string) (AgentGroup, error) {
	if err := checkRef(ref, arg); err != nil {
		return AgentGroup{}, err
	}
	if ref.InternalID != "" {
		id, err := idOf(ref, KindAgentGroup, arg)
		if err != nil {
			return AgentGroup{}, err
		}
		g, err := load(ref, id, tx.AgentGroup)
		if err != nil {
			return AgentGroup{}, err
		}
		return g, sameExternalID(ref, g.ExternalID)
	}
	accountID, err := parentAccountID(tx, ref, 0)
	if err != nil {
		return AgentGroup{}, err
	}
	found, err := tx.FindAgentGroups(accountID, ref.ExternalID)
	if err != nil {
		return AgentGroup{}, err
	}
	return pickOne(found, ref.ExternalID)
}

// resolveScheduleGroup finds the schedule group a reference names.
func resolveScheduleGroup(tx Tx, ref *Ref, arg string) (ScheduleGroup, error) {
	if err := checkRef(ref, arg); err != nil {
		return ScheduleGroup{}, err
	}
	if ref.InternalID != "" {
		id, err := idOf(ref, KindScheduleGroup, arg)
		if err != nil {
			return ScheduleGroup{}, err
		}
		s, err := load(ref, id, tx.ScheduleGroup)
		if err != nil {
			return ScheduleGroup{}, err
		}
		return s, sameExternalID(ref, s.ExternalID)
	}
	var groupID int64
	if ref.Parent != nil {
		g, err := resolveAgentGroup(tx, ref.Parent, "parent")
		if err != nil {
			return ScheduleGroup{}, err
		}
		groupID = g.ID
	}
	found, err := tx.FindScheduleGroups(groupID, ref.ExternalID)
	if err != nil {
		return ScheduleGroup{}, err
	}
	return pickOne(found, ref.ExternalID)
}

// filter returns the elements of s for which keep is true: s itself when it keeps them all,
// a new slice otherwise (s may be shared, see Tx.ListAgents).
func filter[T any](s []T, keep func(T) bool) []T {
	for i, v := range s {
		if !keep(v) {
			out := slices.Clone(s[:i])
			for _, v := range s[i+1:] {
				if keep(v) {
					out = append(out, v)
				}
			}
			return out
		}
	}
	return s
}
