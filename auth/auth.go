// Package auth authenticates the callers of the service: operators, kept in the store with
// an argon2id hash of their password, who send a WS-Security UsernameToken (PasswordText, or
// PasswordDigest for operators created with it) or HTTP Basic credentials. It answers with
// the provisioning.Caller a call is made for, or a Failure.
package auth

import (
	"context"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/engage-oss/engage/provisioning"
)

// Operator is an operator as the store keeps it.
type Operator struct {
	// ID is the operator's row id; a removed and re-added operator gets a new one.
	ID   int64
	Name string
	// PasswordHash is the argon2id hash of the password in PHC format (HashPassword).
	PasswordHash string
	Role         provisioning.Role
	// ScopeOrgID is the Enterprise or Account the operator is limited to, 0 for none.
	ScopeOrgID int64
	// Scope names the scope as the command line does (read from the store, never written):
	// the Enterprise's externalId, or enterprise/account for an Account; "" for none.
	Scope string
	// DigestSecret is the password sealed by SealSecret, for PasswordDigest; nil when the
	// operator may not use PasswordDigest.
	DigestSecret []byte
	// Demo marks the operator engage demo creates.
	Demo bool
	// Created and Changed are when the operator was added and last changed.
	Created, Changed time.Time
}

// ErrUnknownOperator is the error of Store.Operator for a name that names no operator.
var ErrUnknownOperator = errors.New("auth: unknown operator")

// Store is what the Authenticator needs from the store.
type Store interface {
	// Operator returns the operator with this name, or ErrUnknownOperator (wrapped).
	Operator(ctx context.Context, name string) (Operator, error)
}

// Releaser is a Store that may hold something for a request's context, as store.DB's
// sessions hold a read transaction. The Authenticator releases it before verifying a
// password, which takes tens of milliseconds, and before waiting for another call's
// verification: a request holds nothing of the store meanwhile.
type Releaser interface {
	// Release lets go of what the store holds for ctx's request.
	Release(ctx context.Context)
}

// errFailed is the documented error behind every Failure.
var errFailed = provisioning.Errorf(provisioning.AuthenticationFailed, "")

// Failure is refused credentials, or none. Reason is for the service's log only: the client
// learns no more than AUTHENTICATION_FAILED. It unwraps to that documented error.
type Failure struct {
	Reason string
}

// Error returns the reason.
func (f *Failure) Error() string { return "authentication failed: " + f.Reason }

// Unwrap returns the documented AUTHENTICATION_FAILED error.
func (f *Failure) Unwrap() error { return errFailed }

// failf returns a Failure.
func failf(format string, args ...any) (provisioning.Caller, error) {
	return provisioning.Caller{}, &Failure{Reason: fmt.Sprintf(format, args...)}
}

// The bounds on credentials: longer ones are refused without looking them up.
const (
	maxName     = 256
	maxPassword = 1024
)

// DefaultCacheTTL is how long a verified password is remembered when Options leaves it zero.
const DefaultCacheTTL = 60 * time.Second

// Options configure an Authenticator.
type Options struct {
	// Store holds the operators (required).
	Store Store
	// Nonces remembers the PasswordDigest nonces; nil means a new MemoryNonces, private
	// to this process.
	Nonces NonceStore
	// SecretKey is the key the PasswordDigest secrets are sealed under (KeyBytes long);
	// without it PasswordDigest is refused.
	SecretKey []byte
	// CacheTTL is how long a verified password is remembered (keyed by a keyed hash of name
	// and password, and only while the operator's row is unchanged); zero means
	// DefaultCacheTTL, a negative value turns the cache off.
	CacheTTL time.Duration
	// VerifyPassword checks a password against a stored hash; nil means VerifyPassword.
	// Tests count the slow verifications through it.
	VerifyPassword func(encoded, password string) (bool, error)
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Authenticator checks the credentials of a request. It is safe for concurrent use.
type Authenticator struct {
	store  Store
	nonces NonceStore
	// gcm opens the digest secrets; nil without a secret key.
	gcm    cipher.AEAD
	verify func(encoded, password string) (bool, error)
	now    func() time.Time
	cache  *credentialCache
	// flights shares a verification between the calls bringing the same credentials.
	flights flights
	// slots bounds the slow verifications running at once, and so their memory.
	slots chan struct{}
	// dummySecret stands in for the digest secret of an unknown operator.
	dummySecret []byte
}

// New returns an Authenticator.
func New(o Options) (*Authenticator, error) {
	if o.Store == nil {
		return nil, errors.New("auth: no operator store")
	}
	a := &Authenticator{store: o.Store, nonces: o.Nonces, verify: o.VerifyPassword, now: o.Now}
	if a.now == nil {
		a.now = time.Now
	}
	if a.verify == nil {
		a.verify = VerifyPassword
	}
	if a.nonces == nil {
		a.nonces = NewMemoryNonces(a.now)
	}
	if o.SecretKey != nil {
		gcm, err := newGCM(o.SecretKey)
		if err != nil {
			return nil, err
		}
		a.gcm = gcm
	}
	ttl := o.CacheTTL
	if ttl == 0 {
		ttl = DefaultCacheTTL
	}
	a.cache = newCredentialCache(ttl, a.now)
	a.slots = make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))
	a.dummySecret = make([]byte, 16)
	_, _ = rand.Read(a.dummySecret)
	return a, nil
}

