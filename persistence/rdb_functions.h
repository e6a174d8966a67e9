// Function libraries in Redis's RDB format: a record per library, in dump files (before the
// databases), in AOF RDB bases, and in FUNCTION DUMP / RESTORE payloads.
//
//   RDB_OPCODE_FUNCTION2 (245), then the library's code as a string (the FUNCTION LOAD
//   payload, shebang included) — what Redis 7.0 GA writes;
//   RDB_OPCODE_FUNCTION (246), Redis 7.0 rc1/rc2 only: name, engine, a description flag
//   (length) and the description when set, then the code without its shebang. It reads as
//   "#!<engine> name=<name>\n<code>" (the description is dropped, as Redis does).
//
// A FUNCTION DUMP payload is the records of every library, then the RDB version (2 bytes,
// little-endian) and the CRC-64 of everything before (8 bytes), like a DUMP payload.
//
// The library code is opaque here: running it is the server's business. Stateless.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "persistence/rdb_encoder.h"
#include "persistence/rdb_input.h"
#include "persistence/status.h"

namespace ember::persistence {

// Appends one FUNCTION2 record.
void PutFunctionRecord(RdbEncoder& encoder, std::string_view code);

// Reads the rest of a record whose opcode (245 or 246) was just read. Errors carry Redis's
// words ("Failed loading library payload", "Failed loading library name"...).
Status ReadFunctionRecord(RdbInput& input, uint8_t opcode, std::string* code);

// FUNCTION DUMP's payload for libraries with `codes`. `compression`: rdbcompression.
std::string EncodeFunctionsPayload(std::span<const std::string> codes, bool compression);

// The libraries' codes in a FUNCTION RESTORE payload, in order. Errors carry Redis's reply
// text (without "ERR "): "DUMP payload version or checksum are wrong", "given type is not a
// function", or a record's error.
Status DecodeFunctionsPayload(std::string_view payload, std::vector<std::string>* codes);

}  // namespace ember::persistence
