package auth

import (
	"context"
	"crypto/sha256"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
)

// TestConcurrentCallsShareAVerification checks that calls bringing the same credentials
// while they are being verified wait for that verification rather than run their own, and
// get its answer, right or wrong; other credentials are verified on their own.
func TestConcurrentCallsShareAVerification(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		f := newFixture(t, func(o *Options) {
			verify := o.VerifyPassword
			o.VerifyPassword = func(encoded, password string) (bool, error) {
				<-release
				return verify(encoded, password)
			}
		})
		var wg sync.WaitGroup
		results := make(chan error, 24)
		call := func(name, password string) {
			wg.Go(func() {
				_, err := f.a.Authenticate(context.Background(), basic(name, password), nil)
				results <- err
			})
		}
		for range 16 {
			call("alice", alicePassword)
		}
		for range 4 {
			call("alice", "wrong-password")
		}
		call("bob", bobPassword)
		synctest.Wait()
		if n := f.verifies.Load(); n != 0 {
			t.Fatalf("%d verifications finished before the release", n)
		}
		close(release)
		wg.Wait()
		close(results)
		var ok, failed int
		for err := range results {
			var fail *Failure
			switch {
			case err == nil:
				ok++
			case errors.As(err, &fail):
				failed++
			default:
				t.Errorf("unexpected error %v", err)
			}
		}
		if ok != 17 || failed != 4 {
			t.Errorf("%d accepted and %d refused, want 17 and 4", ok, failed)
		}
		// alice's password, the wrong one, bob's.
		if n := f.verifies.Load(); n != 3 {
			t.Errorf("%d verifications, want 3", n)
		}
	})
}

// TestFlightWhoseVerificationFailsToRun checks that when the verification being waited for
// ends in an error (its own client went away), a waiting call verifies for itself.
func TestFlightWhoseVerificationFailsToRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var fs flights
		k := flightKey{credentials: sha256.Sum256([]byte("alice")), id: 1, hash: "h"}
		release := make(chan struct{})
		runs := 0
		var wg sync.WaitGroup
		wg.Go(func() {
			if _, err := fs.verify(context.Background(), k, func() (bool, error) {
				runs++
				<-release
				return false, context.Canceled
			}); !errors.Is(err, context.Canceled) {
				t.Errorf("first call: %v, want its own error", err)
			}
		})
		synctest.Wait()
		wg.Go(func() {
			if ok, err := fs.verify(context.Background(), k, func() (bool, error) {
				runs++
				return true, nil
			}); !ok || err != nil {
				t.Errorf("waiting call: %v %v, want its own verification", ok, err)
			}
		})
		synctest.Wait()
		close(release)
		wg.Wait()
		if runs != 2 {
			t.Errorf("%d verifications ran, want 2", runs)
		}

		// A waiting call whose own context ends stops waiting.
		release = make(chan struct{})
		wg.Go(func() {
			_, _ = fs.verify(context.Background(), k, func() (bool, error) {
				<-release
				return true, nil
			})
		})
		synctest.Wait()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := fs.verify(ctx, k, func() (bool, error) { return true, nil }); !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled waiting call: %v", err)
		}
		close(release)
		wg.Wait()
	})
}
