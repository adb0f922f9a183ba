package enginetest

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"time"
)

// startTimeout bounds how long engage serve may take to listen, so that a hung start fails
// the test quickly.
const startTimeout = 15 * time.Second

// servingLine is what engage serve prints on its standard output once it listens.
var servingLine = regexp.MustCompile(`serving on (127\.0\.0\.1:\d+)`)

// Process is a running engage serve.
type Process struct {
	// URL is the SOAP endpoint.
	URL    string
	cmd    *exec.Cmd
	exited chan struct{}
}

// Serve starts bin serve on a free loopback port with the given more flags, and waits until
// it listens. Everything the process writes, on its standard output and error, goes to log.
// On Linux the kernel kills the process should the test process die, so that a test binary
// stopped by its timeout or a signal leaves no engage serve behind; elsewhere the caller's
// Kill is all there is. If the process exits, or does not listen within 15s, Serve kills it
// and returns an error.
func Serve(bin string, log io.Writer, args ...string) (*Process, error) {
	var stdout SyncBuffer
	p := &Process{
		cmd:    exec.Command(bin, append([]string{"serve", "--listen", "127.0.0.1:0"}, args...)...),
		exited: make(chan struct{}),
	}
	p.cmd.Stdout, p.cmd.Stderr = io.MultiWriter(&stdout, log), log
	dieWithTest(p.cmd)
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		_ = p.cmd.Wait()
		close(p.exited)
	}()
	deadline := time.After(startTimeout)
	for {
		if m := servingLine.FindStringSubmatch(stdout.String()); m != nil {
			p.URL = "http://" + m[1] + "/services/ContactCenter"
			return p, nil
		}
		select {
		case <-p.exited:
			return nil, fmt.Errorf("engage serve exited at start: %v", p.cmd.ProcessState)
		case <-deadline:
			p.Kill()
			return nil, fmt.Errorf("engage serve did not listen within %s", startTimeout)
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// Kill sends SIGKILL and waits for the process to be gone. Killing a process that is already
// gone does nothing.
func (p *Process) Kill() {
	_ = p.cmd.Process.Kill()
	<-p.exited
}

// Exited returns how the process ended once it is gone, whether by itself or by Kill, and nil
// while it runs.
func (p *Process) Exited() *os.ProcessState {
	select {
	case <-p.exited:
		return p.cmd.ProcessState
	default:
		return nil
	}
}

// Request returns a POST to url calling op over SOAP 1.1: the envelope's Header holds header,
// and op's request wrapper inner, both XML that writes the service's namespace with the
// prefix cc.
func Request(url, header, op, inner string) (*http.Request, error) {
	body := `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cc="urn:engage:contactcenter:1">` +
		`<soapenv:Header>` + header + `</soapenv:Header>` +
		`<soapenv:Body><cc:` + op + `>` + inner + `</cc:` + op + `></soapenv:Body></soapenv:Envelope>`
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	req.Header.Set("SOAPAction", `"urn:engage:contactcenter:1/`+op+`"`)
	return req, nil
}

// Do sends req with client and reads the whole answer. resp is nil when no answer came; when
// one came but its body was cut short (the process died), resp is returned with the error
// and body holds what arrived.
func Do(client *http.Client, req *http.Request) (resp *http.Response, body []byte, err error) {
	resp, err = client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(resp.Body)
	return resp, body, err
}
