package provisioning

import (
	"context"
	"errors"
)

// OrgInput is an organization as a client sends it to createOrg.
type OrgInput struct {
	ExternalID string
	Type       string
	Parent     *Ref
	Name       string
}

// CreateOrg creates an Enterprise, or an Account in an Enterprise.
//
// Codes: ARG_NULL (no org), ATTRIBUTE_NULL (no externalId, type, or parent of an Account),
// ARG_INVALID_CHAR and ARG_TOO_LARGE (externalId), ATTRIBUTE_INVALID_DATA (type, name, a
// parent given to an Enterprise), ARG_INVALID_TYPE (the parent is not an Enterprise), the codes
// of the parent reference (see Ref), OBJECT_EXISTS, PERMISSION_DENIED (the caller is no
// ADMINISTRATOR, or a scoped one asking for an Enterprise).
func (s *Service) CreateOrg(ctx context.Context, in *OrgInput) (Org, error) {
	c, err := s.authorize(ctx, "createOrg")
	if err != nil {
		return Org{}, err
	}
	if in == nil {
		return Org{}, Errorf(ArgNull, "org")
	}
	if OrgType(in.Type) == Enterprise && c.scoped() {
		return Org{}, c.denied()
	}
	o := Org{ExternalID: in.ExternalID, Type: OrgType(in.Type), Name: in.Name, Created: s.now()}
	if err := checkNewExternalID(in.ExternalID); err != nil {
		return Org{}, err
	}
	switch o.Type {
	case "":
		return Org{}, Errorf(AttributeNull, "type")
	case Enterprise:
		if in.Parent != nil {
			return Org{}, Errorf(AttributeInvalidData, "parent")
		}
	case Account:
		if in.Parent == nil {
			return Org{}, Errorf(AttributeNull, "parent")
		}
	default:
		return Org{}, Errorf(AttributeInvalidData, "type")
	}
	if err := checkText(in.Name, "name"); err != nil {
		return Org{}, err
	}
	err = c.write(func(tx Tx) error {
		if o.Type == Account {
			parent, err := resolveOrg(tx, in.Parent, "parent")
			if err != nil {
				return err
			}
			if parent.Type != Enterprise {
				return Errorf(ArgInvalidType, "parent")
			}
			o.ParentID, o.ParentExternalID = parent.ID, parent.ExternalID
		}
		return insert(tx.InsertOrg, &o, o.ExternalID)
	})
	return o, err
}

// ShowOrg returns the organization a reference names.
//
// Codes: those of a reference (ARG_NULL, ATTRIBUTE_NULL, ARG_INVALID_CHAR,
// ARG_TOO_LARGE, ARG_INVALID_TYPE, ARG_INVALID_DATA, OBJECT_NOT_EXISTS; see Ref).
func (s *Service) ShowOrg(ctx context.Context, ref *Ref) (Org, error) {
	c, err := s.authorize(ctx, "showOrg")
	if err != nil {
		return Org{}, err
	}
	var o Org
	err = c.read(func(tx Tx) (err error) {
		o, err = resolveOrg(tx, ref, "org")
		return err
	})
	return o, err
}

// DeleteOrg deletes an organization that has no accounts, users or agent groups.
//
// Codes: those of a reference (ARG_NULL, ATTRIBUTE_NULL, ARG_INVALID_CHAR,
// ARG_TOO_LARGE, ARG_INVALID_TYPE, ARG_INVALID_DATA, OBJECT_NOT_EXISTS; see Ref),
// INVALID_STATE (the organization still has children), PERMISSION_DENIED (the caller is no
// ADMINISTRATOR, or a scoped one asking for the organization that is its scope).
func (s *Service) DeleteOrg(ctx context.Context, ref *Ref) error {
	c, err := s.authorize(ctx, "deleteOrg")
	if err != nil {
		return err
	}
	return c.write(func(tx Tx) error {
		o, err := resolveOrg(tx, ref, "org")
		if err != nil {
			return err
		}
		if c.scoped() && o.ID == c.caller.ScopeOrgID {
			return c.denied()
		}
		busy, err := tx.OrgHasChildren(o.ID)
		if err != nil {
			return err
		}
		if busy {
			return Errorf(InvalidState, o.ExternalID)
		}
		return tx.DeleteOrg(o.ID)
	})
}

// checkNewExternalID checks the externalId of an entity to be created.
func checkNewExternalID(externalID string) error {
	if externalID == "" {
		return Errorf(AttributeNull, "externalId")
	}
	return checkExternalID(externalID, "externalId")
}

// insert runs a store insert and reports a taken externalId as OBJECT_EXISTS.
func insert[T any](do func(*T) error, v *T, externalID string) error {
	err := do(v)
	if errors.Is(err, ErrExists) {
		return Errorf(ObjectExists, externalID)
	}
	return err
}
