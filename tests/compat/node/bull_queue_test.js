// Bull (the classic Bull queue, on its own ioredis) against a running server on
// $EMBER_TEST_PORT (node:test; non-zero exit on failure). Nearly every Bull operation is a Lua
// script (addJob, moveToActive, moveToFinished, moveToDelayed, updateDelaySet, retryJob,
// cleanJobsInSet, pause, ...) over lists, sorted sets and hashes, sent with EVALSHA (some
// inside MULTI, as addBulk and retries do) and falling back to EVAL; workers block in
// BRPOPLPUSH, and the scripts PUBLISH the events that wake delayed-job timers and resolve
// job.finished() on other Queue instances; the stalled-jobs check decodes job options with
// cjson and addJob / moveToFinished unpack theirs with cmsgpack. Each test uses its own queue
// with a producer Queue and a separate worker Queue, as separate processes would. Run by
// tests/compat/client_suites_test.cc against a fresh ember-server; every assertion also holds
// against redis-server 7.0.15. Every wait has a deadline.
'use strict';

const { test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const Redis = require('ioredis');
const Queue = require('bull');

const port = Number(process.env.EMBER_TEST_PORT);
assert.ok(port > 0, 'EMBER_TEST_PORT must name the server port');

const kWaitMs = 10000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function withTimeout(promise, what, ms = kWaitMs) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Polls `predicate` until it holds; fails after kWaitMs. `what` is a string or a function.
async function until(predicate, what) {
  const deadline = Date.now() + kWaitMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) {
      assert.fail(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    }
    await sleep(10);
  }
}

let client;

before(async () => {
  client = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1,
    retryStrategy: () => null });
  client.on('error', () => {});
  assert.equal(await client.flushall(), 'OK');
});

after(() => client.disconnect());

// Queues a test opened, and the 'error' events they emitted: Bull reports failed scripts and
// connection trouble there, so afterEach fails the test on any.
const openQueues = [];
const queueErrors = [];
let queueCounter = 0;

afterEach(async () => {
  const queues = openQueues.splice(0);
  const results = await Promise.allSettled(
    queues.map((queue) => withTimeout(queue.close(), `closing queue ${queue.name}`)));
  const errors = queueErrors.splice(0);
  assert.deepEqual(errors, [], 'Bull emitted errors');
  for (const result of results) {
    if (result.status === 'rejected') throw result.reason;
  }
});

function queueName() {
  return `q${process.pid}-${++queueCounter}`;
}

async function openQueue(name, options = {}) {
  const queue = new Queue(name, {
    redis: { host: '127.0.0.1', port },
    ...options,
  });
  queue.on('error', (err) => queueErrors.push(`${name}: ${err && err.stack}`));
  // Each job.finished() called before the queue's event subscriptions are in place waits on
  // the subscriber connection's ready/error/end events; tests await dozens at once.
  queue.eclient.setMaxListeners(100);
  queue.setMaxListeners(100);
  openQueues.push(queue);
  await withTimeout(queue.isReady(), `queue ${name} to connect`);
  return queue;
}

// A producer and a worker Queue on the same queue name.
async function openPair(options = {}) {
  const name = queueName();
  return { name, producer: await openQueue(name, options), worker: await openQueue(name, options) };
}

const kNoJobs = { waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0, paused: 0 };

