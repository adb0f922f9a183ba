package auth

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cheap are parameters that make tests fast; verification reads them from the hash.
var cheap = Params{Time: 1, MemoryKiB: 64, Threads: 1}

func TestHashPassword(t *testing.T) {
	h, err := HashPassword("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=7168,t=5,p=1$") {
		t.Errorf("hash %q, want PHC argon2id with the default parameters", h)
	}
	if ok, err := VerifyPassword(h, "correct horse"); !ok || err != nil {
		t.Errorf("right password: %v %v", ok, err)
	}
	if ok, err := VerifyPassword(h, "correct horsE"); ok || err != nil {
		t.Errorf("wrong password: %v %v", ok, err)
	}
	other, _ := HashPassword("correct horse")
	if other == h {
		t.Error("two hashes of one password are equal: no random salt")
	}
}

func TestVerifyPasswordRefusesBadHashes(t *testing.T) {
	good, err := HashPasswordWith("pw", cheap)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$")
	for name, h := range map[string]string{
		"empty":          "",
		"bcrypt":         "$2a$10$abcdefghijklmnopqrstuuJ0Z3k8M9Ry1i1b6ZcqWvU0pP0e5xH2a",
		"argon2i":        strings.Replace(good, "argon2id", "argon2i", 1),
		"version":        strings.Replace(good, "v=19", "v=16", 1),
		"trailing":       strings.Replace(good, "v=19", "v=19x", 1),
		"huge memory":    strings.Join([]string{"", parts[1], parts[2], "m=4194304,t=1,p=1", parts[4], parts[5]}, "$"),
		"zero time":      strings.Join([]string{"", parts[1], parts[2], "m=64,t=0,p=1", parts[4], parts[5]}, "$"),
		"short key":      strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], "AAAA"}, "$"),
		"bad salt":       strings.Join([]string{"", parts[1], parts[2], parts[3], "!!", parts[5]}, "$"),
		"missing fields": "$argon2id$v=19$m=64,t=1,p=1",
	} {
		if ok, err := VerifyPassword(h, "pw"); ok || err == nil {
			t.Errorf("%s: %v %v, want an error", name, ok, err)
		}
	}
	if _, err := HashPasswordWith("pw", Params{Time: 1, MemoryKiB: 1 << 30, Threads: 1}); err == nil {
		t.Error("parameters out of bounds accepted")
	}
}

func TestLoadKeyAndSecrets(t *testing.T) {
	dir := t.TempDir()
	raw := []byte("0123456789abcdef0123456789abcdef")
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	key, err := LoadKey(write("raw", raw))
	if err != nil || string(key) != string(raw) {
		t.Fatalf("raw key: %q %v", key, err)
	}
	hexKey, err := LoadKey(write("hex", []byte(strings.Repeat("ab", 32)+"\n")))
	if err != nil || len(hexKey) != KeyBytes || hexKey[0] != 0xab {
		t.Fatalf("hex key: %x %v", hexKey, err)
	}
	for _, bad := range [][]byte{[]byte("short"), []byte(strings.Repeat("zz", 32))} {
		if _, err := LoadKey(write("bad", bad)); err == nil {
			t.Errorf("key %q accepted", bad)
		}
	}
	if _, err := LoadKey(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing key file accepted")
	}

	sealed, err := SealSecret(key, "alice", "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(sealed), "s3cret") {
		t.Error("sealed secret holds the password")
	}
	gcm, _ := newGCM(key)
	if plain, err := openSecret(gcm, "alice", sealed); err != nil || string(plain) != "s3cret" {
		t.Errorf("open: %q %v", plain, err)
	}
	if _, err := openSecret(gcm, "bob", sealed); err == nil {
		t.Error("a secret opened under another operator's name")
	}
	other, _ := newGCM(hexKey)
	if _, err := openSecret(other, "alice", sealed); err == nil {
		t.Error("a secret opened under another key")
	}
	if _, err := openSecret(gcm, "alice", sealed[:5]); err == nil {
		t.Error("a truncated secret opened")
	}
	if _, err := SealSecret(key[:16], "alice", "x"); err == nil {
		t.Error("a 16-byte key accepted")
	}
}
