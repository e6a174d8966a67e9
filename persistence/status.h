// Status: the outcome of a persistence operation. Persistence never throws; every read or
// write returns a Status that, on failure, says what went wrong and where (the file and the
// byte offset), so a startup error can point at the exact spot of a corrupt dump.
//
// Value type; cheap to return when ok (no allocation).
#pragma once

#include <cstdint>
#include <string>
#include <utility>

namespace ember::persistence {

class Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  // `offset` is the byte offset in the file where the problem was found; -1 when none.
  static Status Error(std::string message, int64_t offset = -1) {
    Status s;
    s.failed_ = true;
    s.message_ = std::move(message);
    s.offset_ = offset;
    return s;
  }

  bool ok() const { return !failed_; }
  const std::string& message() const { return message_; }
  int64_t offset() const { return offset_; }
  const std::string& file() const { return file_; }

  // Attaches the file name (kept when one is already set).
  Status& WithFile(const std::string& file) {
    if (file_.empty()) file_ = file;
    return *this;
  }

  // "<file> at offset <n>: <message>", omitting the parts that are unknown.
  std::string ToString() const {
    if (ok()) return "OK";
    std::string out;
    if (!file_.empty()) out += "'" + file_ + "'";
    if (offset_ >= 0) out += (out.empty() ? "at offset " : " at offset ") + std::to_string(offset_);
    if (!out.empty()) out += ": ";
    return out + message_;
  }

 private:
  bool failed_ = false;
  std::string message_;
  std::string file_;
  int64_t offset_ = -1;
};

}  // namespace ember::persistence