test('every job completes exactly once with its return value, with concurrency 4', async () => {
  const { name, producer, worker } = await openPair();
  const kJobs = 40;

  // Added before any worker runs, so they all wait; 30 one by one, 10 with addBulk.
  const jobs = [];
  for (let n = 0; n < 30; n++) jobs.push(await producer.add({ n, tag: `job-${n}` }));
  jobs.push(...await producer.addBulk(Array.from({ length: 10 }, (_, i) => ({
    data: { n: 30 + i, tag: `job-${30 + i}` },
  }))));
  assert.equal(new Set(jobs.map((job) => job.id)).size, kJobs, 'job ids are distinct');
  assert.deepEqual(await producer.getJobCounts(), { ...kNoJobs, waiting: kJobs });
  assert.equal(await producer.count(), kJobs);
  assert.equal(await jobs[0].getState(), 'waiting');
  const fetched = await producer.getJob(jobs[7].id);
  assert.deepEqual(fetched.data, { n: 7, tag: 'job-7' });

  const runs = new Map();
  const completedEvents = [];
  let active = 0;
  let maxActive = 0;
  worker.on('completed', (job, result) => completedEvents.push([job.id, result]));
  worker.process(4, async (job) => {
    runs.set(job.id, (runs.get(job.id) || 0) + 1);
    active++;
    maxActive = Math.max(maxActive, active);
    await sleep(5 + (job.data.n % 3) * 5);
    active--;
    return { n: job.data.n, square: job.data.n * job.data.n, tag: job.data.tag };
  });

  // finished() resolves through the producer's global:completed subscription.
  const results = await withTimeout(Promise.all(jobs.map((job) => job.finished())),
    'all jobs to finish');
  results.forEach((result, n) => {
    assert.deepEqual(result, { n, square: n * n, tag: `job-${n}` }, `return value of job ${n}`);
  });
  await until(() => completedEvents.length === kJobs,
    () => `${kJobs} 'completed' events (got ${completedEvents.length})`);
  assert.equal(new Set(completedEvents.map(([id]) => id)).size, kJobs);
  assert.equal(runs.size, kJobs, 'every job ran');
  for (const [id, count] of runs) assert.equal(count, 1, `job ${id} ran ${count} times`);
  assert.ok(maxActive > 1 && maxActive <= 4, `at most 4 jobs ran at once, and more than 1 did`
    + ` (max ${maxActive})`);

  assert.deepEqual(await producer.getJobCounts(), { ...kNoJobs, completed: kJobs });
  const done = await producer.getJob(jobs[12].id);
  assert.deepEqual(done.returnvalue, { n: 12, square: 144, tag: 'job-12' });
  assert.equal(await done.getState(), 'completed');
  assert.ok(done.finishedOn >= done.processedOn && done.processedOn >= done.timestamp,
    `timestamps: added ${done.timestamp}, processed ${done.processedOn}, finished `
    + `${done.finishedOn}`);
  const completed = await producer.getCompleted(0, -1);
  assert.equal(completed.length, kJobs);
  // Finished jobs are a sorted set scored by finish time; the job hash holds the fields.
  assert.equal(await client.zcard(`bull:${name}:completed`), kJobs);
  assert.equal(await client.hget(`bull:${name}:${jobs[3].id}`, 'returnvalue'),
    JSON.stringify({ n: 3, square: 9, tag: 'job-3' }));
  assert.equal(await client.llen(`bull:${name}:active`), 0);
  assert.equal(await client.llen(`bull:${name}:wait`), 0);
});

test('higher-priority jobs run first', async () => {
  const { producer, worker } = await openPair();
  const priorities = [5, 1, 4, 2, 3, 1];
  const jobs = [];
  for (const [i, priority] of priorities.entries()) {
    jobs.push(await producer.add({ i, priority }, { priority }));
  }
  assert.deepEqual(await producer.getJobCounts(), { ...kNoJobs, waiting: priorities.length });
  const counts = await producer.getCountsPerPriority([1, 2, 3, 4, 5]);
  assert.deepEqual(counts, { 1: 1 + 1, 2: 1, 3: 1, 4: 1, 5: 1 });

  const order = [];
  worker.process(1, async (job) => {
    order.push(job.data.priority);
    return job.data.i;
  });
  await withTimeout(Promise.all(jobs.map((job) => job.finished())), 'the prioritized jobs');
  assert.deepEqual(order, [1, 1, 2, 3, 4, 5], 'jobs ran in priority order');
});

test('delayed jobs wait in the delayed set and run after their delay', async () => {
  const { producer, worker } = await openPair();
  const ranAt = new Map();
  worker.process(2, async (job) => {
    ranAt.set(job.data.name, Date.now());
    return job.data.name;
  });
  // Let the worker start its blocking wait before the jobs arrive, so that the delayed jobs
  // reach it through the 'delayed' message the add script publishes.
  await sleep(100);

  const added = Date.now();
  const delays = { d600: 600, d300: 300, d450: 450 };
  const delayed = [];
  for (const [name, delay] of Object.entries(delays)) {
    delayed.push(await producer.add({ name }, { delay }));
  }
  const now = await producer.add({ name: 'now' });
  assert.equal(await delayed[0].getState(), 'delayed');
  const counts = await producer.getJobCounts();
  assert.equal(counts.delayed, 3, `counts: ${JSON.stringify(counts)}`);
  assert.deepEqual((await producer.getDelayed()).map((job) => job.data.name).sort(),
    ['d300', 'd450', 'd600']);

  assert.equal(await withTimeout(now.finished(), 'the undelayed job'), 'now');
  assert.ok(ranAt.get('now') - added < 300, `the undelayed job ran after `
    + `${ranAt.get('now') - added} ms`);
  const results = await withTimeout(Promise.all(delayed.map((job) => job.finished())),
    'the delayed jobs');
  assert.deepEqual(results, ['d600', 'd300', 'd450']);
  for (const [name, delay] of Object.entries(delays)) {
    const waited = ranAt.get(name) - added;
    assert.ok(waited >= delay - 10, `${name} ran ${waited} ms after being added`);
    assert.ok(waited < delay + 1500, `${name} ran ${waited} ms after being added, `
      + `long after its ${delay} ms delay`);
  }
  assert.deepEqual([...ranAt.keys()], ['now', 'd300', 'd450', 'd600'], 'run order');
  assert.deepEqual(await producer.getJobCounts(), { ...kNoJobs, completed: 4 });
});

