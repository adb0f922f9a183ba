package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/engage-oss/engage/auth"
	"github.com/engage-oss/engage/provisioning"
	"github.com/engage-oss/engage/store"
)

// TestServeRefusesRemoteWithOnlyDemoOperators checks that serve keeps to loopback while the
// database has no operator, or demo ones only, and listens anywhere once a real one exists.
func TestServeRefusesRemoteWithOnlyDemoOperators(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "engage.db")
	serveRemote := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return run(ctx, []string{"serve", "--listen", "0.0.0.0:0", "--db", dbPath}, nil, io.Discard, io.Discard)
	}
	if err := serveRemote(); err == nil || !strings.Contains(err.Error(), `refusing to listen on "0.0.0.0:0"`) {
		t.Fatalf("no operator: %v, want a refusal", err)
	}
	db, err := store.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddOperator(context.Background(), auth.Operator{Name: "demo", PasswordHash: "x", Role: provisioning.Administrator, Demo: true}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := serveRemote(); err == nil || !strings.Contains(err.Error(), "no operator but demo ones") ||
		!strings.Contains(err.Error(), "engage operator add") {
		t.Fatalf("demo operator only: %v, want a refusal naming engage operator add", err)
	}
	// Loopback is fine with the demo operator.
	_, _, stop := startServe(t, "--db", dbPath)
	stop()

	mustEngage(t, "real-password", "operator", "add", "--name", "ops", "--role", "ADMINISTRATOR", "--password-stdin", "--db", dbPath)
	wsdlURL, stderr, stop := startServe(t, "--db", dbPath, "--listen", "0.0.0.0:0")
	stop()
	if !strings.Contains(stderr.String(), "plain HTTP on a non-loopback address") {
		t.Errorf("no warning about plain HTTP (WSDL at %s):\n%s", wsdlURL, stderr.String())
	}
}

// TestServeTLS starts serve with a self-signed certificate and calls it over HTTPS.
func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, pool := selfSigned(t, dir)
	dbPath := filepath.Join(dir, "engage.db")
	mustEngage(t, "tls-password", "operator", "add", "--name", "ops", "--role", "READ_ONLY", "--password-stdin", "--db", dbPath)
	wsdlURL, _, _ := startServe(t, "--db", dbPath, "--tls-cert", certFile, "--tls-key", keyFile)
	if !strings.HasPrefix(wsdlURL, "https://127.0.0.1:") {
		t.Fatalf("WSDL URL %s, want https", wsdlURL)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	checkWSDL(t, client, wsdlURL)
	req, _ := http.NewRequest(http.MethodPost, strings.TrimSuffix(wsdlURL, "?wsdl"), strings.NewReader(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">`+
		`<s:Body><showOrg xmlns="urn:engage:contactcenter:1"><org><externalId>x</externalId></org></showOrg></s:Body></s:Envelope>`))
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	req.SetBasicAuth("ops", "tls-password")
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(body), "OBJECT_NOT_EXISTS") {
		t.Errorf("an authenticated call over HTTPS: %d\n%s", res.StatusCode, body)
	}
	// A key that is not the certificate's is refused on start.
	err = run(context.Background(), []string{"serve", "--db", dbPath, "--listen", "127.0.0.1:0", "--tls-cert", certFile, "--tls-key", certFile},
		nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--tls-key") {
		t.Errorf("bad TLS key: %v", err)
	}
}

// selfSigned writes a self-signed certificate for 127.0.0.1 and its key, and returns their
// files and a pool trusting the certificate.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "engage test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}
