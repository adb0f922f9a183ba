package store

import (
	"errors"
	"testing"

	"github.com/engage-oss/engage/provisioning"
)

func TestScheduleGroup(t *testing.T) {
	db := MustOpen(t)
	a := MustAccount(t, db, "E1", "A1")
	g := MustInsertAgentGroup(t, db, a.ID, "g1")
	s := MustInsertScheduleGroup(t, db, g.ID, "s1")
	bare := provisioning.ScheduleGroup{AgentGroupID: g.ID, Name: "no external id", Created: t0}
	MustWrite(t, db, func(tx provisioning.Tx) error { return tx.InsertScheduleGroup(&bare) })

	t.Run("found with its agent group's externalId", func(t *testing.T) {
		MustRead(t, db, func(tx provisioning.Tx) error {
			got, err := tx.ScheduleGroup(s.ID)
			if err != nil {
				return err
			}
			want := s
			want.AgentGroupExternalID = "g1"
			if got != want {
				t.Errorf("ScheduleGroup = %+v, want %+v", got, want)
			}
			return nil
		})
	})
	t.Run("optional fields read back empty", func(t *testing.T) {
		MustRead(t, db, func(tx provisioning.Tx) error {
			got, err := tx.ScheduleGroup(bare.ID)
			if err != nil {
				return err
			}
			if got.ExternalID != "" || got.StartTime != "" || got.EndTime != "" {
				t.Errorf("ScheduleGroup = %+v, want no externalId or times", got)
			}
			return nil
		})
	})
	t.Run("unknown id is ErrNotFound", func(t *testing.T) {
		MustRead(t, db, func(tx provisioning.Tx) error {
			if _, err := tx.ScheduleGroup(999); !errors.Is(err, provisioning.ErrNotFound) {
				t.Errorf("ScheduleGroup(999) err = %v, want ErrNotFound", err)
			}
			return nil
		})
	})
}

func TestFindAndCountScheduleGroups(t *testing.T) {
	db := MustOpen(t)
	a := MustAccount(t, db, "E1", "A1")
	g1 := MustInsertAgentGroup(t, db, a.ID, "g1")
	g2 := MustInsertAgentGroup(t, db, a.ID, "g2")
	s1 := MustInsertScheduleGroup(t, db, g1.ID, "s")
	s2 := MustInsertScheduleGroup(t, db, g2.ID, "s")
	MustInsertScheduleGroup(t, db, g1.ID, "")
	MustRead(t, db, func(tx provisioning.Tx) error {
		got, err := tx.FindScheduleGroups(g2.ID, "s")
		if err != nil {
			return err
		}
		if len(got) != 1 || got[0].ID != s2.ID || got[0].AgentGroupExternalID != "g2" {
			t.Errorf("FindScheduleGroups(g2) = %+v, want s of g2", got)
		}
		got, err = tx.FindScheduleGroups(0, "s")
		if err != nil {
			return err
		}
		if len(got) != 2 || got[0].ID != s1.ID || got[1].ID != s2.ID {
			t.Errorf("FindScheduleGroups(any) = %+v, want both", got)
		}
		got, err = tx.FindScheduleGroups(g1.ID, "")
		if err != nil {
			return err
		}
		if len(got) != 0 {
			t.Errorf("FindScheduleGroups(empty externalId) = %+v, want none", got)
		}
		n, err := tx.CountScheduleGroups(g1.ID)
		if err != nil {
			return err
		}
		if n != 2 {
			t.Errorf("CountScheduleGroups(g1) = %d, want 2", n)
		}
		return nil
	})
}

