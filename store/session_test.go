package store

import (
	"context"
	"testing"

	"github.com/engage-oss/engage/auth"
	"github.com/engage-oss/engage/internal/storetest"
	"github.com/engage-oss/engage/provisioning"
)

// sessionFixture is a database with an operator and an Account, and another handle on the
// same file that commits as another process would.
type sessionFixture struct {
	db, other *DB
	account   provisioning.Org
}

func newSessionFixture(t *testing.T) sessionFixture {
	t.Helper()
	dsn := storetest.DSN(t)
	f := sessionFixture{db: MustOpenPath(t, dsn), other: MustOpenPath(t, dsn)}
	if _, err := f.db.AddOperator(context.Background(), auth.Operator{Name: "op", PasswordHash: "h", Role: provisioning.Administrator}); err != nil {
		t.Fatal(err)
	}
	f.account = MustAccount(t, f.db, "ent", "acct")
	return f
}

// wantGroups checks that a Read in ctx sees want agent groups in the Account.
func (f sessionFixture) wantGroups(t *testing.T, ctx context.Context, want int, when string) {
	t.Helper()
	var n int
	if err := f.db.Read(ctx, func(tx provisioning.Tx) (err error) {
		n, err = tx.CountAgentGroups(f.account.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Errorf("%s: a read sees %d agent groups, want %d", when, n, want)
	}
}

// lookUp looks the operator up in ctx.
func (f sessionFixture) lookUp(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := f.db.Operator(ctx, "op"); err != nil {
		t.Fatal(err)
	}
}

// wantInUse checks that want of db's reader connections are in use.
func wantInUse(t *testing.T, db *DB, want int, when string) {
	t.Helper()
	if n := db.reader.Stats().InUse; n != want {
		t.Errorf("%s: %d reader connections in use, want %d", when, n, want)
	}
}

func TestSessionSharesOneSnapshot(t *testing.T) {
	sqliteOnly(t)
	f := newSessionFixture(t)
	ctx, end := f.db.Session(context.Background())
	wantInUse(t, f.db, 0, "before the first look-up")
	f.lookUp(t, ctx)
	wantInUse(t, f.db, 1, "after the look-up")
	MustInsertAgentGroup(t, f.other, f.account.ID, "g1")
	f.wantGroups(t, ctx, 0, "in the session, which shares the look-up's snapshot")
	f.wantGroups(t, context.Background(), 1, "outside the session")
	wantInUse(t, f.db, 1, "after the reads")
	end()
	wantInUse(t, f.db, 0, "after the end")
	end() // again: nothing to end
}

func TestSessionEndsAtWriteAndRelease(t *testing.T) {
	sqliteOnly(t)
	f := newSessionFixture(t)
	ctx, end := f.db.Session(context.Background())
	defer end()

	f.lookUp(t, ctx)
	if err := f.db.Write(ctx, func(tx provisioning.Tx) error {
		wantInUse(t, f.db, 0, "during the session's write")
		g := newAgentGroup(f.account.ID, "g1")
		return tx.InsertAgentGroup(&g)
	}); err != nil {
		t.Fatal(err)
	}
	f.wantGroups(t, ctx, 1, "after the session's write")

	MustInsertAgentGroup(t, f.other, f.account.ID, "g2")
	f.wantGroups(t, ctx, 1, "before the release, in the session's snapshot")
	f.db.Release(ctx)
	wantInUse(t, f.db, 0, "after the release")
	f.wantGroups(t, ctx, 2, "after the release")
}

func TestSessionOfAnotherDatabase(t *testing.T) {
	sqliteOnly(t)
	f := newSessionFixture(t)
	ctx, end := f.other.Session(context.Background())
	defer end()
	f.lookUp(t, ctx)
	wantInUse(t, f.db, 0, "after a look-up in another database's session")
	wantInUse(t, f.other, 0, "in the other database")
}

// TestCloseWhileASessionIsOpen checks that closing the database while a request's session
// holds a reader connection leaves that connection's statements to the session's end, which
// still commits, and that no transaction begins afterwards.
func TestCloseWhileASessionIsOpen(t *testing.T) {
	sqliteOnly(t)
	f := newSessionFixture(t)
	ctx, end := f.db.Session(context.Background())
	f.lookUp(t, ctx)
	if err := f.db.Close(); err != nil {
		t.Fatal(err)
	}
	f.wantGroups(t, ctx, 0, "in the open session, after the close")
	if s := f.db.sessionOf(ctx); s.snap == nil || s.snap.t.reader.begin == nil {
		t.Fatal("no open snapshot")
	}
	held := f.db.sessionOf(ctx).snap.t.reader
	end()
	if held.begin != nil || held.commit != nil || held.dataVersion != nil {
		t.Error("the session's statements are still open after its end on a closed database")
	}
	if _, err := f.db.Operator(context.Background(), "op"); err == nil {
		t.Error("a look-up after the close succeeded")
	}
}