test('a failing job is retried with backoff, then marked failed', async () => {
  const { producer, worker } = await openPair();
  const attemptsAt = { flaky: [], doomed: [] };
  const failedEvents = [];
  worker.on('failed', (job, err) => failedEvents.push([job.data.name, err.message]));
  worker.process(2, async (job) => {
    attemptsAt[job.data.name].push(Date.now());
    if (job.data.name === 'doomed') throw new Error(`doomed attempt ${job.attemptsMade + 1}`);
    if (job.attemptsMade < 2) throw new Error(`flaky attempt ${job.attemptsMade + 1}`);
    return `flaky succeeded on attempt ${job.attemptsMade + 1}`;
  });

  const flaky = await producer.add({ name: 'flaky' },
    { attempts: 3, backoff: { type: 'fixed', delay: 200 } });
  const doomed = await producer.add({ name: 'doomed' },
    { attempts: 3, backoff: { type: 'exponential', delay: 100 } });

  assert.equal(await withTimeout(flaky.finished(), 'the flaky job'),
    'flaky succeeded on attempt 3');
  await assert.rejects(withTimeout(doomed.finished(), 'the doomed job'),
    { message: 'doomed attempt 3' });

  assert.equal(attemptsAt.flaky.length, 3, 'the flaky job ran 3 times');
  assert.equal(attemptsAt.doomed.length, 3, 'the doomed job ran its 3 attempts');
  // Fixed backoff: 200 ms before each retry; exponential from 100 ms: 100 ms, then 200 ms.
  const gaps = (times) => times.slice(1).map((t, i) => t - times[i]);
  for (const gap of gaps(attemptsAt.flaky)) {
    assert.ok(gap >= 190 && gap < 2000, `fixed backoff gap ${gap} ms`);
  }
  const [first, second] = gaps(attemptsAt.doomed);
  assert.ok(first >= 90 && first < 2000, `first exponential backoff gap ${first} ms`);
  assert.ok(second >= 190 && second < 2000, `second exponential backoff gap ${second} ms`);

  const flakyJob = await producer.getJob(flaky.id);
  assert.equal(await flakyJob.getState(), 'completed');
  assert.equal(flakyJob.attemptsMade, 2, 'two failed attempts before the success');
  assert.equal(flakyJob.stacktrace.length, 2);
  const doomedJob = await producer.getJob(doomed.id);
  assert.equal(await doomedJob.getState(), 'failed');
  assert.equal(doomedJob.failedReason, 'doomed attempt 3');
  assert.equal(doomedJob.attemptsMade, 3);
  assert.equal(doomedJob.stacktrace.length, 3);
  assert.match(doomedJob.stacktrace[0], /Error: doomed attempt 1/);

  await until(() => failedEvents.length === 5, () => `5 'failed' events, got `
    + JSON.stringify(failedEvents));
  assert.deepEqual(failedEvents.filter(([name]) => name === 'doomed').map(([, m]) => m),
    ['doomed attempt 1', 'doomed attempt 2', 'doomed attempt 3']);
  assert.deepEqual(await producer.getJobCounts(), { ...kNoJobs, completed: 1, failed: 1 });
  assert.deepEqual((await producer.getFailed()).map((job) => job.id), [doomed.id]);

  // A failed job can be retried by hand; this time it fails for good again.
  await doomedJob.retry();
  await assert.rejects(withTimeout(doomedJob.finished(), 'the retried job'),
    { message: 'doomed attempt 4' });
  assert.equal(attemptsAt.doomed.length, 4);
});

