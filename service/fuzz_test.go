package service

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/sirupsen/logrus"
)

// FuzzEnvelope sends arbitrary bodies through the whole endpoint, decoder and echo operation
// included: it must never panic, and must always answer with well-formed XML, a SOAP
// Content-Type and either a response or a fault.
func FuzzEnvelope(f *testing.F) {
	addEnvelopeSeeds(f)
	log := logrus.New()
	log.SetOutput(io.Discard)
	h := newHandler(Config{MaxRequestBytes: 64 << 10, Authenticator: &stubAuth{}}, storeless(), log, testOperations(new(atomic.Int64)))
	f.Fuzz(func(t *testing.T, body []byte, use12 bool) {
		v := soap11
		if use12 {
			v = soap12
		}
		req := httptest.NewRequest(http.MethodPost, EndpointPath, bytes.NewReader(body))
		req.Header.Set("Content-Type", v.contentType())
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusInternalServerError:
		default:
			t.Fatalf("status %d", rec.Code)
		}
		if ct := rec.Header().Get("Content-Type"); ct != v.contentType() {
			t.Fatalf("Content-Type %q", ct)
		}
		if rec.Code != http.StatusOK && !bytes.Contains(rec.Body.Bytes(), []byte("<soap:Fault>")) {
			t.Fatalf("status %d without a fault: %s", rec.Code, rec.Body)
		}
		d := xml.NewDecoder(rec.Body)
		for {
			if _, err := d.Token(); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatalf("response is not XML: %v", err)
			}
		}
	})
}

// addEnvelopeSeeds adds each envelope of testdata/envelopes to f's corpus twice: as it is,
// with false, and as SOAP 1.2, with true.
func addEnvelopeSeeds(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("testdata", "envelopes", "*.xml"))
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no seeds: %v", err)
	}
	for _, name := range seeds {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, false)
		f.Add(bytes.ReplaceAll(b, []byte(soap11NS), []byte(soap12NS)), true)
	}
}
