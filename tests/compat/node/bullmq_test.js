// BullMQ (npm, 6.x, on the project's ioredis) against a running server on $EMBER_TEST_PORT
// (node:test; non-zero exit on failure). BullMQ keeps jobs in hashes, waiting and active
// jobs in lists, delayed and finished ones in sorted sets, moves them with Lua scripts
// (EVALSHA, cmsgpack-packed options) and publishes every job event to a stream that
// QueueEvents reads with XREAD BLOCK; a worker blocks on a marker (BZPOPMIN) between jobs.
// Plain, delayed, retried-then-completed and finally failed jobs run end to end, and the
// events arrive through the stream. Run by tests/compat/client_suites_test.cc against a
// fresh ember-server; every assertion also holds against redis-server 7.0.15. Every wait has
// a deadline.
'use strict';

const { test, after } = require('node:test');
const assert = require('node:assert/strict');
const Redis = require('ioredis');
const { Queue, Worker, QueueEvents } = require('bullmq');

const port = Number(process.env.EMBER_TEST_PORT);
assert.ok(port > 0, 'EMBER_TEST_PORT must name the server port');
const connection = { host: '127.0.0.1', port, maxRetriesPerRequest: null };
const kWaitMs = 15000;

const closers = [];
after(async () => {
  for (const close of closers.reverse()) await close();
});

test('plain, delayed, retried and failing jobs run through a worker', async () => {
  const queue = new Queue('orders', { connection });
  closers.push(() => queue.close());
  const events = new QueueEvents('orders', { connection });
  closers.push(() => events.close());
  await events.waitUntilReady();

  const attempts = new Map();
  const worker = new Worker(
    'orders',
    async (job) => {
      const tries = (attempts.get(job.name) || 0) + 1;
      attempts.set(job.name, tries);
      if (job.name === 'flaky' && tries < 3) throw new Error(`attempt ${tries} fails`);
      if (job.name === 'broken') throw new Error('always fails');
      return { doubled: job.data.x * 2 };
    },
    { connection, concurrency: 2 },
  );
  closers.push(() => worker.close());

  const completedSeen = [];
  events.on('completed', ({ jobId }) => completedSeen.push(jobId));

  const started = Date.now();
  const plain = await queue.add('plain', { x: 1 });
  const delayed = await queue.add('delayed', { x: 2 }, { delay: 700 });
  const flaky = await queue.add('flaky', { x: 3 }, { attempts: 5, backoff: { type: 'fixed', delay: 50 } });
  const broken = await queue.add('broken', { x: 4 }, { attempts: 2 });

  for (const job of [plain, delayed, flaky]) {
    const result = await job.waitUntilFinished(events, kWaitMs);
    assert.deepEqual(result, { doubled: job.data.x * 2 }, job.name);
  }
  await assert.rejects(broken.waitUntilFinished(events, kWaitMs), /always fails/);

  const fresh = await queue.getJob(delayed.id);
  assert.ok(fresh.processedOn - started >= 600, 'the delayed job ran after its delay');
  assert.equal((await queue.getJob(flaky.id)).attemptsMade, 3);
  assert.equal(await (await queue.getJob(broken.id)).getState(), 'failed');
  assert.equal(await (await queue.getJob(plain.id)).getState(), 'completed');
  assert.deepEqual(await queue.getJobCounts('completed', 'failed', 'delayed', 'wait', 'active'), {
    completed: 3,
    failed: 1,
    delayed: 0,
    wait: 0,
    active: 0,
  });
  // The events came through BullMQ's stream, read by QueueEvents with XREAD BLOCK.
  const deadline = Date.now() + kWaitMs;
  while (completedSeen.length < 3 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.deepEqual([...completedSeen].sort(), [plain.id, delayed.id, flaky.id].sort());
  const client = new Redis(port, '127.0.0.1');
  closers.push(() => client.quit());
  assert.equal(await client.type('bull:orders:events'), 'stream');
  assert.ok((await client.xlen('bull:orders:events')) >= 10);
});
