#include "protocol/resp_parser.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <utility>

#include "protocol/inline_splitter.h"

namespace ember::protocol {
namespace {

// A declared count only sizes the first reservation up to this many arguments, so
// `*2000000000` cannot make the parser claim memory it has not been sent.
constexpr int64_t kMaxArgsReserve = 1024;
constexpr int64_t kUnauthenticatedMaxArgs = 10;
constexpr int64_t kUnauthenticatedMaxBulk = 16384;

// Redis's string2ll: an optional '-', then digits without leading zeros ("0" alone is
// fine, "-0", "+1", "01", " 1" and "" are not), fitting in int64_t.
bool ParseStrictInt64(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  if (s == "0") {
    *out = 0;
    return true;
  }
  const bool negative = s[0] == '-';
  if (negative) s.remove_prefix(1);
  if (s.empty() || s[0] < '1' || s[0] > '9') return false;
  const uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  uint64_t value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (limit - digit) / 10) return false;
    value = value * 10 + digit;
  }
  *out = negative ? static_cast<int64_t>(0 - value) : static_cast<int64_t>(value);
  return true;
}

// A header's number on ParseWhole's fast path: digits as ParseStrictInt64 accepts them
// (no sign, no leading zero), at most 18 so nothing overflows, then '\r' and the byte after
// it (skipped unchecked, as Redis does). Advances `p` past both; false for anything else.
bool ReadPlainNumber(const char*& p, const char* end, uint64_t* out) {
  const char* digits = p;
  uint64_t value = 0;
  while (p < end && *p >= '0' && *p <= '9') value = value * 10 + static_cast<uint64_t>(*p++ - '0');
  const size_t width = static_cast<size_t>(p - digits);
  if (width == 0 || width > 18 || (digits[0] == '0' && width > 1)) return false;
  if (end - p < 2 || *p != '\r') return false;
  p += 2;
  *out = value;
  return true;
}

}  // namespace

RespParser::RespParser(ParserLimits limits) : limits_(limits) {}

ParseResult RespParser::Parse(std::string_view buffer) {
  buffered_ = buffer.size();
  if (state_ == State::kFailed) return {ParseStatus::kError, 0};
  assert(buffer.size() >= pos_ && "the buffer must keep the unconsumed command's bytes");
  if (state_ == State::kStart) {
    args_.clear();
    if (buffer.empty()) return {ParseStatus::kNeedMore, 0};
    size_t consumed = 0;
    if (buffer[0] == '*' && ParseWhole(buffer, &consumed))
      return {ParseStatus::kComplete, consumed};
    state_ = buffer[0] == '*' ? State::kMultibulkCount : State::kInline;
    StartLine(0);
  }
  if (state_ == State::kInline) return ParseInline(buffer);
  return ParseMultibulk(buffer);
}

size_t RespParser::BytesWanted() const {
  if (state_ != State::kBulkData) return 0;
  const size_t needed = pos_ + static_cast<size_t>(bulk_len_) + 2;
  return needed > buffered_ ? needed - buffered_ : 0;
}

void RespParser::StartLine(size_t offset) {
  pos_ = offset;
  scan_pos_ = offset;
  line_blocked_ = false;
}

// Searches for the line's terminator from where the last call stopped. Redis searches with
// strchr(), which stops at a NUL, so a NUL before the terminator hides it for good; the
// line then only waits for the too-long verdict.
RespParser::LineEnd RespParser::FindLineEnd(std::string_view buffer, char terminator, size_t* end) {
  if (!line_blocked_ && scan_pos_ < buffer.size()) {
    const char* base = buffer.data();
    const size_t length = buffer.size() - scan_pos_;
    const void* hit = std::memchr(base + scan_pos_, terminator, length);
    const size_t stop = hit != nullptr ? static_cast<const char*>(hit) - base : buffer.size();
    if (std::memchr(base + scan_pos_, '\0', stop - scan_pos_) != nullptr) {
      line_blocked_ = true;
    } else if (hit != nullptr) {
      scan_pos_ = stop;
      *end = stop;
      return stop - pos_ > limits_.max_inline_len ? LineEnd::kTooLong : LineEnd::kFound;
    }
    scan_pos_ = buffer.size();
  }
  return buffer.size() - pos_ > limits_.max_inline_len ? LineEnd::kTooLong : LineEnd::kNeedMore;
}

bool RespParser::ParseWhole(std::string_view buffer, size_t* consumed) {
  // Header lines here are at most 19 bytes before their '\r': within any sane line limit.
  if (limits_.max_inline_len < 20) return false;
  const char* p = buffer.data() + 1;  // past the '*'
  const char* end = buffer.data() + buffer.size();
  uint64_t count = 0;
  if (!ReadPlainNumber(p, end, &count) || count == 0 ||
      count > static_cast<uint64_t>(limits_.max_multibulk_len) ||
      (limits_.unauthenticated && count > static_cast<uint64_t>(kUnauthenticatedMaxArgs))) {
    return false;
  }
  const uint64_t max_bulk =
      limits_.unauthenticated
          ? std::min<uint64_t>(static_cast<uint64_t>(limits_.max_bulk_len), kUnauthenticatedMaxBulk)
          : static_cast<uint64_t>(limits_.max_bulk_len);
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t length = 0;
    if (p == end || *p != '$') break;
    ++p;
    if (!ReadPlainNumber(p, end, &length) || length > max_bulk ||
        static_cast<uint64_t>(end - p) < length + 2) {
      break;
    }
    args_.emplace_back(p, length);
    p += length + 2;
  }
  if (args_.size() != count) {
    args_.clear();
    return false;
  }
  // The state machine's spans grow with the commands seen here too, so a command that
  // arrives in pieces later is parsed without allocating in a warmed connection.
  if (spans_.capacity() < count) spans_.reserve(count);
  *consumed = static_cast<size_t>(p - buffer.data());
  return true;
}

