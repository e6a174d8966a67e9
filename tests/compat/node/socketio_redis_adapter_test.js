// socket.io's Redis adapter (@socket.io/redis-adapter) against a running server on
// $EMBER_TEST_PORT (node:test; non-zero exit on failure). Each test starts two socket.io
// servers, A and B, in this process on ephemeral loopback ports; each has its own pub and sub
// Redis connections to the server under test. socket.io-client sockets connect to A (and B)
// while B broadcasts, so everything they receive went through PUBLISH / PSUBSCRIBE (or
// SPUBLISH / SSUBSCRIBE for the sharded adapter). Covers io.emit, room and except broadcasts,
// serverCount (PUBSUB NUMSUB / SHARDNUMSUB), and the request/response features: fetchSockets,
// remote emit, socketsJoin, disconnectSockets, serverSideEmit with and without acks, and
// broadcasts with acknowledgements. Clients: node-redis (the README's first example) and
// ioredis. Run by tests/compat/client_suites_test.cc against a fresh ember-server; every
// assertion also holds against redis-server 7.0.15. Every wait has a deadline.
'use strict';

const { test, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { createClient } = require('redis');
const Redis = require('ioredis');
const { Server } = require('socket.io');
const { io: connectSocket } = require('socket.io-client');
const { createAdapter, createShardedAdapter } = require('@socket.io/redis-adapter');

const port = Number(process.env.EMBER_TEST_PORT);
assert.ok(port > 0, 'EMBER_TEST_PORT must name the server port');

const kWaitMs = 5000;
const kRequestsTimeoutMs = 3000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Closers run by afterEach, newest first, so a failed test leaves nothing open. Each gets
// kWaitMs; the first failure is reported after all have run.
const cleanups = [];
afterEach(async () => {
  const failures = [];
  while (cleanups.length > 0) {
    await withTimeout(cleanups.pop()(), 'a cleanup').catch((err) => failures.push(err));
  }
  if (failures.length > 0) throw failures[0];
});

// Polls `predicate` (sync or async) until it holds; fails the test after kWaitMs. `what` is a
// string or a function giving one.
async function until(predicate, what) {
  const deadline = Date.now() + kWaitMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) {
      assert.fail(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    }
    await sleep(5);
  }
}

function withTimeout(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), kWaitMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Resolves with the arguments of the next `event` on `emitter`.
function nextEvent(emitter, event) {
  return withTimeout(new Promise((resolve) => emitter.once(event, (...args) => resolve(args))),
    `'${event}'`);
}

// Records every event a client socket receives, as [event, ...args].
function recordEvents(socket) {
  const received = [];
  socket.onAny((...args) => received.push(args));
  return received;
}

// Redis connections of the two kinds the adapter's README shows. `query` runs a command on
// the pub connection (for waiting on subscriptions).
const redisKinds = {
  async 'node-redis'() {
    const pub = createClient({ socket: { host: '127.0.0.1', port, reconnectStrategy: false } });
    const sub = pub.duplicate();
    for (const client of [pub, sub]) client.on('error', () => {});
    await Promise.all([pub.connect(), sub.connect()]);
    // close() lets the adapter's last UNSUBSCRIBEs finish; destroy() would reject them.
    cleanups.push(() => Promise.all([pub.close(), sub.close()]));
    return { pub, sub, query: (...args) => pub.sendCommand(args) };
  },
  async ioredis() {
    const options = { host: '127.0.0.1', port, retryStrategy: () => null, lazyConnect: true };
    const pub = new Redis(options);
    const sub = pub.duplicate();
    for (const client of [pub, sub]) client.on('error', () => {});
    await Promise.all([pub.connect(), sub.connect()]);
    cleanups.push(() => Promise.all([pub.quit(), sub.quit()]));
    return { pub, sub, query: (...args) => pub.call(...args) };
  },
};

let keyCounter = 0;

