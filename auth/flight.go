package auth

import (
	"context"
	"crypto/sha256"
	"sync"
)

// flights lets the calls that bring the same credentials for the same operator row while
// they are being verified wait for that one verification instead of each running their
// own. A client opening many connections at once (a load balancer, a pool warming up) would
// otherwise run a verification per connection, each holding the hash's 7 MiB, before the
// first could be remembered: it is most of the process's peak memory and a burst of CPU.
type flights struct {
	mu      sync.Mutex
	running map[flightKey]*flight
}

// flightKey names a verification: the credential cache's key of the name and password, and
// the operator's row as read (its id and password hash), so that only the very same check
// is shared.
type flightKey struct {
	credentials [sha256.Size]byte
	id          int64
	hash        string
}

// flight is one verification being run; ok and err are set before done is closed.
type flight struct {
	done chan struct{}
	ok   bool
	err  error
}

// verify returns the result of verify for k, run once for all the calls that ask for k
// while it runs. A call whose verification failed to run (its client went away: an error,
// not a wrong password) does not answer the others: they verify again themselves.
func (fs *flights) verify(ctx context.Context, k flightKey, verify func() (bool, error)) (bool, error) {
	for {
		fs.mu.Lock()
		f, waiting := fs.running[k]
		if !waiting {
			f = &flight{done: make(chan struct{})}
			if fs.running == nil {
				fs.running = make(map[flightKey]*flight)
			}
			fs.running[k] = f
		}
		fs.mu.Unlock()
		if !waiting {
			f.ok, f.err = verify()
			fs.mu.Lock()
			delete(fs.running, k)
			fs.mu.Unlock()
			close(f.done)
			return f.ok, f.err
		}
		select {
		case <-f.done:
		case <-ctx.Done():
			return false, ctx.Err()
		}
		if f.err == nil {
			return f.ok, nil
		}
	}
}
