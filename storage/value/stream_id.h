// StreamId: a stream entry's ID, <milliseconds>-<sequence>, two unsigned 64-bit numbers
// ordered as a pair (Redis's streamID). Pure values; any thread.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace ember::storage {

struct StreamId {
  uint64_t ms = 0;
  uint64_t seq = 0;

  static constexpr StreamId Min() { return {0, 0}; }
  static constexpr StreamId Max() {
    return {std::numeric_limits<uint64_t>::max(), std::numeric_limits<uint64_t>::max()};
  }
  bool is_zero() const { return ms == 0 && seq == 0; }
  auto operator<=>(const StreamId&) const = default;

  // The next / previous ID in order; false (unchanged) at Max() / Min().
  bool Increment();
  bool Decrement();
};

// "<ms>-<seq>".
std::string FormatStreamId(StreamId id);

// Redis's stream ID syntax (streamGenericParseIDOrReply): "<ms>-<seq>", or "<ms>" with the
// sequence `missing_seq`; "-" and "+" are Min() and Max() unless `strict`. With
// `seq_star_allowed`, "<ms>-*" parses with *seq_given = false (sequence to be generated).
// nullopt when malformed (Redis's "Invalid stream ID specified as stream command argument").
std::optional<StreamId> ParseStreamId(std::string_view text, uint64_t missing_seq, bool strict,
                                      bool seq_star_allowed = false, bool* seq_given = nullptr);

// The 16-byte big-endian form an RDB file uses as a stream node's key (so byte order is ID
// order), and back.
void EncodeStreamIdKey(StreamId id, char out[16]);
StreamId DecodeStreamIdKey(const char in[16]);

}  // namespace ember::storage
