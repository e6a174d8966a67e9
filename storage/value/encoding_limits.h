// EncodingLimits: when a collection leaves its compact encoding (one listpack or intset
// block) for a hash table, and how large a list's nodes grow, with Redis 7.0's built-in
// defaults. The server sets them from hash-max-listpack-entries, hash-max-listpack-value,
// set-max-intset-entries, list-max-listpack-size, list-compress-depth,
// zset-max-listpack-entries, zset-max-listpack-value, stream-node-max-bytes and
// stream-node-max-entries (Keyspace::set_encoding_limits);
// collections read them as they grow. A conversion goes
// one way only, as in Redis: a collection that shrinks back stays a hash table.
#pragma once

#include <cstdint>

namespace ember::storage {

struct EncodingLimits {
  int64_t hash_max_listpack_entries = 512;  // more fields than this: a hash table
  int64_t hash_max_listpack_value = 64;     // a longer field or value: a hash table
  int64_t set_max_intset_entries = 512;     // more members than this: a hash table
  int list_max_listpack_size = -2;          // a list node's limit (ListValue's `fill`)
  int list_compress_depth = 0;              // a new list's compress depth (ListValue)
  int64_t zset_max_listpack_entries = 128;  // more members than this: the index form
  int64_t zset_max_listpack_value = 64;     // a longer member: the index form
  int64_t stream_node_max_bytes = 4096;     // a stream node's byte limit (0: none)
  int64_t stream_node_max_entries = 100;    // a stream node's entry limit (0: none)
};

}  // namespace ember::storage
