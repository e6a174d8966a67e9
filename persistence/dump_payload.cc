#include "persistence/dump_payload.h"

#include <fmt/format.h>

#include "persistence/byte_io.h"
#include "persistence/crc64.h"
#include "persistence/rdb_encoder.h"
#include "persistence/rdb_format.h"
#include "persistence/rdb_input.h"
#include "persistence/rdb_value_savers.h"

namespace ember::persistence {
namespace {

constexpr size_t kFooterSize = 2 + 8;  // version, CRC-64

uint64_t LittleEndian(std::string_view bytes) {
  uint64_t v = 0;
  for (size_t i = bytes.size(); i-- > 0;) v = (v << 8) | static_cast<uint8_t>(bytes[i]);
  return v;
}

}  // namespace

Status EncodeDumpPayload(storage::ValueRef value, bool compression, std::string* out) {
  out->clear();
  const RdbValueSaver& saver = FindRdbValueSaver(value.type());
  if (saver.type_byte == nullptr || saver.save == nullptr) {
    return Status::Error(
        fmt::format("cannot serialize a value of type {}", storage::TypeName(value.type())));
  }
  RdbEncoder encoder(out, compression);
  encoder.PutByte(saver.type_byte(value));
  Status s = saver.save(encoder, value);
  if (!s.ok()) return s;
  encoder.PutByte(static_cast<uint8_t>(rdb::kWriteVersion & 0xff));
  encoder.PutByte(static_cast<uint8_t>(rdb::kWriteVersion >> 8));
  const uint64_t crc = Crc64(0, *out);
  for (int i = 0; i < 8; ++i) encoder.PutByte(static_cast<uint8_t>(crc >> (8 * i)));
  return Status::Ok();
}

Status CheckDumpPayloadFooter(std::string_view payload) {
  if (payload.size() < kFooterSize) return Status::Error("payload shorter than its footer");
  const size_t body_size = payload.size() - 8;
  const uint64_t version = LittleEndian(payload.substr(body_size - 2, 2));
  if (version > static_cast<uint64_t>(rdb::kMaxReadVersion)) {
    return Status::Error(fmt::format("payload of RDB version {}", version));
  }
  if (LittleEndian(payload.substr(body_size, 8)) != Crc64(0, payload.substr(0, body_size))) {
    return Status::Error("payload checksum mismatch");
  }
  return Status::Ok();
}

Status DecodeDumpPayload(std::string_view payload, const RdbLoadContext& context,
                         storage::Value* out, DumpPayloadError* error) {
  *error = DumpPayloadError::kBadVersionOrChecksum;
  if (Status footer = CheckDumpPayloadFooter(payload); !footer.ok()) return footer;
  *error = DumpPayloadError::kBadData;
  const std::string_view value_bytes = payload.substr(0, payload.size() - kFooterSize);
  MemorySource source(value_bytes);
  RdbInput input(&source);
  uint8_t type_byte = 0;
  Status s = input.ReadByte(&type_byte);
  if (!s.ok()) return s;
  const RdbValueType* type = FindRdbValueType(type_byte);
  if (type == nullptr || type->load == nullptr) {
    return Status::Error(
        fmt::format("payload of RDB type {} ({})", type_byte, rdb::TypeByteName(type_byte)), 0);
  }
  s = type->load(input, context, out);
  if (!s.ok()) return s;
  if (input.offset() != value_bytes.size()) {
    return input.Corrupt("bytes left after the value");
  }
  *error = DumpPayloadError::kNone;
  return Status::Ok();
}

}  // namespace ember::persistence
