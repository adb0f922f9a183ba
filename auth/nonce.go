package auth

import (
	"context"
	"errors"
	"sync"
	"time"
)

// NonceStore remembers the PasswordDigest nonces accepted, so that each is accepted once.
type NonceStore interface {
	// Use records that operator name used nonce, to be remembered until until, and reports
	// whether it was new. Only nonces of digests that verified reach it.
	Use(ctx context.Context, name string, nonce []byte, until time.Time) (bool, error)
}

// maxNonces bounds a MemoryNonces: past it, new nonces are refused (with an error, so the
// request fails) until old ones expire. It takes some 3,500 digest calls a second, sustained
// over the window, to get there.
const maxNonces = 1 << 20

// errTooManyNonces is a MemoryNonces that is full.
var errTooManyNonces = errors.New("auth: too many PasswordDigest nonces in the window")

// MemoryNonces is a NonceStore in this process's memory: enough for one service process.
// Several processes serving the same database would each accept a nonce once; a store
// they share is needed then.
type MemoryNonces struct {
	now  func() time.Time
	mu   sync.Mutex
	seen map[string]time.Time
	// Expired nonces are swept away when the map reaches sweepAt, or a minute after the
	// last sweep.
	sweepAt   int
	lastSweep time.Time
}

// NewMemoryNonces returns an empty MemoryNonces on the clock now (time.Now when nil).
func NewMemoryNonces(now func() time.Time) *MemoryNonces {
	if now == nil {
		now = time.Now
	}
	return &MemoryNonces{now: now, seen: make(map[string]time.Time), sweepAt: 1024}
}

// Use records the nonce and reports whether it was new.
func (m *MemoryNonces) Use(_ context.Context, name string, nonce []byte, until time.Time) (bool, error) {
	key := name + "\x00" + string(nonce)
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if exp, ok := m.seen[key]; ok && now.Before(exp) {
		return false, nil
	}
	if len(m.seen) >= m.sweepAt || now.Sub(m.lastSweep) >= time.Minute {
		for k, exp := range m.seen {
			if !now.Before(exp) {
				delete(m.seen, k)
			}
		}
		m.sweepAt = max(1024, 2*len(m.seen))
		m.lastSweep = now
	}
	if len(m.seen) >= maxNonces {
		return false, errTooManyNonces
	}
	m.seen[key] = until
	return true, nil
}
