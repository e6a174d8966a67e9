// ioredis against a running server on $EMBER_TEST_PORT (node:test; non-zero exit on failure).
// Run by tests/compat/client_suites_test.cc against a fresh ember-server. Every assertion also
// holds against redis-server 7.0.15, except where a test names a documented difference.
'use strict';

const { test, before, after, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const Redis = require('ioredis');
const { version: ioredisVersion } = require('ioredis/package.json');

const port = Number(process.env.EMBER_TEST_PORT);
assert.ok(port > 0, 'EMBER_TEST_PORT must name the server port');

// Connections a test opens besides the shared one; afterEach drops whatever a failed test
// left open, so that a failure never keeps the process alive.
const extraClients = [];

function connect(options = {}) {
  const redis = new Redis({
    host: '127.0.0.1',
    port,
    enableReadyCheck: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
    ...options,
  });
  extraClients.push(redis);
  return redis;
}

function waitForEvent(emitter, name, timeoutMs = 10000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${name}' event in ${timeoutMs} ms`)),
      timeoutMs);
    emitter.once(name, (value) => {
      clearTimeout(timer);
      resolve(value);
    });
    emitter.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
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
  client = connect();
  extraClients.pop();
  await waitForEvent(client, 'ready');
  isEmber = (await client.info('server')).includes('ember_version:');
});

after(async () => {
  client.disconnect();
});

afterEach(() => {
  while (extraClients.length > 0) extraClients.pop().disconnect();
});

beforeEach(async () => {
  assert.equal(await client.flushall(), 'OK');
});

test('connects with the INFO ready check and negotiates RESP3 by default', async () => {
  assert.equal(client.status, 'ready');
  const info = parseClientLine(await client.client('INFO'));
  assert.equal(info.resp, '3');
  if (isEmber) {
    // ioredis sends CLIENT SETINFO during its handshake; Redis 7.0 ignores-by-error, Ember
    // (like Redis 7.2) records it.
    assert.equal(info['lib-name'], 'ioredis');
    assert.equal(info['lib-ver'], ioredisVersion);
  }
});

test('the ready check sends INFO once; without it, none is sent', async () => {
  const infoCalls = async () => {
    const match = /cmdstat_info:calls=(\d+)/.exec(await client.info('commandstats'));
    return match ? Number(match[1]) : 0;
  };
  assert.equal(await client.config('RESETSTAT'), 'OK');
  const checked = connect({ enableReadyCheck: true });
  await waitForEvent(checked, 'ready');
  assert.equal(await infoCalls(), 1);
  assert.equal(await client.config('RESETSTAT'), 'OK');
  const unchecked = connect({ enableReadyCheck: false });
  await waitForEvent(unchecked, 'ready');
  assert.equal(await unchecked.ping(), 'PONG');
  assert.equal(await infoCalls(), 0);
});

test('RESP2 connection works the same', async () => {
  const resp2 = connect({ protocol: 2, connectionName: 'io-resp2' });
  await waitForEvent(resp2, 'ready');
  const info = parseClientLine(await resp2.client('INFO'));
  assert.equal(info.resp, '2');
  assert.equal(info.name, 'io-resp2');
  assert.equal(await resp2.set('k', 'v'), 'OK');
  assert.equal(await resp2.get('k'), 'v');
  assert.equal(await resp2.get('missing'), null);
  assert.equal(await resp2.quit(), 'OK');
});