// Servers A and B sharing one adapter prefix, unique to the test. Each socket joins the rooms
// listed in its handshake query and keeps its `name` in socket.data.
async function startPair({ redis = 'node-redis', sharded = false } = {}) {
  const key = `sio-${process.pid}-${++keyCounter}`;
  const servers = [];
  for (const name of ['A', 'B']) {
    const { pub, sub, query } = await redisKinds[redis]();
    const adapter = sharded
      ? createShardedAdapter(pub, sub, { channelPrefix: key })
      : createAdapter(pub, sub, { key, requestsTimeout: kRequestsTimeoutMs });
    servers.push(await listen(name, adapter, query));
  }
  await waitForSubscriptions(servers[0].query, key, sharded);
  return { a: servers[0], b: servers[1], key };
}

async function listen(name, adapter, query) {
  const httpServer = http.createServer();
  const io = new Server(httpServer, { adapter });
  io.on('connection', (socket) => {
    socket.data.name = socket.handshake.query.name;
    const rooms = socket.handshake.query.rooms;
    if (rooms) socket.join(rooms.split(','));
  });
  await new Promise((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => io.close(() => resolve())));
  return { name, io, query, port: httpServer.address().port };
}

// The adapters subscribe without waiting for the server's confirmation; wait until both have.
async function waitForSubscriptions(query, key, sharded) {
  if (sharded) {
    await until(async () => (await query('PUBSUB', 'SHARDNUMSUB', `${key}#/#`))[1] === 2,
      'both sharded adapters to subscribe');
    return;
  }
  // Each adapter sends PSUBSCRIBE before SUBSCRIBE on its connection, so two request-channel
  // subscribers mean both pattern subscriptions are in place too.
  await until(async () => (await query('PUBSUB', 'NUMSUB', `${key}-request#/#`))[1] === 2,
    'both adapters to subscribe');
}

async function connectClient(server, query = {}) {
  const socket = connectSocket(`http://127.0.0.1:${server.port}`, {
    transports: ['websocket'], reconnection: false, forceNew: true, query,
  });
  cleanups.push(async () => { socket.disconnect(); });
  const received = recordEvents(socket);
  await withTimeout(new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  }), `a socket.io connection to ${server.name}`);
  return { socket, received };
}

// With the sharded adapter a room has its own channel; each server subscribes to it when its
// first socket joins the room.
async function waitForRoomChannel(pair, room, servers) {
  await until(async () => (await pair.a.query('PUBSUB', 'SHARDNUMSUB',
    `${pair.key}#/#${room}#`))[1] === servers, `the channel of room ${room}`);
}

async function expectEvents(client, expected) {
  await until(() => client.received.length >= expected.length,
    () => `${JSON.stringify(expected)}, have ${JSON.stringify(client.received)}`);
  assert.deepEqual(client.received.splice(0), expected);
}

async function checkEmitAndRooms(pair, { sharded = false } = {}) {
  const member = await connectClient(pair.a, { rooms: 'lobby,news', name: 'member' });
  const outsider = await connectClient(pair.a, { name: 'outsider' });
  const onB = await connectClient(pair.b, { rooms: 'lobby', name: 'onB' });
  if (sharded) {
    await waitForRoomChannel(pair, 'lobby', 2);
    await waitForRoomChannel(pair, 'news', 1);
  }
  pair.b.io.emit('hello', 'from B', { n: 1 });
  pair.b.io.to('lobby').emit('room', 'lobby only');
  pair.b.io.except('news').emit('except', 'not news');
  pair.b.io.emit('sentinel');
  await expectEvents(member, [['hello', 'from B', { n: 1 }], ['room', 'lobby only'],
    ['sentinel']]);
  await expectEvents(outsider, [['hello', 'from B', { n: 1 }], ['except', 'not news'],
    ['sentinel']]);
  await expectEvents(onB, [['hello', 'from B', { n: 1 }], ['room', 'lobby only'],
    ['except', 'not news'], ['sentinel']]);
}

async function checkServerSideEmit(pair) {
  const greeted = nextEvent(pair.a.io, 'greet');
  pair.b.io.serverSideEmit('greet', 'hi from B', 42);
  assert.deepEqual(await greeted, ['hi from B', 42]);
  pair.a.io.on('ask', (question, reply) => reply(`A answers ${question}`));
  // The adapter's requestsTimeout bounds the wait for the other servers' acks.
  const answers = await withTimeout(pair.b.io.of('/').serverSideEmitWithAck('ask', 'q1'),
    'serverSideEmitWithAck');
  assert.deepEqual(answers, ['A answers q1']);
}

