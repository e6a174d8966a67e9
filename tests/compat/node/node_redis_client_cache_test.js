// node-redis (npm package `redis`) client-side caching against a running server on
// $EMBER_TEST_PORT (node:test; non-zero exit on failure). A client made with
// `createClient({ RESP: 3, clientSideCache: {} })` sends CLIENT TRACKING ON in its handshake,
// serves repeated reads from memory, and drops an entry when the server pushes
// `>2 invalidate [keys]` (a null key list: drop everything). The suite checks both sides: the
// cache's hit and miss counts and the keys it was told to drop, and the server's view: CLIENT
// TRACKINGINFO of the caching connection, and from a second plain connection CLIENT LIST's `t`
// flag, INFO tracking_total_keys and INFO commandstats.
//
// node-redis 6.3.1's cache config has no BCAST, PREFIX or OPTIN option (it always sends plain
// CLIENT TRACKING ON), so broadcast mode is not covered here.
//
// Run by tests/compat/client_suites_test.cc against a fresh ember-server; every assertion also
// holds against redis-server 7.0.15. Every wait has a deadline.
'use strict';

const { test, before, after, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { isDeepStrictEqual } = require('node:util');
const { createClient } = require('redis');

const port = Number(process.env.EMBER_TEST_PORT);
assert.ok(port > 0, 'EMBER_TEST_PORT must name the server port');

// Invalidations are pushed asynchronously; this bounds every wait for one.
const kWaitMs = 2000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls `predicate` (sync or async) until it holds; fails the test after kWaitMs.
async function until(predicate, what) {
  const deadline = Date.now() + kWaitMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) assert.fail(`timed out after ${kWaitMs} ms waiting for ${what()}`);
    await sleep(5);
  }
}

// The plain (non-caching) connection that plays "another client" and reads the server's
// tracking state.
let writer;
const opened = [];

before(async () => {
  writer = createClient({ socket: { host: '127.0.0.1', port, reconnectStrategy: false } });
  writer.on('error', () => {});  // failures surface through the awaited commands
  await writer.connect();
});

after(() => {
  if (writer.isOpen) writer.destroy();
});

// FLUSHALL also empties the server's tracking table, so tracking_total_keys starts at 0.
beforeEach(async () => {
  assert.equal(await writer.flushAll(), 'OK');
});

afterEach(() => {
  while (opened.length > 0) {
    const client = opened.pop();
    if (client.isOpen) client.destroy();
  }
});

// A connected RESP3 client with node-redis's default cache (no ttl, no size limit).
async function cachingClient(socket = { reconnectStrategy: false }) {
  const client = createClient({
    RESP: 3,
    clientSideCache: {},
    socket: { host: '127.0.0.1', port, ...socket },
  });
  client.on('error', () => {});
  opened.push(client);
  await client.connect();
  return client;
}

// Hits and misses of `client`'s cache since the previous call (the first call: since now).
function meter(client) {
  let last = client.clientSideCache.stats();
  return () => {
    const now = client.clientSideCache.stats();
    const delta = now.minus(last);
    last = now;
    return { hits: delta.hitCount, misses: delta.missCount };
  };
}

// The keys of every invalidation `client`'s cache receives from now on; null stands for a
// flush (drop every entry).
function invalidations(client) {
  const keys = [];
  client.clientSideCache.on('invalidate', (key) => keys.push(key === null ? null : String(key)));
  return keys;
}

async function untilInvalidated(seen, key) {
  await until(() => seen.includes(key),
    () => `an invalidation of ${JSON.stringify(key)}, have ${JSON.stringify(seen)}`);
}

// Reads through the cache until `read` returns `expected`: right after another client's write
// the push may still be in flight, and the read is served stale from the cache.
async function untilRead(read, expected, what) {
  let last;
  await until(async () => isDeepStrictEqual(last = await read(), expected),
    () => `${what} to read ${JSON.stringify(expected)}, last read ${JSON.stringify(last)}`);
}

async function trackedKeys() {
  const match = (await writer.info('stats')).match(/^tracking_total_keys:(\d+)/m);
  assert.ok(match, 'INFO stats has no tracking_total_keys');
  return Number(match[1]);
}

// How many times the server has executed `command` (INFO commandstats), from any client.
async function serverCalls(command) {
  const pattern = new RegExp(`^cmdstat_${command}:calls=(\\d+)`, 'm');
  const match = (await writer.info('commandstats')).match(pattern);
  return match ? Number(match[1]) : 0;
}

