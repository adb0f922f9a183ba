"""The interop scenario with zeep, on the SOAP 1.1 or the SOAP 1.2 port.

usage: /usr/bin/python3 scenario.py WSDL_URL {1.1|1.2} PREFIX USERNAME PASSWORD

Creates an Enterprise and an Account, users, an agent group and a schedule group, then
createAgents with one bad item, createAgentsUsingString, changeAgentState, acquireAgent and
releaseAgent, a call that faults with OBJECT_NOT_EXISTS, and one with a wrong password
(AUTHENTICATION_FAILED). Every call carries a WS-Security UsernameToken. Prints one line per
step and exits 1 at the first answer that is not the expected one.
"""

import sys

import zeep
from zeep.exceptions import Fault
from zeep.wsse.username import UsernameToken

NS = "{urn:engage:contactcenter:1}"
PORTS = {"1.1": "ContactCenterSoap11Port", "1.2": "ContactCenterSoap12Port"}


def expect(step, got, want):
    """Prints the step; exits 1 when got differs from want."""
    if got != want:
        print(f"FAIL {step}: got {got!r}, want {want!r}")
        sys.exit(1)
    print(f"ok   {step}: {got!r}")


def main():
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    wsdl, version, p, username, password = sys.argv[1:]
    client = zeep.Client(wsdl, wsse=UsernameToken(username, password))
    cc = client.bind("ContactCenterService", PORTS[version])
    print(f"zeep {zeep.__version__}, SOAP {version} port {PORTS[version]}")

    ent = cc.createOrg(org={"externalId": p + "ent", "type": "ENTERPRISE", "name": "Interop"})
    expect("createOrg ENTERPRISE type", ent.result.type, "ENTERPRISE")
    acct = cc.createOrg(org={"externalId": p + "acct", "type": "ACCOUNT",
                             "parent": {"externalId": p + "ent"}})
    expect("createOrg ACCOUNT parent", acct.result.parent.externalId, p + "ent")
    account = {"internalId": acct.result.internalId}

    users = cc.createUsers(users=[
        {"externalId": p + "u" + str(i), "parent": account, "firstName": "User", "lastName": str(i)}
        for i in (1, 2, 3)])
    expect("createUsers results", [u.externalId for u in users.result], [p + "u1", p + "u2", p + "u3"])
    expect("createUsers loginEnabled", users.result[0].loginEnabled, True)

    group = cc.createAgentGroup(agentGroup={"externalId": p + "grp", "name": "Group"}, parent=account)
    expect("createAgentGroup initialWorkState", group.result.initialWorkState, "NOT_READY")
    expect("createAgentGroup intensity", group.result.intensity, 100)
    ag = {"internalId": group.result.internalId}
    sched = cc.createScheduleGroup(scheduleGroup={"externalId": p + "sch", "name": "Schedule"}, parent=ag)
    expect("createScheduleGroup parent", sched.result.parent.internalId, ag["internalId"])
    sg = {"internalId": sched.result.internalId}

    created = cc.createAgents(
        agents=[{"externalId": p + "u1", "parent": account}, {"externalId": p + "nobody", "parent": account}],
        agentGroup=ag, initialState={"currentScheduleGroup": sg})
    expect("createAgents results", [a.agent.externalId for a in created.result], [p + "u1"])
    expect("createAgents warning", [(w.index, w.code, w.argument) for w in created.warning],
           [(1, "OBJECT_NOT_EXISTS", p + "nobody")])
    agent1 = created.result[0]
    expect("createAgents currentWorkState", agent1.currentWorkState, "NOT_READY")

    # u3 has no phone number: the service sends an empty currentPhoneNumber, read as None.
    by_string = cc.createAgentsUsingString(agents=f"{p}u2,+15550100002\n{p}u3\n", agentGroup=ag)
    expect("createAgentsUsingString results", [(a.agent.externalId, a.currentPhoneNumber)
                                               for a in by_string.result],
           [(p + "u2", "+15550100002"), (p + "u3", None)])
    expect("createAgentsUsingString warnings", list(by_string.warning), [])

    changed = cc.changeAgentState(agentState={"internalId": agent1.internalId, "requestedWorkState": "READY"})
    expect("changeAgentState currentWorkState", changed.result.currentWorkState, "READY")

    acquired = cc.acquireAgent(agentState={"currentScheduleGroup": sg,
                                           "currentContactState": {"device": {"externalId": "+15559870001"}}})
    expect("acquireAgent agent", acquired.result.agent.externalId, p + "u1")
    expect("acquireAgent contact state", acquired.result.currentContactState.state, "CONNECTED")
    expect("acquireAgent device", acquired.result.currentContactState.device.externalId, "+15559870001")

    released = cc.releaseAgent(agentState={"internalId": agent1.internalId})
    expect("releaseAgent contact state", released.result.currentContactState.state, "IDLE")
    expect("releaseAgent work state", released.result.currentWorkState, "READY")

    try:
        cc.showAgentGroup(agentGroup={"externalId": p + "missing", "parent": account})
    except Fault as fault:
        detail = fault.detail.find(NS + "EngageFault")
        expect("fault code", detail.findtext(NS + "code"), "OBJECT_NOT_EXISTS")
        expect("fault message", detail.findtext(NS + "message"),
               f"Referenced object '{p}missing' does not exist")
        expect("fault message is faultstring", fault.message, detail.findtext(NS + "message"))
        expect("fault contextId present", bool(detail.findtext(NS + "contextId")), True)
    else:
        print("FAIL showAgentGroup: no fault")
        sys.exit(1)

    intruder = zeep.Client(wsdl, wsse=UsernameToken(username, "wrong-" + password))
    try:
        intruder.bind("ContactCenterService", PORTS[version]).showOrg(org=account)
    except Fault as fault:
        detail = fault.detail.find(NS + "EngageFault")
        expect("wrong password", detail.findtext(NS + "code"), "AUTHENTICATION_FAILED")
    else:
        print("FAIL wrong password: no fault")
        sys.exit(1)
    print("PASS")


if __name__ == "__main__":
    main()
