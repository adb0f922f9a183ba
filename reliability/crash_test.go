package reliability

import (
	"database/sql"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// trials is how many times TestCrashSafety kills the process.
var trials = flag.Int("trials", 20, "how many times TestCrashSafety kills engage serve")

const (
	// clients send their batches at the same time, each to its own agent group.
	clients = 2
	// batchSize is the number of agents of each batch, the most one call may carry.
	batchSize = 1000
	// batchAttribute is the user attribute a createAgents batch sets, to a value of its own.
	batchAttribute = "crashBatch"
	// registrationMethod is the user attribute a createAgentsUsingString record sets.
	registrationMethod = "registrationMethod"
)

// nextMethod gives, for a user's registrationMethod, a different one for the next record:
// so a user whose item committed always reads changed.
var nextMethod = map[string]string{"": "SIP", "SIP": "WEBRTC", "WEBRTC": "PHONE", "PHONE": "SIP"}

// batch is one call of a trial: 1,000 users of a client made agents of the client's group,
// each item also changing its user.
type batch struct {
	op     string // createAgents or createAgentsUsingString
	client int
	users  []string
	// attribute is the user attribute the batch sets, and want its value per user.
	attribute string
	want      map[string]string
	// answered is set when HTTP 200 arrived before the kill (even should the kill cut the
	// body short); err when the answer was not a success, or a success without every agent.
	answered bool
	err      error
}

// world is the database the trials run on: the users of each batch and the agent groups.
type world struct {
	groups []string          // agent group internalId per client
	users  [][2][]string     // per client: the createAgents users, the agents string users
	method map[string]string // each user's registrationMethod now
	agents []string          // the users who are agents, as the last check found them
}

// TestCrashSafety sends createAgents and createAgentsUsingString batches of 1,000 from two
// concurrent clients to the real binary, kills it with SIGKILL at a random moment, restarts
// it on the same database and checks, through the API and in the file, that every item is
// wholly there (agent row and user change) or wholly absent, that every batch answered before
// the kill is wholly there, that the group counts equal the agent rows, and that the database
// is intact. The agents are deleted between trials. The kill moment is drawn uniformly from
// one and a half times what a round of batches takes unkilled, so that kills land before the
// first commit, between commits, and after the last; the log gives their distribution, and
// how many batches committed whose answer the kill cut off.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the real binary and kills it")
	}
	s := newServer(t, buildEngage(t), "--max-agents", "100000", "--max-results", "5000")
	w := setUpWorld(s)

	// One round unkilled measures how long the batches take.
	begin := time.Now()
	round := w.sendRound(s, 0, 0)
	full := time.Since(begin)
	w.check(s, 0, round)
	w.deleteAgents(s)
	t.Logf("an unkilled round of %d batches of %d took %v", len(round), batchSize, full)

	outcomes := map[string]int{}
	lostAnswers := 0
	for trial := 1; trial <= *trials; trial++ {
		killAt := time.Duration(rand.Int64N(int64(full) * 3 / 2))
		round := w.sendRound(s, trial, killAt)
		s.start()
		committed := w.check(s, trial, round)
		answered := 0
		for _, b := range round {
			if b.answered {
				answered++
			}
		}
		lostAnswers += committed - answered
		outcome := "between commits"
		switch committed {
		case 0:
			outcome = "before the first commit"
		case len(round):
			outcome = "after the last commit"
		}
		outcomes[outcome]++
		t.Logf("trial %d: killed at %v: %d of %d batches committed, %d answered (%s)", trial, killAt.Round(time.Millisecond), committed, len(round), answered, outcome)
		if t.Failed() {
			return
		}
		w.deleteAgents(s)
	}
	t.Logf("%d trials: %v; %d batches committed whose answer the kill cut off", *trials, outcomes, lostAnswers)
}

