// Package reliability proves that the real engage binary loses nothing when it dies: its
// tests build the binary, serve a database on a loopback port, send it batches of 1,000
// agents from concurrent clients, kill it with SIGKILL at random moments, restart it on the
// same database and check, through the API and in the database file, that every item and
// every answered batch survived whole or not at all.
//
//	go test ./reliability                 # the trials make test runs
//	go test ./reliability -trials 200     # more
//
// The package itself holds only tests.
package reliability