test('a repeated GET is a hit that never reaches the server; the server tracks the connection',
  async () => {
    await writer.set('csc:greeting', 'hello');
    const client = await cachingClient();
    const counts = meter(client);
    const getsBefore = await serverCalls('get');

    assert.equal(await client.get('csc:greeting'), 'hello');
    assert.deepEqual(counts(), { hits: 0, misses: 1 });
    assert.equal(await client.get('csc:greeting'), 'hello');
    assert.equal(await client.get('csc:greeting'), 'hello');
    assert.deepEqual(counts(), { hits: 2, misses: 0 });
    assert.equal(await serverCalls('get'), getsBefore + 1);

    assert.deepEqual(await client.clientTrackingInfo(),
      { flags: ['on'], redirect: 0, prefixes: [] });
    assert.deepEqual(await writer.clientTrackingInfo(),
      { flags: ['off'], redirect: -1, prefixes: [] });
    const id = await client.clientId();
    const entry = (await writer.clientList()).find((line) => line.id === id);
    assert.ok(entry, `CLIENT LIST has no id ${id}`);
    assert.equal(entry.flags, 't');
    assert.equal(entry.redir, 0);
    assert.equal(await trackedKeys(), 1);
  });

test('another client\'s SET invalidates the entry; the next GET reads the new value', async () => {
  const key = 'csc:ключ {1} ☃';  // the push must carry the key's exact bytes
  await writer.set(key, 'v1');
  const client = await cachingClient();
  const seen = invalidations(client);
  assert.equal(await client.get(key), 'v1');
  assert.equal(await client.get(key), 'v1');

  await writer.set(key, 'v2');
  await untilRead(() => client.get(key), 'v2', 'the caching client');
  assert.deepEqual(seen, [key]);
  const counts = meter(client);
  assert.equal(await client.get(key), 'v2');
  assert.deepEqual(counts(), { hits: 1, misses: 0 });
  assert.equal(await trackedKeys(), 1);

  // One push per write: the re-read re-armed tracking for the key.
  await writer.set(key, 'v3');
  await untilRead(() => client.get(key), 'v3', 'the caching client');
  assert.deepEqual(seen, [key, key]);
});

test('DEL, EXPIRE and the server\'s own expiry each invalidate', async () => {
  await writer.mSet({ 'csc:del': 'doomed', 'csc:expire': 'kept' });
  await writer.set('csc:short', 'brief', { PX: 300 });
  const client = await cachingClient();
  const seen = invalidations(client);
  const counts = meter(client);
  const reads = [];
  for (const key of ['csc:short', 'csc:del', 'csc:expire', 'csc:del', 'csc:expire']) {
    reads.push(await client.get(key));
  }
  assert.deepEqual(reads, ['brief', 'doomed', 'kept', 'doomed', 'kept']);
  assert.deepEqual(counts(), { hits: 2, misses: 3 });

  assert.equal(await writer.del('csc:del'), 1);
  await untilRead(() => client.get('csc:del'), null, 'the deleted key');

  // EXPIRE leaves the value as it was, so only the miss shows that the entry was dropped.
  assert.equal(await writer.expire('csc:expire', 100), 1);
  await untilInvalidated(seen, 'csc:expire');
  counts();  // count from here
  assert.equal(await client.get('csc:expire'), 'kept');
  assert.deepEqual(counts(), { hits: 0, misses: 1 });

  // Nobody touches csc:short again: the server's expiry cycle deletes it and pushes.
  await untilInvalidated(seen, 'csc:short');
  assert.equal(await client.get('csc:short'), null);
  assert.deepEqual(seen, ['csc:del', 'csc:expire', 'csc:short']);
});

