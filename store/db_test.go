package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/engage-oss/engage/internal/storetest"
	"github.com/engage-oss/engage/provisioning"
)

func TestOpen(t *testing.T) {
	t.Run("second open applies no migration", func(t *testing.T) {
		path := storetest.DSN(t)
		db, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		var before []struct {
			Version   int64 `db:"version"`
			AppliedAt int64 `db:"applied_at"`
		}
		if err := db.reader.Select(&before, `SELECT version, applied_at FROM schema_migrations ORDER BY version`); err != nil {
			t.Fatal(err)
		}
		ms, err := migrations(db.d)
		if err != nil {
			t.Fatal(err)
		}
		if len(before) != len(ms) || before[0].Version != 1 {
			t.Fatalf("schema_migrations = %+v, want the %d embedded migrations", before, len(ms))
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}

		db2 := MustOpenPath(t, path)
		n, err := db2.migrate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("migrate on an up-to-date database applied %d migrations, want 0", n)
		}
		var after []struct {
			Version   int64 `db:"version"`
			AppliedAt int64 `db:"applied_at"`
		}
		if err := db2.reader.Select(&after, `SELECT version, applied_at FROM schema_migrations ORDER BY version`); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("schema_migrations after reopen = %v, want %v", after, before)
		}
	})

	t.Run("data survives reopen", func(t *testing.T) {
		path := storetest.DSN(t)
		db, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		e := MustInsertOrg(t, db, 0, "E1")
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		db2 := MustOpenPath(t, path)
		MustRead(t, db2, func(tx provisioning.Tx) error {
			got, err := tx.Org(e.ID)
			if err != nil {
				return err
			}
			if got != e {
				t.Errorf("Org after reopen = %+v, want %+v", got, e)
			}
			return nil
		})
	})

	t.Run("invalid path is refused", func(t *testing.T) {
		for _, p := range []string{"", "a.db?mode=memory", "file:a.db"} {
			if db, err := Open(p); err == nil {
				_ = db.Close()
				t.Errorf("Open(%q) succeeded, want an error", p)
			}
		}
	})
}