// Authenticate returns the caller of a request from its WS-Security header block (the
// wsse:Security element as a standalone XML document, nil when the request has none) or
// its HTTP Basic credentials. A UsernameToken in the header wins over Basic credentials:
// when there is one, the Authorization header is not looked at. A refusal is a *Failure;
// any other error is the service's own (the store failing, a digest secret that the key
// does not open).
func (a *Authenticator) Authenticate(ctx context.Context, header http.Header, security []byte) (provisioning.Caller, error) {
	if security != nil {
		sec, err := parseSecurity(security)
		if err != nil {
			return failf("WS-Security header: %v", err)
		}
		if sec.expires != "" {
			expires, err := parseDateTime(sec.expires)
			if err != nil {
				return failf("WS-Security Timestamp: Expires %q", clip(sec.expires))
			}
			if a.now().After(expires.Add(ClockSkew)) {
				return failf("WS-Security Timestamp expired at %s", expires.Format(time.RFC3339))
			}
		}
		if t := sec.token; t != nil {
			if t.digest {
				return a.digest(ctx, t)
			}
			return a.password(ctx, t.username, t.password)
		}
	}
	name, password, ok := basicAuth(header)
	if !ok {
		return failf("no credentials")
	}
	return a.password(ctx, name, password)
}

// basicAuth returns the credentials of an Authorization: Basic header.
func basicAuth(h http.Header) (name, password string, ok bool) {
	scheme, encoded, found := strings.Cut(strings.TrimSpace(h.Get("Authorization")), " ")
	if !found || !strings.EqualFold(scheme, "Basic") {
		return "", "", false
	}
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(encoded))
	if err != nil {
		return "", "", false
	}
	return strings.Cut(string(b), ":")
}

// password checks a name and password (PasswordText or Basic) against the operator's hash,
// or the remembered verification of the same pair while the operator's row is unchanged, or
// the one under way for the same pair and row. An unknown name is verified against a dummy hash, so that it takes as long as a wrong password.
func (a *Authenticator) password(ctx context.Context, name, password string) (provisioning.Caller, error) {
	if name == "" || len(name) > maxName || len(password) > maxPassword {
		return failf("empty or overlong name or password")
	}
	op, err := a.store.Operator(ctx, name)
	switch {
	case errors.Is(err, ErrUnknownOperator):
		a.release(ctx)
		if _, err := a.slowVerify(ctx, dummyHash(), password); err != nil {
			return provisioning.Caller{}, err
		}
		return failf("unknown operator %q", name)
	case err != nil:
		return provisioning.Caller{}, err
	}
	key := a.cache.key(name, password)
	if a.cache.valid(key, op) {
		return callerOf(op), nil
	}
	a.release(ctx)
	ok, err := a.flights.verify(ctx, flightKey{credentials: key, id: op.ID, hash: op.PasswordHash}, func() (bool, error) {
		return a.slowVerify(ctx, op.PasswordHash, password)
	})
	switch {
	case err != nil:
		return provisioning.Caller{}, fmt.Errorf("auth: operator %q: %w", name, err)
	case !ok:
		return failf("wrong password for operator %q", name)
	}
	a.cache.put(key, op)
	return callerOf(op), nil
}

// release releases what the store holds for ctx's request, when it is a Releaser.
func (a *Authenticator) release(ctx context.Context) {
	if r, ok := a.store.(Releaser); ok {
		r.Release(ctx)
	}
}

// slowVerify runs the password verification once a slot is free.
func (a *Authenticator) slowVerify(ctx context.Context, encoded, password string) (bool, error) {
	select {
	case a.slots <- struct{}{}:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	defer func() { <-a.slots }()
	return a.verify(encoded, password)
}

// callerOf returns the caller an operator makes calls as.
func callerOf(op Operator) provisioning.Caller {
	return provisioning.Caller{Name: op.Name, Role: op.Role, ScopeOrgID: op.ScopeOrgID}
}
