// ioredis pub/sub against a running server on $EMBER_TEST_PORT (node:test; non-zero exit on
// failure). Covers subscriber mode over RESP3 (ioredis's default) and RESP2: subscribe /
// psubscribe / ssubscribe resolving with the subscription count, 'message', 'pmessage',
// 'smessage' and their Buffer events, unsubscribe counts, PUBLISH / SPUBLISH delivery counts,
// ordinary commands between RESP3 pushes, PING in RESP2 subscribed mode,
// autoResubscribe after the server drops the connection, and monitor()'s 'monitor' events. Run by
// tests/compat/client_suites_test.cc against a fresh ember-server; every assertion also holds
// against redis-server 7.0.15. Every wait has a deadline.
'use strict';

const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { randomBytes } = require('node:crypto');
const Redis = require('ioredis');

const port = Number(process.env.EMBER_TEST_PORT);
assert.ok(port > 0, 'EMBER_TEST_PORT must name the server port');

const kWaitMs = 5000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls `predicate` (sync or async) until it holds; fails the test after kWaitMs.
async function until(predicate, what) {
  const deadline = Date.now() + kWaitMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what()}`);
    await sleep(5);
  }
}

// Records the arguments of every `event` the client emits; take(n) waits for n of them.
function record(client, event) {
  const received = [];
  client.on(event, (...args) => received.push(args));
  return {
    received,
    async take(count) {
      await until(() => received.length >= count,
        () => `${count} '${event}' events, have ${JSON.stringify(received)}`);
      assert.equal(received.length, count, `extra '${event}' events`);
      return received.splice(0, count);
    },
  };
}

const opened = [];
let publisher;

// A connection that is ready (its handshake done); dropped by afterEach.
async function connect(options = {}) {
  const client = new Redis({
    host: '127.0.0.1',
    port,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
    lazyConnect: true,
    ...options,
  });
  client.on('error', () => {});  // failures surface through the awaited commands
  opened.push(client);
  await client.connect();
  return client;
}

before(async () => {
  publisher = await connect();
  opened.pop();
});

after(() => publisher.disconnect());

// Counts are global, so each test starts once the server has dropped the last one's
// subscriptions.
afterEach(async () => {
  while (opened.length > 0) opened.pop().disconnect();
  await until(async () => (await publisher.pubsub('NUMPAT')) === 0 &&
    (await publisher.pubsub('CHANNELS')).length === 0 &&
    (await publisher.pubsub('SHARDCHANNELS')).length === 0,
  () => 'the server to drop the closed subscribers');
});

async function numSub(...channels) {
  const flat = await publisher.pubsub('NUMSUB', ...channels);
  return Object.fromEntries(channels.map((channel, i) => [channel, flat[2 * i + 1]]));
}

for (const protocol of [3, 2]) {
  test(`RESP${protocol}: subscribe resolves with the count; 'message' carries (channel, message)`,
    async () => {
      const sub = await connect({ protocol });
      const messages = record(sub, 'message');
      assert.equal(await sub.subscribe(`io${protocol}:a`, `io${protocol}:b`), 2);
      assert.deepEqual(await numSub(`io${protocol}:a`, `io${protocol}:b`),
        { [`io${protocol}:a`]: 1, [`io${protocol}:b`]: 1 });
      assert.equal(await publisher.publish(`io${protocol}:a`, 'one'), 1);
      assert.equal(await publisher.publish(`io${protocol}:b`, 'two'), 1);
      assert.equal(await publisher.publish(`io${protocol}:c`, 'lost'), 0);
      assert.deepEqual(await messages.take(2),
        [[`io${protocol}:a`, 'one'], [`io${protocol}:b`, 'two']]);
      assert.equal(await sub.unsubscribe(`io${protocol}:a`), 1);
      assert.equal(await publisher.publish(`io${protocol}:a`, 'gone'), 0);
      assert.equal(await sub.unsubscribe(), 0);
      assert.deepEqual(await numSub(`io${protocol}:b`), { [`io${protocol}:b`]: 0 });
      // Out of subscribed mode the connection takes ordinary commands again.
      assert.equal(await sub.echo('back'), 'back');
    });

  test(`RESP${protocol}: psubscribe emits 'pmessage' with (pattern, channel, message)`,
    async () => {
      const sub = await connect({ protocol });
      const pmessages = record(sub, 'pmessage');
      assert.equal(await sub.psubscribe(`iop${protocol}:news.*`, `iop${protocol}:h?llo`), 2);
      assert.equal(await publisher.pubsub('NUMPAT'), 2);
      assert.equal(await publisher.publish(`iop${protocol}:news.tech`, 'x'), 1);
      assert.equal(await publisher.publish(`iop${protocol}:hallo`, 'y'), 1);
      assert.equal(await publisher.publish(`iop${protocol}:news`, 'z'), 0);
      assert.deepEqual(await pmessages.take(2), [
        [`iop${protocol}:news.*`, `iop${protocol}:news.tech`, 'x'],
        [`iop${protocol}:h?llo`, `iop${protocol}:hallo`, 'y'],
      ]);
      assert.equal(await sub.punsubscribe(`iop${protocol}:news.*`), 1);
      assert.equal(await publisher.pubsub('NUMPAT'), 1);
    });
}

test("'messageBuffer' and 'pmessageBuffer' deliver binary data byte for byte", async () => {
  const sub = await connect();
  const buffers = record(sub, 'messageBuffer');
  const patternBuffers = record(sub, 'pmessageBuffer');
  const channel = Buffer.from([0x69, 0x6f, 0x62, 0x00, 0xff, 0x0d, 0x0a]);
  const payload = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
    randomBytes(512 * 1024)]);
  assert.equal(await sub.subscribe(channel), 1);
  assert.equal(await sub.psubscribe(Buffer.from([0x69, 0x6f, 0x62, 0x00, 0x2a])), 2);
  assert.equal(await publisher.publish(channel, payload), 2);
  const [[gotChannel, gotPayload]] = await buffers.take(1);
  assert.ok(gotChannel.equals(channel), `channel ${gotChannel.toString('hex')}`);
  assert.ok(gotPayload.equals(payload), 'payload changed in transit');
  const [[pattern, patternChannel, patternPayload]] = await patternBuffers.take(1);
  assert.equal(pattern, 'iob\0*');
  assert.ok(patternChannel.equals(channel) && patternPayload.equals(payload));
});

test('every subscriber receives every message in order; PUBLISH counts deliveries', async () => {
  const inboxes = [];
  for (let i = 0; i < 3; i++) {
    const sub = await connect({ protocol: i === 0 ? 2 : 3 });
    inboxes.push(record(sub, 'message'));
    assert.equal(await sub.subscribe('iof:fan'), 1);
  }
  const both = await connect();
  const bothMessages = record(both, 'message');
  const bothPatterns = record(both, 'pmessage');
  await both.subscribe('iof:fan');
  await both.psubscribe('iof:f*');
  const writes = [];
  for (let i = 0; i < 100; i++) writes.push(publisher.publish('iof:fan', `m${i}`));
  assert.ok((await Promise.all(writes)).every((count) => count === 5));
  const expected = Array.from({ length: 100 }, (_, i) => ['iof:fan', `m${i}`]);
  for (const inbox of [...inboxes, bothMessages]) assert.deepEqual(await inbox.take(100), expected);
  assert.deepEqual(await bothPatterns.take(100),
    expected.map(([channel, message]) => ['iof:f*', channel, message]));
});

test('a RESP3 subscriber runs ordinary commands between pushes', async () => {
  const sub = await connect();
  const messages = record(sub, 'message');
  await sub.subscribe('io3:mixed');
  await sub.del('io3:counter');
  const publishes = [];
  const increments = [];
  for (let i = 0; i < 200; i++) {
    publishes.push(publisher.publish('io3:mixed', `p${i}`));
    increments.push(sub.incr('io3:counter'));
  }
  assert.ok((await Promise.all(publishes)).every((count) => count === 1));
  assert.deepEqual(await Promise.all(increments), Array.from({ length: 200 }, (_, i) => i + 1));
  assert.equal(await sub.ping(), 'PONG');
  assert.deepEqual(await messages.take(200),
    Array.from({ length: 200 }, (_, i) => ['io3:mixed', `p${i}`]));
  await sub.del('io3:counter');
});

test('a RESP2 subscriber: PING answers [pong, message]; ioredis refuses other commands',
  async () => {
    const sub = await connect({ protocol: 2 });
    await sub.subscribe('io2:c');
    assert.deepEqual(await sub.ping(), ['pong', '']);
    assert.deepEqual(await sub.ping('hi'), ['pong', 'hi']);
    await assert.rejects(sub.get('io2:k'), /Connection in subscriber mode/);
    const messages = record(sub, 'message');
    assert.equal(await publisher.publish('io2:c', 'after ping'), 1);
    assert.deepEqual(await messages.take(1), [['io2:c', 'after ping']]);
  });

test("ssubscribe emits 'smessage'; SPUBLISH counts only shard subscribers", async () => {
  const sub = await connect();
  const smessages = record(sub, 'smessage');
  const messages = record(sub, 'message');
  assert.equal(await sub.ssubscribe('ios:orders', 'ios:refunds'), 2);
  assert.equal(await publisher.spublish('ios:orders', 'o1'), 1);
  assert.equal(await publisher.publish('ios:orders', 'plain'), 0);
  assert.deepEqual(await smessages.take(1), [['ios:orders', 'o1']]);
  assert.deepEqual(new Set(await publisher.pubsub('SHARDCHANNELS', 'ios:*')),
    new Set(['ios:orders', 'ios:refunds']));
  assert.deepEqual(await publisher.pubsub('SHARDNUMSUB', 'ios:orders', 'ios:none'),
    ['ios:orders', 1, 'ios:none', 0]);
  assert.equal(await sub.sunsubscribe('ios:orders'), 1);
  assert.equal(await publisher.spublish('ios:orders', 'o2'), 0);
  assert.equal(await publisher.spublish('ios:refunds', 'r1'), 1);
  assert.deepEqual(await smessages.take(1), [['ios:refunds', 'r1']]);
  assert.deepEqual(messages.received, []);
});

test('autoResubscribe restores every subscription after the server kills the connection',
  async () => {
    const sub = await connect({ retryStrategy: () => 50 });
    const messages = record(sub, 'message');
    const pmessages = record(sub, 'pmessage');
    await sub.subscribe('ior:durable');
    await sub.psubscribe('ior:dur*');
    const id = await sub.client('ID');
    assert.equal(await publisher.client('KILL', 'ID', id), 1);
    await until(async () => sub.status === 'ready' &&
      (await numSub('ior:durable'))['ior:durable'] === 1 &&
      (await publisher.pubsub('NUMPAT')) === 1, () => 'the subscriber to come back');
    assert.equal(await publisher.publish('ior:durable', 'after'), 2);
    assert.deepEqual(await messages.take(1), [['ior:durable', 'after']]);
    assert.deepEqual(await pmessages.take(1), [['ior:dur*', 'ior:durable', 'after']]);
    assert.notEqual(await sub.client('ID'), id);
  });

test("monitor() emits every command with its arguments, source and database", async () => {
  const monitor = await publisher.monitor();
  opened.push(monitor);
  const events = record(monitor, 'monitor');
  await publisher.set('greeting', 'hello world');
  await publisher.eval("return redis.call('incr', KEYS[1])", 1, 'counter');
  const [[time, setArgs, source, db], [, evalArgs], [, incrArgs, scriptSource]] =
    await events.take(3);
  assert.match(time, /^\d{10}\.\d{6}$/);
  assert.deepEqual(setArgs, ['set', 'greeting', 'hello world']);
  assert.match(source, /^127\.0\.0\.1:\d+$/);
  assert.equal(db, '0');
  assert.deepEqual(evalArgs, ['eval', "return redis.call('incr', KEYS[1])", '1', 'counter']);
  assert.deepEqual(incrArgs, ['incr', 'counter']);
  assert.equal(scriptSource, 'lua');
  await publisher.del('greeting', 'counter');
  await events.take(1);
});