test('node-redis: io.emit, room and except broadcasts from B reach clients of A', async () => {
  const pair = await startPair();
  assert.equal(await pair.b.io.of('/').adapter.serverCount(), 2);
  await checkEmitAndRooms(pair);
});

test('node-redis: fetchSockets on B lists A\'s sockets; remote emit reaches them', async () => {
  const pair = await startPair();
  const member = await connectClient(pair.a, { rooms: 'lobby', name: 'member' });
  await connectClient(pair.a, { name: 'outsider' });
  const onB = await connectClient(pair.b, { rooms: 'lobby', name: 'onB' });
  const sockets = await withTimeout(pair.b.io.in('lobby').fetchSockets(), 'fetchSockets');
  const byName = Object.fromEntries(sockets.map((s) => [s.data.name, s]));
  assert.deepEqual(Object.keys(byName).sort(), ['member', 'onB']);
  assert.equal(byName.member.id, member.socket.id);
  assert.deepEqual(new Set(byName.member.rooms), new Set([member.socket.id, 'lobby']));
  assert.equal(byName.onB.id, onB.socket.id);
  byName.member.emit('direct', 'to member');
  await expectEvents(member, [['direct', 'to member']]);
  assert.equal((await withTimeout(pair.b.io.fetchSockets(), 'fetchSockets')).length, 3);
});

test('node-redis: socketsJoin and disconnectSockets from B act on A\'s sockets', async () => {
  const pair = await startPair();
  const target = await connectClient(pair.a, { name: 'target' });
  const other = await connectClient(pair.a, { name: 'other' });
  pair.b.io.in(target.socket.id).socketsJoin('vip');
  await until(() => pair.a.io.sockets.adapter.rooms.get('vip')?.size === 1, 'the remote join');
  pair.b.io.to('vip').emit('vip-news', 'only target');
  pair.b.io.emit('sentinel');
  await expectEvents(target, [['vip-news', 'only target'], ['sentinel']]);
  await expectEvents(other, [['sentinel']]);
  const disconnected = nextEvent(target.socket, 'disconnect');
  pair.b.io.in('vip').disconnectSockets(true);
  assert.equal((await disconnected)[0], 'io server disconnect');
  assert.equal(other.socket.connected, true);
});

test('node-redis: serverSideEmit reaches A; serverSideEmitWithAck gathers its answer',
  async () => {
    const pair = await startPair();
    await checkServerSideEmit(pair);
  });

test('node-redis: a broadcast with acknowledgements collects answers from both servers',
  async () => {
    const pair = await startPair();
    for (const [server, name] of [[pair.a, 'a1'], [pair.a, 'a2'], [pair.b, 'b1']]) {
      const { socket } = await connectClient(server, { name });
      socket.on('question', (text, reply) => reply(`${name}: ${text}`));
    }
    const answers = await withTimeout(
      pair.b.io.timeout(kRequestsTimeoutMs).emitWithAck('question', 'ready?'), 'emitWithAck');
    assert.deepEqual(answers.sort(), ['a1: ready?', 'a2: ready?', 'b1: ready?']);
  });

test('ioredis: broadcasts, fetchSockets and serverSideEmit across servers', async () => {
  const pair = await startPair({ redis: 'ioredis' });
  assert.equal(await pair.b.io.of('/').adapter.serverCount(), 2);
  await checkEmitAndRooms(pair);
  const sockets = await withTimeout(pair.b.io.in('lobby').fetchSockets(), 'fetchSockets');
  assert.deepEqual(sockets.map((s) => s.data.name).sort(), ['member', 'onB']);
  await checkServerSideEmit(pair);
});

test('sharded adapter (SSUBSCRIBE / SPUBLISH): broadcasts and serverSideEmit', async () => {
  const pair = await startPair({ sharded: true });
  assert.equal(await pair.b.io.of('/').adapter.serverCount(), 2);
  await checkEmitAndRooms(pair, { sharded: true });
  const sockets = await withTimeout(pair.b.io.fetchSockets(), 'fetchSockets');
  assert.deepEqual(sockets.map((s) => s.data.name).sort(), ['member', 'onB', 'outsider']);
  await checkServerSideEmit(pair);
});
