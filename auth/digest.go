package auth

import (
	"context"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/engage-oss/engage/provisioning"
)

// The PasswordDigest window.
const (
	// DigestWindow is how old a PasswordDigest's Created may be.
	DigestWindow = 5 * time.Minute
	// ClockSkew is how far in the future a Created may be, and how long after its Expires
	// a wsu:Timestamp is still accepted: clients' clocks are not exactly the service's.
	ClockSkew = 30 * time.Second
)

// maxNonceBytes is the longest nonce accepted, decoded.
const maxNonceBytes = 256

// digest checks a PasswordDigest UsernameToken: Created within the window, the digest
// Base64(SHA-1(nonce ‖ created ‖ password)) against the operator's decrypted secret, and a
// nonce not seen before. An unknown operator, or one without a digest secret, goes through
// the same steps with a dummy secret.
func (a *Authenticator) digest(ctx context.Context, t *usernameToken) (provisioning.Caller, error) {
	switch {
	case t.username == "" || len(t.username) > maxName:
		return failf("empty or overlong name")
	case !t.hasNonce || !t.hasCreated:
		return failf("PasswordDigest of %q without Nonce or Created", t.username)
	}
	created, err := parseDateTime(t.created)
	if err != nil {
		return failf("PasswordDigest of %q: Created %q", t.username, clip(t.created))
	}
	now := a.now()
	switch {
	case created.Before(now.Add(-DigestWindow)):
		return failf("PasswordDigest of %q: Created %s is older than %s", t.username, t.created, DigestWindow)
	case created.After(now.Add(ClockSkew)):
		return failf("PasswordDigest of %q: Created %s is in the future", t.username, t.created)
	}
	given, err := base64.StdEncoding.DecodeString(t.password)
	if err != nil || len(given) != sha1.Size {
		return failf("PasswordDigest of %q is not a Base64 SHA-1 digest", t.username)
	}
	nonces, err := nonceCandidates(t.nonce, t.nonceEncoding)
	if err != nil {
		return failf("PasswordDigest of %q: %v", t.username, err)
	}

	op, err := a.store.Operator(ctx, t.username)
	secret, refusal := a.dummySecret, ""
	switch {
	case errors.Is(err, ErrUnknownOperator):
		refusal = fmt.Sprintf("unknown operator %q", t.username)
	case err != nil:
		return provisioning.Caller{}, err
	case op.DigestSecret == nil:
		refusal = fmt.Sprintf("operator %q was not created for PasswordDigest", t.username)
	case a.gcm == nil:
		refusal = "PasswordDigest without a secret key on the server"
	default:
		if secret, err = openSecret(a.gcm, op.Name, op.DigestSecret); err != nil {
			return provisioning.Caller{}, fmt.Errorf("auth: operator %q: %w", op.Name, err)
		}
	}
	var matched []byte
	for _, n := range nonces {
		h := sha1.New()
		h.Write(n)
		h.Write([]byte(t.created))
		h.Write(secret)
		if subtle.ConstantTimeCompare(h.Sum(nil), given) == 1 {
			matched = n
		}
	}
	switch {
	case refusal != "":
		return failf("%s", refusal)
	case matched == nil:
		return failf("wrong PasswordDigest for operator %q", t.username)
	}
	fresh, err := a.nonces.Use(ctx, op.Name, matched, created.Add(DigestWindow+ClockSkew))
	switch {
	case err != nil:
		return provisioning.Caller{}, err
	case !fresh:
		return failf("PasswordDigest of %q: nonce already used", t.username)
	}
	return callerOf(op), nil
}

// nonceCandidates returns the bytes a Nonce may stand for. With EncodingType Base64Binary
// (or HexBinary) it is decoded so. Without one, as suds sends a hex nonce with no
// EncodingType, each reading is tried: Base64, hexadecimal, and the text itself.
func nonceCandidates(text, encoding string) ([][]byte, error) {
	if text == "" {
		return nil, errors.New("empty Nonce")
	}
	var out [][]byte
	add := func(b []byte) {
		if len(b) > 0 && len(b) <= maxNonceBytes {
			out = append(out, b)
		}
	}
	b64, b64err := base64.StdEncoding.DecodeString(text)
	hexa, hexerr := hex.DecodeString(text)
	switch encoding {
	case "Base64Binary":
		if b64err == nil {
			add(b64)
		}
	case "HexBinary":
		if hexerr == nil {
			add(hexa)
		}
	case "":
		if b64err == nil {
			add(b64)
		}
		if hexerr == nil {
			add(hexa)
		}
		add([]byte(text))
	default:
		return nil, fmt.Errorf("unknown Nonce EncodingType %q", clip(encoding))
	}
	if len(out) == 0 {
		return nil, errors.New("unreadable Nonce")
	}
	return out, nil
}

// parseDateTime reads an xs:dateTime in its strict lexical form, without white space: a
// value with an offset is converted to UTC, one without is taken as UTC.
func parseDateTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	return time.ParseInLocation("2006-01-02T15:04:05.999999999", s, time.UTC)
}