test('removeOnComplete and removeOnFail delete finished jobs', async () => {
  const { name, producer, worker } = await openPair();
  // job.finished() cannot wait for these jobs: it never settles for a job removed before it
  // looks. The worker's own events tell when each is done.
  const finished = [];
  worker.on('completed', (job, result) => finished.push(['completed', job.id, result]));
  worker.on('failed', (job, err) => finished.push(['failed', job.id, err.message]));
  worker.process(1, async (job) => {
    if (job.data.fail) throw new Error('failed on purpose');
    return job.data.n;
  });

  const removed = await producer.add({ n: 1 }, { removeOnComplete: true });
  await until(() => finished.length === 1, 'the removeOnComplete job');
  assert.deepEqual(finished[0], ['completed', removed.id, 1]);
  assert.equal(await producer.getJob(removed.id), null, 'the completed job was removed');
  assert.equal(await client.exists(`bull:${name}:${removed.id}`), 0);

  const failed = await producer.add({ fail: true }, { removeOnFail: true });
  await until(() => finished.length === 2, 'the removeOnFail job');
  assert.deepEqual(finished[1], ['failed', failed.id, 'failed on purpose']);
  assert.equal(await producer.getJob(failed.id), null, 'the failed job was removed');
  assert.equal(await client.exists(`bull:${name}:${failed.id}`), 0);
  assert.deepEqual(await producer.getJobCounts(), kNoJobs);

  // removeOnComplete: 2 keeps only the 2 most recently completed jobs.
  const kept = [];
  for (let n = 0; n < 5; n++) kept.push(await producer.add({ n }, { removeOnComplete: 2 }));
  await until(() => finished.length === 7, () => `5 more completions, got ${finished.length - 2}`);
  assert.deepEqual(finished.slice(2).map(([kind, , n]) => [kind, n]),
    [0, 1, 2, 3, 4].map((n) => ['completed', n]));
  assert.deepEqual(await producer.getJobCounts(), { ...kNoJobs, completed: 2 });
  const left = (await producer.getCompleted()).map((job) => job.data.n).sort();
  assert.deepEqual(left, [3, 4]);
  for (const job of kept.slice(0, 3)) assert.equal(await producer.getJob(job.id), null);
});

test('clean removes finished jobs older than the grace period, up to a limit', async () => {
  const { name, producer, worker } = await openPair();
  worker.process(3, async (job) => {
    if (job.data.n % 2 === 1) throw new Error(`odd ${job.data.n}`);
    return job.data.n;
  });
  const jobs = [];
  for (let n = 0; n < 8; n++) jobs.push(await producer.add({ n }));
  await withTimeout(Promise.allSettled(jobs.map((job) => job.finished())), 'the jobs');
  assert.deepEqual(await producer.getJobCounts(), { ...kNoJobs, completed: 4, failed: 4 });

  const evens = jobs.filter((_, n) => n % 2 === 0).map((job) => String(job.id)).sort();
  const odds = jobs.filter((_, n) => n % 2 === 1).map((job) => String(job.id));

  // A long grace period keeps the just-finished jobs.
  assert.deepEqual(await producer.clean(60000, 'completed'), []);
  assert.deepEqual(await producer.getJobCounts(), { ...kNoJobs, completed: 4, failed: 4 });

  await sleep(20);
  const cleaned = [];
  producer.on('cleaned', (ids, type) => cleaned.push([type, ids.length]));
  assert.deepEqual((await producer.clean(10, 'completed')).map(String).sort(), evens);
  assert.deepEqual(await producer.getJobCounts(), { ...kNoJobs, failed: 4 });
  for (const id of evens) {
    assert.equal(await client.exists(`bull:${name}:${id}`), 0, `job ${id}'s hash was deleted`);
  }

  const firstTwo = await producer.clean(10, 'failed', 2);
  assert.equal(firstTwo.length, 2, `clean with limit 2 removed ${firstTwo}`);
  for (const id of firstTwo) assert.ok(odds.includes(String(id)), `cleaned ${id} was odd`);
  assert.deepEqual(await producer.getJobCounts(), { ...kNoJobs, failed: 2 });
  assert.equal((await producer.clean(10, 'failed')).length, 2);
  assert.deepEqual(await producer.getJobCounts(), kNoJobs);
  assert.deepEqual(cleaned, [['completed', 4], ['failed', 2], ['failed', 2]]);
});

