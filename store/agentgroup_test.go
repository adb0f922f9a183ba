package store

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/engage-oss/engage/provisioning"
)

func TestAgentGroup(t *testing.T) {
	db := MustOpen(t)
	a := MustAccount(t, db, "E1", "A1")
	g := MustInsertAgentGroup(t, db, a.ID, "g1")

	t.Run("found with its account's externalId and no current times", func(t *testing.T) {
		MustRead(t, db, func(tx provisioning.Tx) error {
			got, err := tx.AgentGroup(g.ID)
			if err != nil {
				return err
			}
			want := g
			want.AccountExternalID = "A1"
			if got != want {
				t.Errorf("AgentGroup = %+v, want %+v", got, want)
			}
			if !got.CurrentStartTime.IsZero() || !got.CurrentEndTime.IsZero() {
				t.Errorf("current times = %v %v, want zero", got.CurrentStartTime, got.CurrentEndTime)
			}
			return nil
		})
	})
	t.Run("unknown id is ErrNotFound", func(t *testing.T) {
		MustRead(t, db, func(tx provisioning.Tx) error {
			if _, err := tx.AgentGroup(999); !errors.Is(err, provisioning.ErrNotFound) {
				t.Errorf("AgentGroup(999) err = %v, want ErrNotFound", err)
			}
			return nil
		})
	})
}

func TestFindAgentGroups(t *testing.T) {
	db := MustOpen(t)
	a1 := MustAccount(t, db, "E1", "A1")
	a2 := MustInsertOrg(t, db, a1.ParentID, "A2")
	a3 := MustInsertOrg(t, db, a1.ParentID, "A3")
	g1 := MustInsertAgentGroup(t, db, a1.ID, "g")
	g2 := MustInsertAgentGroup(t, db, a2.ID, "g")
	MustInsertAgentGroup(t, db, a3.ID, "g")
	MustRead(t, db, func(tx provisioning.Tx) error {
		got, err := tx.FindAgentGroups(a2.ID, "g")
		if err != nil {
			return err
		}
		if len(got) != 1 || got[0].ID != g2.ID || got[0].AccountExternalID != "A2" {
			t.Errorf("FindAgentGroups(A2) = %+v, want g of A2", got)
		}
		got, err = tx.FindAgentGroups(0, "g")
		if err != nil {
			return err
		}
		if len(got) != 2 || got[0].ID != g1.ID || got[1].ID != g2.ID {
			t.Errorf("FindAgentGroups(any) = %+v, want the first two of three", got)
		}
		got, err = tx.FindAgentGroups(a1.ID, "nope")
		if err != nil {
			return err
		}
		if len(got) != 0 {
			t.Errorf("FindAgentGroups(nope) = %+v, want none", got)
		}
		return nil
	})
}

func TestListAndCountAgentGroups(t *testing.T) {
	db := MustOpen(t)
	a := MustAccount(t, db, "E1", "A1")
	other := MustInsertOrg(t, db, a.ParentID, "A2")
	for _, ext := range []string{"c", "a", "d", "b"} {
		MustInsertAgentGroup(t, db, a.ID, ext)
	}
	MustInsertAgentGroup(t, db, other.ID, "0")
	MustRead(t, db, func(tx provisioning.Tx) error {
		got, err := tx.ListAgentGroups(a.ID, 3)
		if err != nil {
			return err
		}
		var exts []string
		for _, g := range got {
			exts = append(exts, g.ExternalID)
		}
		if fmt.Sprint(exts) != "[a b c]" {
			t.Errorf("ListAgentGroups(limit 3) = %v, want [a b c]", exts)
		}
		n, err := tx.CountAgentGroups(a.ID)
		if err != nil {
			return err
		}
		if n != 4 {
			t.Errorf("CountAgentGroups = %d, want 4", n)
		}
		n, err = tx.CountAgentGroups(999)
		if err != nil {
			return err
		}
		if n != 0 {
			t.Errorf("CountAgentGroups(unknown) = %d, want 0", n)
		}
		return nil
	})
}

