package auth

import (
	"context"
	"crypto/sha256"
	"strconv"

	"golang.org/x/sync/singleflight"
)

// flights lets the calls that bring the same credentials for the same operator row while
// they are being verified wait for that one verification instead of each running their
// own. A client opening many connections at once (a load balancer, a pool warming up) would
// otherwise run a verification per connection, each holding the hash's 7 MiB, before the
// first could be remembered: it is most of the process's peak memory and a burst of CPU.
type flights struct {
	group singleflight.Group
}

// flightKey names a verification: the credential cache's key of the name and password, and
// the operator's row as read (its id and password hash), so that only the very same check
// is shared.
type flightKey struct {
	credentials [sha256.Size]byte
	id          int64
	hash        string
}

// String returns k as a key of the group: the fixed-size credentials key, the id's digits,
// a colon and the hash, which no other flightKey gives.
func (k flightKey) String() string {
	return string(k.credentials[:]) + strconv.FormatInt(k.id, 10) + ":" + k.hash
}

// verify returns the result of verify for k, run once for all the calls that ask for k
// while it runs. A call whose context ends stops waiting. A verification that failed to run
// (its client went away: an error, not a wrong password) answers only the call that ran it:
// the others verify again themselves.
func (fs *flights) verify(ctx context.Context, k flightKey, verify func() (bool, error)) (bool, error) {
	key := k.String()
	for {
		ran := false
		results := fs.group.DoChan(key, func() (any, error) {
			ran = true
			return verify()
		})
		select {
		case res := <-results:
			// ran is read after the result that its write comes before.
			if res.Err == nil || ran {
				ok, _ := res.Val.(bool)
				return ok, res.Err
			}
		case <-ctx.Done():
			return false, ctx.Err()
		}
	}
}
