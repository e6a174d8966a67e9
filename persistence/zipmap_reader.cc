#include "persistence/zipmap_reader.h"

#include <fmt/format.h>

namespace ember::persistence {
namespace {

// Zipmap layout (Redis before 2.6, zipmap.c): zmlen (1 byte; 254 = "count by walking") |
// entries | 0xFF. An entry: field length | field | value length | free (1 byte) | value |
// `free` unused bytes. A length is 1 byte below 254, else 0xFE + uint32 little-endian.
constexpr uint8_t kZipmapBigLen = 254;
constexpr uint8_t kZipmapEnd = 0xFF;

uint8_t ByteAt(std::string_view blob, size_t at) { return static_cast<uint8_t>(blob[at]); }

uint64_t LittleEndian(std::string_view blob, size_t at, size_t bytes) {
  uint64_t v = 0;
  for (size_t i = bytes; i-- > 0;) v = (v << 8) | ByteAt(blob, at + i);
  return v;
}

}  // namespace

bool DecodeZipmap(std::string_view blob,
                  std::vector<std::pair<std::string_view, std::string_view>>* pairs,
                  std::string* error) {
  pairs->clear();
  auto fail = [error](size_t at, std::string_view what) {
    *error = fmt::format("zipmap byte {}: {}", at, what);
    return false;
  };
  if (blob.size() < 2) return fail(0, "shorter than a zipmap");
  const size_t end = blob.size() - 1;
  if (ByteAt(blob, end) != kZipmapEnd) return fail(end, "missing end byte");
  // Reads a length at *p; false when it runs into the end byte.
  auto read_length = [&](size_t* p, uint64_t* length) {
    if (ByteAt(blob, *p) < kZipmapBigLen) {
      *length = ByteAt(blob, *p);
      *p += 1;
      return true;
    }
    if (end - *p < 5) return false;
    *length = LittleEndian(blob, *p + 1, 4);
    *p += 5;
    return true;
  };
  size_t p = 1;
  while (ByteAt(blob, p) != kZipmapEnd) {
    const size_t entry_at = p;
    uint64_t field_len = 0, value_len = 0;
    if (!read_length(&p, &field_len)) return fail(entry_at, "field length runs past the end");
    if (end - p < field_len) return fail(entry_at, "field runs past the end");
    const std::string_view field = blob.substr(p, field_len);
    p += field_len;
    if (p >= end || !read_length(&p, &value_len)) {
      return fail(entry_at, "value length runs past the end");
    }
    if (p >= end) return fail(entry_at, "free byte runs past the end");
    const uint64_t free = ByteAt(blob, p);
    p += 1;
    if (end - p < value_len || end - p - value_len < free) {
      return fail(entry_at, "value runs past the end");
    }
    pairs->emplace_back(field, blob.substr(p, value_len));
    p += value_len + free;
  }
  if (pairs->empty()) return fail(0, "empty zipmap");
  const uint8_t count = ByteAt(blob, 0);
  if (count != kZipmapBigLen && count != pairs->size()) {
    return fail(0, "entry count does not match the entries");
  }
  return true;
}

}  // namespace ember::persistence