func TestInsertScheduleGroup(t *testing.T) {
	db := MustOpen(t)
	a := MustAccount(t, db, "E1", "A1")
	g1 := MustInsertAgentGroup(t, db, a.ID, "g1")
	g2 := MustInsertAgentGroup(t, db, a.ID, "g2")
	MustInsertScheduleGroup(t, db, g1.ID, "s1")
	insert := func(s provisioning.ScheduleGroup) error {
		return db.Write(t.Context(), func(tx provisioning.Tx) error { return tx.InsertScheduleGroup(&s) })
	}
	t.Run("externalId taken in the agent group is ErrExists", func(t *testing.T) {
		err := insert(provisioning.ScheduleGroup{AgentGroupID: g1.ID, ExternalID: "s1", Created: t0})
		if !errors.Is(err, provisioning.ErrExists) {
			t.Errorf("InsertScheduleGroup = %v, want ErrExists", err)
		}
	})
	t.Run("same externalId in another agent group is accepted", func(t *testing.T) {
		if err := insert(provisioning.ScheduleGroup{AgentGroupID: g2.ID, ExternalID: "s1", Created: t0}); err != nil {
			t.Errorf("InsertScheduleGroup = %v", err)
		}
	})
	t.Run("many without externalId are accepted", func(t *testing.T) {
		for range 2 {
			if err := insert(provisioning.ScheduleGroup{AgentGroupID: g1.ID, Created: t0}); err != nil {
				t.Errorf("InsertScheduleGroup = %v", err)
			}
		}
	})
	t.Run("malformed time is refused", func(t *testing.T) {
		err := insert(provisioning.ScheduleGroup{AgentGroupID: g1.ID, StartTime: "8:00", Created: t0})
		if err == nil || errors.Is(err, provisioning.ErrExists) {
			t.Errorf("InsertScheduleGroup(8:00) = %v, want a check constraint error", err)
		}
	})
}

func TestDeleteScheduleGroup(t *testing.T) {
	db := MustOpen(t)
	a := MustAccount(t, db, "E1", "A1")
	g := MustInsertAgentGroup(t, db, a.ID, "g1")
	s := MustInsertScheduleGroup(t, db, g.ID, "s1")
	used := MustInsertScheduleGroup(t, db, g.ID, "used")
	MustInsertAgent(t, db, MustInsertUser(t, db, a.ID, "u1"), g, used.ID, provisioning.Ready, provisioning.Idle, t0)

	t.Run("deleted", func(t *testing.T) {
		MustWrite(t, db, func(tx provisioning.Tx) error { return tx.DeleteScheduleGroup(s.ID) })
		MustRead(t, db, func(tx provisioning.Tx) error {
			if _, err := tx.ScheduleGroup(s.ID); !errors.Is(err, provisioning.ErrNotFound) {
				t.Errorf("ScheduleGroup after delete: err = %v, want ErrNotFound", err)
			}
			return nil
		})
	})
	t.Run("unknown id is ErrNotFound", func(t *testing.T) {
		err := db.Write(t.Context(), func(tx provisioning.Tx) error { return tx.DeleteScheduleGroup(s.ID) })
		if !errors.Is(err, provisioning.ErrNotFound) {
			t.Errorf("DeleteScheduleGroup(deleted) = %v, want ErrNotFound", err)
		}
	})
	t.Run("schedule group in use is refused by the database", func(t *testing.T) {
		err := db.Write(t.Context(), func(tx provisioning.Tx) error { return tx.DeleteScheduleGroup(used.ID) })
		if err == nil || errors.Is(err, provisioning.ErrNotFound) {
			t.Errorf("DeleteScheduleGroup(used) = %v, want a foreign key error", err)
		}
	})
	t.Run("in use reports the agents' schedule groups", func(t *testing.T) {
		MustRead(t, db, func(tx provisioning.Tx) error {
			for id, want := range map[int64]bool{used.ID: true, s.ID: false, 999: false} {
				got, err := tx.ScheduleGroupInUse(id)
				if err != nil {
					return err
				}
				if got != want {
					t.Errorf("ScheduleGroupInUse(%d) = %v, want %v", id, got, want)
				}
			}
			return nil
		})
	})
}
