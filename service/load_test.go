package service_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/beevik/etree"
)

// The load tests (concurrency_test.go, memory_test.go) send thousands of calls from many
// goroutines: they cannot use e.call, which stops the test on a surprise and validates every
// answer with xmllint. exchange and parseAnswer instead return every problem as an error, and
// check what matters under load: the status, the fault's documented code and the contract's
// message, and that no database lock error reaches a client.

// newLoadClient returns an HTTP client that keeps a connection open per concurrent caller.
func newLoadClient(callers int) *http.Client {
	return &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: callers, MaxIdleConns: callers}}
}

// exchange sends op with the inner XML of its request wrapper to e's endpoint, as e's
// operator with HTTP Basic over SOAP 1.1, and returns the HTTP status and the body.
func (e *env) exchange(client *http.Client, op, inner string) (int, []byte, error) {
	body := `<soapenv:Envelope xmlns:soapenv="` + soap11NS + `" xmlns:cc="urn:engage:contactcenter:1">` +
		`<soapenv:Body><cc:` + op + `>` + inner + `</cc:` + op + `></soapenv:Body></soapenv:Envelope>`
	req, err := http.NewRequest(http.MethodPost, e.url, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	req.Header.Set("SOAPAction", `"urn:engage:contactcenter:1/`+op+`"`)
	req.SetBasicAuth(e.user, e.password)
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return resp.StatusCode, raw, err
}

// answer is a parsed answer: a success (code empty) or a fault with its code and argument.
type answer struct {
	raw       []byte
	wrapper   *etree.Element // the Body's child: the response wrapper or the Fault
	code, arg string
}

// results returns the results of a success.
func (a *answer) results() []*etree.Element { return a.wrapper.SelectElements("result") }

// lockError is what SQLite says when a lock could not be had; it must never reach a client.
var lockError = []byte("database is locked")

// parseAnswer parses the answer to op and refuses one a client must never see: not XML, a
// database lock error anywhere in it, a success that is not HTTP 200 or a fault that is not
// HTTP 500 (SOAP 1.1), a fault or warning whose code is not documented or whose message is
// not the contract's for it, and INTERNAL_ERROR.
func parseAnswer(op string, status int, raw []byte) (*answer, error) {
	if bytes.Contains(bytes.ToLower(raw), lockError) {
		return nil, fmt.Errorf("%s: %q reached the client (HTTP %d):\n%.1000s", op, lockError, status, raw)
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(raw); err != nil {
		return nil, fmt.Errorf("%s: HTTP %d, not XML: %v\n%.500s", op, status, err, raw)
	}
	body := doc.FindElement("/Envelope/Body")
	if body == nil || len(body.ChildElements()) != 1 {
		return nil, fmt.Errorf("%s: HTTP %d, no Body child:\n%.500s", op, status, raw)
	}
	a := &answer{raw: raw, wrapper: body.ChildElements()[0]}
	switch a.wrapper.Tag {
	case op + "Response":
		if status != http.StatusOK {
			return nil, fmt.Errorf("%s: a response with HTTP %d", op, status)
		}
		for _, w := range a.wrapper.SelectElements("warning") {
			if err := documented(op, text(w, "code"), text(w, "message"), text(w, "argument")); err != nil {
				return nil, fmt.Errorf("warning: %w\n%.500s", err, raw)
			}
		}
		return a, nil
	case "Fault":
		detail := a.wrapper.FindElement("./detail/EngageFault")
		if detail == nil {
			return nil, fmt.Errorf("%s: a fault without EngageFault:\n%.500s", op, raw)
		}
		a.code, a.arg = text(detail, "code"), text(detail, "argument")
		if err := documented(op, a.code, text(detail, "message"), a.arg); err != nil {
			return nil, fmt.Errorf("fault: %w\n%.500s", err, raw)
		}
		if status != http.StatusInternalServerError {
			return nil, fmt.Errorf("%s: fault %s with HTTP %d", op, a.code, status)
		}
		return a, nil
	}
	return nil, fmt.Errorf("%s: HTTP %d, Body child %s:\n%.500s", op, status, a.wrapper.Tag, raw)
}

// documented refuses INTERNAL_ERROR, a code the contract does not list, and a message that
// is not the contract's for the code and argument.
func documented(op, code, msg, arg string) error {
	_, listed := messages[code]
	switch {
	case code == "INTERNAL_ERROR":
		return fmt.Errorf("%s: INTERNAL_ERROR", op)
	case !listed && code != "SYSTEM_LIMIT_EXCEEDED":
		return fmt.Errorf("%s: code %q is not in the contract", op, code)
	case msg != message(code, arg):
		return fmt.Errorf("%s: %s message %q, want %q", op, code, msg, message(code, arg))
	}
	return nil
}

// codeSet is the set of codes a test allows a call.
type codeSet map[string]bool

// allow returns the set of the given codes.
func allow(codes ...string) codeSet {
	s := codeSet{}
	for _, c := range codes {
		s[c] = true
	}
	return s
}
