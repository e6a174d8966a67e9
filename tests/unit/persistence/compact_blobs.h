// Builders of the compact blobs Redis stores in RDB files, for tests of the hash and set
// loaders: ziplists and zipmaps (formats Redis no longer writes, so no redis-server 7.0 can
// produce a golden file of them), raw intsets (wrong widths and orders included), and the
// RDB framing of a single value (type byte, key, value) in a whole file, and the plain
// lengths, strings and listpacks those values are made of.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "persistence/crc64.h"
#include "persistence/rdb_encoder.h"
#include "storage/value/listpack.h"
#include "storage/value/number_format.h"

namespace ember::persistence::testing {

inline void PutLittleEndian(std::string* out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

// A ziplist of `entries`, each a canonical integer stored in the smallest integer encoding
// (as Redis's ziplistPush did) or a string.
inline std::string Ziplist(const std::vector<std::string>& entries) {
  std::string body;
  size_t prev = 0, tail = 10;
  for (const std::string& text : entries) {
    std::string e;
    if (prev < 254) {
      e.push_back(static_cast<char>(prev));
    } else {
      e.push_back(static_cast<char>(0xFE));
      PutLittleEndian(&e, prev, 4);
    }
    auto v = storage::ParseInt64(text);
    if (v && storage::Int64ToString(*v) == text) {
      if (*v >= 0 && *v <= 12) {
        e.push_back(static_cast<char>(0xF1 + *v));
      } else if (*v >= INT8_MIN && *v <= INT8_MAX) {
        e.push_back(static_cast<char>(0xFE));
        PutLittleEndian(&e, static_cast<uint64_t>(*v), 1);
      } else if (*v >= INT16_MIN && *v <= INT16_MAX) {
        e.push_back(static_cast<char>(0xC0));
        PutLittleEndian(&e, static_cast<uint64_t>(*v), 2);
      } else if (*v >= -(1 << 23) && *v < (1 << 23)) {
        e.push_back(static_cast<char>(0xF0));
        PutLittleEndian(&e, static_cast<uint64_t>(*v), 3);
      } else if (*v >= INT32_MIN && *v <= INT32_MAX) {
        e.push_back(static_cast<char>(0xD0));
        PutLittleEndian(&e, static_cast<uint64_t>(*v), 4);
      } else {
        e.push_back(static_cast<char>(0xE0));
        PutLittleEndian(&e, static_cast<uint64_t>(*v), 8);
      }
    } else if (text.size() < 64) {
      e.push_back(static_cast<char>(text.size()));
      e += text;
    } else if (text.size() < 16384) {
      e.push_back(static_cast<char>(0x40 | (text.size() >> 8)));
      e.push_back(static_cast<char>(text.size() & 0xFF));
      e += text;
    } else {
      e.push_back(static_cast<char>(0x80));
      for (int i = 3; i >= 0; --i) e.push_back(static_cast<char>(text.size() >> (8 * i)));
      e += text;
    }
    tail = 10 + body.size();
    prev = e.size();
    body += e;
  }
  std::string out;
  PutLittleEndian(&out, 10 + body.size() + 1, 4);
  PutLittleEndian(&out, tail, 4);
  PutLittleEndian(&out, entries.size() < 0xFFFF ? entries.size() : 0xFFFF, 2);
  return out + body + "\xFF";
}

// A zipmap of `pairs`, each value followed by `free` unused bytes.
inline std::string Zipmap(const std::vector<std::pair<std::string, std::string>>& pairs,
                          uint8_t free = 0) {
  auto length = [](std::string* out, size_t n) {
    if (n < 254) {
      out->push_back(static_cast<char>(n));
    } else {
      out->push_back(static_cast<char>(0xFE));
      PutLittleEndian(out, n, 4);
    }
  };
  std::string out(1, static_cast<char>(pairs.size() < 254 ? pairs.size() : 254));
  for (const auto& [field, value] : pairs) {
    length(&out, field.size());
    out += field;
    length(&out, value.size());
    out.push_back(static_cast<char>(free));
    out += value;
    out.append(free, 'x');
  }
  return out + "\xFF";
}

// An intset blob as given: header (width, count) and the members in that width.
inline std::string IntsetBlob(uint32_t width, const std::vector<int64_t>& members) {
  std::string out;
  PutLittleEndian(&out, width, 4);
  PutLittleEndian(&out, members.size(), 4);
  for (int64_t m : members)
    PutLittleEndian(&out, static_cast<uint64_t>(m), static_cast<int>(width));
  return out;
}

// A whole RDB file (version 10, checksum sealed) holding one key of `type_byte` whose value
// is `value` as already encoded (e.g. EncodedBlob).
inline std::string RdbFileWith(uint8_t type_byte, std::string_view key, std::string_view value,
                               std::string_view version = "0010") {
  std::string out = "REDIS" + std::string(version);
  out += "\xFE";
  out.push_back('\0');
  out.push_back(static_cast<char>(type_byte));
  RdbEncoder(&out, false).PutString(key);
  out += value;
  out.push_back(static_cast<char>(0xFF));
  PutLittleEndian(&out, Crc64(0, out), 8);
  return out;
}

// The bytes of a listpack of `entries` (integer-looking ones as integer entries).
inline std::string ListpackOf(const std::vector<std::string>& entries) {
  storage::Listpack listpack;
  for (const std::string& e : entries) listpack.Append(e);
  return std::string(listpack.bytes());
}

// A length and a string as an uncompressed RdbEncoder writes them.
inline std::string Length(uint64_t n) {
  std::string out;
  RdbEncoder(&out, false).PutLength(n);
  return out;
}

inline std::string Str(std::string_view s) {
  std::string out;
  RdbEncoder(&out, false).PutString(s);
  return out;
}

// A blob as an RDB string (what a value of a blob type holds).
inline std::string EncodedBlob(std::string_view blob) {
  std::string out;
  RdbEncoder(&out, false).PutBlob(blob);
  return out;
}

}  // namespace ember::persistence::testing
