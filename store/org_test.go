package store

import (
	"errors"
	"testing"
	"time"

	"github.com/engage-oss/engage/provisioning"
)

func TestOrg(t *testing.T) {
	db := MustOpen(t)
	e := MustInsertOrg(t, db, 0, "E1")
	a := MustInsertOrg(t, db, e.ID, "A1")

	t.Run("found with its parent's externalId", func(t *testing.T) {
		MustRead(t, db, func(tx provisioning.Tx) error {
			got, err := tx.Org(a.ID)
			if err != nil {
				return err
			}
			want := provisioning.Org{ID: a.ID, ExternalID: "A1", Type: provisioning.Account, ParentID: e.ID,
				ParentExternalID: "E1", Name: "Org A1", Created: t0}
			if got != want {
				t.Errorf("Org = %+v, want %+v", got, want)
			}
			got, err = tx.Org(e.ID)
			if err != nil {
				return err
			}
			if got.ParentID != 0 || got.ParentExternalID != "" || got.Type != provisioning.Enterprise {
				t.Errorf("enterprise = %+v, want no parent", got)
			}
			return nil
		})
	})

	t.Run("unknown id is ErrNotFound", func(t *testing.T) {
		MustRead(t, db, func(tx provisioning.Tx) error {
			if _, err := tx.Org(999); !errors.Is(err, provisioning.ErrNotFound) {
				t.Errorf("Org(999) err = %v, want ErrNotFound", err)
			}
			return nil
		})
	})

	t.Run("created is kept to the millisecond in UTC", func(t *testing.T) {
		local := time.Date(2024, 1, 2, 3, 4, 5, 678_901_234, time.FixedZone("X", 3600))
		o := provisioning.Org{ExternalID: "E-time", Type: provisioning.Enterprise, Created: local}
		MustWrite(t, db, func(tx provisioning.Tx) error { return tx.InsertOrg(&o) })
		MustRead(t, db, func(tx provisioning.Tx) error {
			got, err := tx.Org(o.ID)
			if err != nil {
				return err
			}
			want := local.Truncate(time.Millisecond).UTC()
			if !got.Created.Equal(want) || got.Created.Location() != time.UTC {
				t.Errorf("Created = %v, want %v", got.Created, want)
			}
			return nil
		})
	})
}

func TestFindOrgs(t *testing.T) {
	db := MustOpen(t)
	e1 := MustInsertOrg(t, db, 0, "E1")
	e2 := MustInsertOrg(t, db, 0, "E2")
	a1 := MustInsertOrg(t, db, e1.ID, "A")
	a2 := MustInsertOrg(t, db, e2.ID, "A")
	MustInsertOrg(t, db, 0, "A") // an enterprise with the accounts' externalId

	for _, tc := range []struct {
		name     string
		parentID int64
		ext      string
		wantIDs  []int64
	}{
		{"one under its parent", e1.ID, "A", []int64{a1.ID}},
		{"the other under the other parent", e2.ID, "A", []int64{a2.ID}},
		{"enterprise anywhere", 0, "E1", []int64{e1.ID}},
		{"ambiguous anywhere stops at two", 0, "A", []int64{a1.ID, a2.ID}},
		{"none under a wrong parent", e1.ID, "E2", nil},
		{"none for an unknown externalId", 0, "nope", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			MustRead(t, db, func(tx provisioning.Tx) error {
				got, err := tx.FindOrgs(tc.parentID, tc.ext)
				if err != nil {
					return err
				}
				if len(got) != len(tc.wantIDs) {
					t.Fatalf("FindOrgs(%d, %q) = %+v, want ids %v", tc.parentID, tc.ext, got, tc.wantIDs)
				}
				for i, o := range got {
					if o.ID != tc.wantIDs[i] || o.ExternalID != tc.ext {
						t.Errorf("FindOrgs(%d, %q)[%d] = %+v, want id %d", tc.parentID, tc.ext, i, o, tc.wantIDs[i])
					}
				}
				return nil
			})
		})
	}
	t.Run("parent externalId is filled", func(t *testing.T) {
		MustRead(t, db, func(tx provisioning.Tx) error {
			got, err := tx.FindOrgs(e2.ID, "A")
			if err != nil {
				return err
			}
			if got[0].ParentExternalID != "E2" {
				t.Errorf("ParentExternalID = %q, want E2", got[0].ParentExternalID)
			}
			return nil
		})
	})
}

