"""ember.Store from several Python threads: one lock around the engine, the GIL released
while a thread waits for it or runs a long command."""

import threading
import time

import ember


def run_threads(count, target, timeout=60):
    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), "a thread did not finish"


def test_concurrent_increments_are_exact():
    store = ember.Store()
    try:
        run_threads(8, lambda i: [store.incr("counter") for _ in range(2000)])
        assert store.get("counter") == b"16000"
    finally:
        store.close()


def test_concurrent_writers_and_readers_see_whole_values():
    store = ember.Store()
    torn = []
    try:
        def work(i):
            for n in range(1000):
                if i % 2 == 0:
                    store.set("shared", bytes([n % 256]) * 4096)
                else:
                    value = store.get("shared")
                    if value is not None and value != value[:1] * 4096:
                        torn.append(value[:8])
        run_threads(6, work)
        assert torn == []
    finally:
        store.close()


def test_threads_use_their_own_databases_through_separate_stores_safely():
    stores = [ember.Store() for _ in range(4)]
    try:
        run_threads(4, lambda i: [stores[i].set(f"k{n}", i) for n in range(500)])
        for i, store in enumerate(stores):
            assert store.dbsize() == 500
            assert store.get("k499") == str(i).encode()
    finally:
        for store in stores:
            store.close()


def test_long_command_releases_the_gil():
    """While one thread runs a slow command in the engine (a Lua busy loop), another Python
    thread keeps running Python code: the GIL is not held meanwhile."""
    store = ember.Store()
    try:
        ticks = []
        done = threading.Event()

        def ticker(_):
            while not done.is_set():
                ticks.append(time.monotonic())
                time.sleep(0.01)

        thread = threading.Thread(target=ticker, args=(0,))
        thread.start()
        started = time.monotonic()
        store.execute("EVAL", "local i = 0 while i < 30000000 do i = i + 1 end return i", 0)
        finished = time.monotonic()
        done.set()
        thread.join(10)
        during = [t for t in ticks if started < t < finished]
        # The script takes a sizeable fraction of a second; the ticker ran through it.
        assert finished - started > 0.05
        assert len(during) >= 2
    finally:
        store.close()


def test_waiting_for_the_lock_lets_other_threads_run():
    """A thread blocked on the engine's lock (held by a long command in another thread)
    does not hold the GIL: a third, pure-Python thread keeps ticking."""
    store = ember.Store()
    try:
        ticks = []
        done = threading.Event()
        slow_started = threading.Event()

        def slow(_):
            slow_started.set()
            store.execute("EVAL", "local i = 0 while i < 30000000 do i = i + 1 end return i", 0)

        def waiter(_):
            slow_started.wait(10)
            store.get("k")  # waits for the lock

        def ticker(_):
            while not done.is_set():
                ticks.append(time.monotonic())
                time.sleep(0.01)

        threads = [threading.Thread(target=f, args=(0,)) for f in (slow, waiter, ticker)]
        for thread in threads:
            thread.start()
        threads[0].join(60)
        threads[1].join(60)
        done.set()
        threads[2].join(10)
        assert not any(thread.is_alive() for thread in threads)
        assert len(ticks) >= 3
    finally:
        store.close()


def test_active_expiry_thread_and_callers_interleave():
    store = ember.Store(config={"hz": 50})
    try:
        def work(i):
            for n in range(400):
                store.set(f"t{i}:{n}", "v", px=5)
                store.get(f"t{i}:{n // 2}")
        run_threads(4, work)
        deadline = time.monotonic() + 10
        while store.dbsize() > 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert store.dbsize() == 0
    finally:
        store.close()


def test_bgsave_while_threads_write(tmp_path):
    store = ember.Store(tmp_path, config={"enable-debug-command": "yes"})
    try:
        for i in range(20000):
            store.set(f"k{i}", i)
        before = store.execute("DEBUG", "DIGEST")
        assert store.execute("BGSAVE") == b"Background saving started"
        run_threads(4, lambda i: [store.set(f"new{i}:{n}", n) for n in range(2000)])
        deadline = time.monotonic() + 30
        while b"rdb_bgsave_in_progress:1" in store.execute("INFO", "persistence"):
            assert time.monotonic() < deadline, "BGSAVE did not finish"
            time.sleep(0.05)
        assert b"rdb_last_bgsave_status:ok" in store.execute("INFO", "persistence")
        store.close(save=False)
        snapshot = ember.Store(tmp_path, config={"enable-debug-command": "yes"})
        try:
            assert snapshot.execute("DEBUG", "DIGEST") == before
            assert snapshot.dbsize() == 20000
        finally:
            snapshot.close(save=False)
    finally:
        if not store.closed:
            store.close(save=False)
