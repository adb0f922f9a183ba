package store

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/engage-oss/engage/provisioning"
)

// agentFixture is an account with an agent group, a schedule group and a few users.
type agentFixture struct {
	db      *DB
	account provisioning.Org
	group   provisioning.AgentGroup
	sched   provisioning.ScheduleGroup
	users   []provisioning.User
}

func newAgentFixture(t *testing.T) agentFixture {
	t.Helper()
	return newAgentFixtureIn(t, MustOpen(t))
}

// newAgentFixtureIn is newAgentFixture in the database db.
func newAgentFixtureIn(t *testing.T, db *DB) agentFixture {
	t.Helper()
	a := MustAccount(t, db, "E1", "A1")
	f := agentFixture{db: db, account: a, group: MustInsertAgentGroup(t, db, a.ID, "g1")}
	f.sched = MustInsertScheduleGroup(t, db, f.group.ID, "s1")
	for _, ext := range []string{"carol", "alice", "bob"} {
		u := MustInsertUser(t, db, a.ID, ext)
		u.AccountExternalID = "A1"
		f.users = append(f.users, u)
	}
	return f
}

// MustInsertAgentTx makes user an agent of the fixture's group through the Tx.
func (f agentFixture) MustInsertAgentTx(tb testing.TB, u provisioning.User, phone string) provisioning.Agent {
	tb.Helper()
	a := provisioning.Agent{User: u, AgentGroupID: f.group.ID, AgentGroupExternalID: f.group.ExternalID,
		MaxBreakTime: f.group.MaxBreakTime, ScheduleGroupID: f.sched.ID, ScheduleGroupExternalID: "s1",
		WorkState: provisioning.LoggedOut, RequestedAction: provisioning.NoAction, ContactState: provisioning.Idle,
		PhoneNumber: phone, StateChanged: t0, IdleSince: t0, Created: t0}
	MustWrite(tb, f.db, func(tx provisioning.Tx) error { return tx.InsertAgent(&a) })
	return a
}

func TestInsertAndGetAgent(t *testing.T) {
	f := newAgentFixture(t)
	ag := f.MustInsertAgentTx(t, f.users[0], "+15550001")

	t.Run("found by id and user with the joined fields", func(t *testing.T) {
		MustRead(t, f.db, func(tx provisioning.Tx) error {
			for name, get := range map[string]func() (provisioning.Agent, error){
				"Agent":       func() (provisioning.Agent, error) { return tx.Agent(ag.ID) },
				"AgentByUser": func() (provisioning.Agent, error) { return tx.AgentByUser(f.users[0].ID) },
			} {
				got, err := get()
				if err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
				if !reflect.DeepEqual(got, ag) {
					t.Errorf("%s = %+v, want %+v", name, got, ag)
				}
			}
			return nil
		})
	})
	t.Run("unknown ones are ErrNotFound", func(t *testing.T) {
		MustRead(t, f.db, func(tx provisioning.Tx) error {
			for name, get := range map[string]func() (provisioning.Agent, error){
				"Agent":       func() (provisioning.Agent, error) { return tx.Agent(999) },
				"AgentByUser": func() (provisioning.Agent, error) { return tx.AgentByUser(f.users[1].ID) },
			} {
				if _, err := get(); !errors.Is(err, provisioning.ErrNotFound) {
					t.Errorf("%s err = %v, want ErrNotFound", name, err)
				}
			}
			return nil
		})
	})
	t.Run("the holder of a phone number, by id", func(t *testing.T) {
		MustRead(t, f.db, func(tx provisioning.Tx) error {
			if id, err := tx.AgentIDByPhone(f.account.ID, "+15550001"); err != nil || id != ag.ID {
				t.Errorf("AgentIDByPhone = %d, %v; want %d", id, err, ag.ID)
			}
			for _, c := range []struct {
				name    string
				account int64
				phone   string
			}{{"unknown number", f.account.ID, "+1999"}, {"empty number", f.account.ID, ""}, {"other account", 999, "+15550001"}} {
				if _, err := tx.AgentIDByPhone(c.account, c.phone); !errors.Is(err, provisioning.ErrNotFound) {
					t.Errorf("AgentIDByPhone(%s) err = %v, want ErrNotFound", c.name, err)
				}
			}
			return nil
		})
	})
	t.Run("user already an agent is ErrExists", func(t *testing.T) {
		a := ag
		a.PhoneNumber = ""
		err := f.db.Write(t.Context(), func(tx provisioning.Tx) error { return tx.InsertAgent(&a) })
		if !errors.Is(err, provisioning.ErrExists) {
			t.Errorf("InsertAgent(same user) = %v, want ErrExists", err)
		}
	})
	t.Run("phone number of another agent is ErrExists", func(t *testing.T) {
		a := ag
		a.User = f.users[1]
		err := f.db.Write(t.Context(), func(tx provisioning.Tx) error { return tx.InsertAgent(&a) })
		if !errors.Is(err, provisioning.ErrExists) {
			t.Errorf("InsertAgent(same phone) = %v, want ErrExists", err)
		}
	})
	t.Run("agents without phone numbers do not collide", func(t *testing.T) {
		f.MustInsertAgentTx(t, f.users[1], "")
		f.MustInsertAgentTx(t, f.users[2], "")
	})
}

