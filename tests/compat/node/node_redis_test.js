// node-redis (npm package `redis`) against a running server on $EMBER_TEST_PORT (node:test;
// non-zero exit on failure). Run by tests/compat/client_suites_test.cc against a fresh
// ember-server. Every assertion also holds against redis-server 7.0.15, except where a test
// names a documented difference.
'use strict';

const { test, before, after, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { createClient } = require('redis');
const { version: nodeRedisVersion } = require('@redis/client/package.json');

const port = Number(process.env.EMBER_TEST_PORT);
assert.ok(port > 0, 'EMBER_TEST_PORT must name the server port');

// Connections a test opens besides the shared one; afterEach drops whatever a failed test
// left open, so that a failure never keeps the process alive.
const extraClients = [];

function makeClient(options = {}) {
  const client = createClient({
    socket: { host: '127.0.0.1', port, reconnectStrategy: false },
    ...options,
  });
  client.on('error', () => {});  // failures surface through the awaited commands
  extraClients.push(client);
  return client;
}

// Parses "key=value key=value" lines of CLIENT INFO / CLIENT LIST.
function parseClientLine(line) {
  return Object.fromEntries(line.trim().split(' ').map((field) => {
    const eq = field.indexOf('=');
    return [field.slice(0, eq), field.slice(eq + 1)];
  }));
}

let client;
let isEmber;

before(async () => {
  client = makeClient();
  extraClients.pop();
  await client.connect();
  isEmber = (await client.info('server')).includes('ember_version:');
});

after(() => {
  if (client.isOpen) client.destroy();
});

afterEach(() => {
  while (extraClients.length > 0) {
    const extra = extraClients.pop();
    if (extra.isOpen) extra.destroy();
  }
});

beforeEach(async () => {
  assert.equal(await client.flushAll(), 'OK');
});

test('connects over RESP3 by default (HELLO 3) and is ready', async () => {
  assert.equal(client.isOpen, true);
  assert.equal(client.isReady, true);
  const info = parseClientLine(await client.sendCommand(['CLIENT', 'INFO']));
  assert.equal(info.resp, '3');
  if (isEmber) {
    // node-redis sends CLIENT SETINFO in its handshake and ignores errors (Redis 7.0 has no
    // SETINFO); Ember records it as Redis 7.2 does.
    assert.equal(info['lib-name'], 'node-redis');
    assert.equal(info['lib-ver'], nodeRedisVersion);
  }
  const hello = await client.sendCommand(['HELLO', '3']);
  assert.equal(hello.proto, 3);
  assert.equal(hello.mode, 'standalone');
  assert.equal(hello.role, 'master');
  assert.equal(typeof hello.id, 'number');
  assert.deepEqual(hello.modules, []);
});

test('RESP3 types: null, integers, maps from CONFIG GET', async () => {
  assert.equal(await client.get('missing'), null);
  assert.equal(await client.incr('n'), 1);
  assert.deepEqual(await client.configGet('maxmemory'), { maxmemory: '0' });
  assert.deepEqual(await client.mGet(['n', 'missing']), ['1', null]);
});

test('a RESP2 client with a name works the same', async () => {
  const resp2 = makeClient({ RESP: 2, name: 'nr-resp2' });
  await resp2.connect();
  const info = parseClientLine(await resp2.sendCommand(['CLIENT', 'INFO']));
  assert.equal(info.resp, '2');
  assert.equal(info.name, 'nr-resp2');
  assert.equal(await resp2.clientGetName(), 'nr-resp2');
  assert.deepEqual(await resp2.configGet('maxmemory'), { maxmemory: '0' });
  assert.equal(await resp2.set('k', 'v'), 'OK');
  assert.equal(await resp2.get('k'), 'v');
  assert.equal(await resp2.get('missing'), null);
  await resp2.close();
});

test('strings and expiries', async () => {
  assert.equal(await client.set('k', 'v', { EX: 100 }), 'OK');
  const ttl = await client.ttl('k');
  assert.ok(ttl > 0 && ttl <= 100, `ttl ${ttl}`);
  assert.equal(await client.set('k', 'other', { NX: true }), null);
  assert.equal(await client.get('k'), 'v');
  assert.equal(await client.persist('k'), 1);
  assert.equal(await client.ttl('k'), -1);
  assert.equal(await client.set('px', 'v', { PX: 30 }), 'OK');
  const deadline = Date.now() + 5000;
  while ((await client.exists('px')) === 1 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.equal(await client.exists('px'), 0);
  await client.set('t', 'abc');
  await assert.rejects(client.incr('t'), /ERR value is not an integer or out of range/);
});

test('multi().exec() returns every reply; WATCH conflicts reject', async () => {
  const results = await client.multi().set('k', '5').incr('k').get('k').exec();
  assert.deepEqual(results, ['OK', 6, '6']);

  const watcher = makeClient();
  await watcher.connect();
  await client.set('balance', '10');
  await watcher.watch('balance');
  await client.set('balance', '20');
  await assert.rejects(watcher.multi().set('balance', '11').exec(), (err) => {
    assert.equal(err.constructor.name, 'WatchError');
    return true;
  });
  assert.equal(await client.get('balance'), '20');
  await watcher.close();
});

test('pipelines: execAsPipeline and implicit pipelining of concurrent commands', async () => {
  const results = await client.multi().set('a', '1').incr('a').get('a').execAsPipeline();
  assert.deepEqual(results, ['OK', 2, '2']);

  const writes = [];
  for (let i = 0; i < 1000; i++) writes.push(client.set(`p:${i}`, String(i)));
  assert.ok((await Promise.all(writes)).every((reply) => reply === 'OK'));
  const reads = [];
  for (let i = 0; i < 1000; i++) reads.push(client.get(`p:${i}`));
  assert.deepEqual(await Promise.all(reads), Array.from({ length: 1000 }, (_, i) => String(i)));
});

test('scanIterator yields exactly the matching keys', async () => {
  const writes = [];
  for (let i = 0; i < 300; i++) writes.push(client.set(`user:${i}`, String(i)));
  for (let i = 0; i < 50; i++) writes.push(client.set(`other:${i}`, String(i)));
  await Promise.all(writes);
  const found = new Set();
  for await (const keys of client.scanIterator({ MATCH: 'user:*', COUNT: 30 })) {
    for (const key of keys) found.add(key);
  }
  assert.deepEqual(found, new Set(Array.from({ length: 300 }, (_, i) => `user:${i}`)));
});

test('typed introspection replies: CLIENT LIST/INFO, OBJECT, MEMORY, SLOWLOG, RESET', async () => {
  const id = await client.clientId();
  const list = await client.clientList();
  assert.equal(list.filter((entry) => entry.id === id).length, 1);
  const info = await client.clientInfo();
  assert.equal(info.id, id);
  assert.equal(info.resp, 3);
  assert.equal(info.db, 0);

  await client.set('n', '12');
  await client.set('e', 'hello');
  assert.equal(await client.objectEncoding('n'), 'int');
  assert.equal(await client.objectEncoding('e'), 'embstr');
  assert.ok((await client.memoryUsage('e')) > 0);
  assert.equal(await client.memoryUsage('missing'), null);

  assert.equal(await client.configSet('slowlog-log-slower-than', '0'), 'OK');
  await client.set('slow', '1');
  const [entry] = await client.sendCommand(['SLOWLOG', 'GET', '1']);
  assert.equal(entry.length, 6);
  assert.deepEqual(entry[3], ['SET', 'slow', '1']);
  assert.equal(await client.configSet('slowlog-log-slower-than', '10000'), 'OK');
  assert.equal(await client.sendCommand(['SLOWLOG', 'RESET']), 'OK');
  assert.equal(await client.sendCommand(['SLOWLOG', 'LEN']), 0);

  const resetting = makeClient({ RESP: 2, name: 'before-reset' });
  await resetting.connect();
  await resetting.select(2);
  assert.equal(await resetting.sendCommand(['RESET']), 'RESET');
  const afterReset = parseClientLine(await resetting.sendCommand(['CLIENT', 'INFO']));
  assert.equal(afterReset.name, '');
  assert.equal(afterReset.db, '0');
  assert.equal(afterReset.resp, '2');
});

test('hashes and sets through the typed API', async () => {
  assert.equal(await client.hSet('user:1', { name: 'Ada', visits: '3' }), 2);
  assert.deepEqual({ ...(await client.hGetAll('user:1')) }, { name: 'Ada', visits: '3' });
  assert.equal(await client.hIncrBy('user:1', 'visits', 2), 5);
  assert.equal(await client.hGet('user:1', 'missing'), null);
  assert.equal(await client.hLen('user:1'), 2);
  assert.deepEqual({ ...(await client.hGetAll('missing')) }, {});

  assert.equal(await client.sAdd('tags', ['red', 'green', 'blue']), 3);
  assert.deepEqual(new Set(await client.sMembers('tags')), new Set(['red', 'green', 'blue']));
  await client.sAdd('warm', ['red', 'orange']);
  assert.deepEqual(await client.sInter(['tags', 'warm']), ['red']);
  assert.deepEqual(new Set(await client.sDiff(['tags', 'warm'])), new Set(['green', 'blue']));
  assert.equal(await client.sRem('warm', ['red', 'orange']), 2);
  assert.equal(await client.exists('warm'), 0);
  await client.sAdd('ids', ['1', '2', '3']);
  assert.equal(await client.objectEncoding('ids'), 'intset');
  await assert.rejects(client.get('tags'), /WRONGTYPE/);
});

test('close() ends the connection gracefully', async () => {
  const leaving = makeClient({ name: 'nr-leaving' });
  await leaving.connect();
  const id = await leaving.clientId();
  await leaving.close();
  assert.equal(leaving.isOpen, false);
  let ids = [];
  const deadline = Date.now() + 5000;
  do {
    const list = await client.sendCommand(['CLIENT', 'LIST']);
    ids = list.trim().split('\n').map((line) => Number(parseClientLine(line).id));
  } while (ids.includes(id) && Date.now() < deadline);
  assert.ok(!ids.includes(id), `client ${id} still listed after close`);
});
