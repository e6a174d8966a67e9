// Fuzz target: the AOF command reader (persistence/aof_reader.h).
//
// The input is an AOF file: RESP commands, or an RDB preamble (loaded with RdbLoader, as the
// server does) followed by commands. Claims, for any bytes:
// - the reader ends in kEnd, kTruncated or kCorrupt (no crash, no hang), every kCommand has
//   at least one argument and moves valid_up_to() forward, a final result repeats, and kEnd
//   means every byte was read;
// - the commands read survive a round trip: written back with AppendAofCommand, they read
//   back the same, ending in kEnd;
// - cutting a file that reads without corruption at a point taken from the data gives a
//   prefix of its commands, ending in kEnd or kTruncated, never kCorrupt: a crash during an
//   append must look like a truncated file, which aof-load-truncated may repair.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "persistence/aof_base.h"
#include "persistence/aof_reader.h"
#include "persistence/byte_io.h"
#include "persistence/rdb_load.h"
#include "storage/keyspace/keyspace.h"

namespace {

using ember::persistence::AofCommandReader;
using ember::persistence::MemorySource;
using ember::persistence::Status;
using Command = std::vector<std::string>;
using Result = AofCommandReader::Result;

constexpr int64_t kNowMs = 1'700'000'000'000;

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "aof_reader_fuzz: %s\n", what);
  std::abort();
}

struct Outcome {
  std::vector<Command> commands;
  Result result = Result::kEnd;
};

// Reads every command from `source`'s current offset up to `end`.
Outcome ReadAll(MemorySource* source, uint64_t end) {
  AofCommandReader reader(source, end);
  Outcome outcome;
  Command argv;
  Status error;
  uint64_t valid_up_to = reader.valid_up_to();
  for (;;) {
    const Result result = reader.Next(&argv, &error);
    if (reader.valid_up_to() < valid_up_to || reader.valid_up_to() > end) {
      Fail("valid_up_to moved backwards or past the end");
    }
    if (result != Result::kCommand) {
      outcome.result = result;
      break;
    }
    if (argv.empty()) Fail("a command without arguments");
    if (reader.valid_up_to() == valid_up_to) Fail("a command was read from no bytes");
    valid_up_to = reader.valid_up_to();
    outcome.commands.push_back(argv);
  }
  if (outcome.result == Result::kEnd && reader.valid_up_to() != end) {
    Fail("kEnd before the end of the input");
  }
  if (outcome.result != Result::kEnd && error.ok()) Fail("a failed read without an error");
  Status again;
  if (reader.Next(&argv, &again) != outcome.result) Fail("a final result did not repeat");
  return outcome;
}

Outcome ReadAll(std::string_view bytes) {
  MemorySource source(bytes);
  return ReadAll(&source, bytes.size());
}

void CheckRoundTrip(const std::vector<Command>& commands) {
  std::string encoded;
  std::vector<std::string_view> views;
  for (const Command& command : commands) {
    views.assign(command.begin(), command.end());
    ember::persistence::AppendAofCommand(&encoded, std::span<const std::string_view>(views));
  }
  const Outcome reread = ReadAll(encoded);
  if (reread.result != Result::kEnd) Fail("written commands do not read back to the end");
  if (reread.commands != commands) Fail("written commands read back different");
}

void CheckCut(std::string_view bytes, const Outcome& whole) {
  if (bytes.empty()) return;
  uint32_t hash = 2166136261u;
  for (char c : bytes) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
  const Outcome cut = ReadAll(bytes.substr(0, hash % bytes.size()));
  if (cut.result == Result::kCorrupt) Fail("a cut file reads as corrupt, not truncated");
  if (cut.commands.size() > whole.commands.size() ||
      !std::equal(cut.commands.begin(), cut.commands.end(), whole.commands.begin())) {
    Fail("a cut file yields commands that are not a prefix of the whole file's");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(size == 0 ? "" : reinterpret_cast<const char*>(data), size);
  if (ember::persistence::LooksLikeRdb(bytes)) {
    MemorySource source(bytes);
    ember::storage::Keyspace keyspace;
    ember::persistence::RdbLoader loader(&keyspace, &source, kNowMs);
    bool done = false;
    Status status;
    while (status.ok() && !done) status = loader.Step(16, &done);
    if (!status.ok()) return 0;
    const Outcome tail = ReadAll(&source, bytes.size());
    CheckRoundTrip(tail.commands);
    return 0;
  }
  const Outcome whole = ReadAll(bytes);
  CheckRoundTrip(whole.commands);
  if (whole.result != Result::kCorrupt) CheckCut(bytes, whole);
  return 0;
}
