package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
)

// KeyBytes is the size of the key that encrypts the PasswordDigest secrets.
const KeyBytes = 32

// LoadKey reads the key that encrypts the PasswordDigest secrets from a file holding either
// the 32 bytes themselves (head -c 32 /dev/urandom) or 64 hexadecimal digits (openssl rand
// -hex 32), a final newline allowed. The file should be readable by the service alone.
func LoadKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("auth: secret key: %w", err)
	}
	if len(b) == KeyBytes {
		return b, nil
	}
	if text := strings.TrimRight(string(b), "\r\n"); len(text) == 2*KeyBytes {
		if key, err := hex.DecodeString(text); err == nil {
			return key, nil
		}
	}
	return nil, fmt.Errorf("auth: secret key %s: want %d bytes, or %d hexadecimal digits", path, KeyBytes, 2*KeyBytes)
}

// errSecret is a digest secret that cannot be opened: another key, or a damaged row.
var errSecret = errors.New("auth: the digest secret cannot be decrypted with this key")

// newGCM returns AES-256-GCM under key.
func newGCM(key []byte) (cipher.AEAD, error) {
	if len(key) != KeyBytes {
		return nil, fmt.Errorf("auth: secret key of %d bytes, want %d", len(key), KeyBytes)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// secretAD binds a sealed secret to its operator's name: a secret copied to another
// operator's row does not open.
func secretAD(name string) []byte {
	return []byte("engage operator digest secret\x00" + name)
}

// SealSecret encrypts the password of operator name with AES-256-GCM under key, for an
// operator that may authenticate with PasswordDigest: a random nonce followed by the
// ciphertext and its tag.
func SealSecret(key []byte, name, password string) ([]byte, error) {
	gcm, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, gcm.NonceSize(), gcm.NonceSize()+len(password)+gcm.Overhead())
	_, _ = rand.Read(nonce)
	return gcm.Seal(nonce, nonce, []byte(password), secretAD(name)), nil
}

// openSecret decrypts a secret sealed by SealSecret.
func openSecret(gcm cipher.AEAD, name string, sealed []byte) ([]byte, error) {
	if len(sealed) < gcm.NonceSize()+gcm.Overhead() {
		return nil, errSecret
	}
	n := gcm.NonceSize()
	plain, err := gcm.Open(nil, sealed[:n], sealed[n:], secretAD(name))
	if err != nil {
		return nil, errSecret
	}
	return plain, nil
}
