package store

import (
	"errors"
	"reflect"
	"testing"

	"github.com/engage-oss/engage/provisioning"
)

func TestUser(t *testing.T) {
	db := MustOpen(t)
	a := MustAccount(t, db, "E1", "A1")
	u := MustInsertUser(t, db, a.ID, "u1")

	t.Run("found with its account's externalId and attributes in order", func(t *testing.T) {
		MustRead(t, db, func(tx provisioning.Tx) error {
			got, err := tx.User(u.ID)
			if err != nil {
				return err
			}
			want := u
			want.AccountExternalID = "A1"
			if !reflect.DeepEqual(got, want) {
				t.Errorf("User = %+v, want %+v", got, want)
			}
			return nil
		})
	})

	t.Run("unknown id is ErrNotFound", func(t *testing.T) {
		MustRead(t, db, func(tx provisioning.Tx) error {
			if _, err := tx.User(999); !errors.Is(err, provisioning.ErrNotFound) {
				t.Errorf("User(999) err = %v, want ErrNotFound", err)
			}
			return nil
		})
	})

	t.Run("no attributes read back as none", func(t *testing.T) {
		bare := provisioning.User{AccountID: a.ID, ExternalID: "bare", Type: provisioning.UserSupervisor, Created: t0}
		MustWrite(t, db, func(tx provisioning.Tx) error { return tx.InsertUser(&bare) })
		MustRead(t, db, func(tx provisioning.Tx) error {
			got, err := tx.User(bare.ID)
			if err != nil {
				return err
			}
			if len(got.Attributes) != 0 || got.LoginEnabled || got.Type != provisioning.UserSupervisor {
				t.Errorf("User = %+v, want no attributes, login disabled, SUPERVISOR", got)
			}
			return nil
		})
	})
}

func TestFindUsers(t *testing.T) {
	db := MustOpen(t)
	a1 := MustAccount(t, db, "E1", "A1")
	a2 := MustInsertOrg(t, db, a1.ParentID, "A2")
	u1 := MustInsertUser(t, db, a1.ID, "u")
	u2 := MustInsertUser(t, db, a2.ID, "u")
	for _, tc := range []struct {
		name      string
		accountID int64
		ext       string
		wantIDs   []int64
	}{
		{"one in its account", a2.ID, "u", []int64{u2.ID}},
		{"both in any account", 0, "u", []int64{u1.ID, u2.ID}},
		{"none for an unknown externalId", a1.ID, "v", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			MustRead(t, db, func(tx provisioning.Tx) error {
				got, err := tx.FindUsers(tc.accountID, tc.ext)
				if err != nil {
					return err
				}
				if len(got) != len(tc.wantIDs) {
					t.Fatalf("FindUsers = %+v, want ids %v", got, tc.wantIDs)
				}
				for i := range got {
					if got[i].ID != tc.wantIDs[i] || got[i].AccountExternalID == "" {
						t.Errorf("FindUsers[%d] = %+v, want id %d with its account", i, got[i], tc.wantIDs[i])
					}
				}
				return nil
			})
		})
	}
}

func TestInsertUser(t *testing.T) {
	db := MustOpen(t)
	a1 := MustAccount(t, db, "E1", "A1")
	a2 := MustInsertOrg(t, db, a1.ParentID, "A2")
	MustInsertUser(t, db, a1.ID, "u1")

	t.Run("externalId taken in the account is ErrExists", func(t *testing.T) {
		u := provisioning.User{AccountID: a1.ID, ExternalID: "u1", Type: provisioning.UserAgent, Created: t0}
		err := db.Write(t.Context(), func(tx provisioning.Tx) error { return tx.InsertUser(&u) })
		if !errors.Is(err, provisioning.ErrExists) {
			t.Errorf("InsertUser = %v, want ErrExists", err)
		}
	})
	t.Run("same externalId in another account is accepted", func(t *testing.T) {
		u := MustInsertUser(t, db, a2.ID, "u1")
		if u.ID == 0 {
			t.Error("no id")
		}
	})
}

func TestUpdateUser(t *testing.T) {
	db := MustOpen(t)
	a := MustAccount(t, db, "E1", "A1")
	u := MustInsertUser(t, db, a.ID, "u1")

	t.Run("login and attributes are stored, nothing else", func(t *testing.T) {
		changed := u
		changed.LoginEnabled = false
		changed.Attributes = []provisioning.Attribute{{Name: "z", Value: "26"}, {Name: "a", Value: "é\"<>"}}
		changed.FirstName = "ignored"
		MustWrite(t, db, func(tx provisioning.Tx) error { return tx.UpdateUser(&changed) })
		MustRead(t, db, func(tx provisioning.Tx) error {
			got, err := tx.User(u.ID)
			if err != nil {
				return err
			}
			if got.LoginEnabled || !reflect.DeepEqual(got.Attributes, changed.Attributes) || got.FirstName != "Ada" {
				t.Errorf("User after update = %+v", got)
			}
			return nil
		})
	})
	t.Run("unknown id is ErrNotFound", func(t *testing.T) {
		err := db.Write(t.Context(), func(tx provisioning.Tx) error {
			return tx.UpdateUser(&provisioning.User{ID: 999})
		})
		if !errors.Is(err, provisioning.ErrNotFound) {
			t.Errorf("UpdateUser(999) = %v, want ErrNotFound", err)
		}
	})
}

