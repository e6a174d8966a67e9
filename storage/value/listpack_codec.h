// The listpack entry codec behind Listpack (listpack.h): how one element is encoded, how an
// entry's size and backlen are read, and the deep validation FromBytes runs. Internal to
// storage/value; callers use Listpack. Stateless.
//
// Sizes follow Redis 7.0's listpack.c exactly, including its backlen thresholds (a length
// of 16383 already takes 3 bytes: Redis compares with `<`, not `<=`), since the block must
// match Redis's byte for byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "storage/value/listpack.h"

namespace ember::storage::listpack {

constexpr size_t kHeaderBytes = 6;
constexpr uint8_t kEnd = 0xFF;
// The header's count field when the entries no longer fit it: count by walking.
constexpr uint32_t kCountUnknown = 0xFFFF;

// An element ready to be written: the encoding bytes (for an integer, the whole encoding
// and value; for a string, the encoding and length bytes), then `data` for a string.
struct EncodedEntry {
  unsigned char head[9];
  size_t head_size = 0;
  std::string_view data;
  // Encoding + data: what the backlen records.
  size_t encoded_size() const { return head_size + data.size(); }
};

EncodedEntry EncodeInteger(int64_t value);
// An integer encoding when `value` is a canonical integer (ParseInt64), else a string one.
EncodedEntry EncodeValue(std::string_view value);

// Bytes the backlen of an entry with `encoded_size` bytes of encoding + data takes (1-5).
size_t BacklenSize(uint64_t encoded_size);
// Writes the whole entry (encoding, data, backlen) at `out`; returns the bytes written.
size_t WriteEntry(const EncodedEntry& entry, unsigned char* out);
size_t EntrySize(const EncodedEntry& entry);

// Encoding + data bytes of the entry at `p`. Requires: a validated entry.
uint64_t EncodedSize(const unsigned char* p);
// The whole entry (encoding + data + backlen) at `p`. Requires: a validated entry.
uint64_t EntryBytes(const unsigned char* p);
// The backlen whose last (rightmost) byte is at `last`: reads right to left, 7 bits a byte,
// high bit = more. Returns UINT64_MAX when more than 5 bytes would be used.
uint64_t DecodeBacklen(const unsigned char* last);
// Decodes the entry at `p`. Requires: a validated entry.
Listpack::Element Decode(const unsigned char* p);

// Redis's lpValidateIntegrity with deep checking, plus the reason when it fails.
bool Validate(std::string_view blob, std::string* error);

uint32_t LoadU32(const unsigned char* p);
uint32_t LoadU16(const unsigned char* p);
void StoreU32(unsigned char* p, uint32_t v);
void StoreU16(unsigned char* p, uint32_t v);

}  // namespace ember::storage::listpack
