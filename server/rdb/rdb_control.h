// RDB snapshots from the server's side: SAVE (blocking), BGSAVE — by default forkless (a
// point-in-time walk in slices between the loop's other handlers, forkless_bgsave.h), with
// snapshot-fork a forked child writing its copy-on-write image, reaped from the cron —
// save points (`save <seconds> <changes>`), the MISCONF rule, and the save at shutdown.
// The file format itself lives in persistence/ (rdb_save.h, rdb_incremental_save.h).
//
// Threading: engine thread only. The child runs only persistence code and _exit()s.
#pragma once

#include <cstdint>
#include <string>

#include "persistence/rdb_writer.h"

namespace ember::server {

class ServerState;
struct ServerConfig;

// A fork-based save or rewrite must not resize hash tables while its child runs: a rehash
// touches every bucket page and defeats copy-on-write.
void SetResizeAllowed(ServerState& state, bool allowed);

// The options every snapshot is written with: rdbcompression, rdbchecksum, the libraries.
persistence::RdbWriteOptions SnapshotWriteOptions(ServerState& state);

// Saves the dataset to dir/dbfilename now, blocking. Requires: no BGSAVE child running.
// On failure logs why and returns false.
bool SaveNow(ServerState& state);

enum class BgsaveStart { kStarted, kAlreadyRunning, kForkFailed };
BgsaveStart StartBgsave(ServerState& state);

// One slice of the running snapshot walk — a forkless BGSAVE, a forkless AOF rewrite's
// base or a replica's full sync — of about `budget_us` microseconds, ending it (recording
// the outcome) when done. Returns the microseconds to wait before the next slice (0: yield
// to the loop's other handlers first), or -1 when no walk runs any more.
constexpr int64_t kDefaultSliceMicros = 200;
int64_t RunSnapshotSlice(ServerState& state, int64_t budget_us = kDefaultSliceMicros);

// Cron work: reaps a finished child (recording success or failure) and starts a BGSAVE when
// a save point is reached. `now_ms` is unix ms.
void RdbCron(ServerState& state, int64_t now_ms);

// Redis's stop-writes-on-bgsave-error rule: true when the last background save failed,
// save points are configured and the option is on. Write commands then get -MISCONF.
bool WritesRefusedByDiskError(const ServerState& state);

enum class ShutdownSave { kDefault, kSave, kNoSave };
// What SHUTDOWN and SIGTERM do before exiting: stop a running BGSAVE child (removing its
// temp file) and save when asked to, or by default when save points are configured.
// Never saves while the dataset is still loading. Returns false when the save failed;
// the server then keeps running.
bool SaveBeforeShutdown(ServerState& state, ShutdownSave mode);

// "3600 1 300 100 60 10000": the save points as CONFIG GET save shows them.
std::string SavePointsText(const ServerConfig& config);

}  // namespace ember::server
