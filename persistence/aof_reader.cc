#include "persistence/aof_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cstring>

namespace ember::persistence {
namespace {

constexpr size_t kMaxBufferSize = 64 * 1024;
// Redis reads annotations with a 1024-byte fgets buffer: a longer line is not an annotation.
constexpr size_t kMaxAnnotationLine = 1023;
// "*<count>\r\n" or "$<length>\r\n": a prefix, at most 19 digits (int64), CRLF.
constexpr size_t kMaxDigits = 19;
constexpr size_t kMaxCountLine = 1 + kMaxDigits + 2;
// Redis keeps argc in an int.
constexpr uint64_t kMaxArgs = INT_MAX;
constexpr uint64_t kMaxBulkLength = INT64_MAX;
// Reuse limits: how many idle argument strings are kept, and the capacity a string may keep
// while holding a smaller value.
constexpr size_t kMaxSpareStrings = 256;
constexpr size_t kMaxRetainedCapacity = 1024 * 1024;

std::string ShowByte(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f && c != '\'') return fmt::format("'{}'", c);
  return fmt::format("'\\x{:02x}'", u);
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Whether `bytes`, which the end of the input cut short, could still have become a valid
// "<prefix><digits>\r\n" line: the prefix, up to 19 digits, then at most the '\r'.
bool CouldBeCountLine(std::string_view bytes, char prefix) {
  if (bytes.empty() || bytes[0] != prefix) return false;
  size_t i = 1;
  while (i < bytes.size() && IsDigit(bytes[i])) ++i;
  if (i - 1 > kMaxDigits) return false;
  if (i == bytes.size()) return true;
  return i + 1 == bytes.size() && bytes[i] == '\r' && i > 1;
}

}  // namespace

AofCommandReader::AofCommandReader(ByteSource* source, uint64_t end)
    : source_(source), end_(end), buffer_offset_(source->offset()) {
  const uint64_t input = end_ > buffer_offset_ ? end_ - buffer_offset_ : 0;
  capacity_ =
      static_cast<size_t>(std::clamp<uint64_t>(input, kMaxAnnotationLine + 1, kMaxBufferSize));
  buffer_ = std::make_unique<char[]>(capacity_);
  command_start_ = valid_up_to_ = buffer_offset_;
}

uint64_t AofCommandReader::remaining() const { return end_ > position() ? end_ - position() : 0; }

// Moves the unread bytes to the front of the buffer and reads as many more as fit (never
// past end_). False when nothing more could be read: the end, or a read error (io_error_).
bool AofCommandReader::Fill() {
  if (pos_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + pos_, limit_ - pos_);
    buffer_offset_ += pos_;
    limit_ -= pos_;
    pos_ = 0;
  }
  const uint64_t source_at = buffer_offset_ + limit_;
  const uint64_t left = end_ > source_at ? end_ - source_at : 0;
  const size_t want = static_cast<size_t>(std::min<uint64_t>(capacity_ - limit_, left));
  if (want == 0) return false;
  Status s = source_->Read(want, buffer_.get() + limit_);
  if (!s.ok()) {
    io_error_ = s;
    return false;
  }
  limit_ += want;
  return true;
}

bool AofCommandReader::EnsureBuffered(size_t n) {
  while (limit_ - pos_ < n) {
    if (!Fill()) return false;
  }
  return true;
}

// On kLine, *line is the line with its '\n', valid until the next read. On kShort the
// partial line stays unread in the buffer (it is all that is left of the input).
AofCommandReader::LineResult AofCommandReader::ReadLine(size_t max_length, std::string_view* line) {
  size_t scanned = 0;
  for (;;) {
    const char* start = buffer_.get() + pos_;
    const size_t look = std::min(limit_ - pos_, max_length);
    const void* newline = std::memchr(start + scanned, '\n', look - scanned);
    if (newline != nullptr) {
      const size_t length = static_cast<const char*>(newline) - start + 1;
      *line = std::string_view(start, length);
      pos_ += length;
      return LineResult::kLine;
    }
    scanned = look;
    if (look == max_length) return LineResult::kTooLong;
    if (!Fill()) return io_error_.ok() ? LineResult::kShort : LineResult::kIoError;
  }
}

AofCommandReader::Result AofCommandReader::Finish(Result result, Status* error) {
  finished_ = true;
  final_result_ = result;
  final_error_ = *error;
  return result;
}

AofCommandReader::Result AofCommandReader::Corrupt(std::string_view what, uint64_t offset,
                                                   Status* error) {
  if (!io_error_.ok()) {
    *error = io_error_;
  } else {
    *error = Status::Error(fmt::format("Bad file format reading the append only file: {}", what),
                           static_cast<int64_t>(offset));
  }
  return Finish(Result::kCorrupt, error);
}

AofCommandReader::Result AofCommandReader::Truncated(Status* error) {
  if (!io_error_.ok()) return Corrupt("", 0, error);
  *error = Status::Error("Unexpected end of file reading the append only file",
                         static_cast<int64_t>(command_start_));
  return Finish(Result::kTruncated, error);
}

