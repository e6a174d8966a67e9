// ActiveExpirer: reclaims expired keys that nobody reads again.
//
// Why: lazy expiry alone lets a key that is never touched again occupy memory forever.
// Each cycle (driven by the server's cron at `hz` times a second) walks the databases
// round-robin, samples `keys_per_loop` keys that carry a TTL (Database::SampleVolatile,
// which walks the key table), deletes the expired ones,
// and samples the same database again while more than `acceptable_stale_percent` of a
// sample was expired — the signal that many more are waiting. A cycle stops when its time
// budget (25% of a cron tick, Redis's ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC) is spent, and the
// next cycle resumes at the database where this one stopped.
//
// Time is a parameter: expiry decisions use `now_ms`; the budget is measured with the
// injected `monotonic_us` clock so tests can drive both by hand.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "storage/keyspace/keyspace.h"

namespace ember::storage {

struct ActiveExpireConfig {
  int hz = 10;
  int keys_per_loop = 20;
  int acceptable_stale_percent = 10;
  int time_budget_percent = 25;  // of one cron tick
};

struct ActiveExpireStats {
  uint64_t sampled = 0;
  uint64_t expired = 0;
  bool budget_exhausted = false;
};

class ActiveExpirer {
 public:
  explicit ActiveExpirer(ActiveExpireConfig config = {}) : config_(config) {}

  void set_config(const ActiveExpireConfig& config) { config_ = config; }

  // Runs one cycle. `monotonic_us` returns a monotonic time in microseconds; it is read at
  // the start and after every sample of keys_per_loop keys to enforce the budget, so a
  // cycle overruns its budget by at most one sample's work.
  ActiveExpireStats RunCycle(Keyspace& keyspace, int64_t now_ms,
                             const std::function<int64_t()>& monotonic_us);

  // The time budget of one cycle: time_budget_percent of a cron tick (1 s / hz).
  int64_t budget_us() const;
  // The database the next cycle starts with.
  int next_db() const { return next_db_; }

 private:
  ActiveExpireConfig config_;
  int next_db_ = 0;  // the database the next cycle starts with
};

}  // namespace ember::storage