// pragmas returns the pragmas of every connection that pool can open at once.
func pragmas(t *testing.T, pool *sqlx.DB, conns int) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	var held []*sqlx.Conn
	defer func() {
		for _, c := range held {
			_ = c.Close()
		}
	}()
	for range conns {
		c, err := pool.Connx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
		var fk, sync, queryOnly, busy int
		var journal string
		for q, dest := range map[string]any{
			"PRAGMA foreign_keys": &fk, "PRAGMA journal_mode": &journal, "PRAGMA synchronous": &sync,
			"PRAGMA query_only": &queryOnly, "PRAGMA busy_timeout": &busy,
		} {
			if err := c.GetContext(ctx, dest, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		out = append(out, fmt.Sprintf("foreign_keys=%d journal_mode=%s synchronous=%d query_only=%d busy_timeout=%d",
			fk, journal, sync, queryOnly, busy))
	}
	return out
}

func TestPragmas(t *testing.T) {
	sqliteOnly(t)
	db := MustOpen(t)
	t.Run("writer connection has foreign keys, WAL, FULL sync", func(t *testing.T) {
		for _, got := range pragmas(t, db.writer, 1) {
			if want := "foreign_keys=1 journal_mode=wal synchronous=2 query_only=0 busy_timeout=5000"; got != want {
				t.Errorf("writer: %s, want %s", got, want)
			}
		}
	})
	t.Run("every reader connection has foreign keys, WAL and is query-only", func(t *testing.T) {
		got := pragmas(t, db.reader, readers)
		if len(got) != readers {
			t.Fatalf("got %d reader connections, want %d", len(got), readers)
		}
		for i, g := range got {
			if want := "foreign_keys=1 journal_mode=wal synchronous=2 query_only=1 busy_timeout=5000"; g != want {
				t.Errorf("reader %d: %s, want %s", i, g, want)
			}
		}
	})
}

func TestWrite(t *testing.T) {
	t.Run("error rolls back everything", func(t *testing.T) {
		db := MustOpen(t)
		boom := errors.New("boom")
		var o provisioning.Org
		err := db.Write(context.Background(), func(tx provisioning.Tx) error {
			o = provisioning.Org{ExternalID: "E1", Type: provisioning.Enterprise, Created: t0}
			if err := tx.InsertOrg(&o); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Write = %v, want %v", err, boom)
		}
		MustRead(t, db, func(tx provisioning.Tx) error {
			if _, err := tx.Org(o.ID); !errors.Is(err, provisioning.ErrNotFound) {
				t.Errorf("Org after rollback: err = %v, want ErrNotFound", err)
			}
			return nil
		})
	})

	t.Run("panic rolls back and leaves the writer usable", func(t *testing.T) {
		db := MustOpen(t)
		func() {
			defer func() { _ = recover() }()
			_ = db.Write(context.Background(), func(tx provisioning.Tx) error {
				o := provisioning.Org{ExternalID: "E1", Type: provisioning.Enterprise, Created: t0}
				if err := tx.InsertOrg(&o); err != nil {
					return err
				}
				panic("boom")
			})
		}()
		e := MustInsertOrg(t, db, 0, "E1") // would be ErrExists had the first insert stayed
		if e.ID == 0 {
			t.Error("no id")
		}
	})

	t.Run("a transaction that cannot be rolled back leaves the writer usable", func(t *testing.T) {
		db := MustOpen(t)
		boom := errors.New("boom")
		// Ended inside fn, the transaction is gone when run rolls it back: SQLite's ROLLBACK
		// then fails, and run must not hand the connection on blindly.
		err := db.write(context.Background(), func(w *tx) error {
			if err := w.exec("COMMIT"); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("write = %v, want %v", err, boom)
		}
		MustInsertOrg(t, db, 0, "E1")
		MustWrite(t, db, func(tx provisioning.Tx) error {
			found, err := tx.FindOrgs(0, "E1")
			if err == nil && len(found) != 1 {
				t.Errorf("FindOrgs(E1) = %d orgs, want 1", len(found))
			}
			return err
		})
	})

	t.Run("concurrent writes all commit", func(t *testing.T) {
		db := MustOpen(t)
		var wg sync.WaitGroup
		errs := make(chan error, 20)
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- db.Write(context.Background(), func(tx provisioning.Tx) error {
					o := provisioning.Org{ExternalID: fmt.Sprintf("E%d", i), Type: provisioning.Enterprise, Created: t0}
					return tx.InsertOrg(&o)
				})
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("Write: %v", err)
			}
		}
		var n int
		if err := db.reader.Get(&n, `SELECT COUNT(*) FROM orgs`); err != nil || n != 20 {
			t.Errorf("orgs = %d (%v), want 20", n, err)
		}
	})

	t.Run("cancelled context is refused", func(t *testing.T) {
		db := MustOpen(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		called := false
		err := db.Write(ctx, func(provisioning.Tx) error { called = true; return nil })
		if !errors.Is(err, context.Canceled) || called {
			t.Errorf("Write(cancelled) = %v, called %v; want context.Canceled, not called", err, called)
		}
	})
}

func TestRead(t *testing.T) {
	t.Run("writes are refused", func(t *testing.T) {
		db := MustOpen(t)
		err := db.Read(context.Background(), func(tx provisioning.Tx) error {
			o := provisioning.Org{ExternalID: "E1", Type: provisioning.Enterprise, Created: t0}
			return tx.InsertOrg(&o)
		})
		if err == nil {
			t.Fatal("InsertOrg in Read succeeded, want an error")
		}
		if errors.Is(err, provisioning.ErrExists) {
			t.Errorf("InsertOrg in Read = %v, want a plain error", err)
		}
	})

	t.Run("sees one snapshot while a write commits", func(t *testing.T) {
		db := MustOpen(t)
		e := MustInsertOrg(t, db, 0, "E1")
		MustRead(t, db, func(tx provisioning.Tx) error {
			if _, err := tx.FindOrgs(0, "E1"); err != nil { // starts the snapshot
				return err
			}
			MustInsertOrg(t, db, e.ID, "A1")
			got, err := tx.OrgHasChildren(e.ID)
			if err != nil {
				return err
			}
			if got {
				t.Error("read transaction saw a write committed after it began")
			}
			return nil
		})
	})
}

func TestItem(t *testing.T) {
	t.Run("failed item is rolled back and the others kept", func(t *testing.T) {
		db := MustOpen(t)
		boom := errors.New("boom")
		MustWrite(t, db, func(tx provisioning.Tx) error {
			for i := range 3 {
				err := tx.Item(func() error {
					o := provisioning.Org{ExternalID: fmt.Sprintf("E%d", i), Type: provisioning.Enterprise, Created: t0}
					if err := tx.InsertOrg(&o); err != nil {
						return err
					}
					if i == 1 {
						return boom
					}
					return nil
				})
				if (i == 1) != errors.Is(err, boom) {
					t.Errorf("item %d: Item = %v", i, err)
				}
			}
			return nil
		})
		// The failed item's id is free again: a rolled-back insert never existed.
		MustRead(t, db, func(tx provisioning.Tx) error {
			for i := range 3 {
				ext := fmt.Sprintf("E%d", i)
				found, err := tx.FindOrgs(0, ext)
				if err != nil {
					return err
				}
				if want := map[bool]int{true: 0, false: 1}[i == 1]; len(found) != want {
					t.Errorf("FindOrgs(%s) = %d orgs, want %d", ext, len(found), want)
				}
			}
			return nil
		})
	})

	t.Run("duplicate in a batch is ErrExists and the rest is kept", func(t *testing.T) {
		db := MustOpen(t)
		var errs []error
		MustWrite(t, db, func(tx provisioning.Tx) error {
			for _, ext := range []string{"E1", "E1", "E2"} {
				errs = append(errs, tx.Item(func() error {
					o := provisioning.Org{ExternalID: ext, Type: provisioning.Enterprise, Created: t0}
					return tx.InsertOrg(&o)
				}))
			}
			return nil
		})
		if errs[0] != nil || !errors.Is(errs[1], provisioning.ErrExists) || errs[2] != nil {
			t.Errorf("items = %v, want [nil ErrExists nil]", errs)
		}
		var n int
		if err := db.reader.Get(&n, `SELECT COUNT(*) FROM orgs`); err != nil || n != 2 {
			t.Errorf("orgs = %d (%v), want 2", n, err)
		}
	})

	t.Run("nested items roll back only the inner one", func(t *testing.T) {
		db := MustOpen(t)
		MustWrite(t, db, func(tx provisioning.Tx) error {
			return tx.Item(func() error {
				o := provisioning.Org{ExternalID: "outer", Type: provisioning.Enterprise, Created: t0}
				if err := tx.InsertOrg(&o); err != nil {
					return err
				}
				_ = tx.Item(func() error {
					i := provisioning.Org{ExternalID: "inner", Type: provisioning.Enterprise, Created: t0}
					if err := tx.InsertOrg(&i); err != nil {
						return err
					}
					return errors.New("inner fails")
				})
				return nil
			})
		})
		var got []string
		if err := db.reader.Select(&got, `SELECT external_id FROM orgs ORDER BY id`); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != "[outer]" {
			t.Errorf("orgs = %v, want [outer]", got)
		}
	})

	t.Run("works in a read transaction", func(t *testing.T) {
		db := MustOpen(t)
		e := MustInsertOrg(t, db, 0, "E1")
		MustRead(t, db, func(tx provisioning.Tx) error {
			return tx.Item(func() error {
				_, err := tx.Org(e.ID)
				return err
			})
		})
	})
}

func TestBatchOf1000Items(t *testing.T) {
	db := MustOpen(t)
	a := MustAccount(t, db, "E1", "A1")
	MustWrite(t, db, func(tx provisioning.Tx) error {
		for i := range 1000 {
			err := tx.Item(func() error {
				if _, err := tx.FindUsers(a.ID, fmt.Sprintf("u%d", i)); err != nil {
					return err
				}
				u := provisioning.User{AccountID: a.ID, ExternalID: fmt.Sprintf("u%d", i%999),
					Type: provisioning.UserAgent, Created: t0}
				return tx.InsertUser(&u)
			})
			if (i == 999) != errors.Is(err, provisioning.ErrExists) {
				t.Fatalf("item %d: %v", i, err)
			}
		}
		return nil
	})
	MustRead(t, db, func(tx provisioning.Tx) error {
		if got, err := tx.FindUsers(a.ID, "u998"); err != nil || len(got) != 1 {
			t.Errorf("FindUsers(u998) = %d users, %v; want 1", len(got), err)
		}
		return nil
	})
}

func BenchmarkBatchOf1000Items(b *testing.B) {
	db := MustOpen(b)
	a := MustAccount(b, db, "E1", "A1")
	for n := 0; b.Loop(); n++ {
		MustWrite(b, db, func(tx provisioning.Tx) error {
			for i := range 1000 {
				if err := tx.Item(func() error {
					u := provisioning.User{AccountID: a.ID, ExternalID: fmt.Sprintf("u%d-%d", n, i),
						Type: provisioning.UserAgent, Created: t0}
					return tx.InsertUser(&u)
				}); err != nil {
					return err
				}
			}
			return nil
		})
	}
}
