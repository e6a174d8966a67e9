// The commands stream group operations propagate instead of themselves, as Redis 7.0's
// streamPropagateXCLAIM, streamPropagateGroupID and streamPropagateConsumerCreation write
// them: idempotent forms that set the state outright, so a replay (AOF, replica) reaches the
// same state whatever it had before.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/value/stream_id.h"

namespace ember::server {

// XCLAIM key group consumer 0 id TIME ms RETRYCOUNT n FORCE JUSTID LASTID group-last-id
inline std::vector<std::string> XClaimArgv(std::string_view key, std::string_view group,
                                           std::string_view consumer, storage::StreamId id,
                                           int64_t delivery_time, uint64_t delivery_count,
                                           storage::StreamId group_last_id) {
  return {"XCLAIM",
          std::string(key),
          std::string(group),
          std::string(consumer),
          "0",
          storage::FormatStreamId(id),
          "TIME",
          std::to_string(delivery_time),
          "RETRYCOUNT",
          std::to_string(delivery_count),
          "FORCE",
          "JUSTID",
          "LASTID",
          storage::FormatStreamId(group_last_id)};
}

// XGROUP SETID key group id ENTRIESREAD n
inline std::vector<std::string> SetIdArgv(std::string_view key, std::string_view group,
                                          storage::StreamId last_id, int64_t entries_read) {
  return {"XGROUP",
          "SETID",
          std::string(key),
          std::string(group),
          storage::FormatStreamId(last_id),
          "ENTRIESREAD",
          std::to_string(entries_read)};
}

// XGROUP CREATECONSUMER key group consumer
inline std::vector<std::string> CreateConsumerArgv(std::string_view key, std::string_view group,
                                                   std::string_view consumer) {
  return {"XGROUP", "CREATECONSUMER", std::string(key), std::string(group), std::string(consumer)};
}

}  // namespace ember::server
