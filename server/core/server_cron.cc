#include "server/core/server_cron.h"

#include "server/aof/aof_control.h"
#include "server/core/clock.h"
#include "server/core/server_metrics.h"
#include "server/net/client_sweep.h"
#include "server/rdb/rdb_control.h"
#include "server/replication/replication_control.h"

namespace ember::server {

void ServerCron::Tick() {
  if (state_.script_runtime().current_run() != nullptr) return;
  storage::Keyspace& keyspace = state_.keyspace();
  // No key expires while the dataset loads (an AOF replays with expiry suspended).
  // A replica's keys expire by its primary's DELs only.
  if (!state_.persistence().loading && state_.active_expire_enabled() &&
      !state_.replication().is_replica()) {
    state_.active_expirer().RunCycle(keyspace, UnixMillis(), MonotonicMicros);
    // "expired" notifications of the keys just removed go out now.
    state_.wakeups().Deliver();
  }
  // Incremental rehashing also advances from the cron (Redis's activerehashing), so a
  // table that stops receiving commands still finishes its resize.
  keyspace.RehashSteps(1000);
  if (state_.tracking().tracking_clients() > 0) {
    state_.tracking().LimitKeys(state_.config().tracking_table_max_keys);
    state_.wakeups().Deliver();
  }
  // Not while loading: a table the load sized in advance (RESIZEDB) starts sparse.
  if (!state_.persistence().loading) keyspace.ShrinkIfSparse();
  RdbCron(state_, UnixMillis());
  ReplicationCron(state_, UnixMillis());
  AofCron(state_, UnixMillis());
  SampleServerMetrics(state_, UnixMillis());
  // Idle timeouts and soft output limits are judged in seconds: once a second is enough,
  // whatever hz is.
  const int64_t now_ms = UnixMillis();
  if (now_ms - last_client_sweep_ms_ >= 1000) {
    last_client_sweep_ms_ = now_ms;
    SweepClients(state_, now_ms);
  }
}

}  // namespace ember::server
