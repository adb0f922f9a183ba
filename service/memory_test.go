package service_test

import (
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// The memory test's load and its margin. The race detector (make test) makes every call
// several times slower: with it the test sends raceSlowdown times fewer small calls and half
// the rounds of batches; go test ./service -run TestMemoryBounded sends them all.
const (
	memoryClients   = 8
	memoryWarmSmall = 2000 / raceSlowdown  // small calls of the warm-up, with one round of batches
	memorySmall     = 20000 / raceSlowdown // small calls of the long run, in memoryStages stages
	memoryStages    = 4
	memoryRounds    = 2 * memoryStages / min(raceSlowdown, 2) // rounds of batches of the long run
	memoryBatch     = 1000
	// memoryMargin is how much more live heap the long run may leave than the warm-up: several
	// times the service's whole live heap (a few MiB), far less than what a leak of a couple
	// of KiB a call (a few hundred bytes without the race detector) would leave.
	memoryMargin = 8 << 20
)

// memoryLoad is the memory test's service and the calls it sends.
type memoryLoad struct {
	t      *testing.T
	e      *env
	client *http.Client
	small  []memoryCall
	batch  []memoryCall
	// failures counts the unexpected answers; the first few fail the test by name.
	failures atomic.Int64
}

// memoryCall is one call of the memory test, the fault codes it may meet and, when not 0,
// the number of results it must have.
type memoryCall struct {
	op, inner string
	faults    codeSet
	results   int
}

// TestMemoryBounded sends 20,000 small calls (reads, state changes, acquire and release, a
// fault) from several clients at once, with rounds of 1,000-item batches (createAgents or
// createAgentsUsingString, listing the 1,000, deleteAgents) beside them, to one service in
// this process, and checks that the live Go heap after the run (runtime.GC, then HeapAlloc) is
// within a fixed margin of the heap after a warm-up of the same calls: memory that grew with
// the number of calls would not be. The heap is logged after each quarter of the run, with
// the resident set (which the race detector's own memory swells).
func TestMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("a load test")
	}
	m := &memoryLoad{t: t, e: newEnv(t), client: newLoadClient(memoryClients + 1)}
	m.setUp()

	m.run(memoryWarmSmall, 1)
	warm := measure()
	t.Logf("after the warm-up (%d small calls, a round of batches): %s", memoryWarmSmall, warm)
	last := warm
	for stage := 1; stage <= memoryStages; stage++ {
		m.run(memorySmall/memoryStages, memoryRounds/memoryStages)
		last = measure()
		t.Logf("after %d more small calls and %d more rounds: %s", stage*memorySmall/memoryStages, stage*memoryRounds/memoryStages, last)
	}
	if last.heapAlloc > warm.heapAlloc+memoryMargin {
		t.Errorf("the live heap grew from %d to %d bytes over the run, more than the %d margin", warm.heapAlloc, last.heapAlloc, memoryMargin)
	}
	if n := m.failures.Load(); n > loadFailures {
		t.Errorf("%d unexpected answers in all", n)
	}
}

