package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/engage-oss/engage/auth"
	"github.com/engage-oss/engage/internal/storetest"
	"github.com/engage-oss/engage/provisioning"
)

func TestOperators(t *testing.T) {
	db := MustOpen(t)
	ctx := context.Background()
	acct := MustAccount(t, db, "ent", "acct")

	if only, err := db.HasOnlyDemoOperators(ctx); err != nil || !only {
		t.Errorf("new database: HasOnlyDemoOperators %v %v, want true", only, err)
	}
	before := time.Now().Add(-time.Second)
	alice, err := db.AddOperator(ctx, auth.Operator{Name: "alice", PasswordHash: "h1", Role: provisioning.Provisioning,
		ScopeOrgID: acct.ID, DigestSecret: []byte{1, 2, 3}})
	if err != nil {
		t.Fatal(err)
	}
	if alice.ID == 0 || alice.Scope != "ent/acct" || alice.ScopeOrgID != acct.ID || string(alice.DigestSecret) != "\x01\x02\x03" ||
		alice.Created.Before(before) || !alice.Changed.Equal(alice.Created) || alice.Demo {
		t.Errorf("added %+v", alice)
	}
	demo, err := db.AddOperator(ctx, auth.Operator{Name: "demo", PasswordHash: "h2", Role: provisioning.Administrator, Demo: true})
	if err != nil || demo.Scope != "" || demo.ScopeOrgID != 0 || demo.DigestSecret != nil || !demo.Demo {
		t.Errorf("added %+v %v", demo, err)
	}
	if _, err := db.AddOperator(ctx, auth.Operator{Name: "alice", PasswordHash: "h", Role: provisioning.ReadOnly}); !errors.Is(err, provisioning.ErrExists) {
		t.Errorf("second alice: %v, want ErrExists", err)
	}
	if _, err := db.AddOperator(ctx, auth.Operator{Name: "eve", PasswordHash: "h", Role: "ROOT"}); err == nil {
		t.Error("an unknown role was stored")
	}
	if only, _ := db.HasOnlyDemoOperators(ctx); only {
		t.Error("HasOnlyDemoOperators with alice")
	}

	got, err := db.Operator(ctx, "alice")
	if err != nil || got.ID != alice.ID || got.PasswordHash != "h1" || got.Role != provisioning.Provisioning {
		t.Errorf("Operator(alice) = %+v %v", got, err)
	}
	if _, err := db.Operator(ctx, "Alice"); !errors.Is(err, auth.ErrUnknownOperator) {
		t.Errorf("names are case-sensitive: %v", err)
	}

	time.Sleep(2 * time.Millisecond)
	if err := db.SetOperatorPassword(ctx, "alice", "h3", nil); err != nil {
		t.Fatal(err)
	}
	got, _ = db.Operator(ctx, "alice")
	if got.PasswordHash != "h3" || got.DigestSecret != nil || !got.Changed.After(got.Created) {
		t.Errorf("after SetOperatorPassword: %+v", got)
	}
	if err := db.SetOperatorPassword(ctx, "nobody", "h", nil); !errors.Is(err, auth.ErrUnknownOperator) {
		t.Errorf("SetOperatorPassword(nobody): %v", err)
	}

	list, err := db.ListOperators(ctx)
	if err != nil || len(list) != 2 || list[0].Name != "alice" || list[1].Name != "demo" {
		t.Errorf("ListOperators = %+v %v", list, err)
	}

	if err := db.RemoveOperator(ctx, "demo"); err != nil {
		t.Fatal(err)
	}
	if err := db.RemoveOperator(ctx, "demo"); !errors.Is(err, auth.ErrUnknownOperator) {
		t.Errorf("second RemoveOperator: %v", err)
	}
	// Deleting the scope deletes the operators limited to it, never widens them.
	MustWrite(t, db, func(tx provisioning.Tx) error { return tx.DeleteOrg(acct.ID) })
	if _, err := db.Operator(ctx, "alice"); !errors.Is(err, auth.ErrUnknownOperator) {
		t.Errorf("alice after her scope was deleted: %v", err)
	}
}

func TestFindScopeOrgs(t *testing.T) {
	db := MustOpen(t)
	ctx := context.Background()
	a1 := MustAccount(t, db, "ent1", "acct")
	a2 := MustAccount(t, db, "ent2", "acct")
	tests := []struct {
		parent, externalID string
		want               []int64
	}{
		{"", "ent1", []int64{a1.ParentID}},
		{"", "acct", []int64{a1.ID, a2.ID}},
		{"ent2", "acct", []int64{a2.ID}},
		{"acct", "acct", nil},
		{"", "nothing", nil},
	}
	for _, tt := range tests {
		found, err := db.FindScopeOrgs(ctx, tt.parent, tt.externalID)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, o := range found {
			ids = append(ids, o.ID)
		}
		if len(ids) != len(tt.want) || (len(ids) > 0 && ids[0] != tt.want[0]) {
			t.Errorf("FindScopeOrgs(%q, %q) = %v, want %v", tt.parent, tt.externalID, ids, tt.want)
		}
	}
}