// Reads "<prefix><digits>\r\n" into *value (at most max_value). kCommand on success.
AofCommandReader::Result AofCommandReader::ReadCount(char prefix, uint64_t max_value,
                                                     uint64_t* value, Status* error) {
  const uint64_t line_start = position();
  const char* kind = prefix == '*' ? "multibulk" : "bulk";
  if (!EnsureBuffered(1)) return Truncated(error);
  if (buffer_[pos_] != prefix) {
    return Corrupt(fmt::format("expected '{}', got {}", prefix, ShowByte(buffer_[pos_])),
                   line_start, error);
  }
  std::string_view line;
  switch (ReadLine(kMaxCountLine, &line)) {
    case LineResult::kIoError:
      return Truncated(error);
    case LineResult::kTooLong:
      return Corrupt(fmt::format("invalid {} length", kind), line_start, error);
    case LineResult::kShort:
      if (CouldBeCountLine(std::string_view(buffer_.get() + pos_, limit_ - pos_), prefix)) {
        return Truncated(error);
      }
      return Corrupt(fmt::format("invalid {} length", kind), line_start, error);
    case LineResult::kLine:
      break;
  }
  // line is "<prefix><digits>\r\n" or it is corrupt.
  const std::string_view digits = line.substr(1, line.size() - 1);
  uint64_t n = 0;
  size_t i = 0;
  for (; i < digits.size() && IsDigit(digits[i]); ++i) {
    const auto digit = static_cast<uint64_t>(digits[i] - '0');
    if (n > (max_value - digit) / 10) {
      return Corrupt(fmt::format("invalid {} length", kind), line_start, error);
    }
    n = n * 10 + digit;
  }
  if (i == 0 || digits.substr(i) != "\r\n") {
    return Corrupt(fmt::format("invalid {} length", kind), line_start, error);
  }
  *value = n;
  return Result::kCommand;
}

AofCommandReader::Result AofCommandReader::ReadBulk(std::string* out, Status* error) {
  uint64_t length = 0;
  Result r = ReadCount('$', kMaxBulkLength, &length, error);
  if (r != Result::kCommand) return r;
  // A length beyond what is left can never complete: the input was cut (or lies), and no
  // allocation is made for it.
  const uint64_t left = remaining();
  if (length > left || left - length < 2) return Truncated(error);
  if (out->capacity() > kMaxRetainedCapacity && length <= kMaxRetainedCapacity) {
    std::string().swap(*out);  // one huge value must not pin its memory for the whole load
  }
  out->clear();
  out->reserve(static_cast<size_t>(length));
  auto need = static_cast<size_t>(length);
  for (;;) {
    const size_t take = std::min(need, limit_ - pos_);
    out->append(buffer_.get() + pos_, take);
    pos_ += take;
    need -= take;
    if (need == 0) break;
    if (need >= capacity_ / 2) {
      // Large values go straight from the source into the string (the buffer is empty).
      const size_t have = out->size();
      out->resize(have + need);
      Status s = source_->Read(need, out->data() + have);
      buffer_offset_ += limit_ + need;
      pos_ = limit_ = 0;
      if (!s.ok()) {
        io_error_ = s;
        return Truncated(error);
      }
      break;
    }
    if (!Fill()) return Truncated(error);
  }
  const uint64_t crlf_at = position();
  if (!EnsureBuffered(2)) return Truncated(error);
  if (buffer_[pos_] != '\r' || buffer_[pos_ + 1] != '\n') {
    return Corrupt(fmt::format("expected CRLF after a bulk of {} bytes, got {} {}", length,
                               ShowByte(buffer_[pos_]), ShowByte(buffer_[pos_ + 1])),
                   crlf_at, error);
  }
  pos_ += 2;
  return Result::kCommand;
}

AofCommandReader::Result AofCommandReader::ReadCommand(std::vector<std::string>* argv,
                                                       Status* error) {
  uint64_t argc = 0;
  Result r = ReadCount('*', kMaxArgs, &argc, error);
  if (r != Result::kCommand) return r;
  if (argc == 0) return Corrupt("invalid multibulk length", command_start_, error);
  // argv grows with the arguments actually read, never to the claimed count up front.
  // Strings beyond this command's count wait in spare_ for a longer command, keeping their
  // capacity, so commands of alternating lengths (SELECT, SET) allocate nothing.
  for (size_t j = 0; j < argc; ++j) {
    if (j == argv->size()) {
      if (spare_.empty()) {
        argv->emplace_back();
      } else {
        argv->push_back(std::move(spare_.back()));
        spare_.pop_back();
      }
    }
    r = ReadBulk(&(*argv)[j], error);
    if (r != Result::kCommand) return r;
  }
  while (argv->size() > argc) {
    if (spare_.size() < kMaxSpareStrings) spare_.push_back(std::move(argv->back()));
    argv->pop_back();
  }
  return Result::kCommand;
}

AofCommandReader::Result AofCommandReader::Next(std::vector<std::string>* argv, Status* error) {
  if (finished_) {
    *error = final_error_;
    return final_result_;
  }
  for (;;) {
    command_start_ = position();
    if (!EnsureBuffered(1)) {
      if (!io_error_.ok()) return Corrupt("", 0, error);
      *error = Status::Ok();
      return Finish(Result::kEnd, error);
    }
    const char first = buffer_[pos_];
    if (first == '#') {
      std::string_view line;
      switch (ReadLine(kMaxAnnotationLine, &line)) {
        case LineResult::kLine:
          valid_up_to_ = position();
          continue;
        case LineResult::kShort:
          return Truncated(error);
        case LineResult::kTooLong:
          return Corrupt("annotation line too long", command_start_, error);
        case LineResult::kIoError:
          return Corrupt("", 0, error);
      }
    }
    if (first != '*') {
      return Corrupt(fmt::format("expected '*', got {}", ShowByte(first)), command_start_, error);
    }
    Result r = ReadCommand(argv, error);
    if (r == Result::kCommand) valid_up_to_ = position();
    return r;
  }
}

bool LooksLikeRdb(std::string_view first_bytes) { return first_bytes.substr(0, 5) == "REDIS"; }

}  // namespace ember::persistence
