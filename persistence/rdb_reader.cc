#include "persistence/rdb_reader.h"

#include <fmt/format.h>

#include <climits>

#include "persistence/rdb_format.h"
#include "persistence/rdb_functions.h"
#include "persistence/rdb_value_loaders.h"

namespace ember::persistence {
namespace {

// A key as it appears in an error: printable bytes as they are, others as \xNN, cut short
// so a huge binary key cannot flood the log.
std::string Printable(std::string_view key) {
  constexpr size_t kMaxShown = 128;
  std::string out;
  for (size_t i = 0; i < key.size() && i < kMaxShown; ++i) {
    auto c = static_cast<unsigned char>(key[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'') {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("\\x{:02x}", c);
    }
  }
  if (key.size() > kMaxShown) out += "...";
  return out;
}

}  // namespace

Status RdbReader::ReadHeader() {
  std::string header;
  Status s = input_.ReadExact(rdb::kMagic.size() + 4, &header);
  if (!s.ok()) return Status::Error("file too short for an RDB header", s.offset());
  if (std::string_view(header).substr(0, rdb::kMagic.size()) != rdb::kMagic) {
    return Status::Error("wrong signature: not an RDB file", 0);
  }
  int version = 0;
  for (char c : header.substr(rdb::kMagic.size())) {
    if (c < '0' || c > '9') return Status::Error("malformed RDB version number", 5);
    version = version * 10 + (c - '0');
  }
  if (version < 1 || version > rdb::kMaxReadVersion) {
    return Status::Error(
        fmt::format("can't handle RDB format version {} (this build reads 1 to {})", version,
                    rdb::kMaxReadVersion),
        5);
  }
  version_ = version;
  return Status::Ok();
}

Status RdbReader::Next(RdbEntry* entry, bool* at_end) {
  *at_end = false;
  int64_t expire_at_ms = -1;
  for (;;) {
    const uint64_t op_offset = input_.offset();
    uint8_t op;
    Status s = input_.ReadByte(&op);
    if (!s.ok()) return s;
    uint64_t a = 0, b = 0;
    std::string field, value;
    switch (op) {
      case rdb::kOpExpireTimeMs:
        s = input_.ReadLittleEndian(8, &a);
        expire_at_ms = static_cast<int64_t>(a);
        break;
      case rdb::kOpExpireTime:
        s = input_.ReadLittleEndian(4, &a);
        expire_at_ms = static_cast<int64_t>(a) * 1000;
        break;
      case rdb::kOpIdle:
        s = input_.ReadLength(&a);  // LRU hints are not kept
        break;
      case rdb::kOpFreq: {
        uint8_t lfu_counter;  // LFU hints are not kept
        s = input_.ReadByte(&lfu_counter);
        break;
      }
      case rdb::kOpSelectDb:
        s = input_.ReadLength(&a);
        if (s.ok() && a > INT_MAX) return input_.Corrupt("database number out of range");
        db_ = static_cast<int>(a);
        break;
      case rdb::kOpResizeDb:
        s = input_.ReadLength(&a);
        if (s.ok()) s = input_.ReadLength(&b);
        if (s.ok()) resize_hint_ = ResizeHint{db_, a};
        break;
      case rdb::kOpAux:
        s = input_.ReadString(&field);
        if (s.ok()) s = input_.ReadString(&value);
        if (s.ok()) aux_.emplace_back(std::move(field), std::move(value));
        break;
      case rdb::kOpModuleAux:
        return Status::Error("module auxiliary data: modules are not supported",
                             static_cast<int64_t>(op_offset));
      case rdb::kOpFunction2:
      case rdb::kOpFunctionPreGa: {
        std::string code;
        s = ReadFunctionRecord(input_, op, &code);
        if (!s.ok()) return Status::Error("function library: " + s.message(), s.offset());
        functions_.push_back(std::move(code));
        break;
      }
      case rdb::kOpEof:
        *at_end = true;
        return ReadTrailer();
      default:
        entry->expire_at_ms = expire_at_ms;
        return ReadValue(op, op_offset, entry);
    }
    if (!s.ok()) return s;
  }
}

Status RdbReader::ReadValue(uint8_t type_byte, uint64_t type_offset, RdbEntry* entry) {
  const RdbValueType* type = FindRdbValueType(type_byte);
  if (type == nullptr) {
    return Status::Error(fmt::format("unknown value type {}", type_byte),
                         static_cast<int64_t>(type_offset));
  }
  entry->db = db_;
  Status s = input_.ReadString(&entry->key);
  if (!s.ok()) return s;
  if (type->load == nullptr) {
    return Status::Error(fmt::format("key '{}' in db {} has type {} (RDB type {}), which this "
                                     "version of Ember cannot load",
                                     Printable(entry->key), db_, type->name, type_byte),
                         static_cast<int64_t>(type_offset));
  }
  entry->is_string = strings_as_bytes_ && type_byte == rdb::kTypeString;
  s = entry->is_string ? input_.ReadString(&entry->string_bytes)
                       : type->load(input_, context_, &entry->value);
  if (!s.ok()) {
    return Status::Error(
        fmt::format("key '{}' in db {} ({}, RDB type {}): {}", Printable(entry->key), db_,
                    type->name, type_byte, s.message()),
        s.offset());
  }
  return s;
}

Status RdbReader::ReadTrailer() {
  if (version_ < rdb::kFirstVersionWithChecksum) return Status::Ok();
  const uint64_t computed = input_.crc();
  const uint64_t trailer_offset = input_.offset();
  uint64_t stored;
  Status s = input_.ReadLittleEndian(8, &stored);
  if (!s.ok()) return s;
  if (stored == 0) return Status::Ok();  // written with rdbchecksum no
  if (stored != computed) {
    return Status::Error(fmt::format("checksum mismatch: the file says {:016x}, the data gives "
                                     "{:016x}",
                                     stored, computed),
                         static_cast<int64_t>(trailer_offset));
  }
  checksum_verified_ = true;
  return Status::Ok();
}

}  // namespace ember::persistence
