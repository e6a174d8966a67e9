// ioredis in sentinel mode (`sentinels: [...]`, `name`) follows a failover of Ember.
//
// Environment: EMBER_SENTINEL_PORTS (comma-separated ports of the sentinels on 127.0.0.1),
// EMBER_SENTINEL_MASTER (the monitored name) and EMBER_PRIMARY_PID (the Ember primary's PID).
//
// The script connects a master client and a replica client (role: 'slave') through the
// sentinels, writes a key on the master (confirmed by WAIT) and reads it from the replica, then
// kills the primary with SIGKILL. It retries a write on the same master client until one
// succeeds, for at most FAILOVER_LIMIT_MS; the client must then be connected to the master the
// sentinels now report, a different one, which holds the first key and answers ROLE as a
// master. Prints "NEW_MASTER host:port" and exits 0, or exits 1 with the reason.
//
// Run with plain `node` by tests/compat/sentinel_clients_test.cc, which starts the topology and
// checks the key written after the failover on the master the sentinels report.
'use strict';

const assert = require('node:assert/strict');
const Redis = require('ioredis');

const sentinelPorts = (process.env.EMBER_SENTINEL_PORTS || '').split(',').map(Number);
const masterName = process.env.EMBER_SENTINEL_MASTER || 'mymaster';
const primaryPid = Number(process.env.EMBER_PRIMARY_PID);
assert.ok(sentinelPorts.length === 3 && sentinelPorts.every((port) => port > 0),
  'EMBER_SENTINEL_PORTS must name three sentinel ports');
assert.ok(primaryPid > 0, 'EMBER_PRIMARY_PID must name the primary');

const FAILOVER_LIMIT_MS = 20000;
const WATCHDOG_MS = 50000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Calls `attempt` every 100 ms until it resolves to a true value; throws after `limitMs`.
async function until(attempt, limitMs, what) {
  const deadline = Date.now() + limitMs;
  let lastError = null;
  while (Date.now() < deadline) {
    try {
      const value = await attempt();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(100);
  }
  throw new Error(`${what} within ${limitMs} ms (last error: ${lastError && lastError.message})`);
}

function sentinelClient(role) {
  const client = new Redis({
    sentinels: sentinelPorts.map((port) => ({ host: '127.0.0.1', port })),
    name: masterName,
    role,
    connectTimeout: 2000,
    commandTimeout: 3000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => 100,
    sentinelRetryStrategy: () => 100,
  });
  // Connection errors while the master is down are expected; the write loop reports the last.
  client.on('error', () => {});
  return client;
}

// The master address one sentinel reports, as "host:port".
async function reportedMaster(sentinel) {
  const [host, port] = await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName);
  return `${host}:${port}`;
}

async function main() {
  const sentinel = new Redis({ host: '127.0.0.1', port: sentinelPorts[0], retryStrategy: null });
  const master = sentinelClient('master');
  const replica = sentinelClient('slave');
  try {
    const oldMaster = await reportedMaster(sentinel);
    console.log(`OLD_MASTER ${oldMaster}`);

    assert.equal(await master.set('before-failover', 'written-first'), 'OK');
    assert.equal(`${master.stream.remoteAddress}:${master.stream.remotePort}`, oldMaster);
    const acknowledged = await master.call('WAIT', '2', '5000');
    assert.ok(acknowledged >= 1, `WAIT 2 5000 reported ${acknowledged} replicas`);
    await until(async () => (await replica.get('before-failover')) === 'written-first', 5000,
      'the replica did not show the key');
    await assert.rejects(replica.set('on-a-replica', 'x'), /READONLY/);

    process.kill(primaryPid, 'SIGKILL');
    // Closed connections, the old address refusing connections and a replica not yet promoted
    // are all retried.
    await until(async () => (await master.set('after-failover', 'written-through-sentinel')) === 'OK',
      FAILOVER_LIMIT_MS, 'no write succeeded through the sentinel-managed client');

    // The client may have learned of the promotion from another sentinel: the one asked here
    // hears of it through the others' hello messages, a moment later.
    let newMaster = oldMaster;
    await until(async () => (newMaster = await reportedMaster(sentinel)) !== oldMaster, 10000,
      'the sentinels still report the old master');
    assert.equal(`${master.stream.remoteAddress}:${master.stream.remotePort}`, newMaster,
      'the client is not connected to the master the sentinels report');
    const role = await master.call('ROLE');
    assert.equal(role[0], 'master');
    assert.equal(await master.get('before-failover'), 'written-first',
      'the new master lost the acknowledged key');
    console.log(`NEW_MASTER ${newMaster}`);
  } finally {
    for (const client of [sentinel, master, replica]) client.disconnect();
  }
}

const watchdog = setTimeout(() => {
  console.error(`FAIL: still running after ${WATCHDOG_MS} ms`);
  process.exit(1);
}, WATCHDOG_MS);

main().then(() => {
  clearTimeout(watchdog);
  process.exit(0);
}, (error) => {
  console.error(`FAIL: ${error.stack || error}`);
  process.exit(1);
});
