package service

import (
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

// slowServer serves the test operations with short timeouts on a real listener.
func slowServer(t *testing.T) (addr string, ts *testServer) {
	t.Helper()
	ts = newTestServer(t, Config{}) // for its handler and its operation counter
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer("", ts.Config.Handler, Timeouts{ReadHeader: 200 * time.Millisecond, Read: 400 * time.Millisecond, Write: 2 * time.Second, Idle: time.Second})
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String(), ts
}

// trickle writes data one byte at a time with a pause between bytes until the server closes
// the connection or the data is all sent, and reports how many bytes got through before the
// server cut the connection off (len(data) when it never did).
func trickle(t *testing.T, conn net.Conn, data string, pause time.Duration) int {
	t.Helper()
	closed := make(chan struct{})
	go func() {
		io.Copy(io.Discard, conn) // returns when the server closes the connection
		close(closed)
	}()
	for i := 0; i < len(data); i++ {
		select {
		case <-closed:
			return i
		case <-time.After(pause):
		}
		if _, err := conn.Write([]byte{data[i]}); err != nil {
			return i
		}
	}
	return len(data)
}

// TestSlowClientsAreCutOff sends real bytes slowly: headers that never end and a body that
// never arrives are both cut off by the server's timeouts, and no operation runs.
func TestSlowClientsAreCutOff(t *testing.T) {
	body := env11("", echo("x"))
	tests := []struct {
		name string
		head string // sent at once
		slow string // trickled
	}{
		{"slow headers", "POST /services/ContactCenter HTTP/1.1\r\nHost: x\r\n", "X-Slow: " + strings.Repeat("a", 200) + "\r\n\r\n"},
		{"slow body", "POST /services/ContactCenter HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nContent-Length: " +
			strconv.Itoa(len(body)) + "\r\n\r\n", body},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr, ts := slowServer(t)
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			// The whole request would take 20 ms per byte; the server must give up long before.
			conn.SetDeadline(time.Now().Add(10 * time.Second))
			if _, err := conn.Write([]byte(tt.head)); err != nil {
				t.Fatal(err)
			}
			sent := trickle(t, conn, tt.slow, 20*time.Millisecond)
			if sent == len(tt.slow) {
				t.Fatalf("the server let a client take %d pauses to send its request", sent)
			}
			if n := ts.calls.Load(); n != 0 {
				t.Errorf("an operation ran %d times for a request that never arrived", n)
			}
		})
	}
}
