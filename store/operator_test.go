package store

import (
	"context"
	"errors"
	"slices"
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

// TestOperatorsRememberedPerSnapshot checks, on SQLite, that a look-up is answered from its
// reader connection's copy while nothing is committed, that any commit has it read again,
// and that names of no operator are not remembered.
func TestOperatorsRememberedPerSnapshot(t *testing.T) {
	sqliteOnly(t)
	db := MustOpen(t)
	ctx := context.Background()
	if _, err := db.AddOperator(ctx, auth.Operator{Name: "alice", PasswordHash: "h", Role: provisioning.ReadOnly}); err != nil {
		t.Fatal(err)
	}
	// remember changes the remembered copies' hash to hash and returns the names remembered.
	remember := func(hash string) (names []string) {
		db.readerConns.mu.Lock()
		defer db.readerConns.mu.Unlock()
		for _, rc := range db.readerConns.conns {
			for name, op := range rc.operators {
				op.PasswordHash = hash
				rc.operators[name] = op
				names = append(names, name)
			}
		}
		return names
	}
	lookUp := func() auth.Operator {
		t.Helper()
		op, err := db.Operator(ctx, "alice")
		if err != nil {
			t.Fatal(err)
		}
		return op
	}
	lookUp()
	if _, err := db.Operator(ctx, "nobody"); !errors.Is(err, auth.ErrUnknownOperator) {
		t.Fatalf("nobody: %v", err)
	}
	if names := remember("remembered"); !slices.Equal(names, []string{"alice"}) {
		t.Fatalf("remembered %v, want [alice]", names)
	}
	// The pool hands out the connection put back last: the same one, in the same snapshot.
	if op := lookUp(); op.PasswordHash != "remembered" {
		t.Errorf("looked up again: hash %q, want the remembered copy's", op.PasswordHash)
	}
	MustAccount(t, db, "ent", "acct")
	if op := lookUp(); op.PasswordHash != "h" {
		t.Errorf("after a commit: hash %q, want h as stored", op.PasswordHash)
	}
}
