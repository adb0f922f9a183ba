//go:build !race

package service_test

// raceSlowdown is how many times slower the race detector makes a call: the load tests send
// that many times fewer. Without it, 1.
const raceSlowdown = 1
