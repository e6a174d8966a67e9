// Data types: the sizes at which hashes, sets and sorted sets leave their compact encodings
// (one listpack or intset block) for a table or index, the size of list and stream nodes, and when
// a sparse HyperLogLog turns dense, with Redis 7.0's names, aliases and bounds.
#include "server/config/config_setting.h"
#include "server/core/server_state.h"

namespace ember::server {
namespace {

using K = ConfigKind;

std::string ApplyEncodingLimits(ServerState& state) {
  state.ApplyEncodingLimits();
  return "";
}

// clang-format off
const ConfigSetting kRows[] = {
    {.name = "hash-max-listpack-entries", .kind = K::kInteger,
     .field = &ServerConfig::hash_max_listpack_entries, .min = 0, .max = kConfigLongMax,
     .help = "a hash with more fields than this becomes a hash table",
     .after_set = ApplyEncodingLimits},
    {.name = "hash-max-ziplist-entries", .kind = K::kInteger,
     .field = &ServerConfig::hash_max_listpack_entries, .min = 0, .max = kConfigLongMax,
     .alias_of = "hash-max-listpack-entries", .after_set = ApplyEncodingLimits},
    {.name = "hash-max-listpack-value", .kind = K::kMemory,
     .field = &ServerConfig::hash_max_listpack_value, .min = 0, .max = kConfigLongMax,
     .help = "a hash with a longer field or value becomes a hash table",
     .after_set = ApplyEncodingLimits},
    {.name = "hash-max-ziplist-value", .kind = K::kMemory,
     .field = &ServerConfig::hash_max_listpack_value, .min = 0, .max = kConfigLongMax,
     .alias_of = "hash-max-listpack-value", .after_set = ApplyEncodingLimits},
    {.name = "set-max-intset-entries", .kind = K::kInteger,
     .field = &ServerConfig::set_max_intset_entries, .min = 0, .max = kConfigLongMax,
     .help = "a set of integers with more members than this becomes a hash table",
     .after_set = ApplyEncodingLimits},
    {.name = "list-max-listpack-size", .kind = K::kInteger,
     .field = &ServerConfig::list_max_listpack_size, .min = -kConfigIntMax - 1,
     .max = kConfigIntMax,
     .help = "a list node's limit: -1..-5 for 4..64 KiB, or a positive element count",
     .after_set = ApplyEncodingLimits},
    {.name = "list-max-ziplist-size", .kind = K::kInteger,
     .field = &ServerConfig::list_max_listpack_size, .min = -kConfigIntMax - 1,
     .max = kConfigIntMax, .alias_of = "list-max-listpack-size",
     .after_set = ApplyEncodingLimits},
    {.name = "zset-max-listpack-entries", .kind = K::kInteger,
     .field = &ServerConfig::zset_max_listpack_entries, .min = 0, .max = kConfigLongMax,
     .help = "a sorted set with more members than this becomes an index (\"skiplist\")",
     .after_set = ApplyEncodingLimits},
    {.name = "zset-max-ziplist-entries", .kind = K::kInteger,
     .field = &ServerConfig::zset_max_listpack_entries, .min = 0, .max = kConfigLongMax,
     .alias_of = "zset-max-listpack-entries", .after_set = ApplyEncodingLimits},
    {.name = "zset-max-listpack-value", .kind = K::kMemory,
     .field = &ServerConfig::zset_max_listpack_value, .min = 0, .max = kConfigLongMax,
     .help = "a sorted set with a longer member becomes an index (\"skiplist\")",
     .after_set = ApplyEncodingLimits},
    {.name = "zset-max-ziplist-value", .kind = K::kMemory,
     .field = &ServerConfig::zset_max_listpack_value, .min = 0, .max = kConfigLongMax,
     .alias_of = "zset-max-listpack-value", .after_set = ApplyEncodingLimits},
    {.name = "list-compress-depth", .kind = K::kInteger,
     .field = &ServerConfig::list_compress_depth, .min = 0, .max = kConfigIntMax,
     .help = "list nodes kept uncompressed at each end of lists created from now on; 0: none "
             "compressed",
     .after_set = ApplyEncodingLimits},
    {.name = "stream-node-max-bytes", .kind = K::kMemory,
     .field = &ServerConfig::stream_node_max_bytes, .min = 0, .max = kConfigLongMax,
     .help = "a stream node holds at most this many bytes (0: no limit)",
     .after_set = ApplyEncodingLimits},
    {.name = "stream-node-max-entries", .kind = K::kInteger,
     .field = &ServerConfig::stream_node_max_entries, .min = 0, .max = kConfigLongMax,
     .help = "a stream node holds at most this many entries (0: no limit)",
     .after_set = ApplyEncodingLimits},
    {.name = "hll-sparse-max-bytes", .kind = K::kMemory,
     .field = &ServerConfig::hll_sparse_max_bytes, .min = 0, .max = kConfigLongMax,
     .help = "a sparse HyperLogLog that would grow past this many bytes becomes dense"},
};
// clang-format on

}  // namespace

std::span<const ConfigSetting> DataTypeSettings() { return kRows; }

}  // namespace ember::server