// setUpWorld creates, through the API, an Enterprise, an Account, an agent group per client
// and the AGENT users of every batch.
func setUpWorld(s *server) *world {
	s.t.Helper()
	s.mustCall("createOrg", "<cc:org><cc:externalId>ent</cc:externalId><cc:type>ENTERPRISE</cc:type></cc:org>")
	s.mustCall("createOrg", "<cc:org><cc:externalId>acct</cc:externalId><cc:type>ACCOUNT</cc:type><cc:parent><cc:externalId>ent</cc:externalId></cc:parent></cc:org>")
	w := &world{method: map[string]string{}}
	for c := range clients {
		r := s.mustCall("createAgentGroup", fmt.Sprintf("<cc:agentGroup><cc:externalId>g%d</cc:externalId></cc:agentGroup>", c)+
			"<cc:parent><cc:externalId>acct</cc:externalId></cc:parent>")
		w.groups = append(w.groups, r.first("internalId"))
		var users [2][]string
		for kind := range 2 {
			var b strings.Builder
			for i := range batchSize {
				u := fmt.Sprintf("c%d-%c-%04d", c, "as"[kind], i)
				users[kind] = append(users[kind], u)
				fmt.Fprintf(&b, "<cc:users><cc:externalId>%s</cc:externalId><cc:parent><cc:externalId>acct</cc:externalId></cc:parent><cc:type>AGENT</cc:type></cc:users>", u)
			}
			r := s.mustCall("createUsers", b.String())
			if n := r.count("result"); n != batchSize || r.count("warning") != 0 {
				s.t.Fatalf("createUsers: %d results, or warnings", n)
			}
		}
		w.users = append(w.users, users)
	}
	return w
}

// sendRound sends every client's two batches, the clients at the same time, each client its
// two one after the other (in opposite orders). With killAt > 0 the process is killed that
// long after the clients start; sendRound returns once every client has its answer or lost
// it.
func (w *world) sendRound(s *server, trial int, killAt time.Duration) []*batch {
	var round []*batch
	for c := range clients {
		agents := &batch{op: "createAgents", client: c, users: w.users[c][0], attribute: batchAttribute, want: map[string]string{}}
		str := &batch{op: "createAgentsUsingString", client: c, users: w.users[c][1], attribute: registrationMethod, want: map[string]string{}}
		tag := fmt.Sprintf("t%d-c%d", trial, c)
		for _, u := range agents.users {
			agents.want[u] = tag
		}
		for _, u := range str.users {
			str.want[u] = nextMethod[w.method[u]]
		}
		if c%2 == 0 {
			round = append(round, agents, str)
		} else {
			round = append(round, str, agents)
		}
	}
	client, url := s.client, s.proc.URL
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for _, b := range round[2*c : 2*c+2] {
				if !w.send(client, url, b) {
					return
				}
			}
		})
	}
	if killAt > 0 {
		time.Sleep(killAt)
		s.kill()
	}
	wg.Wait()
	return round
}

// send sends one batch and records whether it was answered; false when the process is gone.
func (w *world) send(client *http.Client, url string, b *batch) bool {
	var inner strings.Builder
	if b.op == "createAgents" {
		for _, u := range b.users {
			inner.WriteString("<cc:agents><cc:externalId>" + u + "</cc:externalId></cc:agents>")
		}
		inner.WriteString(groupRef(w.groups[b.client]))
		inner.WriteString("<cc:initialState><cc:agent><cc:attribute><cc:name>" + batchAttribute + "</cc:name><cc:value>" +
			b.want[b.users[0]] + "</cc:value></cc:attribute></cc:agent></cc:initialState>")
	} else {
		inner.WriteString("<cc:agents>")
		for _, u := range b.users {
			inner.WriteString(u + ",," + b.want[u] + "\n")
		}
		inner.WriteString("</cc:agents>" + groupRef(w.groups[b.client]))
	}
	status, raw, err := post(client, url, b.op, inner.String())
	// HTTP 200 received is an answer, even should the kill cut the body short.
	b.answered = status == http.StatusOK
	if err != nil {
		return false
	}
	r, err := successOf(b.op, status, raw)
	switch {
	case err != nil:
		b.err = err
		return false
	case r.count("result") != len(b.users) || r.count("warning") != 0:
		b.err = fmt.Errorf("%s: %d results of %d, or warnings:\n%.1000s", b.op, r.count("result"), len(b.users), raw)
	}
	return true
}

// groupRef writes the agentGroup parameter by internalId.
func groupRef(id string) string {
	return "<cc:agentGroup><cc:internalId>" + id + "</cc:internalId></cc:agentGroup>"
}

// stored is a user as the database file has it.
type stored struct {
	method, batchTag string
	group            string // externalId of the agent group of its agent, "" when not an agent
}

