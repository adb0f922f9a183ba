// Package scaleout proves that several engage serve processes can share one PostgreSQL
// database: its tests build the real binary, start two instances, A and B, on the same
// fresh schema, drive both at once and check that they behave as one service. Agents are
// handed out once whichever instance is asked, the per-Account limits hold across
// instances, a write through one is seen through the other at once, the internalIds they
// assign never collide, and a PasswordDigest nonce accepted by one is refused by the other.
//
//	make test-postgres                                # a throw-away PostgreSQL (make test runs it too)
//	ENGAGE_TEST_POSTGRES=postgres://... go test ./scaleout
//
// Without ENGAGE_TEST_POSTGRES the tests are skipped: the SQLite half of make test runs
// go test ./... without it. The package itself holds only tests.
package scaleout
