// RdbCheck: validates an RDB file the way redis-check-rdb does — decode every record,
// verify the checksum — without loading it anywhere, and summarises what it holds. Used
// by `ember-server --check-rdb FILE`.
//
// Threading: any thread; touches only the file.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "persistence/byte_io.h"
#include "persistence/status.h"

namespace ember::persistence {

struct RdbCheckReport {
  int version = 0;
  uint64_t keys = 0;
  uint64_t expires = 0;
  std::map<int, uint64_t> keys_per_db;
  std::map<int, uint64_t> expires_per_db;
  bool checksum_verified = false;
  uint64_t bytes = 0;  // bytes read, to the end of the trailer or the error
};

// Reads `source` to its end. Returns the first error (with offset); `report` holds what was
// read before it.
Status CheckRdb(ByteSource* source, RdbCheckReport* report);

// Runs CheckRdb on `path` and renders the report, one fact per line, ending with either
// "RDB looks OK" or the error. Returns the status, for the exit code.
Status CheckRdbFile(const std::string& path, std::string* text);

}  // namespace ember::persistence
