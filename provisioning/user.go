package provisioning

import (
	"context"
	"slices"
	"strings"
	"time"
)

// UserInput is a user as a client sends it to createUsers.
type UserInput struct {
	ExternalID   string
	Parent       *Ref
	Type         string
	FirstName    string
	LastName     string
	Email        string
	LoginEnabled string // xs:boolean, "" for the default (true)
	Attributes   []Attribute
}

// registrationMethods are the values the registrationMethod attribute takes.
var registrationMethods = []string{"PHONE", "SIP", "WEBRTC"}

// CreateUsers creates users in their Accounts. Each user is created or not on its own: the
// created ones are returned in request order, and each failed one is a warning.
//
// Codes of the call: ARG_NULL (no users), ARG_TOO_LARGE (more than the per-call limit).
// Codes of an item: ATTRIBUTE_NULL (externalId, parent), ARG_INVALID_CHAR and ARG_TOO_LARGE
// (externalId), ARG_INVALID_TYPE (the parent is not an Account), the codes of the parent
// reference (see Ref), ATTRIBUTE_INVALID_DATA (type, loginEnabled, a text too long, a
// malformed email, an attribute), OBJECT_EXISTS.
func (s *Service) CreateUsers(ctx context.Context, in []UserInput) ([]User, []Warning, error) {
	c, err := s.authorize(ctx, "createUsers")
	if err != nil {
		return nil, nil, err
	}
	if err := s.checkBatch(len(in), "users"); err != nil {
		return nil, nil, err
	}
	created := make([]User, 0, len(in))
	var warnings []Warning
	err = c.write(func(tx Tx) (err error) {
		created = created[:0]
		warnings, err = eachItem(tx, len(in), func(i int) error {
			u, err := newUser(&in[i], s.now())
			if err != nil {
				return err
			}
			if in[i].Parent == nil {
				return Errorf(AttributeNull, "parent")
			}
			account, err := resolveAccount(tx, in[i].Parent, "parent")
			if err != nil {
				return err
			}
			u.AccountID, u.AccountExternalID = account.ID, account.ExternalID
			if err := insert(tx.InsertUser, &u, u.ExternalID); err != nil {
				return err
			}
			created = append(created, u)
			return nil
		})
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return created, warnings, nil
}

// newUser checks a user to be created, apart from its Account.
func newUser(in *UserInput, now time.Time) (User, error) {
	u := User{
		ExternalID: in.ExternalID, Type: UserType(in.Type), FirstName: in.FirstName,
		LastName: in.LastName, Email: in.Email, LoginEnabled: true, Created: now,
	}
	if err := checkNewExternalID(u.ExternalID); err != nil {
		return User{}, err
	}
	switch u.Type {
	case "":
		u.Type = UserAgent
	case UserAgent, UserSupervisor, UserAdministrator:
	default:
		return User{}, Errorf(AttributeInvalidData, "type")
	}
	for _, f := range []struct{ value, name string }{
		{u.FirstName, "firstName"}, {u.LastName, "lastName"}, {u.Email, "email"},
	} {
		if err := checkText(f.value, f.name); err != nil {
			return User{}, err
		}
	}
	if u.Email != "" && !strings.Contains(u.Email, "@") {
		return User{}, Errorf(AttributeInvalidData, "email")
	}
	if in.LoginEnabled != "" {
		var ok bool
		if u.LoginEnabled, ok = parseBool(in.LoginEnabled); !ok {
			return User{}, Errorf(AttributeInvalidData, "loginEnabled")
		}
	}
	attributes, err := checkAttributes(in.Attributes)
	if err != nil {
		return User{}, err
	}
	u.Attributes = attributes
	return u, nil
}

// checkAttributes checks a user's attributes: each named once, registrationMethod one of its
// values.
func checkAttributes(attributes []Attribute) ([]Attribute, error) {
	seen := make(map[string]bool, len(attributes))
	for _, a := range attributes {
		if a.Name == "" {
			return nil, Errorf(AttributeNull, "attribute")
		}
		if seen[a.Name] || checkText(a.Name, a.Name) != nil || checkText(a.Value, a.Name) != nil {
			return nil, Errorf(AttributeInvalidData, a.Name)
		}
		seen[a.Name] = true
		if a.Name == RegistrationMethod && !slices.Contains(registrationMethods, a.Value) {
			return nil, Errorf(AttributeInvalidData, RegistrationMethod)
		}
	}
	return attributes, nil
}

// ShowUser returns the user a reference names.
//
// Codes: those of a reference (ARG_NULL, ATTRIBUTE_NULL, ARG_INVALID_CHAR,
// ARG_TOO_LARGE, ARG_INVALID_TYPE, ARG_INVALID_DATA, OBJECT_NOT_EXISTS; see Ref).
func (s *Service) ShowUser(ctx context.Context, ref *Ref) (User, error) {
	c, err := s.authorize(ctx, "showUser")
	if err != nil {
		return User{}, err
	}
	var u User
	err = c.read(func(tx Tx) (err error) {
		u, err = resolveUser(tx, ref, "user", 0)
		return err
	})
	return u, err
}

// DeleteUsers deletes users who are not agents; each on its own, failures as warnings.
//
// Codes of the call: ARG_NULL, ARG_TOO_LARGE. Codes of an item: those of a reference
// (ARG_NULL, ATTRIBUTE_NULL, ARG_INVALID_CHAR, ARG_TOO_LARGE, ARG_INVALID_TYPE,
// ARG_INVALID_DATA, OBJECT_NOT_EXISTS; see Ref), INVALID_STATE (the user is an agent).
func (s *Service) DeleteUsers(ctx context.Context, refs []*Ref) ([]Warning, error) {
	c, err := s.authorize(ctx, "deleteUsers")
	if err != nil {
		return nil, err
	}
	if err := s.checkBatch(len(refs), "users"); err != nil {
		return nil, err
	}
	var warnings []Warning
	err = c.write(func(tx Tx) (err error) {
		warnings, err = eachItem(tx, len(refs), func(i int) error {
			u, err := resolveUser(tx, refs[i], "user", 0)
			if err != nil {
				return err
			}
			agent, err := tx.UserIsAgent(u.ID)
			if err != nil {
				return err
			}
			if agent {
				return Errorf(InvalidState, u.ExternalID)
			}
			return tx.DeleteUser(u.ID)
		})
		return err
	})
	return warnings, err
}
