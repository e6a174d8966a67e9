#include "storage/value/listpack_codec.h"

#include <cstdio>
#include <cstring>

#include "storage/value/number_format.h"

namespace ember::storage::listpack {
namespace {

// Encoding bytes (listpack.h lists the layout).
constexpr uint8_t k6BitString = 0x80;
constexpr uint8_t k13BitInt = 0xC0;
constexpr uint8_t k12BitString = 0xE0;
constexpr uint8_t k32BitString = 0xF0;
constexpr uint8_t kInt16 = 0xF1;
constexpr uint8_t kInt24 = 0xF2;
constexpr uint8_t kInt32 = 0xF3;
constexpr uint8_t kInt64 = 0xF4;

bool Is7BitUint(uint8_t b) { return (b & 0x80) == 0; }
bool Is6BitString(uint8_t b) { return (b & 0xC0) == k6BitString; }
bool Is13BitInt(uint8_t b) { return (b & 0xE0) == k13BitInt; }
bool Is12BitString(uint8_t b) { return (b & 0xF0) == k12BitString; }

void StoreLe(unsigned char* out, uint64_t v, size_t bytes) {
  for (size_t i = 0; i < bytes; ++i) out[i] = static_cast<unsigned char>((v >> (8 * i)) & 0xff);
}

uint64_t LoadLe(const unsigned char* p, size_t bytes) {
  uint64_t v = 0;
  for (size_t i = 0; i < bytes; ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
  return v;
}

// Sign-extends the low `bits` bits of `v`.
int64_t SignExtend(uint64_t v, unsigned bits) {
  if (bits == 64) return static_cast<int64_t>(v);
  const uint64_t sign = uint64_t{1} << (bits - 1);
  v &= (sign << 1) - 1;
  return static_cast<int64_t>((v ^ sign) - sign);
}

// Bytes of the encoding and length fields of the entry starting with `b` (0: invalid byte).
size_t HeadBytes(uint8_t b) {
  if (Is12BitString(b)) return 2;
  if (b == k32BitString) return 5;
  if (Is7BitUint(b) || Is6BitString(b) || Is13BitInt(b)) return 1;
  if (b >= kInt16 && b <= kInt64) return 1;
  return 0;
}

std::string Hex(uint8_t b) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "0x%02X", b);
  return buf;
}

}  // namespace

uint32_t LoadU32(const unsigned char* p) { return static_cast<uint32_t>(LoadLe(p, 4)); }
uint32_t LoadU16(const unsigned char* p) { return static_cast<uint32_t>(LoadLe(p, 2)); }
void StoreU32(unsigned char* p, uint32_t v) { StoreLe(p, v, 4); }
void StoreU16(unsigned char* p, uint32_t v) { StoreLe(p, v, 2); }

EncodedEntry EncodeInteger(int64_t value) {
  EncodedEntry e;
  const auto u = static_cast<uint64_t>(value);
  if (value >= 0 && value <= 127) {
    e.head[0] = static_cast<unsigned char>(value);
    e.head_size = 1;
  } else if (value >= -4096 && value <= 4095) {
    const uint64_t v = u & 0x1FFF;
    e.head[0] = static_cast<unsigned char>(k13BitInt | (v >> 8));
    e.head[1] = static_cast<unsigned char>(v & 0xff);
    e.head_size = 2;
  } else if (value >= INT16_MIN && value <= INT16_MAX) {
    e.head[0] = kInt16;
    StoreLe(e.head + 1, u, 2);
    e.head_size = 3;
  } else if (value >= -(int64_t{1} << 23) && value < (int64_t{1} << 23)) {
    e.head[0] = kInt24;
    StoreLe(e.head + 1, u, 3);
    e.head_size = 4;
  } else if (value >= INT32_MIN && value <= INT32_MAX) {
    e.head[0] = kInt32;
    StoreLe(e.head + 1, u, 4);
    e.head_size = 5;
  } else {
    e.head[0] = kInt64;
    StoreLe(e.head + 1, u, 8);
    e.head_size = 9;
  }
  return e;
}

EncodedEntry EncodeValue(std::string_view value) {
  if (std::optional<int64_t> n = ParseInt64(value)) return EncodeInteger(*n);
  EncodedEntry e;
  const size_t len = value.size();
  if (len < 64) {
    e.head[0] = static_cast<unsigned char>(k6BitString | len);
    e.head_size = 1;
  } else if (len < 4096) {
    e.head[0] = static_cast<unsigned char>(k12BitString | (len >> 8));
    e.head[1] = static_cast<unsigned char>(len & 0xff);
    e.head_size = 2;
  } else {
    e.head[0] = k32BitString;
    StoreLe(e.head + 1, len, 4);
    e.head_size = 5;
  }
  e.data = value;
  return e;
}

size_t BacklenSize(uint64_t encoded_size) {
  if (encoded_size <= 127) return 1;
  if (encoded_size < 16383) return 2;
  if (encoded_size < 2097151) return 3;
  if (encoded_size < 268435455) return 4;
  return 5;
}

size_t EntrySize(const EncodedEntry& entry) {
  return entry.encoded_size() + BacklenSize(entry.encoded_size());
}

