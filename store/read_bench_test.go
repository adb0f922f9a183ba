package store

import (
	"context"
	"testing"

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