// setUp creates an Account with an agent group "small" with a schedule group and three
// agents (s1 and s2 READY in the schedule group, to be acquired and released; s3 outside it,
// to change state), and another Account with a group "big" and 1,000 users for the batches;
// and it prepares the calls.
func (m *memoryLoad) setUp() {
	e := m.e
	e.mustEnterprise("ent")
	acct := e.mustAccount("ent", "acct")
	small := e.mustAgentGroup("acct", "small", "")
	schedule := e.mustScheduleGroup(small, "sg")
	e.mustAccount("ent", "bulk")
	big := e.mustAgentGroup("bulk", "big", "")
	var users strings.Builder
	for _, u := range []string{"s1", "s2", "s3"} {
		users.WriteString(newUser(acct, u))
	}
	e.call("createUsers", users.String()).wantWarnings()
	e.call("createAgents", userRefs("s1", "s2")+groupRef(small)+"<cc:initialState><cc:currentScheduleGroup><cc:internalId>"+
		schedule+"</cc:internalId></cc:currentScheduleGroup><cc:currentWorkState>READY</cc:currentWorkState></cc:initialState>").wantWarnings()
	s3 := e.mustAgents(small, "s3")[0]
	var batchUsers []string
	for i := range memoryBatch {
		batchUsers = append(batchUsers, fmt.Sprintf("b%04d", i))
	}
	e.mustUsers("bulk", "", batchUsers...)

	var records strings.Builder
	for _, u := range batchUsers {
		records.WriteString(u + ",,SIP\n")
	}
	none := allow()
	m.small = []memoryCall{
		{"showAgentGroupState", groupRef(small), none, 1},
		{"showAgentGroup", groupRef(small), none, 1},
		{"showUser", "<cc:user>" + xid("s1") + "</cc:user>", none, 1},
		{"showAgentStateUsingUser", "<cc:agent>" + xid("s2") + "</cc:agent>", none, 1},
		{"listAgentStatesUsingEntity", "<cc:baseEntity>" + iid(small) + "</cc:baseEntity>", none, 3},
		{"listAgentGroupStates", "<cc:org>" + iid(acct) + "</cc:org>", none, 1},
		{"showOrg", "<cc:org>" + iid(acct) + "</cc:org>", none, 1},
		{"changeAgentState", "<cc:agentState>" + iid(s3) + requestWS("BREAK") + "</cc:agentState>", none, 1},
		{"changeAgentState", "<cc:agentState>" + iid(s3) + requestWS("NOT_READY") + "</cc:agentState>", none, 1},
		{"acquireAgent", acquireReq(schedule, ""), none, 0},
		{"releaseAgent", "<cc:agentState><cc:agent>" + xid("s1") + "</cc:agent></cc:agentState>", none, 1},
		{"releaseAgent", "<cc:agentState><cc:agent>" + xid("s2") + "</cc:agent></cc:agentState>", none, 1},
		{"showUser", "<cc:user>" + xid("nobody") + "</cc:user>", allow("OBJECT_NOT_EXISTS"), 0},
	}
	m.batch = []memoryCall{
		{"createAgents", userRefs(batchUsers...) + groupRef(big), none, memoryBatch},
		{"createAgentsUsingString", "<cc:agents>" + records.String() + "</cc:agents>" + groupRef(big), none, memoryBatch},
		{"listAgentStatesUsingEntity", "<cc:baseEntity>" + iid(big) + "</cc:baseEntity>", none, memoryBatch},
		{"deleteAgents", userRefs(batchUsers...), none, 0},
	}
}

// run sends small calls from memoryClients clients, cycling through m.small, while one more
// client sends rounds of batches: createAgents or createAgentsUsingString (in turn) of 1,000,
// listing the 1,000, and deleteAgents of them.
func (m *memoryLoad) run(small, rounds int) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range memoryClients {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(small); i = next.Add(1) - 1 {
				m.send(m.small[i%int64(len(m.small))])
			}
		})
	}
	wg.Go(func() {
		for r := range rounds {
			m.send(m.batch[r%2])
			m.send(m.batch[2])
			m.send(m.batch[3])
		}
	})
	wg.Wait()
}

// send sends one call and checks its answer: a success without warnings (with c.results
// results when that is not 0) or a fault it may meet.
func (m *memoryLoad) send(c memoryCall) {
	status, raw, err := m.e.exchange(m.client, c.op, c.inner)
	if err == nil {
		var a *answer
		if a, err = parseAnswer(c.op, status, raw); err == nil {
			switch {
			case a.code != "" && !c.faults[a.code]:
				err = fmt.Errorf("%s: fault %s %q", c.op, a.code, a.arg)
			case a.code == "" && a.wrapper.SelectElement("warning") != nil:
				err = fmt.Errorf("%s: warnings:\n%.500s", c.op, raw)
			case a.code == "" && c.results != 0 && len(a.results()) != c.results:
				err = fmt.Errorf("%s: %d results, want %d", c.op, len(a.results()), c.results)
			}
		}
	}
	if err != nil && m.failures.Add(1) <= loadFailures {
		m.t.Error(err)
	}
}

// heap is what the memory test reads of the process's memory.
type heap struct {
	heapAlloc, heapInuse uint64
	rss                  string
}

func (h heap) String() string {
	return fmt.Sprintf("HeapAlloc %.1f MiB, HeapInuse %.1f MiB, VmRSS %s", float64(h.heapAlloc)/(1<<20), float64(h.heapInuse)/(1<<20), h.rss)
}

// measure collects the garbage and reads the live heap, and the resident set for the log.
func measure() heap {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	h := heap{heapAlloc: ms.HeapAlloc, heapInuse: ms.HeapInuse, rss: "?"}
	if status, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(status), "\n") {
			if rss, ok := strings.CutPrefix(line, "VmRSS:"); ok {
				h.rss = strings.TrimSpace(rss)
			}
		}
	}
	return h
}
