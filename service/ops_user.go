package service

import (
	"context"

	"github.com/engage-oss/engage/provisioning"
)

// usersRequest is the request wrapper of createUsers and deleteUsers.
type usersRequest struct {
	Users []*wireUser `xml:"users"`
}

// child returns the field of the wrapper's child element.
func (r *usersRequest) child(local string) (*string, wireElement) {
	if local == "users" {
		return nil, pointerItem(&r.Users)
	}
	return nil, nil
}

// userRequest is the request wrapper of showUser.
type userRequest struct {
	User *wireUser `xml:"user"`
}

// child returns the field of the wrapper's child element.
func (r *userRequest) child(local string) (*string, wireElement) {
	if local == "user" {
		return nil, allocated(&r.User)
	}
	return nil, nil
}

// userOperations returns createUsers, showUser and deleteUsers.
func userOperations() []operation {
	return []operation{
		op("createUsers", func(ctx context.Context, p *provisioning.Service, r *usersRequest, w *xmlWriter) error {
			in := make([]provisioning.UserInput, len(r.Users))
			for i, u := range r.Users {
				in[i] = u.input()
			}
			users, warnings, err := p.CreateUsers(ctx, in)
			results(w, writeUser, users, warnings)
			return err
		}),
		op("showUser", func(ctx context.Context, p *provisioning.Service, r *userRequest, w *xmlWriter) error {
			return result(w, writeUser)(p.ShowUser(ctx, r.User.ref()))
		}),
		op("deleteUsers", func(ctx context.Context, p *provisioning.Service, r *usersRequest, w *xmlWriter) error {
			warnings, err := p.DeleteUsers(ctx, userRefs(r.Users))
			writeWarnings(w, warnings)
			return err
		}),
	}
}