test('strings, counters and expiries', async () => {
  assert.equal(await client.set('k', 'v', 'EX', 100), 'OK');
  const ttl = await client.ttl('k');
  assert.ok(ttl > 0 && ttl <= 100, `ttl ${ttl}`);
  assert.equal(await client.persist('k'), 1);
  assert.equal(await client.ttl('k'), -1);
  assert.equal(await client.ttl('missing'), -2);
  assert.equal(await client.set('k', 'other', 'NX'), null);
  assert.equal(await client.incr('n'), 1);
  assert.equal(await client.incrby('n', 9), 10);
  assert.deepEqual(await client.mget('k', 'missing', 'n'), ['v', null, '10']);
  assert.equal(await client.pexpire('k', 30), 1);
  const deadline = Date.now() + 5000;
  while ((await client.exists('k')) === 1 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.equal(await client.exists('k'), 0);
  await client.set('t', 'abc');
  await assert.rejects(client.incr('t'), /ERR value is not an integer or out of range/);
});

test('pipeline returns [error, result] per command', async () => {
  await client.set('text', 'abc');
  const results = await client.pipeline()
    .set('a', '1')
    .incr('a')
    .incr('text')
    .get('a')
    .exec();
  assert.equal(results.length, 4);
  assert.deepEqual(results[0], [null, 'OK']);
  assert.deepEqual(results[1], [null, 2]);
  assert.match(results[2][0].message, /not an integer/);
  assert.deepEqual(results[3], [null, '2']);

  const many = client.pipeline();
  for (let i = 0; i < 1000; i++) many.set(`p:${i}`, String(i));
  const replies = await many.exec();
  assert.ok(replies.every(([err, reply]) => err === null && reply === 'OK'));
  assert.equal(await client.dbsize(), 1002);  // plus 'text' and 'a'
});

test('multi/exec returns every reply; a queueing error aborts with EXECABORT', async () => {
  const results = await client.multi().set('k', '5').incr('k').get('k').exec();
  assert.deepEqual(results, [[null, 'OK'], [null, 6], [null, '6']]);

  await assert.rejects(
    client.multi().set('a', '1').call('SET', 'only-a-key').exec(),
    (err) => {
      assert.match(err.message, /EXECABORT/);
      return true;
    });
  assert.equal(await client.exists('a'), 0);
});

test('watch makes exec return null after a concurrent change', async () => {
  const other = connect();
  await waitForEvent(other, 'ready');
  const watcher = connect();
  await waitForEvent(watcher, 'ready');
  await client.set('balance', '10');
  assert.equal(await watcher.watch('balance'), 'OK');
  await other.set('balance', '20');
  assert.equal(await watcher.multi().set('balance', '11').exec(), null);
  assert.equal(await client.get('balance'), '20');

  assert.equal(await watcher.watch('balance'), 'OK');
  assert.equal(await watcher.unwatch(), 'OK');
  await other.set('balance', '30');
  assert.deepEqual(await watcher.multi().incr('balance').exec(), [[null, 31]]);
  await other.quit();
  await watcher.quit();
});

test('scanStream yields exactly the matching keys', async () => {
  const pipe = client.pipeline();
  for (let i = 0; i < 300; i++) pipe.set(`user:${i}`, String(i));
  for (let i = 0; i < 50; i++) pipe.set(`other:${i}`, String(i));
  await pipe.exec();
  const found = new Set();
  const stream = client.scanStream({ match: 'user:*', count: 30 });
  for await (const batch of stream) {
    for (const key of batch) found.add(key);
  }
  const expected = new Set(Array.from({ length: 300 }, (_, i) => `user:${i}`));
  assert.deepEqual(found, expected);
});

test('hashes and sets through the typed API', async () => {
  assert.equal(await client.hset('user:1', { name: 'Ada', visits: 3 }), 2);
  assert.deepEqual(await client.hgetall('user:1'), { name: 'Ada', visits: '3' });
  assert.equal(await client.hincrby('user:1', 'visits', 2), 5);
  assert.equal(await client.hget('user:1', 'missing'), null);
  assert.deepEqual(await client.hmget('user:1', 'name', 'nope'), ['Ada', null]);
  assert.equal(await client.hdel('user:1', 'visits'), 1);
  assert.deepEqual(await client.hgetall('missing'), {});

  assert.equal(await client.sadd('tags', 'red', 'green', 'blue'), 3);
  assert.deepEqual(new Set(await client.smembers('tags')), new Set(['red', 'green', 'blue']));
  assert.equal(await client.sismember('tags', 'red'), 1);
  await client.sadd('warm', 'red', 'orange');
  assert.deepEqual(await client.sinter('tags', 'warm'), ['red']);
  assert.equal(await client.sunionstore('all', 'tags', 'warm'), 4);
  assert.equal(await client.scard('all'), 4);
  const results = await client.multi().srem('warm', 'red', 'orange').exists('warm').exec();
  assert.deepEqual(results, [[null, 2], [null, 0]]);
  await assert.rejects(client.get('tags'), /WRONGTYPE/);

  const members = new Set();
  await client.sadd('many', ...Array.from({ length: 700 }, (_, i) => `m${i}`));
  const stream = client.sscanStream('many', { count: 100 });
  for await (const batch of stream) batch.forEach((m) => members.add(m));
  assert.equal(members.size, 700);
});

test('CLIENT KILL ID closes the victim connection', async () => {
  const victim = connect();
  await waitForEvent(victim, 'ready');
  const id = await victim.client('ID');
  const closed = waitForEvent(victim, 'end');
  assert.equal(await client.client('KILL', 'ID', id), 1);
  await closed;
  assert.equal(victim.status, 'end');
});

test('CLIENT PAUSE WRITE holds writes until it ends, reads go on', async () => {
  const other = connect();
  await waitForEvent(other, 'ready');
  await client.set('k', 'before');
  const pausedAt = Date.now();
  assert.equal(await client.client('PAUSE', 300, 'WRITE'), 'OK');
  assert.equal(await other.get('k'), 'before');
  assert.equal(await other.set('k', 'after'), 'OK');
  assert.ok(Date.now() - pausedAt >= 250, 'the write was answered during the pause');
  assert.equal(await client.get('k'), 'after');
  assert.equal(await client.client('UNPAUSE'), 'OK');
});

test('quit resolves OK and the connection ends', async () => {
  const leaving = connect({ connectionName: 'io-leaving' });
  await waitForEvent(leaving, 'ready');
  const id = await leaving.client('ID');
  const ended = waitForEvent(leaving, 'end');
  assert.equal(await leaving.quit(), 'OK');
  await ended;
  assert.equal(leaving.status, 'end');
  let ids = [];
  const deadline = Date.now() + 5000;
  do {
    const list = await client.client('LIST');
    ids = list.trim().split('\n').map((line) => Number(parseClientLine(line).id));
  } while (ids.includes(id) && Date.now() < deadline);
  assert.ok(!ids.includes(id), `client ${id} still listed after quit`);
});
