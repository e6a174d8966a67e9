#include "server/rdb/forkless_bgsave.h"

#include <unistd.h>

#include <utility>

#include "persistence/file_sync.h"
#include "server/core/cycle_clock.h"
#include "server/core/server_state.h"
#include "server/rdb/rdb_control.h"

namespace ember::server {
namespace {

// Keys walked between looks at the clock: 10-30 µs of work.
constexpr size_t kStepKeys = 100;
// Bytes waiting for the disk beyond which the walk pauses.
constexpr size_t kMaxQueuedBytes = 64u << 20;
// How often a paused walk or a commit in progress is looked at again.
constexpr int64_t kRecheckMicros = 1000;

}  // namespace

ForklessBgsave::ForklessBgsave(ServerState& state, int64_t now_ms)
    : ForklessBgsave(state,
                     persistence::TempPathFor(state.DataPath(state.config().dbfilename), "temp-",
                                              static_cast<long>(::getpid()), ".rdb"),
                     state.DataPath(state.config().dbfilename), SnapshotWriteOptions(state),
                     now_ms) {}

ForklessBgsave::ForklessBgsave(ServerState& state, std::string temp_path, std::string target_path,
                               const persistence::RdbWriteOptions& options, int64_t now_ms)
    : state_(state),
      sink_(std::move(temp_path), std::move(target_path)),
      save_(state.keyspace(), &sink_, options, now_ms / 1000) {}

int64_t ForklessBgsave::Slice(int64_t budget_us) {
  if (!committing_) {
    if (sink_.queued_bytes() > kMaxQueuedBytes) return kRecheckMicros;
    const int delay = state_.config().rdb_key_save_delay;
    if (delay > 0) {
      if (!save_.Step(1)) return delay;
    } else {
      const CycleClock::Ticks start = CycleClock::Now();
      bool complete = save_.Step(kStepKeys);
      while (!complete && CycleClock::MicrosBetween(start, CycleClock::Now()) < budget_us) {
        complete = save_.Step(kStepKeys);
      }
      if (!complete) return 0;
    }
    status_ = save_.Finish();
    if (!status_.ok()) {
      sink_.Abort();
      return -1;
    }
    sink_.Commit();
    committing_ = true;
  }
  if (!sink_.done()) return kRecheckMicros;
  status_ = sink_.result();
  return -1;
}

}  // namespace ember::server