func TestInsertAgentGroup(t *testing.T) {
	db := MustOpen(t)
	a := MustAccount(t, db, "E1", "A1")
	other := MustInsertOrg(t, db, a.ParentID, "A2")
	MustInsertAgentGroup(t, db, a.ID, "g1")
	t.Run("externalId taken in the account is ErrExists", func(t *testing.T) {
		g := newAgentGroup(a.ID, "g1")
		err := db.Write(t.Context(), func(tx provisioning.Tx) error { return tx.InsertAgentGroup(&g) })
		if !errors.Is(err, provisioning.ErrExists) {
			t.Errorf("InsertAgentGroup = %v, want ErrExists", err)
		}
	})
	t.Run("same externalId in another account is accepted", func(t *testing.T) {
		if g := MustInsertAgentGroup(t, db, other.ID, "g1"); g.ID == 0 {
			t.Error("no id")
		}
	})
}

func TestUpdateAgentGroup(t *testing.T) {
	db := MustOpen(t)
	a := MustAccount(t, db, "E1", "A1")
	g := MustInsertAgentGroup(t, db, a.ID, "g1")
	start := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)

	t.Run("changeable fields are stored, the others kept", func(t *testing.T) {
		changed := g
		changed.Intensity, changed.InitialWorkState, changed.MaxBreakTime = 7, provisioning.Ready, 30
		changed.State, changed.AllocatedCount = provisioning.Active, 5
		changed.CurrentStartTime, changed.CurrentEndTime = start, start.Add(time.Hour)
		changed.Name, changed.Type = "ignored", provisioning.Remote
		MustWrite(t, db, func(tx provisioning.Tx) error { return tx.UpdateAgentGroup(&changed) })
		MustRead(t, db, func(tx provisioning.Tx) error {
			got, err := tx.AgentGroup(g.ID)
			if err != nil {
				return err
			}
			want := changed
			want.AccountExternalID, want.Name, want.Type = "A1", g.Name, g.Type
			if got != want {
				t.Errorf("AgentGroup = %+v, want %+v", got, want)
			}
			return nil
		})
	})
	t.Run("zero current times are cleared", func(t *testing.T) {
		changed := g
		MustWrite(t, db, func(tx provisioning.Tx) error { return tx.UpdateAgentGroup(&changed) })
		var start, end *int64
		if err := db.reader.QueryRow(db.reader.Rebind(`SELECT current_start_time, current_end_time FROM agent_groups WHERE id = ?`),
			g.ID).Scan(&start, &end); err != nil {
			t.Fatal(err)
		}
		if start != nil || end != nil {
			t.Errorf("stored current times = %v %v, want NULL", start, end)
		}
	})
	t.Run("unknown id is ErrNotFound", func(t *testing.T) {
		err := db.Write(t.Context(), func(tx provisioning.Tx) error {
			return tx.UpdateAgentGroup(&provisioning.AgentGroup{ID: 999})
		})
		if !errors.Is(err, provisioning.ErrNotFound) {
			t.Errorf("UpdateAgentGroup(999) = %v, want ErrNotFound", err)
		}
	})
}

