// RespParser turns the bytes a client sent into command argument vectors.
//
// It understands RESP multibulk requests (`*2\r\n$3\r\nGET\r\n$1\r\nk\r\n`) and Redis's
// inline commands (`GET k\r\n`, with quotes and escapes). A request whose first byte is '*'
// is multibulk; anything else is inline. It does no I/O: the connection owns the read
// buffer and hands its unconsumed bytes to Parse() after every read.
//
// Ownership and threading: one parser per connection, used from that connection's thread
// only. Views returned by Args() point into the buffer passed to the last Parse() call (for
// multibulk requests) or into the parser's own storage (for inline requests); they stay
// valid until the caller changes that buffer or calls Parse() again.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ember::protocol {

// Redis's defaults; the server overrides them from its configuration.
struct ParserLimits {
  // proto-max-bulk-len: a longer bulk is "invalid bulk length".
  int64_t max_bulk_len = 512LL * 1024 * 1024;
  // PROTO_INLINE_MAX_SIZE: the longest inline line or `*N` / `$N` header line, counted from
  // its first byte up to (not including) its terminator ('\n' inline, '\r' for headers).
  size_t max_inline_len = 64 * 1024;
  // A larger `*N` count is "invalid multibulk length" (Redis 7.0: INT_MAX).
  int64_t max_multibulk_len = 2147483647;
  // Limits for clients that have not authenticated yet (Redis: 10 args, 16 KiB bulks).
  bool unauthenticated = false;
};

enum class ParseStatus {
  kComplete,  // one command is ready in Args(); `consumed` bytes belong to it
  kNeedMore,  // the buffer ends inside a command; call again with more bytes appended
  kEmpty,     // the consumed bytes held no command (blank inline line, `*0`, `*-1`)
  kError,     // protocol violation; error() holds Redis's text; close the connection
};

struct ParseResult {
  ParseStatus status;
  // Bytes of the buffer's front that this call used up; 0 unless kComplete or kEmpty.
  size_t consumed;
};

class RespParser {
 public:
  explicit RespParser(ParserLimits limits = {});

  // Parses at most one command from the front of `buffer`.
  //
  // `buffer` must start where the previous call's `consumed` ended. After kNeedMore the
  // caller appends bytes and calls again with the same front (the bytes may have moved):
  // the parser resumes from the offsets it kept, so neither a large bulk nor a long header
  // is rescanned. kNeedMore consumes nothing. After kError the parser must not be used
  // again (further calls return kError).
  //
  // The result does not depend on how the byte stream was split across calls. Redis
  // judges an over-long line by how much it has buffered when the terminator is missing,
  // which depends on read sizes; this parser rejects a line whenever more than
  // max_inline_len bytes precede its terminator, the outcome Redis reaches when the bytes
  // trickle in. As in Redis, a NUL byte before a header's or inline line's terminator hides
  // the terminator (the request waits until the too-big limit rejects it), and the two
  // bytes after a bulk's payload, and the byte after a header's '\r', are skipped unchecked.
  ParseResult Parse(std::string_view buffer);

  // The arguments of the command completed by the last kComplete result.
  const std::vector<std::string_view>& Args() const { return args_; }

  // Redis's reply text for the last kError, without the leading '-' and CRLF, e.g.
  // "ERR Protocol error: invalid bulk length".
  const std::string& error() const { return error_; }

  // Forgets any partly parsed command, as after kComplete, keeping the limits and the
  // buffers' capacity: for a parser that scans ahead and restarts at a command boundary.
  void Restart() { Reset(); }

  // Takes effect from the next header the parser reads.
  void set_limits(const ParserLimits& limits) { limits_ = limits; }
  const ParserLimits& limits() const { return limits_; }

  // Bytes the parser wants buffered beyond the last buffer it saw before it can make
  // progress: while a bulk's payload is incomplete, the rest of that payload plus its CRLF,
  // so the connection can size its next read for a large bulk. 0 when unknown.
  size_t BytesWanted() const;

 private:
  enum class State {
    kStart,           // between commands
    kInline,          // looking for the inline line's '\n'
    kMultibulkCount,  // looking for the `*N` line's '\r'
    kBulkHeader,      // looking for a `$N` line's '\r'
    kBulkData,        // waiting for bulk_len_ + 2 bytes at pos_
    kFailed,          // a protocol error was reported
  };

  // Where a header or inline line ends, if it can be judged yet.
  enum class LineEnd { kFound, kNeedMore, kTooLong };

  struct ArgSpan {
    size_t offset;
    size_t length;
  };

  // The common case in one pass: a whole multibulk command at the buffer's front whose
  // headers are plain (digits only, within every limit, count > 0). Fills args_ and returns
  // true; returns false, changing nothing else, for anything else, which the state machine
  // then parses (and judges) as usual.
  bool ParseWhole(std::string_view buffer, size_t* consumed);
  ParseResult ParseInline(std::string_view buffer);
  ParseResult ParseMultibulk(std::string_view buffer);
  ParseResult ParseCountLine(std::string_view buffer);
  ParseResult ParseBulkHeader(std::string_view buffer);
  LineEnd FindLineEnd(std::string_view buffer, char terminator, size_t* end);
  void StartLine(size_t offset);
  ParseResult Fail(std::string message);
  void Reset();

  ParserLimits limits_;
  State state_ = State::kStart;
  // Progress through the current command, as offsets from the buffer's front (the buffer
  // may move between calls).
  size_t pos_ = 0;             // first byte not yet parsed
  size_t scan_pos_ = 0;        // the current line was searched up to here
  bool line_blocked_ = false;  // a NUL hides the current line's terminator
  int64_t args_expected_ = 0;  // bulks still to read
  int64_t bulk_len_ = 0;       // payload length of the bulk in kBulkData
  size_t buffered_ = 0;        // size of the last buffer seen, for BytesWanted()
  std::vector<ArgSpan> spans_;
  std::vector<std::string_view> args_;
  std::vector<std::string> inline_args_;
  std::string error_;
};

}  // namespace ember::protocol
