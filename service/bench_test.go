package service_test

import (
	"bytes"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"github.com/engage-oss/engage/internal/storetest"
	"github.com/engage-oss/engage/service"
)

// The benchmarks go through the real HTTP stack and report requests per second, allocations
// and x-bare: the ratio to a bare net/http handler that writes canned bytes of the same size,
// measured in the same run (the limit of HTTP on this machine).

// benchClient keeps enough connections open for the parallel benchmarks.
var benchClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}

// soapRequest is one prepared request: its body and headers.
type soapRequest struct {
	body   []byte
	header http.Header
}

// request prepares the SOAP 1.1 request of op, authenticated like e's calls (HTTP Basic).
func (e *env) request(op, inner string) soapRequest {
	body := `<soapenv:Envelope xmlns:soapenv="` + soap11NS + `" xmlns:cc="urn:engage:contactcenter:1">` +
		`<soapenv:Header/><soapenv:Body><cc:` + op + `>` + inner + `</cc:` + op + `></soapenv:Body></soapenv:Envelope>`
	h := http.Header{}
	h.Set("Content-Type", "text/xml; charset=utf-8")
	h.Set("SOAPAction", `"urn:engage:contactcenter:1/`+op+`"`)
	r := &http.Request{Header: h}
	r.SetBasicAuth(e.user, e.password)
	return soapRequest{body: []byte(body), header: h}
}

// send sends r to url and copies the answer's body to answer; a status other than 200 is
// an error. The parallel loads discard their answers, as a load generator does.
func (r soapRequest) send(url string, answer io.Writer) error {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(r.body))
	if err != nil {
		return err
	}
	req.Header = r.header.Clone()
	resp, err := benchClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		start, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		return fmt.Errorf("HTTP %d: %s", resp.StatusCode, start)
	}
	_, err = io.Copy(answer, resp.Body)
	return err
}

// post is send from the benchmark's own goroutine, returning the answer: an error stops the
// benchmark.
func (r soapRequest) post(b *testing.B, url string) []byte {
	var answer bytes.Buffer
	if err := r.send(url, &answer); err != nil {
		b.Fatal(err)
	}
	return answer.Bytes()
}

// bare serves canned as the answer to every request, after reading the request.
func bare(b *testing.B, canned []byte) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.Header().Set("Content-Length", fmt.Sprint(len(canned)))
		w.Write(canned)
	}))
	b.Cleanup(srv.Close)
	return srv.URL
}

// clientsPerCore is how many clients per core the parallel benchmarks run.
const clientsPerCore = 16

