// XINFO GROUPS, XINFO CONSUMERS and the groups of XINFO STREAM FULL: what a stream's consumer
// groups look like, as Redis 7.0 reports them. kKeyNotFound for a missing key, kWrongType
// for another type. Threading: engine thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/keyspace/database.h"
#include "storage/op_status.h"
#include "storage/value/stream_value.h"

namespace ember::storage {

struct GroupInfo {
  std::string name;
  size_t consumers = 0;
  size_t pending = 0;
  StreamId last_id;
  int64_t entries_read = kUnknownEntriesRead;
  std::optional<int64_t> lag;
};
OpResult<std::vector<GroupInfo>> OpXInfoGroups(Database& db, std::string_view key, int64_t now_ms);

struct ConsumerInfo {
  std::string name;
  size_t pending = 0;
  int64_t idle_ms = 0;
};
// nullopt when the group is missing.
OpResult<std::optional<std::vector<ConsumerInfo>>> OpXInfoConsumers(Database& db,
                                                                    std::string_view key,
                                                                    std::string_view group,
                                                                    int64_t now_ms);

// XINFO STREAM FULL's groups, with at most `count` pending entries per list (0: all).
struct FullGroupInfo {
  GroupInfo group;
  struct Pending {
    StreamId id;
    std::string consumer;
    int64_t delivery_time = 0;
    uint64_t delivery_count = 0;
  };
  std::vector<Pending> pending;
  struct Consumer {
    std::string name;
    int64_t seen_time = 0;
    size_t pel_count = 0;
    std::vector<Pending> pending;  // consumer left empty
  };
  std::vector<Consumer> consumers;
};
OpResult<std::vector<FullGroupInfo>> OpXInfoFullGroups(Database& db, std::string_view key,
                                                       size_t count, int64_t now_ms);

}  // namespace ember::storage
