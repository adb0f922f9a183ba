package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"hash"
	"sync"
	"time"
)

// maxCacheEntries bounds the credential cache. Only verified credentials enter it, so only
// holders of valid passwords can fill it; when full, expired entries are swept and, if it
// is still full, a new verification is not remembered.
const maxCacheEntries = 10_000

// credentialCache remembers recent successful password verifications, so that a client
// sending the same credentials on every call pays the slow hash once per TTL. An entry is
// keyed by HMAC-SHA-256 of name NUL password under a random key of this process, never the
// password itself, and holds the operator's row id and password hash when verified: it
// counts only while the operator's row still has both. The store is asked for the row on
// every call and answers it as it is now, so a password changed or an operator removed by
// another process (engage operator) takes effect on the next call, not after the TTL.
type credentialCache struct {
	ttl    time.Duration
	now    func() time.Time
	secret []byte
	// macs are HMACs under secret, each with a buffer for its input, reused across calls.
	macs    sync.Pool
	mu      sync.Mutex
	entries map[[sha256.Size]byte]cacheEntry
}

// cacheEntry is one remembered verification.
type cacheEntry struct {
	id      int64
	hash    string
	expires time.Time
}

// newCredentialCache returns a cache keeping entries for ttl; ttl <= 0 keeps none.
func newCredentialCache(ttl time.Duration, now func() time.Time) *credentialCache {
	c := &credentialCache{ttl: ttl, now: now, secret: make([]byte, 32), entries: make(map[[sha256.Size]byte]cacheEntry)}
	_, _ = rand.Read(c.secret)
	c.macs.New = func() any {
		mac := hmac.New(sha256.New, c.secret)
		// Reset keeps the keyed state it starts from, before any input, and goes back to it.
		mac.Reset()
		return &keyMAC{mac: mac}
	}
	return c
}

// keyMAC is an HMAC of the cache's, with buffers for its input and its sum.
type keyMAC struct {
	mac   hash.Hash
	input []byte
	sum   [sha256.Size]byte
}

// key returns the cache key of a name and password. The HMACs are reused, reset and their
// input cleared before they go back: a new one on every call took three times as long and
// nine allocations.
func (c *credentialCache) key(name, password string) [sha256.Size]byte {
	m := c.macs.Get().(*keyMAC)
	m.input = append(append(append(m.input[:0], name...), 0), password...)
	m.mac.Write(m.input)
	m.mac.Sum(m.sum[:0])
	k := m.sum
	m.mac.Reset()
	clear(m.input)
	c.macs.Put(m)
	return k
}

// valid reports whether k was verified less than the TTL ago for op as it is now; a stale
// entry is dropped.
func (c *credentialCache) valid(k [sha256.Size]byte, op Operator) bool {
	if c.ttl <= 0 {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	if !ok {
		return false
	}
	if c.now().Before(e.expires) && e.id == op.ID && e.hash == op.PasswordHash {
		return true
	}
	delete(c.entries, k)
	return false
}

// put remembers that k was verified for op.
func (c *credentialCache) put(k [sha256.Size]byte, op Operator) {
	if c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if len(c.entries) >= maxCacheEntries {
		for key, e := range c.entries {
			if !now.Before(e.expires) {
				delete(c.entries, key)
			}
		}
		if len(c.entries) >= maxCacheEntries {
			return
		}
	}
	c.entries[k] = cacheEntry{id: op.ID, hash: op.PasswordHash, expires: now.Add(c.ttl)}
}
