// AofBatch: commands read from an append-only file together, for the replay to request their
// keys' memory as a group before running them, read on the replay's thread or on a ReadAhead
// thread (read_ahead.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "persistence/aof_reader.h"
#include "persistence/status.h"

namespace ember::persistence {

struct AofBatch {
  std::vector<std::vector<std::string>> commands;  // [0, count) were read; the rest are spare
  std::vector<uint64_t> starts;                    // each command's offset in the file
  size_t count = 0;
  // kCommand when the batch is full and more may follow; otherwise what ended the input
  // after the `count` commands (kEnd, kTruncated or kCorrupt with `error`).
  AofCommandReader::Result result = AofCommandReader::Result::kCommand;
  Status error;
  uint64_t valid_up_to = 0;  // AofCommandReader::valid_up_to() after the batch

  bool last() const { return result != AofCommandReader::Result::kCommand; }
};

// Reads up to `max_commands` commands into `batch`, reusing its strings' capacity.
void ReadAofBatch(AofCommandReader& reader, size_t max_commands, AofBatch* batch);

}  // namespace ember::persistence
