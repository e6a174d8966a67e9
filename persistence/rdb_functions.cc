#include "persistence/rdb_functions.h"

#include "persistence/byte_io.h"
#include "persistence/crc64.h"
#include "persistence/dump_payload.h"
#include "persistence/rdb_format.h"

namespace ember::persistence {
namespace {

constexpr size_t kFooterSize = 2 + 8;  // version, CRC-64

// The pre-GA record: name, engine, description flag and description, code.
Status ReadPreGaRecord(RdbInput& input, std::string* code) {
  std::string name, engine, description, body;
  uint64_t has_description = 0;
  if (!input.ReadString(&name).ok()) return input.Corrupt("Failed loading library name");
  if (!input.ReadString(&engine).ok()) return input.Corrupt("Failed loading engine name");
  if (!input.ReadLength(&has_description).ok()) {
    return input.Corrupt("Failed loading library description indicator");
  }
  if (has_description != 0 && !input.ReadString(&description).ok()) {
    return input.Corrupt("Failed loading library description");
  }
  if (!input.ReadString(&body).ok()) return input.Corrupt("Failed loading library blob");
  *code = "#!" + engine + " name=" + name + "\n" + body;
  return Status::Ok();
}

}  // namespace

void PutFunctionRecord(RdbEncoder& encoder, std::string_view code) {
  encoder.PutByte(rdb::kOpFunction2);
  encoder.PutString(code);
}

Status ReadFunctionRecord(RdbInput& input, uint8_t opcode, std::string* code) {
  if (opcode == rdb::kOpFunctionPreGa) return ReadPreGaRecord(input, code);
  if (!input.ReadString(code).ok()) return input.Corrupt("Failed loading library payload");
  return Status::Ok();
}

std::string EncodeFunctionsPayload(std::span<const std::string> codes, bool compression) {
  std::string out;
  RdbEncoder encoder(&out, compression);
  for (const std::string& code : codes) PutFunctionRecord(encoder, code);
  encoder.PutByte(static_cast<uint8_t>(rdb::kWriteVersion & 0xff));
  encoder.PutByte(static_cast<uint8_t>(rdb::kWriteVersion >> 8));
  const uint64_t crc = Crc64(0, out);
  for (int i = 0; i < 8; ++i) encoder.PutByte(static_cast<uint8_t>(crc >> (8 * i)));
  return out;
}

Status DecodeFunctionsPayload(std::string_view payload, std::vector<std::string>* codes) {
  codes->clear();
  if (!CheckDumpPayloadFooter(payload).ok()) {
    return Status::Error("DUMP payload version or checksum are wrong");
  }
  const std::string_view records = payload.substr(0, payload.size() - kFooterSize);
  MemorySource source(records);
  RdbInput input(&source);
  while (input.offset() < records.size()) {
    uint8_t opcode = 0;
    if (!input.ReadByte(&opcode).ok()) return input.Corrupt("can not read data type");
    if (opcode != rdb::kOpFunction2 && opcode != rdb::kOpFunctionPreGa) {
      return input.Corrupt("given type is not a function");
    }
    std::string code;
    Status s = ReadFunctionRecord(input, opcode, &code);
    if (!s.ok()) return s;
    codes->push_back(std::move(code));
  }
  return Status::Ok();
}

}  // namespace ember::persistence
