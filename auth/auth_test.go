package auth

import (
	"context"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/engage-oss/engage/provisioning"
)

// fakeStore is a Store in a map.
type fakeStore struct {
	mu  sync.Mutex
	ops map[string]Operator
	err error
}

func (s *fakeStore) Operator(_ context.Context, name string) (Operator, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return Operator{}, s.err
	}
	op, ok := s.ops[name]
	if !ok {
		return Operator{}, ErrUnknownOperator
	}
	return op, nil
}

// fixture is an Authenticator over a fakeStore holding alice (PROVISIONING, scoped to org 7,
// PasswordDigest allowed) and bob (READ_ONLY, unscoped, no digest), on a clock the test sets.
type fixture struct {
	t        testing.TB
	a        *Authenticator
	store    *fakeStore
	key      []byte
	now      time.Time
	verifies atomic.Int64
}

const (
	alicePassword = "alice-password"
	bobPassword   = "bob-password"
)

func newFixture(t testing.TB, change ...func(*Options)) *fixture {
	t.Helper()
	f := &fixture{t: t, store: &fakeStore{ops: map[string]Operator{}}, key: make([]byte, KeyBytes),
		now: time.Date(2026, 11, 22, 5, 0, 0, 0, time.UTC)}
	f.addOperator(Operator{ID: 1, Name: "alice", Role: provisioning.Provisioning, ScopeOrgID: 7}, alicePassword, true)
	f.addOperator(Operator{ID: 2, Name: "bob", Role: provisioning.ReadOnly}, bobPassword, false)
	o := Options{
		Store:     f.store,
		SecretKey: f.key,
		Now:       func() time.Time { return f.now },
		VerifyPassword: func(encoded, password string) (bool, error) {
			f.verifies.Add(1)
			return VerifyPassword(encoded, password)
		},
	}
	for _, c := range change {
		c(&o)
	}
	a, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	f.a = a
	return f
}

// addOperator stores op with the hash (and, with digest, the sealed secret) of password.
func (f *fixture) addOperator(op Operator, password string, digest bool) {
	f.t.Helper()
	h, err := HashPasswordWith(password, cheap)
	if err != nil {
		f.t.Fatal(err)
	}
	op.PasswordHash = h
	if digest {
		if op.DigestSecret, err = SealSecret(f.key, op.Name, password); err != nil {
			f.t.Fatal(err)
		}
	}
	f.store.mu.Lock()
	f.store.ops[op.Name] = op
	f.store.mu.Unlock()
}

