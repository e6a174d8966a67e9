#include "persistence/ziplist_reader.h"

#include <fmt/format.h>

namespace ember::persistence {
namespace {

// Ziplist layout (Redis 2.6 to 6.2, ziplist.c), all header integers little-endian:
//   zlbytes (uint32) | zltail (uint32, offset of the last entry) | zllen (uint16; 65535 =
//   "count by walking") | entries | 0xFF
// An entry: prevlen (1 byte < 254, or 0xFE + uint32) | encoding | data.
//   00pppppp               string, 6-bit length
//   01pppppp qqqqqqqq      string, 14-bit length (big-endian)
//   10000000 + 4 bytes     string, 32-bit length (big-endian)
//   0xC0 / 0xD0 / 0xE0     int16 / int32 / int64 (little-endian)
//   0xF0                   int24, 0xFE int8
//   0xF1..0xFD             the integer 0..12 in the low four bits (minus one)
constexpr size_t kZiplistHeader = 10;
constexpr uint8_t kZiplistEnd = 0xFF;
constexpr uint8_t kBigPrevlen = 0xFE;
constexpr uint16_t kCountUnknown = 0xFFFF;

uint8_t ByteAt(std::string_view blob, size_t at) { return static_cast<uint8_t>(blob[at]); }

uint64_t LittleEndian(std::string_view blob, size_t at, size_t bytes) {
  uint64_t v = 0;
  for (size_t i = bytes; i-- > 0;) v = (v << 8) | ByteAt(blob, at + i);
  return v;
}

// Sign-extends the low `bytes` bytes of `v`.
int64_t SignExtend(uint64_t v, size_t bytes) {
  const unsigned shift = 64 - 8 * static_cast<unsigned>(bytes);
  return static_cast<int64_t>(v << shift) >> shift;
}

bool Fail(std::string* error, size_t at, std::string_view what) {
  *error = fmt::format("ziplist byte {}: {}", at, what);
  return false;
}

// Decodes the entry at `at`, whose data must end before `end` (the end byte). Sets
// *entry_size to the entry's whole size (prevlen included).
bool DecodeZiplistEntry(std::string_view blob, size_t at, size_t end, size_t prev_size,
                        ZiplistEntry* entry, size_t* entry_size, std::string* error) {
  size_t p = at;
  uint64_t prevlen = ByteAt(blob, p);
  if (prevlen == kZiplistEnd) return Fail(error, at, "end byte before the end of the blob");
  if (prevlen == kBigPrevlen) {
    if (end - p < 5) return Fail(error, at, "prevlen runs past the end");
    prevlen = LittleEndian(blob, p + 1, 4);
    p += 5;
  } else {
    p += 1;
  }
  if (prevlen != prev_size) return Fail(error, at, "prevlen does not match the previous entry");
  if (p >= end) return Fail(error, at, "entry header runs past the end");
  const uint8_t enc = ByteAt(blob, p);
  uint64_t data_len = 0;
  size_t header = 1;
  *entry = ZiplistEntry{};
  switch (enc >> 6) {
    case 0:
      data_len = enc & 0x3F;
      break;
    case 1:
      if (end - p < 2) return Fail(error, at, "string length runs past the end");
      data_len = (static_cast<uint64_t>(enc & 0x3F) << 8) | ByteAt(blob, p + 1);
      header = 2;
      break;
    case 2:
      if (enc != 0x80) return Fail(error, at, "invalid string encoding");
      if (end - p < 5) return Fail(error, at, "string length runs past the end");
      for (size_t i = 1; i <= 4; ++i) data_len = (data_len << 8) | ByteAt(blob, p + i);
      header = 5;
      break;
    default:
      entry->is_integer = true;
      switch (enc) {
        case 0xC0:
          data_len = 2;
          break;
        case 0xD0:
          data_len = 4;
          break;
        case 0xE0:
          data_len = 8;
          break;
        case 0xF0:
          data_len = 3;
          break;
        case 0xFE:
          data_len = 1;
          break;
        default:
          if (enc < 0xF1 || enc > 0xFD) return Fail(error, at, "invalid integer encoding");
          entry->integer = (enc & 0x0F) - 1;
      }
  }
  const size_t data_at = p + header;
  if (data_at > end || end - data_at < data_len) {
    return Fail(error, at, "entry runs past the end");
  }
  if (entry->is_integer) {
    if (data_len > 0) {
      entry->integer = SignExtend(LittleEndian(blob, data_at, data_len), data_len);
    }
  } else {
    entry->bytes = blob.substr(data_at, data_len);
  }
  *entry_size = data_at + data_len - at;
  return true;
}

}  // namespace

bool DecodeZiplist(std::string_view blob, std::vector<ZiplistEntry>* entries, std::string* error) {
  entries->clear();
  if (blob.size() < kZiplistHeader + 1) return Fail(error, 0, "shorter than a ziplist header");
  if (LittleEndian(blob, 0, 4) != blob.size()) {
    return Fail(error, 0, "total size does not match the blob");
  }
  const size_t end = blob.size() - 1;
  if (ByteAt(blob, end) != kZiplistEnd) return Fail(error, end, "missing end byte");
  const uint64_t tail = LittleEndian(blob, 4, 4);
  const auto count = static_cast<uint16_t>(LittleEndian(blob, 8, 2));

  size_t at = kZiplistHeader;
  size_t prev_size = 0;
  size_t last = 0;
  while (at < end) {
    ZiplistEntry entry;
    size_t size = 0;
    if (!DecodeZiplistEntry(blob, at, end, prev_size, &entry, &size, error)) return false;
    entries->push_back(entry);
    last = at;
    prev_size = size;
    at += size;
  }
  if (entries->empty() ? tail != kZiplistHeader : tail != last) {
    return Fail(error, 4, "tail offset does not point at the last entry");
  }
  if (count != kCountUnknown && count != entries->size()) {
    return Fail(error, 8, "entry count does not match the entries");
  }
  return true;
}

}  // namespace ember::persistence
