#include "storage/lifecycle/active_expirer.h"

#include <vector>

namespace ember::storage {

int64_t ActiveExpirer::budget_us() const {
  int hz = config_.hz > 0 ? config_.hz : 1;
  return int64_t{1'000'000} / hz * config_.time_budget_percent / 100;
}

// Why sample instead of scanning all TTLs: the cost of a cycle must not grow with the number
// of keys. A sample (the next keys with a TTL along the database's walk, whose bucket
// order is unrelated to when keys expire) estimates the share of expired keys; while that
// share is above acceptable_stale_percent, another sample of the same database is likely
// to be worth its time, otherwise the cycle moves on. The clock is read after every sample
// so a cycle with many expired keys stops at its budget and the next resumes there.
ActiveExpireStats ActiveExpirer::RunCycle(Keyspace& keyspace, int64_t now_ms,
                                          const std::function<int64_t()>& monotonic_us) {
  ActiveExpireStats stats;
  const int databases = keyspace.database_count();
  if (next_db_ >= databases) next_db_ = 0;
  const size_t per_loop =
      config_.keys_per_loop > 0 ? static_cast<size_t>(config_.keys_per_loop) : 1;
  const int64_t budget = budget_us();
  const int64_t start = monotonic_us();
  std::vector<Entry*> sample(per_loop);
  for (int visited = 0; visited < databases; ++visited) {
    Database& db = keyspace.db(next_db_);
    while (db.expires_size() > 0) {
      size_t sampled = db.SampleVolatile(sample.data(), per_loop);
      size_t expired = 0;
      for (size_t i = 0; i < sampled; ++i) {
        // Redis's rule: a key expires once now is past its expiry time.
        if (now_ms > sample[i]->expire_at()) {
          db.DeleteExpired(sample[i]);
          ++expired;
        }
      }
      stats.sampled += sampled;
      stats.expired += expired;
      if (monotonic_us() - start > budget) {
        stats.budget_exhausted = true;
        return stats;  // next_db_ stays: the next cycle resumes with this database
      }
      // An empty sample (a sparse table) says nothing about the share of expired keys.
      if (sampled == 0 ||
          expired * 100 / sampled <= static_cast<size_t>(config_.acceptable_stale_percent)) {
        break;
      }
    }
    next_db_ = (next_db_ + 1) % databases;
  }
  return stats;
}

}  // namespace ember::storage