func TestUpdateAgent(t *testing.T) {
	f := newAgentFixture(t)
	ag := f.MustInsertAgentTx(t, f.users[0], "+15550001")
	var device int64
	MustWrite(t, f.db, func(tx provisioning.Tx) error {
		var err error
		device, err = tx.Device(f.account.ID, "dev-1")
		return err
	})
	changed := ag
	changed.ScheduleGroupID, changed.ScheduleGroupExternalID = 0, ""
	changed.WorkState, changed.RequestedWorkState = provisioning.Break, provisioning.Ready
	changed.RequestedAction, changed.ContactState = provisioning.Logout, provisioning.Connected
	changed.DeviceID, changed.DeviceExternalID = device, "dev-1"
	changed.ContactSince = t0.Add(time.Minute)
	changed.PhoneNumber = "+15550002"
	changed.StateChanged, changed.IdleSince = t0.Add(2*time.Minute), t0.Add(3*time.Minute)

	t.Run("live state is stored", func(t *testing.T) {
		MustWrite(t, f.db, func(tx provisioning.Tx) error { return tx.UpdateAgent(&changed) })
		MustRead(t, f.db, func(tx provisioning.Tx) error {
			got, err := tx.Agent(ag.ID)
			if err != nil {
				return err
			}
			if !reflect.DeepEqual(got, changed) {
				t.Errorf("Agent = %+v, want %+v", got, changed)
			}
			return nil
		})
	})
	t.Run("phone number of another agent is ErrExists", func(t *testing.T) {
		other := f.MustInsertAgentTx(t, f.users[1], "")
		other.PhoneNumber = "+15550002"
		err := f.db.Write(t.Context(), func(tx provisioning.Tx) error { return tx.UpdateAgent(&other) })
		if !errors.Is(err, provisioning.ErrExists) {
			t.Errorf("UpdateAgent(taken phone) = %v, want ErrExists", err)
		}
	})
	t.Run("unknown id is ErrNotFound", func(t *testing.T) {
		err := f.db.Write(t.Context(), func(tx provisioning.Tx) error {
			return tx.UpdateAgent(&provisioning.Agent{ID: 999, WorkState: provisioning.Ready})
		})
		if !errors.Is(err, provisioning.ErrNotFound) {
			t.Errorf("UpdateAgent(999) = %v, want ErrNotFound", err)
		}
	})
}

