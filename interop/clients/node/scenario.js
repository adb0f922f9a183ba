// The interop scenario with the npm soap package (node-soap), on the SOAP 1.1 or 1.2 port.
//
// usage: node scenario.js WSDL_URL {1.1|1.2} PREFIX USERNAME PASSWORD
//
// Creates an Enterprise and an Account, users, an agent group and a schedule group, then
// createAgents with one bad item, createAgentsUsingString, changeAgentState, acquireAgent and
// releaseAgent, a call that faults with OBJECT_NOT_EXISTS, and one with a wrong password
// (AUTHENTICATION_FAILED). Every call carries node-soap's WSSecurity header (a PasswordText
// UsernameToken and a Timestamp, mustUnderstand="1"). Prints one line per step and exits 1 at
// the first answer that is not the expected one.
'use strict';

const assert = require('node:assert');
const soap = require('soap');

const PORTS = { '1.1': 'ContactCenterSoap11Port', '1.2': 'ContactCenterSoap12Port' };

// expect prints the step; it exits 1 when got differs from want.
function expect(step, got, want) {
  try {
    assert.deepStrictEqual(got, want);
  } catch {
    console.log(`FAIL ${step}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    process.exit(1);
  }
  console.log(`ok   ${step}: ${JSON.stringify(got)}`);
}

// list returns a repeated element as an array: node-soap gives one element as an object.
function list(v) {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

// connect returns a function that invokes an operation of the chosen port with WSSecurity
// and resolves to its answer.
async function connect(wsdl, version, username, password) {
  const client = await soap.createClientAsync(wsdl, { forceSoap12Headers: version === '1.2' });
  client.setSecurity(new soap.WSSecurity(username, password, { mustUnderstand: true }));
  const port = client.ContactCenterService[PORTS[version]];
  return (op, args) => new Promise((resolve, reject) => {
    port[op](args, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

// faultOf returns the status and the EngageFault of a call that failed with a SOAP fault.
async function faultOf(promise, version, step) {
  try {
    await promise;
  } catch (err) {
    if (err.root && err.response) {
      const body = err.root.Envelope.Body.Fault;
      return [err.response.status, body, (version === '1.1' ? body.detail : body.Detail).EngageFault];
    }
    console.log(`FAIL ${step}: want a SOAP fault, got ${err}`);
    process.exit(1);
  }
  console.log(`FAIL ${step}: no fault`);
  process.exit(1);
}

async function main() {
  const [wsdl, version, p, username, password] = process.argv.slice(2);
  if (!PORTS[version] || !p || password === undefined) {
    console.error('usage: node scenario.js WSDL_URL {1.1|1.2} PREFIX USERNAME PASSWORD');
    process.exit(2);
  }
  const call = await connect(wsdl, version, username, password);
  console.log(`node-soap ${require('soap/package.json').version}, node ${process.version}, SOAP ${version} port ${PORTS[version]}`);

  const ent = await call('createOrg', { org: { externalId: p + 'ent', type: 'ENTERPRISE', name: 'Interop' } });
  expect('createOrg ENTERPRISE type', ent.result.type, 'ENTERPRISE');
  const acct = await call('createOrg', { org: { externalId: p + 'acct', type: 'ACCOUNT', parent: { externalId: p + 'ent' } } });
  expect('createOrg ACCOUNT parent', acct.result.parent.externalId, p + 'ent');
  const account = { internalId: acct.result.internalId };

  const users = await call('createUsers', {
    users: [1, 2, 3].map((i) => ({ externalId: `${p}u${i}`, parent: account, firstName: 'User', lastName: String(i) })),
  });
  expect('createUsers results', list(users.result).map((u) => u.externalId), [p + 'u1', p + 'u2', p + 'u3']);
  expect('createUsers loginEnabled', list(users.result)[0].loginEnabled, true);

  const group = await call('createAgentGroup', { agentGroup: { externalId: p + 'grp', name: 'Group' }, parent: account });
  expect('createAgentGroup initialWorkState', group.result.initialWorkState, 'NOT_READY');
  expect('createAgentGroup intensity', group.result.intensity, 100);
  const ag = { internalId: group.result.internalId };
  const sched = await call('createScheduleGroup', { scheduleGroup: { externalId: p + 'sch', name: 'Schedule' }, parent: ag });
  expect('createScheduleGroup parent', sched.result.parent.internalId, ag.internalId);
  const sg = { internalId: sched.result.internalId };

  const created = await call('createAgents', {
    agents: [{ externalId: p + 'u1', parent: account }, { externalId: p + 'nobody', parent: account }],
    agentGroup: ag,
    initialState: { currentScheduleGroup: sg },
  });
  expect('createAgents results', list(created.result).map((a) => a.agent.externalId), [p + 'u1']);
  expect('createAgents warning', list(created.warning).map((w) => [w.index, w.code, w.argument]),
    [[1, 'OBJECT_NOT_EXISTS', p + 'nobody']]);
  const agent1 = list(created.result)[0];
  expect('createAgents currentWorkState', agent1.currentWorkState, 'NOT_READY');

  // u3 has no phone number: the service sends an empty currentPhoneNumber, read as "".
  const byString = await call('createAgentsUsingString', { agents: `${p}u2,+15550100002\n${p}u3\n`, agentGroup: ag });
  expect('createAgentsUsingString results', list(byString.result).map((a) => [a.agent.externalId, a.currentPhoneNumber]),
    [[p + 'u2', '+15550100002'], [p + 'u3', '']]);
  expect('createAgentsUsingString warnings', list(byString.warning), []);

  const changed = await call('changeAgentState', { agentState: { internalId: agent1.internalId, requestedWorkState: 'READY' } });
  expect('changeAgentState currentWorkState', changed.result.currentWorkState, 'READY');

  const acquired = await call('acquireAgent', {
    agentState: { currentScheduleGroup: sg, currentContactState: { device: { externalId: '+15559870001' } } },
  });
  expect('acquireAgent agent', acquired.result.agent.externalId, p + 'u1');
  expect('acquireAgent contact state', acquired.result.currentContactState.state, 'CONNECTED');
  expect('acquireAgent device', acquired.result.currentContactState.device.externalId, '+15559870001');

  const released = await call('releaseAgent', { agentState: { internalId: agent1.internalId } });
  expect('releaseAgent contact state', released.result.currentContactState.state, 'IDLE');
  expect('releaseAgent work state', released.result.currentWorkState, 'READY');

  const [, body, detail] = await faultOf(
    call('showAgentGroup', { agentGroup: { externalId: p + 'missing', parent: account } }), version, 'showAgentGroup');
  expect('fault code', detail.code, 'OBJECT_NOT_EXISTS');
  expect('fault message', detail.message, `Referenced object '${p}missing' does not exist`);
  expect('fault code value', version === '1.1' ? body.faultcode : body.Code.Value, version === '1.1' ? 'soap:Client' : 'soap:Sender');
  expect('fault contextId present', Boolean(detail.contextId), true);

  const intruder = await connect(wsdl, version, username, 'wrong-' + password);
  const [status, , refused] = await faultOf(intruder('showOrg', { org: account }), version, 'wrong password');
  expect('wrong password', [status, refused.code], [401, 'AUTHENTICATION_FAILED']);
  console.log('PASS');
}

main().catch((err) => {
  console.log(`FAIL ${err.stack || err}`);
  if (err.body) console.log(err.body);
  process.exit(1);
});
