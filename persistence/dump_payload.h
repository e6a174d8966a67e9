// DUMP / RESTORE payloads in Redis's format, so a payload moves between Ember and
// redis-server in both directions: the value's RDB type byte and its RDB value encoding
// (the same per-type rows as a dump file: rdb_value_savers.h, rdb_value_loaders.h), then the
// RDB version as two bytes little-endian, then the CRC-64 of everything before it as eight
// bytes little-endian (Redis's createDumpPayload / verifyDumpPayload).
//
// The commands (DUMP, RESTORE with REPLACE, ABSTTL, IDLETIME, FREQ) live in the server; this
// is only the encoding. Stateless.
#pragma once

#include <string>
#include <string_view>

#include "persistence/rdb_value_loaders.h"
#include "persistence/status.h"
#include "storage/value/value.h"

namespace ember::persistence {

// The payload of `value`. `compression`: rdbcompression (LZF for long strings and blobs, as
// Redis's DUMP follows it). Fails only for a type Ember cannot serialize yet.
Status EncodeDumpPayload(storage::ValueRef value, bool compression, std::string* out);

// Decodes a payload into *out, with the encoding `context`'s limits choose. Refused (Redis
// replies "ERR DUMP payload version or checksum are wrong" / "ERR Bad data format"):
//   kBadVersionOrChecksum: shorter than the footer, a version newer than Ember reads, or a
//                          checksum mismatch;
//   kBadData:              an unknown or unsupported type, a corrupt value, or bytes left
//                          between the value and the footer.
enum class DumpPayloadError { kNone, kBadVersionOrChecksum, kBadData };
// The footer check alone (Redis's verifyDumpPayload), shared with FUNCTION RESTORE's
// payloads: at least the footer, an RDB version Ember reads, a matching CRC-64.
Status CheckDumpPayloadFooter(std::string_view payload);
Status DecodeDumpPayload(std::string_view payload, const RdbLoadContext& context,
                         storage::Value* out, DumpPayloadError* error);

}  // namespace ember::persistence
