// Fuzz target: the RESP request parser (protocol/resp_parser.h).
//
// Claim: the parser's result does not depend on how the byte stream was split across reads.
// The input is parsed as one buffer, then again as the same bytes arriving in pieces — in two
// at a point taken from the data, in pieces of sizes taken from the data, and byte by byte
// when it is small — feeding the parser as a connection does (append, parse every complete
// command, drop the consumed bytes). Every run must yield the same commands, empty requests
// and error text, and leave the same bytes unconsumed; otherwise the target aborts.
//
// Limits: the server's (Redis's defaults; the unauthenticated ones used before AUTH when
// requirepass is set), and tiny ones, so that inputs of fuzzing size reach the too-long and
// too-large verdicts that a 64 KiB line limit would hide.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/resp_parser.h"

namespace {

using ember::protocol::ParseResult;
using ember::protocol::ParserLimits;
using ember::protocol::ParseStatus;
using ember::protocol::RespParser;

// Inputs up to this size are also fed one byte per read.
constexpr size_t kByteByByteMax = 512;

// What a connection would see: one line per command, empty request or error, plus the
// bytes still buffered when the input ends.
struct Transcript {
  std::vector<std::string> events;
  size_t unconsumed = 0;

  bool operator==(const Transcript& other) const {
    return events == other.events && unconsumed == other.unconsumed;
  }
};

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "resp_parser_fuzz: %s\n", what);
  std::abort();
}

std::string Describe(const std::vector<std::string_view>& args) {
  std::string line = "command";
  for (std::string_view arg : args) {
    line += ' ';
    line += std::to_string(arg.size());
    line += ':';
    line.append(arg);
  }
  return line;
}

// Feeds a parser the way server/net/session.cc does: bytes are appended to a buffer, every
// complete command is taken from its front, and the rest waits for the next read. Each read
// copies the unconsumed bytes into a new allocation of exactly their size, so a parser that
// kept a pointer into an old buffer, or reads past the end, is caught by AddressSanitizer.
class Connection {
 public:
  explicit Connection(const ParserLimits& limits) : parser_(limits) {}

  void Read(std::string_view bytes) {
    if (failed_) return;
    pending_.append(bytes);
    const size_t size = pending_.size();
    std::unique_ptr<char[]> buffer(new char[size]);
    std::memcpy(buffer.get(), pending_.data(), size);
    size_t consumed = 0;
    while (consumed < size && !failed_) {
      const ParseResult result =
          parser_.Parse(std::string_view(buffer.get() + consumed, size - consumed));
      if (result.consumed > size - consumed) Fail("consumed more than the buffer holds");
      if (result.status == ParseStatus::kNeedMore) {
        if (result.consumed != 0) Fail("kNeedMore consumed bytes");
        break;
      }
      if (result.status == ParseStatus::kError) {
        if (result.consumed != 0) Fail("kError consumed bytes");
        if (parser_.error().empty()) Fail("kError without an error text");
        transcript_.events.push_back("error " + parser_.error());
        failed_ = true;
        if (parser_.Parse(std::string_view(buffer.get() + consumed, size - consumed)).status !=
            ParseStatus::kError) {
          Fail("a failed parser accepted more input");
        }
        break;
      }
      if (result.consumed == 0) Fail("a command or empty request consumed nothing");
      if (result.status == ParseStatus::kComplete) {
        if (parser_.Args().empty()) Fail("kComplete without arguments");
        transcript_.events.push_back(Describe(parser_.Args()));
      } else {
        transcript_.events.emplace_back("empty");
      }
      consumed += result.consumed;
    }
    pending_.erase(0, consumed);
  }

  Transcript Finish() {
    transcript_.unconsumed = failed_ ? 0 : pending_.size();
    return transcript_;
  }

 private:
  RespParser parser_;
  std::string pending_;
  bool failed_ = false;
  Transcript transcript_;
};

// Parses `input` delivered as reads of the sizes `next_size` returns (never 0).
template <typename NextSize>
Transcript ParseInPieces(std::string_view input, const ParserLimits& limits, NextSize next_size) {
  Connection connection(limits);
  size_t pos = 0;
  while (pos < input.size()) {
    const size_t take = std::min(next_size(pos), input.size() - pos);
    connection.Read(input.substr(pos, take));
    pos += take;
  }
  return connection.Finish();
}

void PrintTranscript(const char* name, const Transcript& t) {
  std::fprintf(stderr, "%s: %zu events, %zu bytes unconsumed\n", name, t.events.size(),
               t.unconsumed);
  for (const std::string& event : t.events) {
    std::fprintf(stderr, "  %.200s\n", event.c_str());
  }
}

void ExpectSame(const Transcript& whole, const Transcript& split, const char* how) {
  if (whole == split) return;
  PrintTranscript("whole", whole);
  PrintTranscript(how, split);
  Fail("parsing whole and parsing split disagree");
}

void CheckSplits(std::string_view input, const ParserLimits& limits) {
  const Transcript whole = ParseInPieces(input, limits, [&](size_t) { return input.size(); });

  // One split at a point the data chooses.
  uint32_t hash = 2166136261u;
  for (char c : input) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
  const size_t cut = input.empty() ? 0 : hash % input.size();
  ExpectSame(
      whole,
      ParseInPieces(input, limits, [&](size_t pos) { return pos < cut ? cut : input.size(); }),
      "two pieces");

  // Reads of sizes 1..16 taken from the data itself.
  ExpectSame(whole,
             ParseInPieces(input, limits,
                           [&](size_t pos) {
                             return size_t{1} + (static_cast<unsigned char>(input[pos]) & 15);
                           }),
             "data-sized pieces");

  if (input.size() <= kByteByByteMax) {
    ExpectSame(whole, ParseInPieces(input, limits, [](size_t) { return size_t{1}; }),
               "byte by byte");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(size == 0 ? "" : reinterpret_cast<const char*>(data), size);

  ParserLimits server;  // server/net/session.cc: Redis's defaults, proto-max-bulk-len 512 MB
  CheckSplits(input, server);

  ParserLimits unauthenticated = server;
  unauthenticated.unauthenticated = true;
  CheckSplits(input, unauthenticated);

  ParserLimits tiny;
  tiny.max_bulk_len = 16;
  tiny.max_inline_len = 24;
  tiny.max_multibulk_len = 8;
  CheckSplits(input, tiny);
  return 0;
}