// parallel sends r to url from parallel clients b.N times.
func parallel(b *testing.B, r soapRequest, url string) {
	b.SetParallelism(clientsPerCore)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := r.send(url, io.Discard); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// sideRounds is how many rounds of calls each side of a read's ratio is timed in.
const sideRounds = 31

// load sends r to url calls times in all from the parallel benchmarks' number of clients.
func load(b *testing.B, r soapRequest, url string, calls int) {
	left := atomic.Int64{}
	left.Store(int64(calls))
	var wg sync.WaitGroup
	for range clientsPerCore * runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for left.Add(-1) >= 0 {
				if err := r.send(url, io.Discard); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// ratioToBare returns how fast the service at url answers r next to the bare handler at
// bareURL: both are loaded by the same clients in alternate rounds of the same number of
// calls, calls a side in all, and the ratio is the median of the rounds' ratios (the bare
// round's time over the service's just before it). This machine's load drifts during a run;
// rounds side by side weigh it on both alike, where one measurement of each, one after the
// other, read anywhere from 0.38 to 0.59 on unchanged code.
func ratioToBare(b *testing.B, r soapRequest, url, bareURL string, calls int) float64 {
	n := max(calls/sideRounds, 1)
	var service, limit rounds
	ratios := make([]float64, sideRounds)
	for i := range ratios {
		service.time(func() { load(b, r, url, n) })
		limit.time(func() { load(b, r, bareURL, n) })
		ratios[i] = float64(limit[i]) / float64(service[i])
	}
	slices.Sort(ratios)
	return ratios[len(ratios)/2]
}

// readLoad serves a read to parallel clients b.N times, then compares it with the bare
// handler serving its answer (see ratioToBare).
func readLoad(b *testing.B, e *env, r soapRequest) {
	canned := r.post(b, e.url)
	bareURL := bare(b, canned)
	b.ReportAllocs()
	b.ResetTimer()
	parallel(b, r, e.url)
	b.StopTimer()
	perOp := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(time.Second)/float64(perOp), "req/s")
	b.ReportMetric(ratioToBare(b, r, e.url, bareURL, b.N), "x-bare")
}

// BenchmarkShowAgentGroup: one authenticated showAgentGroup, read from SQLite.
func BenchmarkShowAgentGroup(b *testing.B) {
	e := newEnv(b)
	w := e.mustWorld()
	readLoad(b, e, e.request("showAgentGroup", "<cc:agentGroup><cc:internalId>"+w.group+"</cc:internalId></cc:agentGroup>"))
}

// BenchmarkListAgentStates1000: listAgentStatesUsingEntity of an agent group of 1,000 agents.
func BenchmarkListAgentStates1000(b *testing.B) {
	e := newEnv(b)
	w := e.mustWorld()
	users := benchUsers(b, e, 1000)
	e.call("createAgents", agentsOf(users)+"<cc:agentGroup><cc:internalId>"+w.group+"</cc:internalId></cc:agentGroup>").ok()
	readLoad(b, e, e.request("listAgentStatesUsingEntity", "<cc:baseEntity><cc:internalId>"+w.group+"</cc:internalId></cc:baseEntity>"))
}

// benchUsers creates n AGENT users bench0000.. in the world's Account.
func benchUsers(b *testing.B, e *env, n int) []string {
	var ids []string
	for i := range n {
		ids = append(ids, fmt.Sprintf("bench%04d", i))
	}
	e.mustUsers("acct", "", ids...)
	return ids
}

// agentsOf returns the agents parameters naming users.
func agentsOf(users []string) string {
	var s strings.Builder
	for _, u := range users {
		s.WriteString("<cc:agents><cc:externalId>" + u + "</cc:externalId></cc:agents>")
	}
	return s.String()
}

// batchLoad measures creating 1,000 agents, durably committed, one batch at a time: each
// batch is deleted again, untimed, so that the next one creates them anew. It compares with
// the bare handler and with sqliteAlone, SQLite doing the same look-ups and inserts: each
// round of the benchmark also times one call of the bare handler and one batch of
// sqliteAlone, so that the three sides are timed as often, under the same load, and the
// ratios are those of their median rounds.
func batchLoad(b *testing.B, e *env, users []string, create soapRequest) {
	if storetest.Postgres() != "" {
		b.Skip("its limit, sqliteAlone, is SQLite's")
	}
	remove := e.request("deleteAgents", agentsOf(users))
	canned := create.post(b, e.url)
	remove.post(b, e.url)
	bareURL := bare(b, canned)
	alone := newSQLiteAlone(b, e.dsn, users)
	var service, bareLimit, sqlLimit rounds
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		service.time(func() {
			if answer := create.post(b, e.url); bytes.Contains(answer, []byte("<warning>")) {
				b.Fatalf("warnings: %.300s", answer)
			}
		})
		b.StopTimer()
		remove.post(b, e.url)
		bareLimit.time(func() { create.post(b, bareURL) })
		sqlLimit.time(func() { alone.batch(b) })
		alone.clear(b)
		b.StartTimer()
	}
	b.StopTimer()
	perOp := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(time.Second)/float64(perOp), "req/s")
	b.ReportMetric(float64(bareLimit.median())/float64(service.median()), "x-bare")
	b.ReportMetric(float64(sqlLimit.median())/float64(service.median()), "x-sqlite")
}

// rounds holds the times of one side's rounds.
type rounds []time.Duration

// time runs f and keeps its time.
func (r *rounds) time(f func()) {
	start := time.Now()
	f()
	*r = append(*r, time.Since(start))
}