func TestDeleteAgentOfUser(t *testing.T) {
	f := newAgentFixture(t)
	ag := f.MustInsertAgentTx(t, f.users[0], "")
	t.Run("deleted, the user stays, the id is never reused", func(t *testing.T) {
		MustWrite(t, f.db, func(tx provisioning.Tx) error { return tx.DeleteAgentOfUser(f.users[0].ID) })
		MustRead(t, f.db, func(tx provisioning.Tx) error {
			if _, err := tx.Agent(ag.ID); !errors.Is(err, provisioning.ErrNotFound) {
				t.Errorf("Agent after delete: err = %v, want ErrNotFound", err)
			}
			if _, err := tx.User(f.users[0].ID); err != nil {
				t.Errorf("User after agent delete: %v", err)
			}
			return nil
		})
		if again := f.MustInsertAgentTx(t, f.users[0], ""); again.ID <= ag.ID {
			t.Errorf("new agent id %d, want > %d", again.ID, ag.ID)
		}
	})
	t.Run("a user who is no agent is ErrNotFound", func(t *testing.T) {
		err := f.db.Write(t.Context(), func(tx provisioning.Tx) error { return tx.DeleteAgentOfUser(f.users[1].ID) })
		if !errors.Is(err, provisioning.ErrNotFound) {
			t.Errorf("DeleteAgentOfUser(not an agent) = %v, want ErrNotFound", err)
		}
	})
}

func TestListAndCountAgents(t *testing.T) {
	f := newAgentFixture(t)
	other := MustInsertAgentGroup(t, f.db, f.account.ID, "g2")
	for _, u := range f.users[:2] {
		f.MustInsertAgentTx(t, u, "")
	}
	MustInsertAgent(t, f.db, f.users[2], other, 0, provisioning.LoggedOut, provisioning.Idle, t0) // bob
	MustRead(t, f.db, func(tx provisioning.Tx) error {
		got, err := tx.ListAgents(0, f.group.ID, 10)
		if err != nil {
			return err
		}
		if listNames(got) != "[alice carol]" {
			t.Errorf("ListAgents(group) = %s, want [alice carol]", listNames(got))
		}
		got, err = tx.ListAgents(f.account.ID, 0, 10)
		if err != nil {
			return err
		}
		if listNames(got) != "[alice bob carol]" {
			t.Errorf("ListAgents(account) = %s, want [alice bob carol]", listNames(got))
		}
		got, err = tx.ListAgents(f.account.ID, 0, 2)
		if err != nil {
			return err
		}
		if listNames(got) != "[alice bob]" {
			t.Errorf("ListAgents(account, limit 2) = %s, want [alice bob]", listNames(got))
		}
		n, err := tx.CountAgents(f.account.ID)
		if err != nil {
			return err
		}
		if n != 3 {
			t.Errorf("CountAgents = %d, want 3", n)
		}
		return nil
	})
}

func TestNextIdleAgent(t *testing.T) {
	f := newAgentFixture(t)
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	idleLongest := MustInsertAgent(t, f.db, f.users[0], f.group, f.sched.ID, provisioning.Ready, provisioning.Idle, now.Add(-time.Hour))
	MustInsertAgent(t, f.db, f.users[1], f.group, f.sched.ID, provisioning.Ready, provisioning.Idle, now)
	MustInsertAgent(t, f.db, f.users[2], f.group, f.sched.ID, provisioning.Ready, provisioning.Connected, now.Add(-2*time.Hour))
	empty := MustInsertScheduleGroup(t, f.db, f.group.ID, "empty")
	MustRead(t, f.db, func(tx provisioning.Tx) error {
		got, err := tx.NextIdleAgent(f.sched.ID)
		if err != nil {
			return err
		}
		if got.ID != idleLongest {
			t.Errorf("NextIdleAgent = agent %d (%s), want %d", got.ID, got.User.ExternalID, idleLongest)
		}
		if _, err := tx.NextIdleAgent(empty.ID); !errors.Is(err, provisioning.ErrNotFound) {
			t.Errorf("NextIdleAgent(empty) err = %v, want ErrNotFound", err)
		}
		return nil
	})
}

