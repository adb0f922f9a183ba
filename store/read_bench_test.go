package store

import (
	"context"
	"fmt"
	"testing"

	"github.com/engage-oss/engage/auth"
	"github.com/engage-oss/engage/provisioning"
)

// BenchmarkReadAgentGroup is one read request's store work: a read transaction that looks an
// agent group up by id.
func BenchmarkReadAgentGroup(b *testing.B) {
	db := MustOpen(b)
	account := MustAccount(b, db, "e", "a")
	g := MustInsertAgentGroup(b, db, account.ID, "g")
	for _, c := range []struct {
		name string
		ctx  context.Context
	}{{"cancellable", b.Context()}, {"not cancellable", context.Background()}} {
		b.Run(c.name, func(b *testing.B) { readAgentGroup(b, db, c.ctx, g.ID) })
	}
}

// readAgentGroup reads agent group id b.N times under ctx.
func readAgentGroup(b *testing.B, db *DB, ctx context.Context, id int64) {
	b.ReportAllocs()
	for range b.N {
		if err := db.Read(ctx, func(tx provisioning.Tx) error {
			_, err := tx.AgentGroup(id)
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLookUp is a read transaction of one look-up, for each kind of row a request looks
// up, and the operator's row as a look-up reads it the first time in a snapshot. "count" is the cheapest statement,
// on one table.
func BenchmarkLookUp(b *testing.B) {
	db := MustOpen(b)
	ctx := context.Background()
	account := MustAccount(b, db, "e", "a")
	g := MustInsertAgentGroup(b, db, account.ID, "g")
	s := MustInsertScheduleGroup(b, db, g.ID, "s")
	u := MustInsertUser(b, db, account.ID, "u")
	agent := MustInsertAgent(b, db, u, g, s.ID, provisioning.Ready, provisioning.Idle, t0)
	if _, err := db.AddOperator(ctx, auth.Operator{Name: "op", PasswordHash: "h", Role: provisioning.Provisioning,
		ScopeOrgID: account.ID}); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		read func(provisioning.Tx) error
	}{
		{"count", func(tx provisioning.Tx) error { _, err := tx.CountAgentGroups(account.ID); return err }},
		{"org", func(tx provisioning.Tx) error { _, err := tx.Org(account.ID); return err }},
		{"agent group", func(tx provisioning.Tx) error { _, err := tx.AgentGroup(g.ID); return err }},
		{"schedule group", func(tx provisioning.Tx) error { _, err := tx.ScheduleGroup(s.ID); return err }},
		{"user", func(tx provisioning.Tx) error { _, err := tx.User(u.ID); return err }},
		{"agent", func(tx provisioning.Tx) error { _, err := tx.Agent(agent); return err }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if err := db.Read(ctx, c.read); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("operator", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if err := db.read(ctx, func(t *tx) error {
				clear(t.reader.operators) // read, not remembered
				_, err := t.operator("op")
				return err
			}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkListAgents is a read transaction that lists an agent group of 1,000 agents: read
// again in the same snapshot from the cache, and read from the database as on PostgreSQL or
// after a commit.
func BenchmarkListAgents(b *testing.B) {
	db := MustOpen(b)
	account := MustAccount(b, db, "e", "a")
	g := MustInsertAgentGroup(b, db, account.ID, "g")
	s := MustInsertScheduleGroup(b, db, g.ID, "s")
	for i := range 1000 {
		u := MustInsertUser(b, db, account.ID, fmt.Sprintf("u%04d", i))
		MustInsertAgent(b, db, u, g, s.ID, provisioning.Ready, provisioning.Idle, t0)
	}
	uncached := *db
	uncached.readerConns = nil // each read transaction reads, as on PostgreSQL
	for _, c := range []struct {
		name string
		db   *DB
	}{{"cached", db}, {"read", &uncached}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				MustRead(b, c.db, func(tx provisioning.Tx) error {
					got, err := tx.ListAgents(0, g.ID, 1001)
					if len(got) != 1000 {
						b.Fatalf("%d agents, want 1000", len(got))
					}
					return err
				})
			}
		})
	}
}
