package service

import (
	"net/http"
	"testing"
)

// TestPlainContentTypes checks the Content-Types looked up against what parsing them gives,
// and that a request sending one is served in its version with its SOAPAction.
func TestPlainContentTypes(t *testing.T) {
	srv := newTestServer(t, Config{})
	for ct, want := range plainContentTypes {
		t.Run(ct, func(t *testing.T) {
			v, action, err := parseContentType(ct)
			if v != want || action != "" || err != nil {
				t.Errorf("parsed: %v, %q, %v; looked up: %v", v, action, err, want)
			}
			body := env11("", echo("x"))
			if want == soap12 {
				body = env12("", echo("x"))
			}
			res := srv.post(t, ct, body, "SOAPAction", `"urn:engage:contactcenter:1/missing"`)
			switch {
			case want == soap11 && res.status != http.StatusInternalServerError:
				// SOAP 1.1 takes the action from SOAPAction: it names another operation.
				t.Errorf("SOAP 1.1 status %d\n%s", res.status, res.body)
			case want == soap12 && res.status != http.StatusOK:
				// SOAP 1.2 has no SOAPAction header: it is not looked at.
				t.Errorf("SOAP 1.2 status %d\n%s", res.status, res.body)
			case res.header.Get("Content-Type") != want.contentType():
				t.Errorf("Content-Type %q, want %q", res.header.Get("Content-Type"), want.contentType())
			}
		})
	}
}
