// The RDB loaders of lists, hashes, sets, sorted sets and streams (rows of rdb_value_loaders.cc),
// one per type byte Redis has written for them. Each rebuilds the value as Redis 7.0's
// rdbLoadObject would, in the encoding 7.0 would choose under the context's limits:
//   hash (4)           field/value strings: a listpack while it fits the limits, else a table
//   hash zipmap (9)    pre-2.6 blob: converted to a listpack, or a table past the limits
//   hash ziplist (13)  pre-7.0 blob: converted to a listpack, or a table past the limits
//   hash listpack (16) 7.0's blob: adopted as it is, or a table past the limits
//   set (2)            member strings: an intset while every member is an integer and the
//                      count fits set-max-intset-entries, else a table
//   set intset (11)    adopted as it is, or a table past the limit
//   set listpack (20)  7.2's blob: members added as SADD would (7.0 has no listpack sets)
//   zset (3)           member strings each with a text score (pre-RDB 8), and
//   zset_2 (5)         member strings each with a binary double: packed (sorted) when the
//                      count, the longest member and the total bytes fit the limits, as
//                      Redis converts after loading, else the index form
//   zset ziplist (12)  pre-7.0 blob: converted to a listpack, then as zset listpack
//   zset listpack (17) 7.0's blob: adopted as it is, or the index past the entry count
//                      (by count alone, as Redis: a long member stays packed)
//   list (1)           element strings, pushed in order
//   list ziplist (10)  pre-3.2 blob: its elements pushed in order
//   list quicklist (14) pre-7.0 nodes of ziplists: their elements pushed in order
//   list quicklist2 (18) 7.0's nodes: a packed node's listpack adopted as one node, a
//                      plain node's blob pushed as one element; empty nodes skipped
// Every blob is validated before use. A value is refused (Status with the offset of the
// string or blob at fault) when it is empty (Redis writes no empty collections), when a
// field or member repeats, when a hash's or sorted set's blob holds an odd number of
// entries, when a score is NaN, when a sorted set's blob has an unreadable score or pairs
// out of order (Redis checks neither), or when the blob itself is malformed. (A list whose
// nodes are all empty is refused too, where Redis skips the key with a log line: Ember
// refuses every empty collection alike.)
#pragma once

#include "persistence/rdb_input.h"
#include "persistence/rdb_value_loaders.h"
#include "persistence/status.h"
#include "storage/value/value.h"

namespace ember::persistence {

Status LoadList(RdbInput& input, const RdbLoadContext& context, storage::Value* out);
// Streams (rdb_stream_loaders.cc): node listpacks adopted as they are, then the metadata.
Status LoadStreamListpacks(RdbInput& input, const RdbLoadContext& context, storage::Value* out);
Status LoadStreamListpacks2(RdbInput& input, const RdbLoadContext& context, storage::Value* out);
Status LoadStreamListpacks3(RdbInput& input, const RdbLoadContext& context, storage::Value* out);
Status LoadListZiplist(RdbInput& input, const RdbLoadContext& context, storage::Value* out);
Status LoadListQuicklist(RdbInput& input, const RdbLoadContext& context, storage::Value* out);
Status LoadListQuicklist2(RdbInput& input, const RdbLoadContext& context, storage::Value* out);

Status LoadHash(RdbInput& input, const RdbLoadContext& context, storage::Value* out);
Status LoadHashZipmap(RdbInput& input, const RdbLoadContext& context, storage::Value* out);
Status LoadHashZiplist(RdbInput& input, const RdbLoadContext& context, storage::Value* out);
Status LoadHashListpack(RdbInput& input, const RdbLoadContext& context, storage::Value* out);

Status LoadSet(RdbInput& input, const RdbLoadContext& context, storage::Value* out);
Status LoadSetIntset(RdbInput& input, const RdbLoadContext& context, storage::Value* out);
Status LoadSetListpack(RdbInput& input, const RdbLoadContext& context, storage::Value* out);

Status LoadZSet(RdbInput& input, const RdbLoadContext& context, storage::Value* out);
Status LoadZSet2(RdbInput& input, const RdbLoadContext& context, storage::Value* out);
Status LoadZSetZiplist(RdbInput& input, const RdbLoadContext& context, storage::Value* out);
Status LoadZSetListpack(RdbInput& input, const RdbLoadContext& context, storage::Value* out);

}  // namespace ember::persistence