test('FLUSHALL and FLUSHDB empty the whole cache', async () => {
  await writer.mSet({ 'csc:a': '1', 'csc:b': '2' });
  await writer.hSet('csc:h', { f: 'x' });
  const client = await cachingClient();
  const seen = invalidations(client);
  const cacheEverything = async () => {
    await client.get('csc:a');
    await client.get('csc:b');
    await client.hGetAll('csc:h');
    await client.mGet(['csc:a', 'csc:b']);
    assert.equal(client.clientSideCache.size(), 4);
  };

  await cacheEverything();
  assert.equal(await writer.flushAll(), 'OK');
  await until(() => client.clientSideCache.size() === 0,
    () => `an empty cache, have ${client.clientSideCache.size()} entries`);
  assert.deepEqual(seen, [null]);
  const counts = meter(client);
  assert.equal(await client.get('csc:a'), null);
  assert.deepEqual({ ...(await client.hGetAll('csc:h')) }, {});
  assert.deepEqual(await client.mGet(['csc:a', 'csc:b']), [null, null]);
  assert.deepEqual(counts(), { hits: 0, misses: 3 });
  assert.equal(await trackedKeys(), 3);

  // Refilling invalidates the three keys the reads above tracked again.
  await writer.mSet({ 'csc:a': '1', 'csc:b': '2' });
  await writer.hSet('csc:h', { f: 'x' });
  await until(() => seen.length === 4, () => `3 more invalidations, have ${JSON.stringify(seen)}`);
  await cacheEverything();
  assert.equal(await writer.flushDb(), 'OK');
  await until(() => client.clientSideCache.size() === 0,
    () => `an empty cache, have ${client.clientSideCache.size()} entries`);
  assert.equal(seen.at(-1), null);
  assert.equal(await client.get('csc:b'), null);
});

test('invalidating one key leaves the other entries cached', async () => {
  await writer.mSet({ 'csc:a': '1', 'csc:b': '2' });
  await writer.hSet('csc:h', { f: '1', g: '2' });
  const client = await cachingClient();
  const seen = invalidations(client);
  const counts = meter(client);
  const readAll = async () => [
    await client.get('csc:a'),
    await client.get('csc:b'),
    { ...(await client.hGetAll('csc:h')) },
    await client.mGet(['csc:a', 'csc:b']),
  ];
  const beforeWrites = ['1', '2', { f: '1', g: '2' }, ['1', '2']];
  assert.deepEqual(await readAll(), beforeWrites);
  assert.deepEqual(counts(), { hits: 0, misses: 4 });
  assert.deepEqual(await readAll(), beforeWrites);
  assert.deepEqual(counts(), { hits: 4, misses: 0 });
  assert.equal(await trackedKeys(), 3);

  // The hash changes: only HGETALL goes back to the server.
  await writer.hSet('csc:h', 'f', '10');
  await untilInvalidated(seen, 'csc:h');
  assert.deepEqual(await readAll(), ['1', '2', { f: '10', g: '2' }, ['1', '2']]);
  assert.deepEqual(counts(), { hits: 3, misses: 1 });

  // csc:a changes: its GET and the MGET that read it are dropped; csc:b and the hash stay.
  await writer.set('csc:a', '100');
  await untilInvalidated(seen, 'csc:a');
  assert.deepEqual(await readAll(), ['100', '2', { f: '10', g: '2' }, ['100', '2']]);
  assert.deepEqual(counts(), { hits: 2, misses: 2 });
  assert.deepEqual(seen, ['csc:h', 'csc:a']);
  assert.equal(await trackedKeys(), 3);
});

// Each row: the key a read tracks, a read through the caching client, the value it reads before
// and after `write` (another client's) runs. RENAME invalidates both names: csc:dst is read
// (and tracked) while missing.
const kWriteCases = [
  ['csc:counter', (c) => c.get('csc:counter'), '1', '2', () => writer.incr('csc:counter')],
  ['csc:text', (c) => c.strLen('csc:text'), 2, 4, () => writer.append('csc:text', 'cd')],
  ['csc:list', (c) => c.lRange('csc:list', 0, -1), ['x'], ['w', 'x'],
    () => writer.lPush('csc:list', 'w')],
  ['csc:set', (c) => c.sCard('csc:set'), 1, 2, () => writer.sAdd('csc:set', 'n')],
  ['csc:zset', (c) => c.zScore('csc:zset', 'm'), 1, 3,
    () => writer.zIncrBy('csc:zset', 2, 'm')],
  ['csc:getdel', (c) => c.get('csc:getdel'), 'once', null, () => writer.getDel('csc:getdel')],
  ['csc:src', (c) => c.get('csc:src'), 'moving', null,
    () => writer.rename('csc:src', 'csc:dst')],
  ['csc:dst', (c) => c.get('csc:dst'), null, 'moving', null],
  ['csc:moved', (c) => c.get('csc:moved'), 'here', null, () => writer.move('csc:moved', 1)],
  ['csc:copy', (c) => c.get('csc:copy'), 'old', 'copied',
    () => writer.copy('csc:copy-source', 'csc:copy', { REPLACE: true })],
  ['csc:multi', (c) => c.get('csc:multi'), 'before', 'in-exec',
    () => writer.multi().set('csc:multi', 'in-exec').exec()],
];

