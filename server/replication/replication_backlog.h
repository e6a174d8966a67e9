// ReplicationBacklog: the last bytes of the replication stream, kept so that a replica that
// lost its link can continue from its offset (PSYNC's partial resynchronization) instead of
// taking a full snapshot. A ring of `capacity` bytes, allocated when the first replica
// arrives (Redis's repl_backlog).
//
// Offsets follow Redis: the stream's bytes are numbered from 1, master_repl_offset is the
// number of the last byte written, and a replica asks for the first byte it lacks. The
// backlog holds bytes [first_byte_offset(), first_byte_offset() + histlen()).
//
// Threading: engine thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ember::server {

class ReplicationBacklog {
 public:
  // The next byte appended will be byte `next_offset` of the stream.
  ReplicationBacklog(size_t capacity, int64_t next_offset);

  void Append(std::string_view bytes);
  // Keeps the most recent min(histlen, capacity) bytes.
  void Resize(size_t capacity);

  size_t capacity() const { return ring_.size(); }
  size_t histlen() const { return histlen_; }
  int64_t first_byte_offset() const { return next_offset_ - static_cast<int64_t>(histlen_); }
  // Whether a replica asking for byte `offset` onwards can be served from here: from the
  // oldest byte kept up to one past the newest (nothing to send).
  bool Covers(int64_t offset) const {
    return offset >= first_byte_offset() && offset <= next_offset_;
  }
  // The bytes from `offset` to the end. Requires: Covers(offset).
  std::string CopyFrom(int64_t offset) const;

 private:
  std::string ring_;
  size_t write_pos_ = 0;  // where the next byte goes
  size_t histlen_ = 0;
  int64_t next_offset_;
};

}  // namespace ember::server
