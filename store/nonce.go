package store

import (
	"context"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/engage-oss/engage/auth"
)

// Nonces is the database's record of the PasswordDigest nonces accepted: every process
// serving the database refuses a nonce that any of them accepted, and a restart forgets
// none of them.
type Nonces struct {
	db *DB
	// now is the clock that expires nonces.
	now func() time.Time
}

var _ auth.NonceStore = (*Nonces)(nil)

// Nonces returns db's record of PasswordDigest nonces, expired on the clock now (time.Now
// when nil).
func (db *DB) Nonces(now func() time.Time) *Nonces {
	if now == nil {
		now = time.Now
	}
	return &Nonces{db: db, now: now}
}

// Use records that operator name used nonce until until, and reports whether it was new:
// not recorded, or recorded with an expiry that has passed. The expired nonces are deleted
// in the same transaction, so the table holds only a window's worth.
func (n *Nonces) Use(ctx context.Context, name string, nonce []byte, until time.Time) (bool, error) {
	var inserted int64
	err := run(ctx, n.db.d, n.db.writer, n.db.d.beginWrite, "", func(t *tx) error {
		if err := t.exec(`DELETE FROM digest_nonces WHERE expires <= ?`, millis(n.now())); err != nil {
			return err
		}
		res, err := t.execResult(`
			INSERT INTO digest_nonces (operator, nonce, expires) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, name, hex.EncodeToString(nonce), millis(until))
		if err != nil {
			return err
		}
		if inserted, err = res.RowsAffected(); err != nil {
			return fmt.Errorf("store: rows affected: %w", err)
		}
		return nil
	})
	return inserted == 1, err
}
