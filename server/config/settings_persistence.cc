// Persistence: where data files live, RDB snapshots (save points, compression, checksum,
// the write stop after a failed save) and the append-only file.
#include "server/aof/aof_control.h"
#include "server/config/config_setting.h"
#include "server/config/save_points.h"
#include "server/rdb/rdb_control.h"

namespace ember::server {
namespace {

using K = ConfigKind;
using M = ConfigMutability;

// clang-format off
const ConfigSetting kRows[] = {
    {.name = "dir", .kind = K::kString, .mutability = M::kProtected, .field = &ServerConfig::dir,
     .help = "working directory: data files and a relative logfile live here"},
    {.name = "dbfilename", .kind = K::kString, .mutability = M::kProtected,
     .field = &ServerConfig::dbfilename, .help = "RDB file name"},
    {.name = "save", .kind = K::kWords, .lines_add_up = true,
     .help = "snapshot after <seconds> if at least <changes> writes: pairs, or \"\" for none",
     .get = SavePointsText,
     .set = [](ServerConfig& c, std::string_view v) { c.save_points = ParseSavePoints(v); },
     .validate = ValidateSavePoints},
    {.name = "rdbcompression", .kind = K::kBool, .field = &ServerConfig::rdbcompression,
     .help = "LZF-compress strings in RDB files"},
    {.name = "rdbchecksum", .kind = K::kBool, .mutability = M::kImmutable,
     .field = &ServerConfig::rdbchecksum, .help = "write and check a CRC-64 trailer in RDB files"},
    {.name = "stop-writes-on-bgsave-error", .kind = K::kBool,
     .field = &ServerConfig::stop_writes_on_bgsave_error,
     .help = "refuse writes after a failed background save"},
    {.name = "snapshot-fork", .kind = K::kBool, .field = &ServerConfig::snapshot_fork,
     .help = "BGSAVE, save points and AOF rewrites fork a child (else a forkless snapshot)"},
    {.name = "rdb-key-save-delay", .kind = K::kInteger, .field = &ServerConfig::rdb_key_save_delay,
     .min = 0, .max = kConfigIntMax,
     .help = "microseconds a forkless BGSAVE waits after each key or empty bucket (tests)"},
    {.name = "appendonly", .kind = K::kBool, .field = &ServerConfig::appendonly,
     .help = "log every write to the append-only file", .after_set = ApplyAppendonlySetting},
    {.name = "appendfsync", .kind = K::kEnum, .field = &ServerConfig::appendfsync,
     .choices = "everysec always no", .help = "when the AOF is fsynced"},
    {.name = "appendfilename", .kind = K::kString, .mutability = M::kImmutable,
     .field = &ServerConfig::appendfilename, .help = "base name of the AOF files"},
    {.name = "appenddirname", .kind = K::kString, .mutability = M::kImmutable,
     .field = &ServerConfig::appenddirname, .help = "directory of the AOF files, inside dir"},
    {.name = "aof-use-rdb-preamble", .kind = K::kBool,
     .field = &ServerConfig::aof_use_rdb_preamble,
     .help = "an AOF rewrite writes its base as an RDB file"},
    {.name = "aof-load-truncated", .kind = K::kBool, .field = &ServerConfig::aof_load_truncated,
     .help = "load an AOF whose last command is cut short (else refuse to start)"},
    {.name = "auto-aof-rewrite-percentage", .kind = K::kInteger,
     .field = &ServerConfig::auto_aof_rewrite_percentage, .min = 0, .max = kConfigIntMax,
     .help = "rewrite the AOF when it grew by this percentage since the last rewrite (0: never)"},
    {.name = "auto-aof-rewrite-min-size", .kind = K::kMemory,
     .field = &ServerConfig::auto_aof_rewrite_min_size, .min = 0, .max = kConfigLongMax,
     .help = "no automatic AOF rewrite below this size"},
    {.name = "no-appendfsync-on-rewrite", .kind = K::kBool,
     .field = &ServerConfig::no_appendfsync_on_rewrite,
     .help = "skip AOF fsyncs while a rewrite or background save runs"},
    {.name = "aof-rewrite-incremental-fsync", .kind = K::kBool, .passive_default = "yes",
     .help = "accepted for compatibility; Ember decides when a rewrite fsyncs"},
    {.name = "aof-timestamp-enabled", .kind = K::kBool, .passive_default = "no",
     .help = "accepted for compatibility; no timestamps are written to the AOF"},
};
// clang-format on

}  // namespace

std::span<const ConfigSetting> PersistenceSettings() { return kRows; }

}  // namespace ember::server
