package auth

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"strings"
	"testing"
	"time"
)

// TestCache checks that a verified password is remembered: the second call does not hash
// again; a changed password, a removed operator and the TTL end it.
func TestCache(t *testing.T) {
	f := newFixture(t)
	calls := func(name, password string, wantOK bool) int64 {
		t.Helper()
		before := f.verifies.Load()
		if _, err := f.auth(basic(name, password), nil); (err == nil) != wantOK {
			t.Fatalf("%s/%s: %v, want success %v", name, password, err, wantOK)
		}
		return f.verifies.Load() - before
	}
	if n := calls("alice", alicePassword, true); n != 1 {
		t.Errorf("first call: %d verifications, want 1", n)
	}
	if n := calls("alice", alicePassword, true); n != 0 {
		t.Errorf("second call: %d verifications, want 0", n)
	}
	// The same password as a UsernameToken shares the entry.
	before := f.verifies.Load()
	f.wantCaller("alice", nil, security(textToken("alice", alicePassword, "")))
	if f.verifies.Load() != before {
		t.Error("a PasswordText call did not use the remembered verification")
	}
	// A wrong password is never remembered.
	calls("alice", "wrong", false)
	if n := calls("alice", "wrong", false); n != 1 {
		t.Errorf("repeated wrong password: %d verifications, want 1", n)
	}

	// Another process changes the password: the old one fails at once, the new one hashes once.
	f.addOperator(Operator{ID: 1, Name: "alice", Role: "PROVISIONING", ScopeOrgID: 7}, "new-password", true)
	if n := calls("alice", alicePassword, false); n != 1 {
		t.Errorf("old password after the change: %d verifications, want 1", n)
	}
	calls("alice", "new-password", true)
	if n := calls("alice", "new-password", true); n != 0 {
		t.Errorf("new password, second call: %d verifications", n)
	}

	// The TTL ends an entry.
	f.now = f.now.Add(DefaultCacheTTL)
	if n := calls("alice", "new-password", true); n != 1 {
		t.Errorf("after the TTL: %d verifications, want 1", n)
	}

	// A removed operator fails at once, and one added again under the same name and with the
	// same password is verified again (a new row).
	f.store.mu.Lock()
	op := f.store.ops["alice"]
	delete(f.store.ops, "alice")
	f.store.mu.Unlock()
	calls("alice", "new-password", false)
	op.ID = 3
	f.store.mu.Lock()
	f.store.ops["alice"] = op
	f.store.mu.Unlock()
	if n := calls("alice", "new-password", true); n != 1 {
		t.Errorf("re-added operator: %d verifications, want 1", n)
	}
}

func TestCacheOff(t *testing.T) {
	f := newFixture(t, func(o *Options) { o.CacheTTL = -1 })
	for range 2 {
		f.wantCaller("bob", basic("bob", bobPassword), nil)
	}
	if n := f.verifies.Load(); n != 2 {
		t.Errorf("%d verifications with the cache off, want 2", n)
	}
}

func TestCacheKeyIsNotThePassword(t *testing.T) {
	c := newCredentialCache(time.Minute, time.Now)
	k1, k2 := c.key("alice", "pw"), c.key("alic", "epw")
	if k1 == k2 {
		t.Error("name and password are not separated in the key")
	}
	if other := newCredentialCache(time.Minute, time.Now); other.key("alice", "pw") == k1 {
		t.Error("the key does not depend on the process's secret")
	}
}

func TestCacheKeyIsTheHMAC(t *testing.T) {
	c := newCredentialCache(time.Minute, time.Now)
	for _, pair := range [][2]string{{"alice", "pw"}, {"bob", strings.Repeat("long password ", 20)}, {"alice", "pw"}, {"c", ""}} {
		m := hmac.New(sha256.New, c.secret)
		m.Write([]byte(pair[0] + "\x00" + pair[1]))
		if got := c.key(pair[0], pair[1]); !bytes.Equal(got[:], m.Sum(nil)) {
			t.Errorf("key(%q, %q) is not HMAC-SHA-256 of name NUL password", pair[0], pair[1])
		}
	}
}