func TestInsertOrg(t *testing.T) {
	db := MustOpen(t)
	e := MustInsertOrg(t, db, 0, "E1")
	MustInsertOrg(t, db, e.ID, "A1")
	e2 := MustInsertOrg(t, db, 0, "E2")

	for _, tc := range []struct {
		name string
		org  provisioning.Org
		want error
	}{
		{"enterprise externalId taken is ErrExists", provisioning.Org{ExternalID: "E1", Type: provisioning.Enterprise}, provisioning.ErrExists},
		{"account externalId taken in its enterprise is ErrExists", provisioning.Org{ExternalID: "A1", Type: provisioning.Account, ParentID: e.ID}, provisioning.ErrExists},
		{"account externalId of another enterprise is accepted", provisioning.Org{ExternalID: "A1", Type: provisioning.Account, ParentID: e2.ID}, nil},
		{"enterprise with an account's externalId is accepted", provisioning.Org{ExternalID: "A1", Type: provisioning.Enterprise}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := tc.org
			err := db.Write(t.Context(), func(tx provisioning.Tx) error { return tx.InsertOrg(&o) })
			if tc.want == nil && (err != nil || o.ID == 0) {
				t.Errorf("InsertOrg = %v, id %d; want success", err, o.ID)
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("InsertOrg = %v, want %v", err, tc.want)
			}
		})
	}

	t.Run("unknown parent is refused by the foreign key", func(t *testing.T) {
		o := provisioning.Org{ExternalID: "orphan", Type: provisioning.Account, ParentID: 999}
		err := db.Write(t.Context(), func(tx provisioning.Tx) error { return tx.InsertOrg(&o) })
		if err == nil || errors.Is(err, provisioning.ErrExists) {
			t.Errorf("InsertOrg(parent 999) = %v, want a foreign key error", err)
		}
	})
}

func TestDeleteOrg(t *testing.T) {
	t.Run("deleted and its id never reused", func(t *testing.T) {
		db := MustOpen(t)
		MustInsertOrg(t, db, 0, "E1")
		e2 := MustInsertOrg(t, db, 0, "E2")
		MustWrite(t, db, func(tx provisioning.Tx) error { return tx.DeleteOrg(e2.ID) })
		MustRead(t, db, func(tx provisioning.Tx) error {
			if _, err := tx.Org(e2.ID); !errors.Is(err, provisioning.ErrNotFound) {
				t.Errorf("Org after delete: err = %v, want ErrNotFound", err)
			}
			return nil
		})
		e3 := MustInsertOrg(t, db, 0, "E2")
		if e3.ID <= e2.ID {
			t.Errorf("new org id %d, want > deleted id %d", e3.ID, e2.ID)
		}
	})

	t.Run("unknown id is ErrNotFound", func(t *testing.T) {
		db := MustOpen(t)
		err := db.Write(t.Context(), func(tx provisioning.Tx) error { return tx.DeleteOrg(42) })
		if !errors.Is(err, provisioning.ErrNotFound) {
			t.Errorf("DeleteOrg(42) = %v, want ErrNotFound", err)
		}
	})

	t.Run("org with children is refused by the database", func(t *testing.T) {
		db := MustOpen(t)
		a := MustAccount(t, db, "E1", "A1")
		MustInsertUser(t, db, a.ID, "u1")
		for _, id := range []int64{a.ParentID, a.ID} {
			err := db.Write(t.Context(), func(tx provisioning.Tx) error { return tx.DeleteOrg(id) })
			if err == nil || errors.Is(err, provisioning.ErrNotFound) {
				t.Errorf("DeleteOrg(%d) = %v, want a foreign key error", id, err)
			}
		}
	})
}

func TestOrgHasChildren(t *testing.T) {
	db := MustOpen(t)
	a := MustAccount(t, db, "E1", "A1")
	withUser := MustInsertOrg(t, db, a.ParentID, "A2")
	MustInsertUser(t, db, withUser.ID, "u1")
	withGroup := MustInsertOrg(t, db, a.ParentID, "A3")
	MustInsertAgentGroup(t, db, withGroup.ID, "g1")
	withDevice := MustInsertOrg(t, db, a.ParentID, "A4")
	MustWrite(t, db, func(tx provisioning.Tx) error {
		_, err := tx.Device(withDevice.ID, "d1")
		return err
	})

	for _, tc := range []struct {
		name string
		id   int64
		want bool
	}{
		{"enterprise with accounts has children", a.ParentID, true},
		{"empty account has none", a.ID, false},
		{"account with a user has children", withUser.ID, true},
		{"account with an agent group has children", withGroup.ID, true},
		{"account with a device has children", withDevice.ID, true},
		{"unknown org has none", 999, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			MustRead(t, db, func(tx provisioning.Tx) error {
				got, err := tx.OrgHasChildren(tc.id)
				if err != nil {
					return err
				}
				if got != tc.want {
					t.Errorf("OrgHasChildren(%d) = %v, want %v", tc.id, got, tc.want)
				}
				return nil
			})
		})
	}
}

func TestAccountsOf(t *testing.T) {
	db := MustOpen(t)
	e := MustInsertOrg(t, db, 0, "E1")
	a1 := MustInsertOrg(t, db, e.ID, "A1")
	a2 := MustInsertOrg(t, db, e.ID, "A2")
	other := MustInsertOrg(t, db, 0, "E2")
	MustInsertOrg(t, db, other.ID, "A3")
	MustRead(t, db, func(tx provisioning.Tx) error {
		got, err := tx.AccountsOf(e.ID)
		if err != nil {
			return err
		}
		if len(got) != 2 || got[0] != a1.ID || got[1] != a2.ID {
			t.Errorf("AccountsOf = %v, want [%d %d]", got, a1.ID, a2.ID)
		}
		got, err = tx.AccountsOf(999)
		if err != nil {
			return err
		}
		if got == nil || len(got) != 0 {
			t.Errorf("AccountsOf(unknown) = %#v, want an empty slice", got)
		}
		return nil
	})
}
