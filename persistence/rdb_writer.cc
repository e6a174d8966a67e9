#include "persistence/rdb_writer.h"

#include <fmt/format.h>

#include "persistence/crc64.h"
#include "persistence/rdb_format.h"
#include "persistence/rdb_functions.h"
#include "persistence/rdb_value_savers.h"

namespace ember::persistence {
namespace {

constexpr size_t kDrainThreshold = 64 * 1024;

}  // namespace

RdbWriter::RdbWriter(ByteSink* sink, RdbWriteOptions options)
    : sink_(sink), options_(options), encoder_(&buffer_, options.compression) {
  buffer_.reserve(kDrainThreshold * 2);
}

Status RdbWriter::WriteHeader() {
  buffer_.append(rdb::kMagic);
  buffer_.append(fmt::format("{:04}", rdb::kWriteVersion));
  return Drain(false);
}

Status RdbWriter::WriteAux(std::string_view field, std::string_view value) {
  encoder_.PutByte(rdb::kOpAux);
  encoder_.PutString(field);
  encoder_.PutString(value);
  return Drain(false);
}

Status RdbWriter::WriteFunction(std::string_view code) {
  PutFunctionRecord(encoder_, code);
  return Drain(false);
}

Status RdbWriter::WriteSelectDb(int db) {
  encoder_.PutByte(rdb::kOpSelectDb);
  encoder_.PutLength(static_cast<uint64_t>(db));
  return Drain(false);
}

Status RdbWriter::WriteResizeDb(uint64_t keys, uint64_t keys_with_expire) {
  encoder_.PutByte(rdb::kOpResizeDb);
  encoder_.PutLength(keys);
  encoder_.PutLength(keys_with_expire);
  return Drain(false);
}

Status RdbWriter::WriteEntry(std::string_view key, storage::ValueRef value, int64_t expire_at_ms) {
  const RdbValueSaver& saver = FindRdbValueSaver(value.type());
  if (saver.type_byte == nullptr || saver.save == nullptr) {
    return Status::Error(fmt::format("cannot save key '{}': type {} is not supported", key,
                                     storage::TypeName(value.type())));
  }
  if (expire_at_ms >= 0) {
    encoder_.PutByte(rdb::kOpExpireTimeMs);
    const auto ms = static_cast<uint64_t>(expire_at_ms);
    for (int i = 0; i < 8; ++i) encoder_.PutByte(static_cast<uint8_t>(ms >> (8 * i)));
  }
  encoder_.PutByte(saver.type_byte(value));
  encoder_.PutString(key);
  Status s = saver.save(encoder_, value);
  if (!s.ok()) return s;
  return Drain(false);
}

Status RdbWriter::Finish() {
  encoder_.PutByte(rdb::kOpEof);
  // The checksum covers every byte before it, so fold the buffer in before appending it.
  uint64_t crc = options_.checksum ? Crc64(crc_, buffer_) : 0;
  for (int i = 0; i < 8; ++i) encoder_.PutByte(static_cast<uint8_t>(crc >> (8 * i)));
  if (options_.checksum) crc_ = crc;
  bytes_written_ += buffer_.size();
  Status s = sink_->Write(buffer_);
  buffer_.clear();
  if (!s.ok()) return s;
  return sink_->Flush();
}

Status RdbWriter::Drain(bool force) {
  if (!force && buffer_.size() < kDrainThreshold) return Status::Ok();
  if (options_.checksum) crc_ = Crc64(crc_, buffer_);
  bytes_written_ += buffer_.size();
  Status s = sink_->Write(buffer_);
  buffer_.clear();
  return s;
}

}  // namespace ember::persistence