test('a paused queue holds jobs until resumed', async () => {
  const { producer, worker } = await openPair();
  const ran = [];
  worker.process(2, async (job) => {
    ran.push(job.data.n);
    return job.data.n;
  });
  await producer.pause();
  assert.equal(await producer.isPaused(), true);
  const jobs = [];
  for (let n = 0; n < 3; n++) jobs.push(await producer.add({ n }));
  await sleep(300);
  assert.deepEqual(ran, [], 'no job ran while the queue was paused');
  assert.deepEqual(await producer.getJobCounts(), { ...kNoJobs, paused: 3 });
  assert.equal(await jobs[0].getState(), 'paused');

  await producer.resume();
  assert.equal(await producer.isPaused(), false);
  assert.deepEqual(await withTimeout(Promise.all(jobs.map((job) => job.finished())),
    'the jobs after resume'), [0, 1, 2]);
  assert.deepEqual(ran.sort(), [0, 1, 2]);
  assert.deepEqual(await producer.getJobCounts(), { ...kNoJobs, completed: 3 });
});

test('jobs a crashed worker left active are recovered, or failed once stalled too often',
  async () => {
    const name = queueName();
    const producer = await openQueue(name);
    const a = await producer.add({ name: 'a' });
    const b = await producer.add({ name: 'b' });
    // A worker that died right after taking both jobs leaves them in the active list with no
    // lock. Job b had already stalled once before.
    assert.equal(await client.rpoplpush(`bull:${name}:wait`, `bull:${name}:active`), a.id);
    assert.equal(await client.rpoplpush(`bull:${name}:wait`, `bull:${name}:active`), b.id);
    assert.equal(await client.hset(`bull:${name}:${b.id}`, 'stalledCounter', 1), 1);
    assert.deepEqual(await producer.getJobCounts(), { ...kNoJobs, active: 2 });

    // The stalled-jobs check marks the active jobs on its first run and moves those still
    // unlocked on the next: back to wait, or to failed past maxStalledCount.
    const worker = await openQueue(name,
      { settings: { stalledInterval: 200, maxStalledCount: 1 } });
    const stalled = [];
    const failed = [];
    const ran = [];
    worker.on('stalled', (job) => stalled.push(job.id));
    worker.on('failed', (job, err) => failed.push([job.id, err.message]));
    worker.process(1, async (job) => {
      ran.push(job.data.name);
      return `recovered ${job.data.name}`;
    });

    assert.equal(await withTimeout(a.finished(), 'the stalled job to run again'), 'recovered a');
    await assert.rejects(withTimeout(b.finished(), 'the twice-stalled job to fail'),
      { message: 'job stalled more than allowable limit' });
    await until(() => stalled.length === 1 && failed.length === 1,
      () => `one 'stalled' and one 'failed' event, got ${JSON.stringify({ stalled, failed })}`);
    assert.deepEqual(stalled, [a.id]);
    assert.deepEqual(failed, [[b.id, 'job stalled more than allowable limit']]);
    assert.deepEqual(ran, ['a'], 'only the recovered job ran');
    assert.equal(await client.hget(`bull:${name}:${a.id}`, 'stalledCounter'), '1');
    assert.equal(await client.hget(`bull:${name}:${b.id}`, 'stalledCounter'), '2');
    assert.deepEqual(await producer.getJobCounts(), { ...kNoJobs, completed: 1, failed: 1 });
  });

test('close() waits for active jobs, then disconnects', async () => {
  const { producer, worker } = await openPair();
  const started = [];
  const finished = [];
  worker.process(2, async (job) => {
    started.push(job.data.n);
    await sleep(300);
    finished.push(job.data.n);
    return job.data.n;
  });
  const jobs = [await producer.add({ n: 1 }), await producer.add({ n: 2 })];
  await until(() => started.length === 2, 'both jobs to start');
  assert.equal((await producer.getJobCounts()).active, 2);

  const closeStarted = Date.now();
  await withTimeout(worker.close(), 'worker.close()');
  openQueues.splice(openQueues.indexOf(worker), 1);
  assert.deepEqual(finished.sort(), [1, 2], 'close() resolved only after the active jobs ended');
  assert.ok(Date.now() - closeStarted < 5000, 'close() did not wait out a blocking timeout');
  assert.equal(worker.client.status, 'end', 'the worker client is disconnected');

  assert.deepEqual(await withTimeout(Promise.all(jobs.map((job) => job.finished())),
    'the jobs'), [1, 2]);
  assert.deepEqual(await producer.getJobCounts(), { ...kNoJobs, completed: 2 });
  // Jobs added after the worker closed stay waiting.
  await producer.add({ n: 3 });
  await sleep(200);
  assert.deepEqual(await producer.getJobCounts(), { ...kNoJobs, completed: 2, waiting: 1 });
});