func TestDeleteUser(t *testing.T) {
	db, a, u, agentUser := newUserAndAgent(t)

	t.Run("deleted and its id never reused", func(t *testing.T) {
		MustWrite(t, db, func(tx provisioning.Tx) error { return tx.DeleteUser(u.ID) })
		MustRead(t, db, func(tx provisioning.Tx) error {
			if _, err := tx.User(u.ID); !errors.Is(err, provisioning.ErrNotFound) {
				t.Errorf("User after delete: err = %v, want ErrNotFound", err)
			}
			return nil
		})
		again := MustInsertUser(t, db, a.ID, "u1")
		if again.ID <= agentUser.ID {
			t.Errorf("new user id %d, want > %d", again.ID, agentUser.ID)
		}
	})
	t.Run("unknown id is ErrNotFound", func(t *testing.T) {
		err := db.Write(t.Context(), func(tx provisioning.Tx) error { return tx.DeleteUser(u.ID) })
		if !errors.Is(err, provisioning.ErrNotFound) {
			t.Errorf("DeleteUser(deleted) = %v, want ErrNotFound", err)
		}
	})
	t.Run("user who is an agent is refused by the database", func(t *testing.T) {
		err := db.Write(t.Context(), func(tx provisioning.Tx) error { return tx.DeleteUser(agentUser.ID) })
		if err == nil || errors.Is(err, provisioning.ErrNotFound) {
			t.Errorf("DeleteUser(agent) = %v, want a foreign key error", err)
		}
	})
}

func TestUserIsAgent(t *testing.T) {
	db, _, u, agentUser := newUserAndAgent(t)
	for _, tc := range []struct {
		name string
		id   int64
		want bool
	}{
		{"agent user is an agent", agentUser.ID, true},
		{"other user is not", u.ID, false},
		{"unknown user is not", 999, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			MustRead(t, db, func(tx provisioning.Tx) error {
				got, err := tx.UserIsAgent(tc.id)
				if err != nil {
					return err
				}
				if got != tc.want {
					t.Errorf("UserIsAgent(%d) = %v, want %v", tc.id, got, tc.want)
				}
				return nil
			})
		})
	}
}

func TestAgentUsers(t *testing.T) {
	db, _, u, agentUser := newUserAndAgent(t)
	MustRead(t, db, func(tx provisioning.Tx) error {
		got, err := tx.AgentUsers([]int64{u.ID, agentUser.ID, 999})
		if err != nil {
			return err
		}
		if want := map[int64]bool{agentUser.ID: true}; !reflect.DeepEqual(got, want) {
			t.Errorf("AgentUsers = %v, want %v", got, want)
		}
		if none, err := tx.AgentUsers(nil); err != nil || len(none) != 0 {
			t.Errorf("AgentUsers(nil) = %v, %v; want none", none, err)
		}
		return nil
	})
}

func TestUsersByExternalID(t *testing.T) {
	db := MustOpen(t)
	a1 := MustAccount(t, db, "E1", "A1")
	a2 := MustInsertOrg(t, db, a1.ParentID, "A2")
	u := MustInsertUser(t, db, a1.ID, "u")
	w := MustInsertUser(t, db, a1.ID, "w")
	MustInsertUser(t, db, a2.ID, "v")
	MustRead(t, db, func(tx provisioning.Tx) error {
		got, err := tx.UsersByExternalID(a1.ID, []string{"u", "v", "w", "x"})
		if err != nil {
			return err
		}
		if len(got) != 2 || got["u"].ID != u.ID || got["w"].ID != w.ID || got["u"].AccountExternalID != "A1" {
			t.Errorf("UsersByExternalID = %+v, want u and w of A1 only", got)
		}
		if none, err := tx.UsersByExternalID(a2.ID, []string{"u"}); err != nil || len(none) != 0 {
			t.Errorf("UsersByExternalID(other account) = %+v, %v; want none", none, err)
		}
		return nil
	})
}

// newUserAndAgent opens a database whose Account a holds u, user u1, and agentUser, user
// agent, an agent of the agent group g1.
func newUserAndAgent(t *testing.T) (db *DB, a provisioning.Org, u, agentUser provisioning.User) {
	t.Helper()
	db = MustOpen(t)
	a = MustAccount(t, db, "E1", "A1")
	u = MustInsertUser(t, db, a.ID, "u1")
	agentUser = MustInsertUser(t, db, a.ID, "agent")
	g := MustInsertAgentGroup(t, db, a.ID, "g1")
	MustInsertAgent(t, db, agentUser, g, 0, provisioning.LoggedOut, provisioning.Idle, t0)
	return db, a, u, agentUser
}
