#include "server/replication/replication_backlog.h"

#include <algorithm>

namespace ember::server {

ReplicationBacklog::ReplicationBacklog(size_t capacity, int64_t next_offset)
    : ring_(std::max<size_t>(capacity, 1), '\0'), next_offset_(next_offset) {}

void ReplicationBacklog::Append(std::string_view bytes) {
  next_offset_ += static_cast<int64_t>(bytes.size());
  const size_t size = ring_.size();
  if (bytes.size() >= size) {  // only the tail fits
    bytes.remove_prefix(bytes.size() - size);
    ring_.assign(bytes);
    write_pos_ = 0;
    histlen_ = size;
    return;
  }
  const size_t first = std::min(bytes.size(), size - write_pos_);
  ring_.replace(write_pos_, first, bytes.substr(0, first));
  ring_.replace(0, bytes.size() - first, bytes.substr(first));
  write_pos_ = (write_pos_ + bytes.size()) % size;
  histlen_ = std::min(size, histlen_ + bytes.size());
}

std::string ReplicationBacklog::CopyFrom(int64_t offset) const {
  const auto count = static_cast<size_t>(next_offset_ - offset);
  std::string out;
  out.reserve(count);
  const size_t size = ring_.size();
  const size_t pos = (write_pos_ + size - count % size) % size;
  const size_t first = std::min(count, size - pos);
  out.append(ring_, pos, first);
  out.append(ring_, 0, count - first);
  return out;
}

void ReplicationBacklog::Resize(size_t capacity) {
  capacity = std::max<size_t>(capacity, 1);
  if (capacity == ring_.size()) return;
  const size_t keep = std::min(histlen_, capacity);
  std::string kept = CopyFrom(next_offset_ - static_cast<int64_t>(keep));
  ring_.assign(capacity, '\0');
  ring_.replace(0, kept.size(), kept);
  write_pos_ = kept.size() % capacity;
  histlen_ = kept.size();
}

}  // namespace ember::server
