package service_test

import "testing"

func TestSmokeWorld(t *testing.T) {
	for _, soap12 := range []bool{false, true} {
		e := newEnv(t)
		e.soap12 = soap12
		w := e.mustWorld()
		g := e.call("showAgentGroup", "<cc:agentGroup><cc:internalId>"+w.group+"</cc:internalId></cc:agentGroup>").result()
		if text(g, "externalId") != "ag" || text(g, "intensity") != "100" {
			t.Errorf("showAgentGroup: %v", g)
		}
		e.call("showAgentGroup", "<cc:agentGroup><cc:externalId>nope</cc:externalId></cc:agentGroup>").fault("OBJECT_NOT_EXISTS", "nope")
		r := e.call("createAgents", "<cc:agents><cc:externalId>u1</cc:externalId></cc:agents><cc:agents><cc:externalId>zz</cc:externalId></cc:agents><cc:agentGroup><cc:internalId>"+w.group+"</cc:internalId></cc:agentGroup>")
		if len(r.results()) != 1 {
			t.Fatalf("createAgents: %s", r.raw)
		}
		r.wantWarnings(warning{Index: 1, Code: "OBJECT_NOT_EXISTS", Argument: "zz"})
	}
}
