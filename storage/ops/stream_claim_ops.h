// XCLAIM and XAUTOCLAIM: changing the owner of pending entries of a consumer group, as
// Redis 7.0's t_stream.c does, with what the handlers need to propagate each change as the
// idempotent XCLAIM ... TIME RETRYCOUNT FORCE JUSTID LASTID form Redis propagates.
// Threading: engine thread only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/keyspace/database.h"
#include "storage/op_status.h"
#include "storage/ops/stream_group_ops.h"

namespace ember::storage {

// One pending entry's state after a claim (or, for an entry whose data was deleted, as it
// was when it was dropped), as XCLAIM replays it.
struct ClaimPropagation {
  StreamId id;
  std::string consumer;
  int64_t delivery_time = 0;
  uint64_t delivery_count = 0;
};

struct ClaimOutcome {
  bool no_group = false;                 // the key or group is missing (NOGROUP)
  std::vector<StreamReadEntry> claimed;  // field_values empty with JUSTID
  std::vector<ClaimPropagation> xclaims;
  StreamId group_last_id;  // for LASTID and a propagated XGROUP SETID
  int64_t group_entries_read = kUnknownEntriesRead;
  bool propagate_setid = false;  // LASTID moved the group and no XCLAIM carries it
  bool consumer_created = false;
  uint64_t changes = 0;
};

struct XClaimRequest {
  std::string_view group;
  std::string_view consumer;
  int64_t min_idle_ms = 0;
  std::vector<StreamId> ids;
  int64_t delivery_time = -1;  // -1: now (IDLE / TIME already turned into a time)
  int64_t retry_count = -1;    // -1: not given
  bool force = false;
  bool justid = false;
  StreamId last_id;  // LASTID; 0-0 when not given
};
OpResult<ClaimOutcome> OpXClaim(Database& db, std::string_view key, const XClaimRequest& request,
                                int64_t now_ms);

struct XAutoClaimRequest {
  std::string_view group;
  std::string_view consumer;
  int64_t min_idle_ms = 0;
  StreamId start;
  int64_t count = 100;
  bool justid = false;
};
struct AutoClaimOutcome {
  ClaimOutcome claim;
  StreamId next;                  // where a next call starts; 0-0 at the end
  std::vector<StreamId> deleted;  // pending entries whose data was gone, now dropped
};
OpResult<AutoClaimOutcome> OpXAutoClaim(Database& db, std::string_view key,
                                        const XAutoClaimRequest& request, int64_t now_ms);

}  // namespace ember::storage
