package store

import (
	"testing"

	"github.com/engage-oss/engage/provisioning"
)

// BenchmarkReadAgentGroup is one read request's store work: a read transaction that looks an
// agent group up by id.
func BenchmarkReadAgentGroup(b *testing.B) {
	db := MustOpen(b)
	account := MustAccount(b, db, "e", "a")
	g := MustInsertAgentGroup(b, db, account.ID, "g")
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := db.Read(b.Context(), func(tx provisioning.Tx) error {
			_, err := tx.AgentGroup(g.ID)
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
}
