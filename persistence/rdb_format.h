// Constants of Redis's RDB file format (see docs/rdb_format.md): the header, opcodes, value
// type bytes and string encodings. Shared by RdbWriter, RdbReader and the checker.
#pragma once

#include <cstdint>
#include <string_view>

namespace ember::persistence::rdb {

inline constexpr std::string_view kMagic = "REDIS";
// What Ember writes: the Redis 7.0 format, loadable by every Redis >= 7.0 and by Valkey.
inline constexpr int kWriteVersion = 10;
// The newest format Ember reads (Redis 7.4).
inline constexpr int kMaxReadVersion = 12;
// Files older than this carry no checksum after the EOF opcode.
inline constexpr int kFirstVersionWithChecksum = 5;

// Opcodes: bytes that appear where a value type byte could, announcing metadata instead.
enum Opcode : uint8_t {
  kOpFunction2 = 245,
  kOpFunctionPreGa = 246,
  kOpModuleAux = 247,
  kOpIdle = 248,          // LRU idle time (length-encoded seconds) of the next key
  kOpFreq = 249,          // LFU counter (one byte) of the next key
  kOpAux = 250,           // two strings: field name, value
  kOpResizeDb = 251,      // two lengths: keys, keys with a TTL
  kOpExpireTimeMs = 252,  // 8-byte little-endian unix ms of the next key
  kOpExpireTime = 253,    // 4-byte little-endian unix seconds of the next key
  kOpSelectDb = 254,      // length: the database of the keys that follow
  kOpEof = 255,
};

// Value type bytes. Strings, hashes and sets load (rdb_value_loaders.cc); the others are
// recognised so an unsupported file is reported by type name.
enum ValueTypeByte : uint8_t {
  kTypeString = 0,
  kTypeList = 1,
  kTypeSet = 2,
  kTypeZSet = 3,
  kTypeHash = 4,
  kTypeZSet2 = 5,
  kTypeModulePreGa = 6,
  kTypeModule2 = 7,
  kTypeHashZipmap = 9,
  kTypeListZiplist = 10,
  kTypeSetIntset = 11,
  kTypeZSetZiplist = 12,
  kTypeHashZiplist = 13,
  kTypeListQuicklist = 14,
  kTypeStreamListpacks = 15,
  kTypeHashListpack = 16,
  kTypeZSetListpack = 17,
  kTypeListQuicklist2 = 18,
  kTypeStreamListpacks2 = 19,
  kTypeSetListpack = 20,
  kTypeStreamListpacks3 = 21,
  kTypeHashMetadataPreGa = 22,
  kTypeHashListpackExPreGa = 23,
  kTypeHashMetadata = 24,
  kTypeHashListpackEx = 25,
};

// Length encoding: the top two bits of the first byte select the form.
inline constexpr uint8_t kLen6Bit = 0;       // 00xxxxxx
inline constexpr uint8_t kLen14Bit = 1;      // 01xxxxxx xxxxxxxx (big-endian)
inline constexpr uint8_t kLen32Bit = 0x80;   // then 4 bytes big-endian
inline constexpr uint8_t kLen64Bit = 0x81;   // then 8 bytes big-endian
inline constexpr uint8_t kEncodedValue = 3;  // 11xxxxxx: a special string encoding follows

// Special string encodings (low six bits after 11).
inline constexpr uint8_t kEncInt8 = 0;
inline constexpr uint8_t kEncInt16 = 1;
inline constexpr uint8_t kEncInt32 = 2;
inline constexpr uint8_t kEncLzf = 3;

// Strings longer than this are tried with LZF when compression is on (Redis's threshold).
inline constexpr size_t kMinCompressLength = 20;

// A readable name for a type byte ("list (quicklist2)", ...), "unknown" when none.
std::string_view TypeByteName(uint8_t type);

}  // namespace ember::persistence::rdb