ParseResult RespParser::ParseInline(std::string_view buffer) {
  size_t newline = 0;
  switch (FindLineEnd(buffer, '\n', &newline)) {
    case LineEnd::kNeedMore:
      return {ParseStatus::kNeedMore, 0};
    case LineEnd::kTooLong:
      return Fail("ERR Protocol error: too big inline request");
    case LineEnd::kFound:
      break;
  }
  size_t line_end = newline;
  if (line_end > 0 && buffer[line_end - 1] == '\r') --line_end;
  if (!SplitInlineArgsInto(buffer.substr(0, line_end), &inline_args_)) {
    return Fail("ERR Protocol error: unbalanced quotes in request");
  }
  Reset();
  if (inline_args_.empty()) return {ParseStatus::kEmpty, newline + 1};
  for (const std::string& arg : inline_args_) args_.emplace_back(arg);
  return {ParseStatus::kComplete, newline + 1};
}

ParseResult RespParser::ParseMultibulk(std::string_view buffer) {
  if (state_ == State::kMultibulkCount) {
    ParseResult result = ParseCountLine(buffer);
    if (state_ != State::kBulkHeader) return result;
  }
  while (true) {
    if (state_ == State::kBulkHeader) {
      ParseResult result = ParseBulkHeader(buffer);
      if (state_ != State::kBulkData) return result;
    }
    // Only the length is checked: Redis skips the two bytes after the payload unread.
    if (buffer.size() - pos_ < static_cast<size_t>(bulk_len_) + 2) {
      return {ParseStatus::kNeedMore, 0};
    }
    spans_.push_back({pos_, static_cast<size_t>(bulk_len_)});
    pos_ += static_cast<size_t>(bulk_len_) + 2;
    if (--args_expected_ == 0) break;
    state_ = State::kBulkHeader;
    StartLine(pos_);
  }
  for (const ArgSpan& span : spans_) args_.emplace_back(buffer.data() + span.offset, span.length);
  const size_t consumed = pos_;
  Reset();
  return {ParseStatus::kComplete, consumed};
}

// Reads `*N\r\n`. On success moves to kBulkHeader, or finishes with kEmpty for N <= 0.
ParseResult RespParser::ParseCountLine(std::string_view buffer) {
  size_t cr = 0;
  switch (FindLineEnd(buffer, '\r', &cr)) {
    case LineEnd::kNeedMore:
      return {ParseStatus::kNeedMore, 0};
    case LineEnd::kTooLong:
      return Fail("ERR Protocol error: too big mbulk count string");
    case LineEnd::kFound:
      break;
  }
  if (cr + 1 >= buffer.size()) return {ParseStatus::kNeedMore, 0};  // the byte after '\r'
  int64_t count = 0;
  if (!ParseStrictInt64(buffer.substr(pos_ + 1, cr - pos_ - 1), &count) ||
      count > limits_.max_multibulk_len) {
    return Fail("ERR Protocol error: invalid multibulk length");
  }
  if (limits_.unauthenticated && count > kUnauthenticatedMaxArgs) {
    return Fail("ERR Protocol error: unauthenticated multibulk length");
  }
  if (count <= 0) {
    Reset();
    return {ParseStatus::kEmpty, cr + 2};
  }
  args_expected_ = count;
  spans_.clear();
  spans_.reserve(static_cast<size_t>(std::min(count, kMaxArgsReserve)));
  state_ = State::kBulkHeader;
  StartLine(cr + 2);
  return {ParseStatus::kNeedMore, 0};
}

// Reads `$N\r\n`. On success moves to kBulkData with bulk_len_ = N.
ParseResult RespParser::ParseBulkHeader(std::string_view buffer) {
  size_t cr = 0;
  switch (FindLineEnd(buffer, '\r', &cr)) {
    case LineEnd::kNeedMore:
      return {ParseStatus::kNeedMore, 0};
    case LineEnd::kTooLong:
      return Fail("ERR Protocol error: too big bulk count string");
    case LineEnd::kFound:
      break;
  }
  if (cr + 1 >= buffer.size()) return {ParseStatus::kNeedMore, 0};
  const char type = buffer[pos_];
  if (type != '$') {
    // Redis strips CR and LF from formatted errors; a NUL cannot get here (it hides '\r').
    const char shown = (type == '\r' || type == '\n') ? ' ' : type;
    return Fail(std::string("ERR Protocol error: expected '$', got '") + shown + "'");
  }
  int64_t length = 0;
  if (!ParseStrictInt64(buffer.substr(pos_ + 1, cr - pos_ - 1), &length) || length < 0 ||
      length > limits_.max_bulk_len) {
    return Fail("ERR Protocol error: invalid bulk length");
  }
  if (limits_.unauthenticated && length > kUnauthenticatedMaxBulk) {
    return Fail("ERR Protocol error: unauthenticated bulk length");
  }
  bulk_len_ = length;
  pos_ = cr + 2;
  state_ = State::kBulkData;
  return {ParseStatus::kNeedMore, 0};
}

ParseResult RespParser::Fail(std::string message) {
  error_ = std::move(message);
  args_.clear();
  state_ = State::kFailed;
  return {ParseStatus::kError, 0};
}

void RespParser::Reset() {
  state_ = State::kStart;
  StartLine(0);
  args_expected_ = 0;
  bulk_len_ = 0;
  spans_.clear();
}

}  // namespace ember::protocol