// TestOperatorChangesTakeEffectAtOnce checks that a password changed, an operator removed
// or added again through another handle on the database, as engage operator does from
// another process, is what the next look-up returns, however often it was looked up before.
func TestOperatorChangesTakeEffectAtOnce(t *testing.T) {
	dsn := storetest.DSN(t)
	db, other := MustOpenPath(t, dsn), MustOpenPath(t, dsn)
	ctx := context.Background()
	added, err := other.AddOperator(ctx, auth.Operator{Name: "alice", PasswordHash: "h1", Role: provisioning.ReadOnly,
		DigestSecret: []byte{1}})
	if err != nil {
		t.Fatal(err)
	}
	lookUp := func(step string) auth.Operator {
		t.Helper()
		var op auth.Operator
		for range 3 {
			if op, err = db.Operator(ctx, "alice"); err != nil {
				t.Fatalf("%s: %v", step, err)
			}
		}
		return op
	}
	if op := lookUp("added"); op.ID != added.ID || op.PasswordHash != "h1" {
		t.Fatalf("added: %+v", op)
	}

	op := lookUp("looked up again")
	op.DigestSecret[0] = 9
	if again := lookUp("after changing the copy returned"); again.DigestSecret[0] != 1 {
		t.Error("changing a returned operator changed the remembered one")
	}

	if err := other.SetOperatorPassword(ctx, "alice", "h2", nil); err != nil {
		t.Fatal(err)
	}
	if op := lookUp("password changed"); op.PasswordHash != "h2" || op.DigestSecret != nil {
		t.Errorf("password changed: %+v", op)
	}

	// A write of anything else leaves the operator as it is.
	MustAccount(t, db, "ent", "acct")
	if op := lookUp("after another write"); op.PasswordHash != "h2" {
		t.Errorf("after another write: %+v", op)
	}

	if err := other.RemoveOperator(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Operator(ctx, "alice"); !errors.Is(err, auth.ErrUnknownOperator) {
		t.Fatalf("removed: %v", err)
	}
	readded, err := other.AddOperator(ctx, auth.Operator{Name: "alice", PasswordHash: "h3", Role: provisioning.Administrator})
	if err != nil {
		t.Fatal(err)
	}
	if op := lookUp("added again"); op.ID != readded.ID || op.Role != provisioning.Administrator || op.PasswordHash != "h3" {
		t.Errorf("added again: %+v", op)
	}
}

// TestOperatorCache checks, on SQLite, that a look-up is answered from the cache while
// nothing is committed, that any commit empties it, and that a failing data version turns it
// off for that look-up and gives it a new connection.
func TestOperatorCache(t *testing.T) {
	sqliteOnly(t)
	db := MustOpen(t)
	ctx := context.Background()
	if _, err := db.AddOperator(ctx, auth.Operator{Name: "alice", PasswordHash: "h", Role: provisioning.ReadOnly}); err != nil {
		t.Fatal(err)
	}
	cached := func() bool {
		db.operators.mu.Lock()
		defer db.operators.mu.Unlock()
		_, ok := db.operators.rows["alice"]
		return ok
	}
	if _, err := db.Operator(ctx, "alice"); err != nil || !cached() {
		t.Fatalf("first look-up: %v, cached %v", err, cached())
	}
	if _, err := db.Operator(ctx, "nobody"); !errors.Is(err, auth.ErrUnknownOperator) {
		t.Fatalf("nobody: %v", err)
	}
	MustAccount(t, db, "ent", "acct")
	if _, _, _, ok := db.operators.get(ctx, "alice"); !ok || cached() {
		t.Errorf("after a commit: cached %v, version read %v", cached(), ok)
	}

	db.operators.mu.Lock()
	epoch := db.operators.epoch
	_ = db.operators.conn.Close() // the next data version fails
	db.operators.mu.Unlock()
	_, hit, _, ok := db.operators.get(ctx, "alice")
	if hit || ok {
		t.Errorf("failing data version: hit %v ok %v", hit, ok)
	}
	if op, err := db.Operator(ctx, "alice"); err != nil || op.Name != "alice" || !cached() || db.operators.epoch != epoch+1 {
		t.Errorf("after the failure: %+v %v, cached %v, epoch %d (was %d)", op, err, cached(), db.operators.epoch, epoch)
	}
}