func TestDevice(t *testing.T) {
	f := newAgentFixture(t)
	other := MustInsertOrg(t, f.db, f.account.ParentID, "A2")
	var first, again, elsewhere int64
	MustWrite(t, f.db, func(tx provisioning.Tx) error {
		var err error
		if first, err = tx.Device(f.account.ID, "dev"); err != nil {
			return err
		}
		if again, err = tx.Device(f.account.ID, "dev"); err != nil {
			return err
		}
		elsewhere, err = tx.Device(other.ID, "dev")
		return err
	})
	if first == 0 || again != first || elsewhere == first {
		t.Errorf("Device ids = %d, %d, %d; want the same id twice, another for another account", first, again, elsewhere)
	}
	t.Run("existing device is found in a read transaction", func(t *testing.T) {
		MustRead(t, f.db, func(tx provisioning.Tx) error {
			got, err := tx.Device(f.account.ID, "dev")
			if err != nil {
				return err
			}
			if got != first {
				t.Errorf("Device = %d, want %d", got, first)
			}
			return nil
		})
	})

	t.Run("agents by device in the given accounts", func(t *testing.T) {
		ag := f.MustInsertAgentTx(t, f.users[0], "")
		ag.DeviceID, ag.ContactState = first, provisioning.Connected
		MustWrite(t, f.db, func(tx provisioning.Tx) error { return tx.UpdateAgent(&ag) })
		MustRead(t, f.db, func(tx provisioning.Tx) error {
			got, err := tx.AgentsByDevice([]int64{other.ID, f.account.ID}, "dev", 10)
			if err != nil {
				return err
			}
			if len(got) != 1 || got[0].ID != ag.ID || got[0].DeviceExternalID != "dev" {
				t.Errorf("AgentsByDevice = %+v, want agent %d", got, ag.ID)
			}
			for _, ids := range [][]int64{{other.ID}, nil} {
				got, err = tx.AgentsByDevice(ids, "dev", 10)
				if err != nil {
					return err
				}
				if len(got) != 0 {
					t.Errorf("AgentsByDevice(%v) = %+v, want none", ids, got)
				}
			}
			return nil
		})
	})
}

func TestListAgentsGivesEachUserItsAttributes(t *testing.T) {
	db := MustOpen(t)
	a := MustAccount(t, db, "E1", "A1")
	g := MustInsertAgentGroup(t, db, a.ID, "g1")
	methods := map[string]string{"alice": "PHONE", "bob": "SIP", "carol": "PHONE", "dave": ""}
	for name, method := range methods {
		u := provisioning.User{AccountID: a.ID, ExternalID: name, Type: provisioning.UserAgent, Created: t0}
		if method != "" {
			u.Attributes = []provisioning.Attribute{{Name: provisioning.RegistrationMethod, Value: method}}
		}
		MustWrite(t, db, func(tx provisioning.Tx) error { return tx.InsertUser(&u) })
		MustInsertAgent(t, db, u, g, 0, provisioning.Ready, provisioning.Idle, t0)
	}
	MustRead(t, db, func(tx provisioning.Tx) error {
		agents, err := tx.ListAgents(0, g.ID, 10)
		if err != nil {
			return err
		}
		for _, ag := range agents {
			var want []provisioning.Attribute
			if m := methods[ag.User.ExternalID]; m != "" {
				want = []provisioning.Attribute{{Name: provisioning.RegistrationMethod, Value: m}}
			}
			if !reflect.DeepEqual(ag.User.Attributes, want) {
				t.Errorf("%s: attributes %v, want %v", ag.User.ExternalID, ag.User.Attributes, want)
			}
		}
		if len(agents) != len(methods) {
			t.Errorf("%d agents, want %d", len(agents), len(methods))
		}
		return nil
	})
}