// median returns the median time of the rounds.
func (r rounds) median() time.Duration {
	sorted := slices.Clone(r)
	slices.Sort(sorted)
	return sorted[len(sorted)/2]
}

// BenchmarkCreateAgents1000: createAgents of 1,000 new agents.
func BenchmarkCreateAgents1000(b *testing.B) {
	e := newEnv(b)
	w := e.mustWorld()
	users := benchUsers(b, e, 1000)
	batchLoad(b, e, users, e.request("createAgents", agentsOf(users)+"<cc:agentGroup><cc:internalId>"+w.group+"</cc:internalId></cc:agentGroup>"))
}

// BenchmarkCreateAgentsUsingString1000: createAgentsUsingString of 1,000 records.
func BenchmarkCreateAgentsUsingString1000(b *testing.B) {
	e := newEnv(b)
	w := e.mustWorld()
	users := benchUsers(b, e, 1000)
	batchLoad(b, e, users, e.request("createAgentsUsingString", "<cc:agents>"+strings.Join(users, "\n")+
		"</cc:agents><cc:agentGroup><cc:internalId>"+w.group+"</cc:internalId></cc:agentGroup>"))
}

// sqliteAlone is the limit of creating 1,000 agents: a plain loop of prepared statements in
// one durable transaction doing the look-ups and inserts the service does for each item (the
// user by externalId, whether it is an agent already, the insert), on the same database file.
type sqliteAlone struct {
	db                 *sql.DB
	accountID, groupID int64
	users              []string
}

// newSQLiteAlone opens the database file dbPath, whose world's agent group ag the agents of
// users are created in; it is closed when the benchmark ends.
func newSQLiteAlone(b *testing.B, dbPath string, users []string) *sqliteAlone {
	db, err := sql.Open("sqlite3", "file:"+dbPath+"?_foreign_keys=on&_journal_mode=WAL&_synchronous=FULL&_busy_timeout=5000&_txlock=immediate")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	s := &sqliteAlone{db: db, users: users}
	if err := db.QueryRow(`SELECT account_id, id FROM agent_groups WHERE external_id = 'ag'`).Scan(&s.accountID, &s.groupID); err != nil {
		b.Fatal(err)
	}
	return s
}

// batch creates the agents in one transaction.
func (s *sqliteAlone) batch(b *testing.B) {
	tx, err := s.db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	findUser, _ := tx.Prepare(`SELECT id FROM users WHERE account_id = ? AND external_id = ?`)
	isAgent, _ := tx.Prepare(`SELECT count(*) FROM agents WHERE user_id = ?`)
	insert, err := tx.Prepare(`INSERT INTO agents (user_id, account_id, agent_group_id, work_state, state_changed, idle_since, created) VALUES (?, ?, ?, 'NOT_READY', ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().UnixMilli()
	for _, u := range s.users {
		var id int64
		var n int
		if err := findUser.QueryRow(s.accountID, u).Scan(&id); err != nil {
			b.Fatal(err)
		}
		if err := isAgent.QueryRow(id).Scan(&n); err != nil || n != 0 {
			b.Fatal(err, n)
		}
		if _, err := insert.Exec(id, s.accountID, s.groupID, now, now, now); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// clear deletes the agents batch created.
func (s *sqliteAlone) clear(b *testing.B) {
	if _, err := s.db.Exec(`DELETE FROM agents`); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkShowAgentGroupHandler is BenchmarkShowAgentGroup without HTTP: the handler alone,
// called with a recorded request, so that its own time and allocations show.
func BenchmarkShowAgentGroupHandler(b *testing.B) {
	e := newEnv(b)
	w := e.mustWorld()
	r := e.request("showAgentGroup", "<cc:agentGroup><cc:internalId>"+w.group+"</cc:internalId></cc:agentGroup>")
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodPost, service.EndpointPath, bytes.NewReader(r.body))
			req.Header = r.header
			rec := httptest.NewRecorder()
			e.handler.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatal(rec.Code)
			}
		}
	})
}
