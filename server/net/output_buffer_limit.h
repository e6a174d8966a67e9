// Client output buffer limits, as Redis's `client-output-buffer-limit`: per client class
// (normal, replica, pubsub) a hard limit in bytes, a soft limit in bytes and the seconds a
// client may stay over the soft limit. A client whose pending output (replies rendered but
// not yet accepted by its socket) reaches the hard limit, or stays at or over the soft
// limit for longer than the soft seconds, is disconnected. 0 disables a limit.
//
// Parsing and formatting follow Redis 7.0's CONFIG SET / GET: "<class> <hard> <soft>
// <seconds>" triples ("slave" is an alias of "replica"), memory units allowed, and
// CONFIG GET shows bytes with the replica class named "slave". Pure functions; the tracker
// is per connection.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ember::server {

struct OutputBufferLimit {
  int64_t hard_bytes = 0;
  int64_t soft_bytes = 0;
  int64_t soft_seconds = 0;
};

struct OutputBufferLimits {
  OutputBufferLimit normal;
  OutputBufferLimit replica{256LL << 20, 64LL << 20, 60};
  OutputBufferLimit pubsub{32LL << 20, 8LL << 20, 60};
};

// The class a client is judged by: replica for a replica fed the stream (ClientState::
// is_replica), pubsub while it is in pub/sub mode (Redis's CLIENT_PUBSUB,
// ClientState::pubsub_mode), normal otherwise.
inline const OutputBufferLimit& LimitForClass(const OutputBufferLimits& limits, bool pubsub,
                                              bool replica = false) {
  if (replica) return limits.replica;
  return pubsub ? limits.pubsub : limits.normal;
}

// Applies every triple of `text` over `limits` (classes not named keep their values).
// Returns "" or Redis's problem text; `limits` is unchanged on error.
std::string ParseOutputBufferLimits(std::string_view text, OutputBufferLimits* limits);
// "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60".
std::string FormatOutputBufferLimits(const OutputBufferLimits& limits);

enum class OutputLimitVerdict : uint8_t {
  kWithin,
  kOverHard,         // pending output reached the hard limit
  kOverSoftTooLong,  // pending output stayed at or over the soft limit past its seconds
};

// True when `pending` is under both limits: nothing to judge, and no clock to read (a fan-out
// wakes each subscriber once per message, so this test must stay cheap).
inline bool UnderOutputLimits(const OutputBufferLimit& limit, uint64_t pending) {
  const auto under = [pending](int64_t bytes) {
    return bytes <= 0 || pending < static_cast<uint64_t>(bytes);
  };
  return under(limit.hard_bytes) && under(limit.soft_bytes);
}

// Judges `pending` bytes at `now_ms`. `soft_since_ms` remembers when the client went over
// the soft limit (0: it is under it); the caller keeps it per client and passes it back.
OutputLimitVerdict CheckOutputLimit(const OutputBufferLimit& limit, uint64_t pending,
                                    int64_t now_ms, int64_t* soft_since_ms);

}  // namespace ember::server