size_t WriteEntry(const EncodedEntry& entry, unsigned char* out) {
  std::memcpy(out, entry.head, entry.head_size);
  if (!entry.data.empty()) std::memcpy(out + entry.head_size, entry.data.data(), entry.data.size());
  unsigned char* back = out + entry.encoded_size();
  const uint64_t l = entry.encoded_size();
  const size_t n = BacklenSize(l);
  // The leftmost byte holds the highest 7 bits without the "more" flag; every byte to its
  // right carries the flag, so a reader starting at the rightmost byte knows to continue.
  for (size_t i = 0; i < n; ++i) {
    const unsigned shift = static_cast<unsigned>(7 * (n - 1 - i));
    unsigned char b = static_cast<unsigned char>((l >> shift) & 127);
    if (i > 0) b |= 128;
    back[i] = b;
  }
  return entry.encoded_size() + n;
}

uint64_t EncodedSize(const unsigned char* p) {
  const uint8_t b = p[0];
  if (Is7BitUint(b)) return 1;
  if (Is6BitString(b)) return 1 + (b & 0x3F);
  if (Is13BitInt(b)) return 2;
  if (Is12BitString(b)) return 2 + ((uint64_t{b} & 0xF) << 8 | p[1]);
  switch (b) {
    case k32BitString:
      return 5 + LoadLe(p + 1, 4);
    case kInt16:
      return 3;
    case kInt24:
      return 4;
    case kInt32:
      return 5;
    case kInt64:
      return 9;
    default:
      return 1;  // the end byte
  }
}

uint64_t EntryBytes(const unsigned char* p) {
  const uint64_t encoded = EncodedSize(p);
  return encoded + BacklenSize(encoded);
}

uint64_t DecodeBacklen(const unsigned char* last) {
  uint64_t value = 0;
  for (unsigned shift = 0;; shift += 7) {
    if (shift > 28) return UINT64_MAX;
    value |= static_cast<uint64_t>(*last & 127) << shift;
    if ((*last & 128) == 0) return value;
    --last;
  }
}

Listpack::Element Decode(const unsigned char* p) {
  Listpack::Element e;
  const uint8_t b = p[0];
  const char* text = reinterpret_cast<const char*>(p);
  if (Is6BitString(b)) {
    e.bytes = std::string_view(text + 1, b & 0x3F);
    return e;
  }
  if (Is12BitString(b)) {
    e.bytes = std::string_view(text + 2, (size_t{b} & 0xF) << 8 | p[1]);
    return e;
  }
  if (b == k32BitString) {
    e.bytes = std::string_view(text + 5, LoadLe(p + 1, 4));
    return e;
  }
  e.is_integer = true;
  if (Is7BitUint(b)) {
    e.integer = b;
  } else if (Is13BitInt(b)) {
    e.integer = SignExtend((uint64_t{b} & 0x1F) << 8 | p[1], 13);
  } else if (b == kInt16) {
    e.integer = SignExtend(LoadLe(p + 1, 2), 16);
  } else if (b == kInt24) {
    e.integer = SignExtend(LoadLe(p + 1, 3), 24);
  } else if (b == kInt32) {
    e.integer = SignExtend(LoadLe(p + 1, 4), 32);
  } else {
    e.integer = SignExtend(LoadLe(p + 1, 8), 64);
  }
  return e;
}

bool Validate(std::string_view blob, std::string* error) {
  const size_t size = blob.size();
  if (size < kHeaderBytes + 1) {
    *error = "listpack of " + std::to_string(size) + " bytes is shorter than its header and end";
    return false;
  }
  const auto* lp = reinterpret_cast<const unsigned char*>(blob.data());
  if (LoadU32(lp) != size) {
    *error = "listpack header says " + std::to_string(LoadU32(lp)) + " total bytes, blob has " +
             std::to_string(size);
    return false;
  }
  if (lp[size - 1] != kEnd) {
    *error = "listpack does not end with the end byte 0xFF (last byte " + Hex(lp[size - 1]) + ")";
    return false;
  }
  // Every entry must lie before the end byte at `last`.
  const uint64_t last = size - 1;
  uint64_t pos = kHeaderBytes;
  uint32_t count = 0;
  while (lp[pos] != kEnd) {
    const std::string where = " at offset " + std::to_string(pos);
    const size_t head = HeadBytes(lp[pos]);
    if (head == 0) {
      *error = "listpack entry" + where + " has invalid encoding byte " + Hex(lp[pos]);
      return false;
    }
    if (pos + head > last) {
      *error = "listpack entry" + where + " is truncated (its length runs past the end)";
      return false;
    }
    const uint64_t encoded = EncodedSize(lp + pos);
    const uint64_t backlen_size = BacklenSize(encoded);
    const uint64_t entry = encoded + backlen_size;
    if (pos + entry > last) {
      *error = "listpack entry" + where + " of " + std::to_string(entry) +
               " bytes is truncated (runs past the end)";
      return false;
    }
    const uint64_t backlen = DecodeBacklen(lp + pos + entry - 1);
    if (backlen != encoded) {
      *error = "listpack entry" + where + " has a bad backlen (" +
               (backlen == UINT64_MAX ? std::string("over 5 bytes") : std::to_string(backlen)) +
               ", expected " + std::to_string(encoded) + ")";
      return false;
    }
    pos += entry;
    ++count;
  }
  if (pos != last) {
    *error = "listpack end byte at offset " + std::to_string(pos) + " precedes the last byte " +
             std::to_string(last);
    return false;
  }
  const uint32_t header_count = LoadU16(lp + 4);
  if (header_count != kCountUnknown && header_count != count) {
    *error = "listpack header counts " + std::to_string(header_count) + " entries, found " +
             std::to_string(count);
    return false;
  }
  return true;
}

}  // namespace ember::storage::listpack
