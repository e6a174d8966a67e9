// Redlock (redlock 5, on ioredis) against a running server on $EMBER_TEST_PORT (node:test;
// non-zero exit on failure). Redlock's acquire, extend and release are Lua scripts sent with
// EVALSHA, falling back to EVAL on NOSCRIPT, so this covers both, the script cache, SET PX
// and GET inside scripts, and integer replies. Mutual exclusion is checked with concurrent
// workers doing a read-modify-write of a shared counter inside the lock. Run by
// tests/compat/client_suites_test.cc against a fresh ember-server; every assertion also holds
// against redis-server 7.0.15. Every wait has a deadline.
'use strict';

const { test, before, after, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const Redis = require('ioredis');
const { default: Redlock, ExecutionError, ResourceLockedError } = require('redlock');

const port = Number(process.env.EMBER_TEST_PORT);
assert.ok(port > 0, 'EMBER_TEST_PORT must name the server port');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const sha1 = (text) => crypto.createHash('sha1').update(text).digest('hex');

// Connections a test opens besides the shared one; afterEach drops whatever a test left open.
const extraClients = [];

function connect() {
  const redis = new Redis({
    host: '127.0.0.1',
    port,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  extraClients.push(redis);
  return redis;
}

// Rejects with `what` when `promise` takes longer than `ms`.
function withTimeout(promise, what, ms = 15000) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

let client;

before(async () => {
  client = connect();
  extraClients.pop();
  assert.equal(await client.ping(), 'PONG');
});

after(() => client.disconnect());

beforeEach(async () => {
  assert.equal(await client.flushall(), 'OK');
  assert.equal(await client.script('FLUSH'), 'OK');
});

afterEach(() => {
  while (extraClients.length > 0) extraClients.pop().disconnect();
});

// Redlock's scripts, as it sends them; their SHA1s are what it passes to EVALSHA.
function redlockScriptHashes(redlock) {
  const { acquireScript, extendScript, releaseScript } = redlock.scripts;
  for (const script of [acquireScript, extendScript, releaseScript]) {
    assert.equal(script.hash, sha1(script.value));
  }
  return [acquireScript.hash, extendScript.hash, releaseScript.hash];
}

test('acquire sets the value with a PX expiry and release deletes it', async () => {
  const redlock = new Redlock([client], { retryCount: 0 });
  const hashes = redlockScriptHashes(redlock);
  assert.deepEqual(await client.script('EXISTS', ...hashes), [0, 0, 0]);

  // The first acquire gets NOSCRIPT from EVALSHA and falls back to EVAL, which caches it.
  const lock = await redlock.acquire(['rl:a'], 5000);
  assert.equal(typeof lock.value, 'string');
  assert.equal(await client.get('rl:a'), lock.value, 'the lock key holds the lock value');
  const pttl = await client.pttl('rl:a');
  assert.ok(pttl > 4000 && pttl <= 5000, `PTTL after a 5000 ms acquire is ${pttl}`);
  assert.ok(lock.expiration > Date.now() + 4000 && lock.expiration <= Date.now() + 5000,
    `lock.expiration is ${lock.expiration - Date.now()} ms away`);
  assert.deepEqual(await client.script('EXISTS', ...hashes), [1, 0, 0],
    'EVAL cached the acquire script');

  await lock.release();
  assert.equal(await client.exists('rl:a'), 0, 'release deleted the key');
  assert.equal(lock.expiration, 0);
  assert.deepEqual(await client.script('EXISTS', ...hashes), [1, 0, 1]);

  // Now cached, the second acquire goes through EVALSHA alone.
  const again = await redlock.acquire(['rl:a'], 5000);
  assert.notEqual(again.value, lock.value);
  assert.equal(await client.get('rl:a'), again.value);
  await again.release();
  assert.equal(await client.exists('rl:a'), 0);
});

test('acquiring a held lock fails at once with retryCount 0 and leaves it untouched', async () => {
  const redlock = new Redlock([client], { retryCount: 0 });
  const held = await redlock.acquire(['rl:held'], 10000);

  const other = new Redlock([connect()], { retryCount: 0 });
  const errors = [];
  other.on('error', (err) => errors.push(err));
  const started = Date.now();
  await assert.rejects(other.acquire(['rl:held'], 10000), (err) => {
    assert.ok(err instanceof ExecutionError, `expected an ExecutionError, got ${err}`);
    assert.equal(err.attempts.length, 1, 'retryCount 0 means exactly one attempt');
    return true;
  });
  assert.ok(Date.now() - started < 1000, 'no retry delay with retryCount 0');
  // One vote against for the acquire, one for the release Redlock tries after a failed
  // acquire (the key is not this attempt's, so the release script deletes nothing).
  assert.equal(errors.length, 2, `errors: ${errors.join('; ')}`);
  for (const err of errors) {
    assert.ok(err instanceof ResourceLockedError,
      `the client's vote against is a ResourceLockedError, got ${err}`);
    assert.match(err.message, /applied to: 0 of the 1 requested resources/);
  }

  // The failed attempt's clean-up release must not have deleted the holder's key.
  assert.equal(await client.get('rl:held'), held.value);
  await held.release();
  assert.equal(await client.exists('rl:held'), 0);

  // Free again: the other Redlock gets it.
  const mine = await other.acquire(['rl:held'], 10000);
  assert.equal(await client.get('rl:held'), mine.value);
  await mine.release();
});

test('a multi-resource acquire fails if any resource is held, and sets none', async () => {
  const redlock = new Redlock([client], { retryCount: 0 });
  const held = await redlock.acquire(['rl:m2'], 10000);
  await assert.rejects(redlock.acquire(['rl:m1', 'rl:m2', 'rl:m3'], 10000), ExecutionError);
  assert.equal(await client.exists('rl:m1', 'rl:m3'), 0, 'no other resource was locked');
  assert.equal(await client.get('rl:m2'), held.value);
  await held.release();

  const all = await redlock.acquire(['rl:m1', 'rl:m2', 'rl:m3'], 10000);
  assert.deepEqual(await client.mget('rl:m1', 'rl:m2', 'rl:m3'),
    [all.value, all.value, all.value]);
  await all.release();
  assert.equal(await client.exists('rl:m1', 'rl:m2', 'rl:m3'), 0);
});

test('extend pushes the expiry out; an expired lock cannot be extended', async () => {
  const redlock = new Redlock([client], { retryCount: 0 });
  const lock = await redlock.acquire(['rl:ext'], 500);
  const extended = await lock.extend(5000);
  assert.equal(extended.value, lock.value, 'extend keeps the lock value');
  assert.equal(lock.expiration, 0, 'the old Lock object is spent');
  const pttl = await client.pttl('rl:ext');
  assert.ok(pttl > 4000 && pttl <= 5000, `PTTL after extending to 5000 ms is ${pttl}`);

  // Past the original 500 ms the key is still there thanks to the extension.
  await sleep(700);
  assert.equal(await client.get('rl:ext'), lock.value, 'the extended lock outlived 500 ms');
  await assert.rejects(lock.extend(5000), /already-expired/,
    'the replaced Lock object cannot be extended');

  // Someone else's value under the key: extend must refuse and not overwrite it.
  await client.set('rl:ext', 'intruder', 'PX', 5000);
  await assert.rejects(extended.extend(5000), ExecutionError);
  assert.equal(await client.get('rl:ext'), 'intruder');
  // ...and release must not delete it either.
  await assert.rejects(extended.release(), ExecutionError);
  assert.equal(await client.get('rl:ext'), 'intruder');
  await client.del('rl:ext');

  // A lock left to expire on the server can be taken by another holder.
  const shortLived = await redlock.acquire(['rl:short'], 200);
  await sleep(350);
  assert.equal(await client.exists('rl:short'), 0, 'the 200 ms lock expired');
  await assert.rejects(shortLived.extend(1000), /already-expired/);
  const next = await redlock.acquire(['rl:short'], 1000);
  assert.notEqual(next.value, shortLived.value);
  await next.release();
});

test('using() extends the lock automatically while the routine runs', async () => {
  const redlock = new Redlock([client], { retryCount: 0, automaticExtensionThreshold: 200 });
  let value;
  const result = await withTimeout(redlock.using(['rl:using'], 500, async (signal) => {
    value = await client.get('rl:using');
    assert.ok(value, 'the lock is held inside the routine');
    // Three times the lock duration: only automatic extension keeps the key alive.
    for (let i = 0; i < 15; i++) {
      await sleep(100);
      assert.equal(signal.aborted, false, `lock lost (${signal.error}) after ${i * 100} ms`);
      assert.equal(await client.get('rl:using'), value, `lock key changed after ${i * 100} ms`);
    }
    return 'done';
  }), 'redlock.using');
  assert.equal(result, 'done');
  assert.equal(await client.exists('rl:using'), 0, 'using() released the lock');
});

test('concurrent workers never overlap inside the lock and lose no increments', async () => {
  const kWorkers = 8;
  const kAcquisitionsPerWorker = 30;
  const kDeadlineMs = 30000;
  const deadline = Date.now() + kDeadlineMs;

  let inside = 0;
  let maxInside = 0;
  let overlaps = 0;
  let acquisitions = 0;
  let contended = 0;

  async function worker(id) {
    // Each worker has its own connection and Redlock, like separate processes would.
    const redlock = new Redlock([connect()], {
      retryCount: 200,
      retryDelay: 5,
      retryJitter: 5,
    });
    let mine = 0;
    while (mine < kAcquisitionsPerWorker) {
      assert.ok(Date.now() < deadline,
        `worker ${id} made ${mine} acquisitions in ${kDeadlineMs} ms`);
      const lock = await redlock.acquire(['rl:counter-lock'], 2000);
      if (lock.attempts.length > 1) contended++;
      inside++;
      maxInside = Math.max(maxInside, inside);
      if (inside !== 1) overlaps++;
      try {
        const before = Number(await client.get('rl:counter'));
        await sleep(1 + (id % 3));
        assert.equal(await client.get('rl:counter-lock'), lock.value,
          `worker ${id} still holds the lock in its critical section`);
        await client.set('rl:counter', String(before + 1));
      } finally {
        inside--;
        await lock.release();
      }
      acquisitions++;
      mine++;
    }
  }

  await withTimeout(Promise.all(Array.from({ length: kWorkers }, (_, id) => worker(id))),
    'the workers', kDeadlineMs + 5000);
  assert.equal(overlaps, 0, `${overlaps} acquisitions overlapped (max ${maxInside} holders)`);
  assert.equal(maxInside, 1);
  assert.equal(acquisitions, kWorkers * kAcquisitionsPerWorker);
  assert.equal(Number(await client.get('rl:counter')), acquisitions,
    'every read-modify-write inside the lock was kept');
  assert.ok(contended > 0, 'the workers contended for the lock at least once');
  assert.equal(await client.exists('rl:counter-lock'), 0, 'the last holder released the lock');
});