test('writes of every kind invalidate: each type, GETDEL, RENAME, MOVE, COPY, MULTI/EXEC',
  async () => {
    await writer.mSet({
      'csc:counter': '1', 'csc:text': 'ab', 'csc:getdel': 'once', 'csc:src': 'moving',
      'csc:moved': 'here', 'csc:copy': 'old', 'csc:copy-source': 'copied', 'csc:multi': 'before',
    });
    await writer.rPush('csc:list', 'x');
    await writer.sAdd('csc:set', 'm');
    await writer.zAdd('csc:zset', { score: 1, value: 'm' });
    const client = await cachingClient();
    const seen = invalidations(client);
    for (const [key, read, before] of kWriteCases) {
      assert.deepEqual(await read(client), before, key);
    }
    for (const [, read] of kWriteCases) await read(client);
    assert.equal(client.clientSideCache.stats().hitCount, kWriteCases.length);

    for (const [, , , , write] of kWriteCases) if (write) await write();
    for (const [key, read, , after] of kWriteCases) {
      await untilInvalidated(seen, key);
      assert.deepEqual(await read(client), after, key);
    }
    assert.equal(seen.length, kWriteCases.length, JSON.stringify(seen));
  });

test('the caching connection\'s own writes invalidate its entries (no NOLOOP)', async () => {
  await writer.set('csc:mine', 'theirs');
  const client = await cachingClient();
  const seen = invalidations(client);
  assert.equal(await client.get('csc:mine'), 'theirs');
  assert.equal(await client.get('csc:mine'), 'theirs');
  assert.equal(await client.set('csc:mine', 'mine'), 'OK');
  await untilRead(() => client.get('csc:mine'), 'mine', 'the writer itself');
  assert.equal(await client.del('csc:mine'), 1);
  await untilRead(() => client.get('csc:mine'), null, 'the writer itself');
  assert.deepEqual(seen, ['csc:mine', 'csc:mine']);
});

test('a key name is tracked across databases: writes and flushes in db 1 invalidate db 0',
  async () => {
    await writer.set('csc:shared-name', 'db0');
    const client = await cachingClient();
    const seen = invalidations(client);
    const otherDb = createClient({
      database: 1, socket: { host: '127.0.0.1', port, reconnectStrategy: false },
    });
    otherDb.on('error', () => {});
    opened.push(otherDb);
    await otherDb.connect();

    assert.equal(await client.get('csc:shared-name'), 'db0');
    assert.equal(await client.get('csc:other'), null);
    await otherDb.set('csc:shared-name', 'db1');
    await untilInvalidated(seen, 'csc:shared-name');
    assert.equal(client.clientSideCache.size(), 1);
    assert.equal(await client.get('csc:shared-name'), 'db0');

    assert.equal(await otherDb.flushDb(), 'OK');
    await until(() => client.clientSideCache.size() === 0,
      () => `an empty cache, have ${client.clientSideCache.size()} entries`);
    assert.deepEqual(seen, ['csc:shared-name', null]);
    assert.equal(await writer.get('csc:shared-name'), 'db0');
  });

test('after the server drops the connection the cache starts empty and tracking resumes',
  async () => {
    await writer.set('csc:durable', 'v1');
    const client = await cachingClient({ reconnectStrategy: () => 20 });
    assert.equal(await client.get('csc:durable'), 'v1');
    assert.equal(await client.get('csc:durable'), 'v1');
    assert.equal(client.clientSideCache.size(), 1);
    const id = await client.clientId();

    assert.equal(await writer.clientKill({ filter: 'ID', id }), 1);
    // Written while the caching client may be disconnected and untracked: no push can come.
    await writer.set('csc:durable', 'v2');
    await until(async () => client.isReady && (await client.clientId()) !== id,
      () => 'the caching client to reconnect');
    assert.equal(client.clientSideCache.size(), 0);
    assert.deepEqual(await client.clientTrackingInfo(),
      { flags: ['on'], redirect: 0, prefixes: [] });
    assert.equal(await client.get('csc:durable'), 'v2');

    const seen = invalidations(client);
    await writer.set('csc:durable', 'v3');
    await untilRead(() => client.get('csc:durable'), 'v3', 'the reconnected client');
    assert.deepEqual(seen, ['csc:durable']);
  });
