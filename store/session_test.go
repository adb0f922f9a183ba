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

// groups returns how many agent groups the Account has as a Read in ctx sees it.
func (f sessionFixture) groups(t *testing.T, ctx context.Context) int {
	t.Helper()
	var n int
	if err := f.db.Read(ctx, func(tx provisioning.Tx) (err error) {
		n, err = tx.CountAgentGroups(f.account.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// lookUp looks the operator up in ctx.
func (f sessionFixture) lookUp(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := f.db.Operator(ctx, "op"); err != nil {
		t.Fatal(err)
	}
}

// inUse returns how many reader connections are in use.
func (f sessionFixture) inUse() int { return f.db.reader.Stats().InUse }

func TestSessionSharesOneSnapshot(t *testing.T) {
	sqliteOnly(t)
	f := newSessionFixture(t)
	ctx, end := f.db.Session(context.Background())
	if n := f.inUse(); n != 0 {
		t.Fatalf("%d reader connections in use before the first look-up, want 0", n)
	}
	f.lookUp(t, ctx)
	if n := f.inUse(); n != 1 {
		t.Fatalf("%d reader connections in use after the look-up, want the session's 1", n)
	}
	MustInsertAgentGroup(t, f.other, f.account.ID, "g1")
	if n := f.groups(t, ctx); n != 0 {
		t.Errorf("the session's read sees %d groups, want 0: it shares the look-up's snapshot", n)
	}
	if n := f.groups(t, context.Background()); n != 1 {
		t.Errorf("a read outside the session sees %d groups, want 1", n)
	}
	if n := f.inUse(); n != 1 {
		t.Errorf("%d reader connections in use after the reads, want the session's 1", n)
	}
	end()
	if n := f.inUse(); n != 0 {
		t.Errorf("%d reader connections in use after the end, want 0", n)
	}
	end() // again: nothing to end
}

func TestSessionEndsAtWriteAndRelease(t *testing.T) {
	sqliteOnly(t)
	f := newSessionFixture(t)
	ctx, end := f.db.Session(context.Background())
	defer end()

	f.lookUp(t, ctx)
	if err := f.db.Write(ctx, func(tx provisioning.Tx) error {
		g := newAgentGroup(f.account.ID, "g1")
		return tx.InsertAgentGroup(&g)
	}); err != nil {
		t.Fatal(err)
	}
	if n := f.inUse(); n != 0 {
		t.Errorf("%d reader connections in use during the write, want 0", n)
	}
	if n := f.groups(t, ctx); n != 1 {
		t.Errorf("after the session's write its read sees %d groups, want 1", n)
	}

	MustInsertAgentGroup(t, f.other, f.account.ID, "g2")
	if n := f.groups(t, ctx); n != 1 {
		t.Errorf("before the release the session's read sees %d groups, want its snapshot's 1", n)
	}
	f.db.Release(ctx)
	if n := f.inUse(); n != 0 {
		t.Errorf("%d reader connections in use after the release, want 0", n)
	}
	if n := f.groups(t, ctx); n != 2 {
		t.Errorf("after the release the session's read sees %d groups, want 2", n)
	}
}

func TestSessionOfAnotherDatabase(t *testing.T) {
	sqliteOnly(t)
	f := newSessionFixture(t)
	ctx, end := f.other.Session(context.Background())
	defer end()
	f.lookUp(t, ctx)
	if n := f.inUse(); n != 0 {
		t.Errorf("%d reader connections in use after a look-up in another database's session, want 0", n)
	}
	if n := f.other.reader.Stats().InUse; n != 0 {
		t.Errorf("the other database's session holds %d connections, want 0", n)
	}
}
