// AofCommandReader: reads the commands of an append-only file one at a time, as argument
// vectors for the server to replay (persistence never executes them). An AOF's command part
// is RESP arrays of bulk strings, "*<n>\r\n" then n times "$<len>\r\n<bytes>\r\n", with
// annotation lines starting with '#' (Redis 7's "#TS:<unix seconds>\r\n") between commands.
//
// The reader tells a file cut short (a crash in the middle of an append: the caller may
// drop the tail, as aof-load-truncated allows) from bytes that cannot be an AOF (always
// fatal), the distinction Redis's loader makes:
// - the input ends inside a command, or a length claims more bytes than remain: kTruncated;
// - a wrong type byte, a malformed or zero count, a negative or malformed length, a missing
//   CRLF after a bulk, an over-long line: kCorrupt. Bytes cut short by the end of the input
//   are judged on what is there: "*1" or "$3\r" at the end are truncated, "*1x" corrupt.
// Lengths read from the file never size an allocation beyond the bytes that remain, so a
// header claiming 2^31 arguments or a 1 GB bulk in a 100-byte file ends quickly in bounded
// memory.
//
// Threading: one thread. The source must outlive the reader; the reader owns its position
// in it from construction on (it reads ahead through a 64 KiB buffer of its own).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "persistence/byte_io.h"
#include "persistence/status.h"

namespace ember::persistence {

class AofCommandReader {
 public:
  // Reads from `source`'s current offset (0, or just after an RDB preamble) up to `end`, the
  // offset where the input ends (the file size); it never reads past `end`.
  AofCommandReader(ByteSource* source, uint64_t end);
  AofCommandReader(const AofCommandReader&) = delete;
  AofCommandReader& operator=(const AofCommandReader&) = delete;

  enum class Result { kCommand, kEnd, kTruncated, kCorrupt };

  // kCommand: *argv holds the next command (argv->size() >= 1). The strings of the previous
  //   call are reused, so keeping their capacity makes steady-state reading allocation-free.
  // kEnd: the input ends exactly after a complete command or annotation (or is empty).
  // kTruncated: the input ends inside a command or annotation; *error says so ("Unexpected
  //   end of file reading the append only file") with the offset where it started.
  // kCorrupt: bytes that are not a valid command; *error ("Bad file format reading the
  //   append only file: <what>") has the offset of the malformed line or CRLF. A failed read
  //   from the source is kCorrupt too, with the source's own error.
  // kEnd, kTruncated and kCorrupt are final: later calls return the same result again.
  // *argv is unspecified after anything but kCommand.
  Result Next(std::vector<std::string>* argv, Status* error);

  // Offset of the first byte of the command last returned (or of the truncated/corrupt
  // one; at kEnd, the end).
  uint64_t command_start() const { return command_start_; }
  // Offset just after the last complete command or annotation: the "valid up to" point.
  uint64_t valid_up_to() const { return valid_up_to_; }

 private:
  enum class LineResult { kLine, kShort, kTooLong, kIoError };

  uint64_t position() const { return buffer_offset_ + pos_; }
  uint64_t remaining() const;  // bytes from position() to end_
  bool Fill();
  bool EnsureBuffered(size_t n);
  LineResult ReadLine(size_t max_length, std::string_view* line);
  Result ReadCount(char prefix, uint64_t max_value, uint64_t* value, Status* error);
  Result ReadBulk(std::string* out, Status* error);
  Result ReadCommand(std::vector<std::string>* argv, Status* error);
  Result Corrupt(std::string_view what, uint64_t offset, Status* error);
  Result Truncated(Status* error);
  Result Finish(Result result, Status* error);

  ByteSource* source_;
  uint64_t end_;
  std::unique_ptr<char[]> buffer_;
  size_t capacity_ = 0;         // bytes buffer_ holds: 1 KiB to 64 KiB, by input size
  size_t pos_ = 0;              // next unread byte in buffer_
  size_t limit_ = 0;            // end of the buffered bytes
  uint64_t buffer_offset_ = 0;  // input offset of buffer_[0]
  uint64_t command_start_ = 0;
  uint64_t valid_up_to_ = 0;
  std::vector<std::string> spare_;  // argument strings kept for reuse
  Status io_error_;
  bool finished_ = false;
  Result final_result_ = Result::kEnd;
  Status final_error_;
};

// True when the first bytes of a file are an RDB header ("REDIS"): a base file or an RDB
// preamble rather than RESP commands.
bool LooksLikeRdb(std::string_view first_bytes);

}  // namespace ember::persistence