// check checks the database after a round, through the API and in the file, and returns how
// many of the round's batches committed.
func (w *world) check(s *server, trial int, round []*batch) (committed int) {
	t := s.t
	t.Helper()
	// Through the API: each group's agentCount, and its agents listed.
	listed := map[string]int{}
	counts := make([]int, clients)
	for c, g := range w.groups {
		state := s.mustCall("showAgentGroupState", groupRef(g))
		n, err := strconv.Atoi(state.first("agentCount"))
		if err != nil {
			t.Fatalf("showAgentGroupState: agentCount: %v\n%.1000s", err, state)
		}
		counts[c] = n
		users := s.mustCall("listAgentStatesUsingEntity", "<cc:baseEntity><cc:internalId>"+g+"</cc:internalId></cc:baseEntity>").agentUsers()
		if len(users) != counts[c] {
			t.Errorf("trial %d: group g%d: agentCount %d, %d agents listed", trial, c, counts[c], len(users))
		}
		for _, u := range users {
			listed[u] = c
		}
	}
	// In the file: every user, its agent's group and the attributes the batches change.
	db := s.openDB()
	defer db.Close()
	integrity(t, db)
	users := readUsers(t, db)
	for c := range clients {
		var rows int
		if err := db.QueryRow("SELECT count(*) FROM agents WHERE agent_group_id = ?", strings.TrimPrefix(w.groups[c], "agp-")).Scan(&rows); err != nil {
			t.Fatal(err)
		}
		if rows != counts[c] {
			t.Errorf("trial %d: group g%d: agentCount %d, %d agent rows", trial, c, counts[c], rows)
		}
	}
	for _, b := range round {
		present, halves := 0, 0
		for _, u := range b.users {
			got := users[u]
			agent, changed := got.group != "", got.attribute(b.attribute) == b.want[u]
			if agent != changed {
				if halves++; halves <= 3 {
					t.Errorf("trial %d: %s item %s cut in half: agent %v, user changed %v", trial, b.op, u, agent, changed)
				}
			}
			if _, ok := listed[u]; ok != agent {
				t.Errorf("trial %d: %s: listed %v, agent row %v", trial, u, ok, agent)
			}
			if agent {
				present++
				if want := fmt.Sprintf("g%d", b.client); got.group != want {
					t.Errorf("trial %d: %s is an agent of %s, want %s", trial, u, got.group, want)
				}
			}
		}
		switch {
		case b.err != nil:
			t.Errorf("trial %d: %v", trial, b.err)
		case b.answered && present != len(b.users):
			t.Errorf("trial %d: client %d's %s was answered before the kill, yet %d of its %d agents are there", trial, b.client, b.op, present, len(b.users))
		case present != 0 && present != len(b.users):
			t.Errorf("trial %d: client %d's %s is one transaction, yet %d of its %d agents are there", trial, b.client, b.op, present, len(b.users))
		}
		if present == len(b.users) {
			committed++
		}
	}
	w.agents = w.agents[:0]
	for u, got := range users {
		w.method[u] = got.method
		if got.group != "" {
			w.agents = append(w.agents, u)
		}
	}
	return committed
}

// attribute returns the value of one of the attributes the batches change.
func (u stored) attribute(name string) string {
	if name == registrationMethod {
		return u.method
	}
	return u.batchTag
}

// readUsers reads every user of the database file.
func readUsers(t *testing.T, db *sql.DB) map[string]stored {
	t.Helper()
	attr := func(name string) string {
		return `coalesce((SELECT json_extract(j.value, '$.value') FROM json_each(u.attributes) j WHERE json_extract(j.value, '$.name') = '` + name + `'), '')`
	}
	rows, err := db.Query(`SELECT u.external_id, ` + attr(registrationMethod) + `, ` + attr(batchAttribute) + `, coalesce(g.external_id, '')
		FROM users u LEFT JOIN agents a ON a.user_id = u.id LEFT JOIN agent_groups g ON g.id = a.agent_group_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	users := map[string]stored{}
	for rows.Next() {
		var id string
		var u stored
		if err := rows.Scan(&id, &u.method, &u.batchTag, &u.group); err != nil {
			t.Fatal(err)
		}
		users[id] = u
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return users
}

// deleteAgents deletes, through the API, the agents the last check found (1,000 a call),
// and checks that the groups are empty.
func (w *world) deleteAgents(s *server) {
	s.t.Helper()
	for len(w.agents) > 0 {
		n := min(len(w.agents), batchSize)
		var b strings.Builder
		for _, u := range w.agents[:n] {
			b.WriteString("<cc:agents><cc:externalId>" + u + "</cc:externalId></cc:agents>")
		}
		w.agents = w.agents[n:]
		r := s.mustCall("deleteAgents", b.String())
		if r.count("warning") != 0 {
			s.t.Fatalf("deleteAgents: warning %s %s", r.first("code"), r.first("argument"))
		}
	}
	for c, g := range w.groups {
		if n := s.mustCall("showAgentGroupState", groupRef(g)).first("agentCount"); n != "0" {
			s.t.Fatalf("group g%d: agentCount %s after deleting every agent", c, n)
		}
	}
}