func TestDeleteAgentGroup(t *testing.T) {
	db := MustOpen(t)
	a := MustAccount(t, db, "E1", "A1")
	g := MustInsertAgentGroup(t, db, a.ID, "g1")
	s1 := MustInsertScheduleGroup(t, db, g.ID, "s1")
	s2 := MustInsertScheduleGroup(t, db, g.ID, "")
	busy := MustInsertAgentGroup(t, db, a.ID, "busy")
	MustInsertAgent(t, db, MustInsertUser(t, db, a.ID, "u1"), busy, 0, provisioning.LoggedOut, provisioning.Idle, t0)

	t.Run("deleted with its schedule groups, ids never reused", func(t *testing.T) {
		MustWrite(t, db, func(tx provisioning.Tx) error { return tx.DeleteAgentGroup(g.ID) })
		MustRead(t, db, func(tx provisioning.Tx) error {
			if _, err := tx.AgentGroup(g.ID); !errors.Is(err, provisioning.ErrNotFound) {
				t.Errorf("AgentGroup after delete: err = %v, want ErrNotFound", err)
			}
			for _, id := range []int64{s1.ID, s2.ID} {
				if _, err := tx.ScheduleGroup(id); !errors.Is(err, provisioning.ErrNotFound) {
					t.Errorf("ScheduleGroup(%d) after its group's delete: err = %v, want ErrNotFound", id, err)
				}
			}
			return nil
		})
		again := MustInsertAgentGroup(t, db, a.ID, "g1")
		if again.ID <= busy.ID {
			t.Errorf("new agent group id %d, want > %d", again.ID, busy.ID)
		}
		s := MustInsertScheduleGroup(t, db, again.ID, "s1")
		if s.ID <= s2.ID {
			t.Errorf("new schedule group id %d, want > %d", s.ID, s2.ID)
		}
	})
	t.Run("unknown id is ErrNotFound", func(t *testing.T) {
		err := db.Write(t.Context(), func(tx provisioning.Tx) error { return tx.DeleteAgentGroup(g.ID) })
		if !errors.Is(err, provisioning.ErrNotFound) {
			t.Errorf("DeleteAgentGroup(deleted) = %v, want ErrNotFound", err)
		}
	})
	t.Run("group with agents is refused by the database", func(t *testing.T) {
		err := db.Write(t.Context(), func(tx provisioning.Tx) error { return tx.DeleteAgentGroup(busy.ID) })
		if err == nil || errors.Is(err, provisioning.ErrNotFound) {
			t.Errorf("DeleteAgentGroup(busy) = %v, want a foreign key error", err)
		}
	})
}

func TestAgentCounts(t *testing.T) {
	db := MustOpen(t)
	a := MustAccount(t, db, "E1", "A1")
	g := MustInsertAgentGroup(t, db, a.ID, "g1") // maxBreakTime 600 s
	other := MustInsertAgentGroup(t, db, a.ID, "other")
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	maxBreak := time.Duration(g.MaxBreakTime) * time.Second
	for i, ag := range []struct {
		group   provisioning.AgentGroup
		work    provisioning.WorkState
		contact provisioning.ContactState
		changed time.Time
	}{
		{g, provisioning.LoggedOut, provisioning.Idle, now.Add(-time.Hour)},
		{g, provisioning.Ready, provisioning.Idle, now.Add(-time.Minute)},
		{g, provisioning.Ready, provisioning.Connected, now.Add(-time.Minute)},
		{g, provisioning.NotReady, provisioning.WrapUp, now.Add(-time.Minute)},
		{g, provisioning.Break, provisioning.Idle, now.Add(-time.Minute)},            // on break
		{g, provisioning.Break, provisioning.Idle, now.Add(-maxBreak)},               // exactly maxBreakTime: still on break
		{g, provisioning.Break, provisioning.Idle, now.Add(-maxBreak - time.Second)}, // expired: NOT_READY
		{other, provisioning.Ready, provisioning.Connected, now},
	} {
		u := MustInsertUser(t, db, a.ID, fmt.Sprintf("u%d", i))
		MustInsertAgent(t, db, u, ag.group, 0, ag.work, ag.contact, ag.changed)
	}
	empty := MustInsertAgentGroup(t, db, a.ID, "empty")

	for _, tc := range []struct {
		name  string
		group provisioning.AgentGroup
		want  provisioning.AgentCounts
	}{
		{"expired break is not counted as a break", g, provisioning.AgentCounts{Agents: 7, LoggedIn: 6, Ready: 2, Busy: 2, OnBreak: 2}},
		{"other group's agents are its own", other, provisioning.AgentCounts{Agents: 1, LoggedIn: 1, Ready: 1, Busy: 1}},
		{"group without agents counts zero", empty, provisioning.AgentCounts{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			MustRead(t, db, func(tx provisioning.Tx) error {
				got, err := tx.AgentCounts(&tc.group, now)
				if err != nil {
					return err
				}
				if got != tc.want {
					t.Errorf("AgentCounts = %+v, want %+v", got, tc.want)
				}
				return nil
			})
		})
	}
}
