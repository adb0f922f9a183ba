package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// Params are the cost parameters of an argon2id password hash. They are written into the
// encoded hash, so a hash made with other parameters still verifies.
type Params struct {
	// Time is the number of passes over the memory.
	Time uint32
	// MemoryKiB is the memory used, in KiB.
	MemoryKiB uint32
	// Threads is the degree of parallelism.
	Threads uint8
}

// DefaultParams are the parameters new hashes get: one of OWASP's equivalent argon2id
// settings (7 MiB, five passes, one thread; as strong as 19 MiB with two), about 30 ms on a
// current server core. The smaller memory keeps the service's peak resident memory low: a
// verification's buffer is garbage at once, but it raises the heap the collector lets grow.
var DefaultParams = Params{Time: 5, MemoryKiB: 7 * 1024, Threads: 1}

// The sizes of a hash's salt and key, and the bounds a stored hash's parameters must keep
// so that a damaged or hostile row cannot make a verification take unbounded memory or time.
const (
	saltBytes    = 16
	keyBytes     = 32
	maxMemoryKiB = 256 * 1024
	maxTime      = 16
	maxThreads   = 16
)

// errBadHash is a stored hash that is not an argon2id hash this package can verify.
var errBadHash = errors.New("auth: not an argon2id password hash")

// HashPassword returns the argon2id hash of password with DefaultParams and a random salt,
// in the PHC string format: $argon2id$v=19$m=19456,t=2,p=1$<salt>$<key>.
func HashPassword(password string) (string, error) {
	return HashPasswordWith(password, DefaultParams)
}

// HashPasswordWith returns the argon2id hash of password with the given parameters.
func HashPasswordWith(password string, p Params) (string, error) {
	if p.Time == 0 || p.Time > maxTime || p.MemoryKiB < 8*uint32(p.Threads) || p.MemoryKiB > maxMemoryKiB ||
		p.Threads == 0 || p.Threads > maxThreads {
		return "", fmt.Errorf("auth: argon2id parameters out of bounds: %+v", p)
	}
	salt := make([]byte, saltBytes)
	// crypto/rand.Read never fails.
	_, _ = rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, keyBytes)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.MemoryKiB, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches an encoded hash made by HashPassword,
// comparing in constant time. An error means the hash itself cannot be read.
func VerifyPassword(encoded, password string) (bool, error) {
	p, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// decodeHash reads a PHC argon2id string, refusing parameters out of bounds.
func decodeHash(encoded string) (p Params, salt, key []byte, err error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version ||
		parts[2] != fmt.Sprintf("v=%d", version) {
		return p, nil, nil, errBadHash
	}
	var threads uint32
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &threads); err != nil ||
		parts[3] != fmt.Sprintf("m=%d,t=%d,p=%d", p.MemoryKiB, p.Time, threads) {
		return p, nil, nil, errBadHash
	}
	if p.Time == 0 || p.Time > maxTime || threads == 0 || threads > maxThreads ||
		p.MemoryKiB < 8*threads || p.MemoryKiB > maxMemoryKiB {
		return p, nil, nil, errBadHash
	}
	p.Threads = uint8(threads)
	b64 := base64.RawStdEncoding
	salt, err = b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 || len(salt) > 64 {
		return p, nil, nil, errBadHash
	}
	key, err = b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 64 {
		return p, nil, nil, errBadHash
	}
	return p, salt, key, nil
}

// dummyHash is a hash with DefaultParams of a random password nobody knows. A name that
// names no operator is verified against it, so that the answer takes as long as for a
// wrong password of a real operator. It is made once, on first use.
var dummyHash = sync.OnceValue(func() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	h, err := HashPassword(base64.RawStdEncoding.EncodeToString(b))
	if err != nil {
		panic("auth: dummy hash: " + err.Error())
	}
	return h
})
