"""The interop scenario with suds (SOAP 1.1: suds sends no SOAP 1.2).

usage: /usr/bin/python3 scenario.py WSDL_URL PREFIX USERNAME PASSWORD

Creates an Enterprise and an Account, users, an agent group and a schedule group, then
createAgents with one bad item, createAgentsUsingString, changeAgentState, acquireAgent and
releaseAgent, a call that faults with OBJECT_NOT_EXISTS, and one with a wrong password
(HTTP 401, which suds reports without reading the fault). Every call carries a WS-Security
UsernameToken (suds writes PasswordText and an unqualified mustUnderstand). Prints one line
per step and exits 1 at the first answer that is not the expected one.
"""

import sys

import suds
from suds import WebFault
from suds.client import Client
from suds.wsse import Security, UsernameToken


def expect(step, got, want):
    """Prints the step; exits 1 when got differs from want."""
    if got != want:
        print(f"FAIL {step}: got {got!r}, want {want!r}")
        sys.exit(1)
    print(f"ok   {step}: {got!r}")


def items(answer, name):
    """Returns the repeated element name of an answer as a list (suds leaves out absent ones)."""
    return list(getattr(answer, name, None) or [])


def connect(wsdl, username, password):
    """Returns a suds client sending a WS-Security UsernameToken."""
    client = Client(wsdl, cache=None)
    security = Security()
    security.tokens.append(UsernameToken(username, password))
    client.set_options(wsse=security)
    return client


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    wsdl, p, username, password = sys.argv[1:]
    cc = connect(wsdl, username, password).service
    print(f"suds {suds.__version__}, SOAP 1.1")

    ent = cc.createOrg(org={"externalId": p + "ent", "type": "ENTERPRISE", "name": "Interop"})
    expect("createOrg ENTERPRISE type", ent.result.type, "ENTERPRISE")
    acct = cc.createOrg(org={"externalId": p + "acct", "type": "ACCOUNT",
                             "parent": {"externalId": p + "ent"}})
    expect("createOrg ACCOUNT parent", acct.result.parent.externalId, p + "ent")
    account = {"internalId": acct.result.internalId}

    users = cc.createUsers(users=[
        {"externalId": p + "u" + str(i), "parent": account, "firstName": "User", "lastName": str(i)}
        for i in (1, 2, 3)])
    expect("createUsers results", [u.externalId for u in items(users, "result")],
           [p + "u1", p + "u2", p + "u3"])
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
    expect("createAgents results", [a.agent.externalId for a in items(created, "result")], [p + "u1"])
    expect("createAgents warning", [(w.index, w.code, w.argument) for w in items(created, "warning")],
           [(1, "OBJECT_NOT_EXISTS", p + "nobody")])
    agent1 = created.result[0]
    expect("createAgents currentWorkState", agent1.currentWorkState, "NOT_READY")

    # u3 has no phone number: the service sends an empty currentPhoneNumber, read as None.
    by_string = cc.createAgentsUsingString(agents=f"{p}u2,+15550100002\n{p}u3\n", agentGroup=ag)
    expect("createAgentsUsingString results",
           [(a.agent.externalId, getattr(a, "currentPhoneNumber", None)) for a in items(by_string, "result")],
           [(p + "u2", "+15550100002"), (p + "u3", None)])
    expect("createAgentsUsingString warnings", items(by_string, "warning"), [])

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
    except WebFault as e:
        detail = e.fault.detail.EngageFault
        expect("fault code", detail.code, "OBJECT_NOT_EXISTS")
        expect("fault message", detail.message, f"Referenced object '{p}missing' does not exist")
        expect("fault faultcode", e.fault.faultcode, "soap:Client")
        expect("fault contextId present", bool(detail.contextId), True)
    else:
        print("FAIL showAgentGroup: no fault")
        sys.exit(1)

    try:
        connect(wsdl, username, "wrong-" + password).service.showOrg(org=account)
    except WebFault as e:
        print(f"FAIL wrong password: a fault suds reads at HTTP 401: {e}")
        sys.exit(1)
    except Exception as e:  # suds raises Exception((status, reason)) for a status it does not read
        expect("wrong password", e.args[0], (401, "Unauthorized"))
    else:
        print("FAIL wrong password: no fault")
        sys.exit(1)
    print("PASS")


if __name__ == "__main__":
    main()
