// rate-limiter-flexible's RateLimiterRedis on an ioredis client against a running server on
// $EMBER_TEST_PORT (node:test; non-zero exit on failure). consume, penalty and reward run the
// library's Lua script (SET EX NX, INCRBY, PTTL, EXPIRE, returning a two-element array)
// through ioredis's defineCommand, i.e. EVALSHA with an EVAL fallback; get, block and delete
// use MULTI/EXEC and DEL. Run by tests/compat/client_suites_test.cc against a fresh
// ember-server; every assertion also holds against redis-server 7.0.15. Every wait is bounded.
'use strict';

const { test, before, after, beforeEach } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const Redis = require('ioredis');
const { RateLimiterRedis, RateLimiterRes } = require('rate-limiter-flexible');

const port = Number(process.env.EMBER_TEST_PORT);
assert.ok(port > 0, 'EMBER_TEST_PORT must name the server port');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let client;

before(async () => {
  client = new Redis({
    host: '127.0.0.1',
    port,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  assert.equal(await client.ping(), 'PONG');
});

after(() => client.disconnect());

beforeEach(async () => {
  assert.equal(await client.flushall(), 'OK');
});

function limiter(options) {
  return new RateLimiterRedis({
    storeClient: client,
    useRedisPackage: false,
    keyPrefix: 'rl',
    ...options,
  });
}

// Expects `promise` to reject with a RateLimiterRes (a limit, not an error) and returns it.
async function expectRejected(promise, what) {
  try {
    const res = await promise;
    assert.fail(`${what} was allowed: ${JSON.stringify(res)}`);
  } catch (err) {
    if (err instanceof assert.AssertionError) throw err;
    assert.ok(err instanceof RateLimiterRes, `${what} failed with an error, not a limit: ${err}`);
    return err;
  }
}

// Polls until `predicate` holds, failing after `ms`.
async function until(predicate, what, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    assert.ok(Date.now() < deadline, `timed out after ${ms} ms waiting for ${what}`);
    await sleep(25);
  }
}

test('the library script runs through EVALSHA after the first call', async () => {
  assert.equal(await client.script('FLUSH'), 'OK');
  const rl = limiter({ points: 5, duration: 2 });
  const sha = crypto.createHash('sha1').update(client.scriptsSet.rlflxIncr.lua).digest('hex');
  assert.deepEqual(await client.script('EXISTS', sha), [0]);
  const res = await rl.consume('user');
  assert.equal(res.consumedPoints, 1);
  assert.deepEqual(await client.script('EXISTS', sha), [1], 'the script is cached');
  // The script's reply is what the library parses: [consumed, pttl] as integers.
  assert.deepEqual((await client.rlflxIncr('rl:raw', '2', '2', '5', '2'))[0], 2);
  const [consumed, ttl] = await client.rlflxIncr('rl:raw', '3', '2', '5', '2');
  assert.equal(consumed, 5);
  assert.ok(Number.isInteger(ttl) && ttl > 0 && ttl <= 2000, `script PTTL reply is ${ttl}`);
});

test('consume allows up to the limit, then rejects with msBeforeNext > 0', async () => {
  const rl = limiter({ points: 5, duration: 2 });
  for (let i = 1; i <= 5; i++) {
    const res = await rl.consume('user');
    assert.equal(res.consumedPoints, i);
    assert.equal(res.remainingPoints, 5 - i);
    assert.equal(res.isFirstInDuration, i === 1);
    assert.ok(res.msBeforeNext > 0 && res.msBeforeNext <= 2000,
      `msBeforeNext after consume ${i} is ${res.msBeforeNext}`);
  }
  assert.equal(await client.get('rl:user'), '5');
  const pttl = await client.pttl('rl:user');
  assert.ok(pttl > 0 && pttl <= 2000, `key PTTL is ${pttl}`);

  const rejected = await expectRejected(rl.consume('user'), 'the 6th point');
  assert.equal(rejected.consumedPoints, 6);
  assert.equal(rejected.remainingPoints, 0);
  assert.ok(rejected.msBeforeNext > 0 && rejected.msBeforeNext <= 2000,
    `msBeforeNext of the rejection is ${rejected.msBeforeNext}`);

  // Multi-point consumes count every point; other keys are independent.
  const other = await rl.consume('other', 4);
  assert.equal(other.consumedPoints, 4);
  await expectRejected(rl.consume('other', 2), 'consuming 2 with 1 left');
  assert.equal(await client.get('rl:other'), '6');
});

test('points reset once the duration passes', async () => {
  const rl = limiter({ points: 2, duration: 1 });
  await rl.consume('k');
  await rl.consume('k');
  const rejected = await expectRejected(rl.consume('k'), 'the 3rd point');
  assert.ok(rejected.msBeforeNext <= 1000, `msBeforeNext is ${rejected.msBeforeNext}`);
  await sleep(rejected.msBeforeNext + 50);
  await until(async () => (await client.exists('rl:k')) === 0, 'the limiter key to expire',
    2000);
  const fresh = await rl.consume('k');
  assert.equal(fresh.consumedPoints, 1, 'a new duration starts from zero');
  assert.equal(fresh.isFirstInDuration, true);
  assert.equal(fresh.remainingPoints, 1);
});

test('get reports consumption without consuming; delete resets the key', async () => {
  const rl = limiter({ points: 10, duration: 2 });
  assert.equal(await rl.get('nobody'), null, 'get of an unknown key is null');
  await rl.consume('g', 3);
  const got = await rl.get('g');
  assert.equal(got.consumedPoints, 3);
  assert.equal(got.remainingPoints, 7);
  assert.ok(got.msBeforeNext > 0 && got.msBeforeNext <= 2000,
    `msBeforeNext from get is ${got.msBeforeNext}`);
  assert.equal((await rl.get('g')).consumedPoints, 3, 'get does not consume');

  assert.equal(await rl.delete('g'), true);
  assert.equal(await client.exists('rl:g'), 0);
  assert.equal(await rl.get('g'), null);
  assert.equal(await rl.delete('g'), false, 'deleting a missing key reports false');
  assert.equal((await rl.consume('g')).consumedPoints, 1);
});

test('penalty adds points and reward takes them back', async () => {
  const rl = limiter({ points: 5, duration: 2 });
  await rl.consume('p');
  const penalized = await rl.penalty('p', 3);
  assert.equal(penalized.consumedPoints, 4);
  assert.equal(penalized.remainingPoints, 1);
  await rl.consume('p');
  await expectRejected(rl.consume('p'), 'consuming after the penalty used the points');

  const rewarded = await rl.reward('p', 4);
  assert.equal(rewarded.consumedPoints, 2);
  assert.equal(rewarded.remainingPoints, 3);
  assert.equal(await client.get('rl:p'), '2');
  assert.equal((await rl.consume('p')).consumedPoints, 3, 'the reward freed points');

  // Penalty and reward on a fresh key create it with the duration's expiry.
  const fresh = await rl.penalty('fresh', 2);
  assert.equal(fresh.consumedPoints, 2);
  const pttl = await client.pttl('rl:fresh');
  assert.ok(pttl > 0 && pttl <= 2000, `PTTL after penalty on a new key is ${pttl}`);
  assert.equal((await rl.reward('neg', 1)).consumedPoints, -1);
});

test('blockDuration blocks the key past the duration once the limit is exceeded', async () => {
  const rl = limiter({ points: 2, duration: 1, blockDuration: 2 });
  await rl.consume('b');
  await rl.consume('b');
  const started = Date.now();
  const rejected = await expectRejected(rl.consume('b'), 'the 3rd point');
  assert.equal(rejected.msBeforeNext, 2000, 'the first rejection reports the block duration');
  // The block rewrote the key with SET EX 2 inside MULTI.
  const pttl = await client.pttl('rl:b');
  assert.ok(pttl > 1000 && pttl <= 2000, `PTTL of the blocked key is ${pttl}`);
  assert.equal(await client.get('rl:b'), '3');

  // Past the 1 s duration the key is still blocked.
  await sleep(1200);
  const stillBlocked = await expectRejected(rl.consume('b'), 'a consume 1.2 s into the block');
  assert.ok(stillBlocked.msBeforeNext > 0 && stillBlocked.msBeforeNext <= 800,
    `msBeforeNext 1.2 s into a 2 s block is ${stillBlocked.msBeforeNext}`);

  await until(async () => (await client.exists('rl:b')) === 0, 'the block to expire', 2000);
  assert.ok(Date.now() - started >= 1900, 'the block lasted about 2 s');
  assert.equal((await rl.consume('b')).consumedPoints, 1, 'the key is free after the block');

  // block() blocks a key explicitly.
  const blocked = await rl.block('manual', 1);
  assert.equal(blocked.msBeforeNext, 1000);
  assert.equal(await client.get('rl:manual'), '3', 'block() stores points + 1');
  await expectRejected(rl.consume('manual'), 'consuming a blocked key');
});

test('concurrent consumes never grant more than the limit', async () => {
  const rl = limiter({ points: 50, duration: 2 });
  const results = await Promise.allSettled(Array.from({ length: 200 }, () => rl.consume('c')));
  const allowed = results.filter((r) => r.status === 'fulfilled');
  const limited = results.filter((r) => r.status === 'rejected');
  assert.equal(allowed.length, 50);
  assert.equal(limited.length, 150);
  for (const r of limited) {
    assert.ok(r.reason instanceof RateLimiterRes, `a rejection was an error: ${r.reason}`);
  }
  const consumed = allowed.map((r) => r.value.consumedPoints).sort((a, b) => a - b);
  assert.deepEqual(consumed, Array.from({ length: 50 }, (_, i) => i + 1),
    'each allowed consume saw a distinct count');
  assert.equal(await client.get('rl:c'), '200');
});
