package interop_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// exchange is one request the proxy forwarded and the answer it passed back.
type exchange struct {
	method, query         string
	reqHeader, respHeader http.Header
	reqBody, respBody     []byte
	status                int
}

// recorder is a loopback HTTP proxy in front of the service that keeps every exchange, so
// that a test can check what a client really sent and received.
type recorder struct {
	url       string
	backend   string
	mu        sync.Mutex
	exchanges []exchange
}

// newRecorder starts a recording proxy forwarding to backend (http://host:port), closed when
// the test ends. It keeps the client's Host header, so that the WSDL the service writes names
// the proxy and the clients' calls come back through it.
func newRecorder(t *testing.T, backend string) *recorder {
	t.Helper()
	r := &recorder{backend: backend}
	srv := httptest.NewServer(http.HandlerFunc(r.forward))
	t.Cleanup(srv.Close)
	r.url = srv.URL
	return r
}

// forward sends the request on to the service and its answer back, keeping both.
func (r *recorder) forward(w http.ResponseWriter, in *http.Request) {
	body, err := io.ReadAll(in.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	out, err := http.NewRequestWithContext(in.Context(), in.Method, r.backend+in.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	out.Header = in.Header.Clone()
	out.Host = in.Host
	resp, err := http.DefaultTransport.RoundTrip(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	r.mu.Lock()
	r.exchanges = append(r.exchanges, exchange{
		method: in.Method, query: in.URL.RawQuery,
		reqHeader: in.Header.Clone(), respHeader: resp.Header.Clone(),
		reqBody: body, respBody: answer, status: resp.StatusCode,
	})
	r.mu.Unlock()
	for k, v := range resp.Header {
		if !strings.EqualFold(k, "Content-Length") {
			w.Header()[k] = v
		}
	}
	w.WriteHeader(resp.StatusCode)
	w.Write(answer)
}

// calls returns the SOAP calls (POSTs) forwarded so far.
func (r *recorder) calls() []exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []exchange
	for _, e := range r.exchanges {
		if e.method == http.MethodPost {
			out = append(out, e)
		}
	}
	return out
}