// basic returns a header with Basic credentials.
func basic(name, password string) http.Header {
	return http.Header{"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte(name+":"+password))}}
}

// security wraps a Security block's content as the envelope reader hands it over.
func security(inner string) []byte {
	return []byte(`<wsse:Security xmlns:wsse="` + WSSENamespace + `" xmlns:wsu="` + WSUNamespace + `">` + inner + `</wsse:Security>`)
}

// textToken is a PasswordText UsernameToken with the given Type attribute (none when empty).
func textToken(name, password, typ string) string {
	typeAttr := ""
	if typ != "" {
		typeAttr = ` Type="` + typ + `"`
	}
	return `<wsse:UsernameToken><wsse:Username>` + name + `</wsse:Username><wsse:Password` + typeAttr + `>` +
		password + `</wsse:Password></wsse:UsernameToken>`
}

// digestOf is Base64(SHA-1(nonce ‖ created ‖ password)).
func digestOf(nonce []byte, created, password string) string {
	h := sha1.New()
	h.Write(nonce)
	h.Write([]byte(created))
	h.Write([]byte(password))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// digestToken is a PasswordDigest UsernameToken with a Base64 nonce.
func digestToken(name, password string, nonce []byte, created string) string {
	return `<wsse:UsernameToken><wsse:Username>` + name + `</wsse:Username>` +
		`<wsse:Password Type="` + PasswordDigestType + `">` + digestOf(nonce, created, password) + `</wsse:Password>` +
		`<wsse:Nonce EncodingType="` + Base64BinaryEncoding + `">` + base64.StdEncoding.EncodeToString(nonce) + `</wsse:Nonce>` +
		`<wsu:Created>` + created + `</wsu:Created></wsse:UsernameToken>`
}

// auth authenticates and returns the caller, or "" and the failure.
func (f *fixture) auth(h http.Header, sec []byte) (provisioning.Caller, error) {
	f.t.Helper()
	if h == nil {
		h = http.Header{}
	}
	return f.a.Authenticate(context.Background(), h, sec)
}

// wantCaller asserts a success as name.
func (f *fixture) wantCaller(name string, h http.Header, sec []byte) provisioning.Caller {
	f.t.Helper()
	c, err := f.auth(h, sec)
	if err != nil || c.Name != name {
		f.t.Fatalf("want caller %s, got %+v %v", name, c, err)
	}
	return c
}

// wantFailure asserts a Failure that is the documented AUTHENTICATION_FAILED error.
func (f *fixture) wantFailure(h http.Header, sec []byte) *Failure {
	f.t.Helper()
	c, err := f.auth(h, sec)
	var fail *Failure
	if !errors.As(err, &fail) {
		f.t.Fatalf("want a Failure, got %+v %v", c, err)
	}
	if provisioning.ErrorCode(err) != provisioning.AuthenticationFailed || provisioning.ErrorArg(err) != "" ||
		provisioning.ErrorMessage(err) != "Authentication failed" {
		f.t.Errorf("failure %v is not AUTHENTICATION_FAILED without argument", err)
	}
	return fail
}

func TestBasic(t *testing.T) {
	f := newFixture(t)
	c := f.wantCaller("alice", basic("alice", alicePassword), nil)
	if c != (provisioning.Caller{Name: "alice", Role: provisioning.Provisioning, ScopeOrgID: 7}) {
		t.Errorf("caller %+v", c)
	}
	if c := f.wantCaller("bob", http.Header{"Authorization": {"basic " + base64.StdEncoding.EncodeToString([]byte("bob:"+bobPassword))}}, nil); c.Role != provisioning.ReadOnly || c.ScopeOrgID != 0 {
		t.Errorf("caller %+v", c)
	}
	f.wantFailure(basic("alice", "wrong"), nil)
	f.wantFailure(basic("alice", ""), nil)
	f.wantFailure(nil, nil)
	f.wantFailure(http.Header{"Authorization": {"Bearer abc"}}, nil)
	f.wantFailure(http.Header{"Authorization": {"Basic !!!"}}, nil)
	f.wantFailure(http.Header{"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte("no-colon"))}}, nil)
}

// TestUnknownNameVerifiesADummyHash checks that an unknown name costs one slow verification,
// like a wrong password, and is the same failure.
func TestUnknownNameVerifiesADummyHash(t *testing.T) {
	f := newFixture(t)
	before := f.verifies.Load()
	f.wantFailure(basic("mallory", "guess"), nil)
	if n := f.verifies.Load() - before; n != 1 {
		t.Errorf("unknown name: %d verifications, want 1", n)
	}
	before = f.verifies.Load()
	f.wantFailure(basic("alice", "guess"), nil)
	if n := f.verifies.Load() - before; n != 1 {
		t.Errorf("wrong password: %d verifications, want 1", n)
	}
	before = f.verifies.Load()
	f.wantFailure(nil, security(textToken("mallory", "guess", "")))
	if n := f.verifies.Load() - before; n != 1 {
		t.Errorf("unknown name in a UsernameToken: %d verifications, want 1", n)
	}
}

func TestStoreErrorIsNotAFailure(t *testing.T) {
	f := newFixture(t)
	f.store.err = errors.New("disk on fire")
	_, err := f.auth(basic("alice", alicePassword), nil)
	var fail *Failure
	if err == nil || errors.As(err, &fail) || provisioning.ErrorCode(err) != provisioning.InternalError {
		t.Errorf("store error: %v, want an internal error", err)
	}
}

func TestPasswordText(t *testing.T) {
	f := newFixture(t)
	for _, typ := range []string{"", PasswordTextType, "wsse:PasswordText"} {
		f.wantCaller("alice", nil, security(textToken("alice", alicePassword, typ)))
	}
	f.wantFailure(nil, security(textToken("alice", "wrong", "")))
	f.wantFailure(nil, security(textToken("alice", alicePassword, "#PasswordSomething")))
	// The header wins over Basic, either way round.
	f.wantFailure(basic("alice", alicePassword), security(textToken("alice", "wrong", "")))
	f.wantCaller("bob", basic("alice", "wrong"), security(textToken("bob", bobPassword, "")))
	// A Security header without a UsernameToken leaves the choice to Basic.
	f.wantCaller("alice", basic("alice", alicePassword), security(`<wsu:Timestamp><wsu:Created>2026-11-22T05:00:00Z</wsu:Created></wsu:Timestamp>`))
	// A Security header that cannot be read is refused, Basic or not.
	f.wantFailure(basic("alice", alicePassword), []byte(`<wsse:Security xmlns:wsse="`+WSSENamespace+`">`))
}

// TestSudsHeader is the header suds sends: mustUnderstand unqualified, PasswordText without
// Type, and a hex nonce and Created it adds without EncodingType.
func TestSudsHeader(t *testing.T) {
	f := newFixture(t)
	sec := []byte(`<wsse:Security xmlns:wsse="` + WSSENamespace + `" mustUnderstand="true"><wsse:UsernameToken>` +
		`<wsse:Username>alice</wsse:Username><wsse:Password>` + alicePassword + `</wsse:Password>` +
		`<wsse:Nonce>0f8a2b6cd2a1a5de5b1c3b9f22ad3e4f</wsse:Nonce>` +
		`<wsu:Created xmlns:wsu="` + WSUNamespace + `">2026-11-22T04:59:58.123456Z</wsu:Created>` +
		`</wsse:UsernameToken></wsse:Security>`)
	f.wantCaller("alice", nil, sec)
}

func TestTimestamp(t *testing.T) {
	f := newFixture(t)
	token := textToken("alice", alicePassword, "")
	ts := func(expires string) []byte {
		return security(`<wsu:Timestamp wsu:Id="TS-1"><wsu:Created>2026-11-22T04:59:00Z</wsu:Created><wsu:Expires>` +
			expires + `</wsu:Expires></wsu:Timestamp>` + token)
	}
	f.wantCaller("alice", nil, ts("2026-11-22T05:10:00Z"))
	f.wantCaller("alice", nil, ts("2026-11-22T04:59:40Z")) // within the skew
	f.wantFailure(nil, ts("2026-11-22T04:59:00Z"))
	f.wantFailure(nil, ts("tomorrow"))
}

// sessionStore is a fakeStore that holds something for a request from its look-up on, as
// store.DB's sessions hold a read transaction, until it is released.
type sessionStore struct {
	*fakeStore
	held     atomic.Bool
	releases atomic.Int64
}

func (s *sessionStore) Operator(ctx context.Context, name string) (Operator, error) {
	s.held.Store(true)
	return s.fakeStore.Operator(ctx, name)
}

func (s *sessionStore) Release(context.Context) {
	s.releases.Add(1)
	s.held.Store(false)
}

func TestReleasedBeforeSlowVerification(t *testing.T) {
	var store *sessionStore
	var heldDuringVerify atomic.Int64
	f := newFixture(t, func(o *Options) {
		store = &sessionStore{fakeStore: o.Store.(*fakeStore)}
		o.Store = store
		verify := o.VerifyPassword
		o.VerifyPassword = func(encoded, password string) (bool, error) {
			if store.held.Load() {
				heldDuringVerify.Add(1)
			}
			return verify(encoded, password)
		}
	})
	ctx := context.Background()
	for _, c := range []struct {
		name, password string
		ok             bool
		releases       int64
	}{
		{"alice", alicePassword, true, 1},   // verified: released first
		{"alice", alicePassword, true, 0},   // remembered: the look-up's snapshot is kept
		{"alice", "wrong", false, 1},        // a wrong password is verified
		{"nobody", alicePassword, false, 1}, // so is an unknown name, against a dummy hash
	} {
		before := store.releases.Load()
		_, err := f.a.Authenticate(ctx, basic(c.name, c.password), nil)
		if (err == nil) != c.ok {
			t.Errorf("%s/%s: %v", c.name, c.password, err)
		}
		if n := store.releases.Load() - before; n != c.releases {
			t.Errorf("%s/%s: released %d times, want %d", c.name, c.password, n, c.releases)
		}
	}
	if n := heldDuringVerify.Load(); n != 0 {
		t.Errorf("%d verifications ran while the store held the request's look-up", n)
	}
	if n := f.verifies.Load(); n != 3 {
		t.Errorf("%d verifications, want 3", n)
	}
}
