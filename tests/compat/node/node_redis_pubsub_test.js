// node-redis (npm package `redis`) pub/sub against a running server on $EMBER_TEST_PORT
// (node:test; non-zero exit on failure). Covers subscriber connections made with duplicate():
// subscribe / pSubscribe / sSubscribe listeners in string and buffer mode, removing one
// listener or a whole channel, PUBLISH and SPUBLISH delivery counts, PUBSUB introspection,
// ordinary commands on a subscribed RESP3 connection (allowed) and RESP2 connection (Redis's
// error), and resubscription after the server drops the connection. Run by
// tests/compat/client_suites_test.cc against a fresh ember-server; every assertion also holds
// against redis-server 7.0.15. Every wait has a deadline.
'use strict';

const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { createClient } = require('redis');

const port = Number(process.env.EMBER_TEST_PORT);
assert.ok(port > 0, 'EMBER_TEST_PORT must name the server port');

const kWaitMs = 5000;
const kSubscribedModeError = "ERR Can't execute 'get': only (P|S)SUBSCRIBE / " +
  '(P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls `predicate` (sync or async) until it holds; fails the test after kWaitMs.
async function until(predicate, what) {
  const deadline = Date.now() + kWaitMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what()}`);
    await sleep(5);
  }
}

// A listener that records each (message, channel) call; take(n) waits for n of them.
function inbox() {
  const received = [];
  return {
    received,
    listener: (message, channel) => received.push([message, channel]),
    async take(count) {
      await until(() => received.length >= count,
        () => `${count} messages, have ${JSON.stringify(received)}`);
      assert.equal(received.length, count, `extra messages: ${JSON.stringify(received)}`);
      return received.splice(0, count);
    },
  };
}

let publisher;
const opened = [];

before(async () => {
  publisher = createClient({ socket: { host: '127.0.0.1', port, reconnectStrategy: false } });
  publisher.on('error', () => {});  // failures surface through the awaited commands
  await publisher.connect();
});

after(() => {
  if (publisher.isOpen) publisher.destroy();
});

// Counts are global, so each test starts once the server has dropped the last one's
// subscriptions.
afterEach(async () => {
  while (opened.length > 0) {
    const client = opened.pop();
    if (client.isOpen) client.destroy();
  }
  await until(async () => (await publisher.pubSubNumPat()) === 0 &&
    (await publisher.pubSubChannels()).length === 0 &&
    (await publisher.pubSubShardChannels()).length === 0,
  () => 'the server to drop the closed subscribers');
});

// A connected subscriber made the way node-redis documents it: publisher.duplicate().
async function subscriber(overrides = {}) {
  const client = publisher.duplicate(overrides);
  client.on('error', () => {});
  opened.push(client);
  await client.connect();
  return client;
}

// duplicate() copies the RESP3-only default maintNotifications, which RESP2 must turn off.
const resp2Subscriber = () => subscriber({ RESP: 2, maintNotifications: 'disabled' });

const numSub = async (...channels) => ({ ...(await publisher.pubSubNumSub(channels)) });

test('subscribe resolves once the server confirms; listeners get (message, channel)', async () => {
  const sub = await subscriber();
  const box = inbox();
  await sub.subscribe(['nr:news', 'nr:sport'], box.listener);
  assert.equal(sub.isPubSubActive, true);
  const info = await sub.clientInfo();
  assert.deepEqual([info.flags, info.sub, info.psub], ['P', 2, 0]);
  assert.deepEqual(await numSub('nr:news', 'nr:sport', 'nr:none'),
    { 'nr:news': 1, 'nr:sport': 1, 'nr:none': 0 });
  assert.equal(await publisher.publish('nr:news', 'hi'), 1);
  assert.equal(await publisher.publish('nr:sport', 'goal'), 1);
  assert.equal(await publisher.publish('nr:none', 'lost'), 0);
  assert.deepEqual(await box.take(2), [['hi', 'nr:news'], ['goal', 'nr:sport']]);
  assert.deepEqual(new Set(await publisher.pubSubChannels('nr:*')),
    new Set(['nr:news', 'nr:sport']));
});

test('pSubscribe listeners get the matching channel name', async () => {
  const sub = await subscriber();
  const box = inbox();
  await sub.pSubscribe(['nrp:news.*', 'nrp:h?llo', 'nrp:b[ae]d'], box.listener);
  assert.equal(await publisher.pubSubNumPat(), 3);
  const expected = { 'nrp:news.tech': 1, 'nrp:news': 0, 'nrp:hello': 1, 'nrp:bad': 1,
    'nrp:bid': 0 };
  for (const [channel, count] of Object.entries(expected)) {
    assert.equal(await publisher.publish(channel, `to ${channel}`), count, channel);
  }
  assert.deepEqual(await box.take(3), [
    ['to nrp:news.tech', 'nrp:news.tech'], ['to nrp:hello', 'nrp:hello'],
    ['to nrp:bad', 'nrp:bad'],
  ]);
  await sub.pUnsubscribe();
  assert.equal(await publisher.pubSubNumPat(), 0);
});

test('buffer mode delivers binary channels and payloads byte for byte', async () => {
  const sub = await subscriber();
  const buffers = inbox();
  const strings = inbox();
  const payload = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
    Buffer.from('\r\n$3\r\n'), require('node:crypto').randomBytes(256 * 1024)]);
  await sub.subscribe('nrb:bin', buffers.listener, true);
  await sub.subscribe('nrb:bin', strings.listener);
  assert.deepEqual(await numSub('nrb:bin'), { 'nrb:bin': 1 });
  assert.equal(await publisher.publish('nrb:bin', payload), 1);
  const [[message, channel]] = await buffers.take(1);
  assert.ok(Buffer.isBuffer(message) && Buffer.isBuffer(channel));
  assert.ok(message.equals(payload), 'payload changed in transit');
  assert.equal(channel.toString(), 'nrb:bin');
  assert.deepEqual(await strings.take(1), [[payload.toString(), 'nrb:bin']]);
});

test('every subscriber receives every message in order; PUBLISH counts deliveries', async () => {
  const boxes = [];
  for (let i = 0; i < 3; i++) {
    const box = inbox();
    await (await subscriber()).subscribe('nrf:fan', box.listener);
    boxes.push(box);
  }
  const patternBox = inbox();
  await (await subscriber()).pSubscribe('nrf:f*', patternBox.listener);
  for (let i = 0; i < 50; i++) {
    assert.equal(await publisher.publish('nrf:fan', `m${i}`), 4);
  }
  const expected = Array.from({ length: 50 }, (_, i) => [`m${i}`, 'nrf:fan']);
  for (const box of [...boxes, patternBox]) assert.deepEqual(await box.take(50), expected);
});

test('unsubscribing one listener keeps the channel; unsubscribing the channel ends it',
  async () => {
    const sub = await resp2Subscriber();
    const first = inbox();
    const second = inbox();
    await sub.subscribe('nru:c', first.listener);
    await sub.subscribe('nru:c', second.listener);
    await sub.unsubscribe('nru:c', first.listener);
    assert.deepEqual(await numSub('nru:c'), { 'nru:c': 1 });
    assert.equal(await publisher.publish('nru:c', 'one'), 1);
    assert.deepEqual(await second.take(1), [['one', 'nru:c']]);
    assert.deepEqual(first.received, []);

    await sub.unsubscribe('nru:c');
    assert.deepEqual(await numSub('nru:c'), { 'nru:c': 0 });
    assert.equal(await publisher.publish('nru:c', 'two'), 0);
    assert.equal(sub.isPubSubActive, false);
    // Out of subscribed mode, the RESP2 connection takes ordinary commands again. node-redis
    // 6.3.1 leaves its RESP2 decoder in pub/sub mode (replies as Buffers), hence String().
    assert.equal(String(await sub.set('nru:k', 'v')), 'OK');
    assert.equal(String(await sub.get('nru:k')), 'v');
    await sub.del('nru:k');
  });

test('a RESP3 subscriber runs ordinary commands while pushes arrive', async () => {
  const sub = await subscriber();
  const box = inbox();
  await sub.subscribe('nr3:mixed', box.listener);
  await sub.del('nr3:counter');
  const publishes = [];
  const increments = [];
  for (let i = 0; i < 200; i++) {
    publishes.push(publisher.publish('nr3:mixed', `p${i}`));
    increments.push(sub.incr('nr3:counter'));
  }
  assert.ok((await Promise.all(publishes)).every((count) => count === 1));
  assert.deepEqual(await Promise.all(increments), Array.from({ length: 200 }, (_, i) => i + 1));
  assert.equal(await sub.ping(), 'PONG');
  assert.deepEqual(await box.take(200), Array.from({ length: 200 }, (_, i) => [`p${i}`,
    'nr3:mixed']));
  await sub.del('nr3:counter');
});

test('a RESP2 subscriber gets Redis\'s error for ordinary commands; PING answers pong',
  async () => {
    const sub = await resp2Subscriber();
    const box = inbox();
    await sub.subscribe('nr2:c', box.listener);
    await assert.rejects(sub.get('nr2:k'), (err) => {
      assert.equal(err.message, kSubscribedModeError);
      return true;
    });
    assert.equal(await sub.ping(), 'pong');
    assert.equal(await publisher.publish('nr2:c', 'still here'), 1);
    assert.deepEqual(await box.take(1), [['still here', 'nr2:c']]);
  });

test('sSubscribe / sPublish and PUBSUB SHARDCHANNELS / SHARDNUMSUB', async () => {
  const sub = await subscriber();
  assert.equal(typeof sub.sSubscribe, 'function', 'this node-redis has no sharded pub/sub');
  const box = inbox();
  await sub.sSubscribe(['nrs:orders', 'nrs:refunds'], box.listener);
  assert.equal(await publisher.sPublish('nrs:orders', 'o1'), 1);
  assert.equal(await publisher.publish('nrs:orders', 'not sharded'), 0);
  assert.deepEqual(await box.take(1), [['o1', 'nrs:orders']]);
  assert.deepEqual(new Set(await publisher.pubSubShardChannels('nrs:*')),
    new Set(['nrs:orders', 'nrs:refunds']));
  assert.deepEqual({ ...(await publisher.pubSubShardNumSub(['nrs:orders', 'nrs:none'])) },
    { 'nrs:orders': 1, 'nrs:none': 0 });
  assert.deepEqual(await numSub('nrs:orders'), { 'nrs:orders': 0 });
  await sub.sUnsubscribe('nrs:orders');
  assert.equal(await publisher.sPublish('nrs:orders', 'o2'), 0);
  assert.equal(await publisher.sPublish('nrs:refunds', 'r1'), 1);
  assert.deepEqual(await box.take(1), [['r1', 'nrs:refunds']]);
});

test('a subscriber resubscribes after the server closes its connection', async () => {
  const sub = await subscriber({
    socket: { host: '127.0.0.1', port, reconnectStrategy: () => 50 },
  });
  const box = inbox();
  await sub.subscribe('nrr:durable', box.listener);
  await sub.pSubscribe('nrr:dur*', box.listener);
  const id = await sub.clientId();
  assert.equal(await publisher.clientKill({ filter: 'ID', id }), 1);
  await until(async () => sub.isReady && (await numSub('nrr:durable'))['nrr:durable'] === 1 &&
    (await publisher.pubSubNumPat()) === 1, () => 'the subscriber to come back');
  assert.notEqual(await sub.clientId(), id);
  assert.equal(await publisher.publish('nrr:durable', 'after'), 2);
  assert.deepEqual(await box.take(2), [['after', 'nrr:durable'], ['after', 'nrr:durable']]);
});

test('closing a subscriber drops its subscriptions on the server', async () => {
  const sub = await subscriber();
  await sub.subscribe('nrc:gone', () => {});
  await sub.pSubscribe('nrc:go*', () => {});
  assert.deepEqual(await numSub('nrc:gone'), { 'nrc:gone': 1 });
  await sub.close();
  await until(async () => (await numSub('nrc:gone'))['nrc:gone'] === 0 &&
    (await publisher.pubSubNumPat()) === 0, () => 'the server to drop the subscriptions');
  assert.equal(await publisher.publish('nrc:gone', 'x'), 0);
});
