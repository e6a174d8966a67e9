// Redis's error texts, in one place. Client libraries parse these strings (the prefix
// before the first space, and often the whole text), so each must match Redis 7.0 byte for
// byte. Texts are without the leading '-' and CRLF; ReplyWriter::Error adds them.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "storage/op_status.h"

namespace ember::server {

inline constexpr std::string_view kErrSyntax = "ERR syntax error";
inline constexpr std::string_view kErrNotInteger = "ERR value is not an integer or out of range";
// getPositiveLongFromObjectOrReply's text for a negative count (SPOP, LPOP...).
inline constexpr std::string_view kErrNotPositive = "ERR value is out of range, must be positive";
// SINTERCARD's and LMPOP's numkeys below 1 or not a number.
inline constexpr std::string_view kErrNumKeys = "ERR numkeys should be greater than 0";
// getRangeLongFromObjectOrReply's text for LONG_MIN where -LONG_MAX..LONG_MAX is allowed.
inline constexpr std::string_view kErrLongRange =
    "ERR value is out of range, value must between -9223372036854775807 and "
    "9223372036854775807";
inline constexpr std::string_view kErrNotFloat = "ERR value is not a valid float";
inline constexpr std::string_view kErrOverflow = "ERR increment or decrement would overflow";
inline constexpr std::string_view kErrNanOrInfinity = "ERR increment would produce NaN or Infinity";
// The hash commands' own texts (Redis 7.0's t_hash.c).
inline constexpr std::string_view kErrHashValueNotInteger = "ERR hash value is not an integer";
inline constexpr std::string_view kErrHashValueNotFloat = "ERR hash value is not a float";
inline constexpr std::string_view kErrValueNanOrInfinity = "ERR value is NaN or Infinity";
inline constexpr std::string_view kErrValueOutOfRange = "ERR value is out of range";
// HRANDFIELD's count outside [-LONG_MAX, LONG_MAX] (getRangeLongFromObjectOrReply's text).
inline constexpr std::string_view kErrCountOutOfLongRange =
    "ERR value is out of range, value must between -9223372036854775807 and "
    "9223372036854775807";
// HRANDFIELD and SRANDMEMBER with a negative count pick with repeats, so the reply's length
// is the count itself: Redis 7.0 builds any length (stopping only at an output-buffer limit,
// which normal clients lack), and a count of -2^63+1 stalls it for good. Ember refuses
// counts below -kMaxRandomRepeats instead (an Ember-only error), keeping a reply of at most
// about a million elements.
inline constexpr int64_t kMaxRandomRepeats = int64_t{1} << 20;
inline constexpr std::string_view kErrTooManyRandomRepeats =
    "ERR value is out of range, a negative count must be >= -1048576";
inline constexpr std::string_view kErrWrongType =
    "WRONGTYPE Operation against a key holding the wrong kind of value";
inline constexpr std::string_view kErrNoSuchKey = "ERR no such key";
inline constexpr std::string_view kErrDbIndexOutOfRange = "ERR DB index is out of range";
inline constexpr std::string_view kErrInvalidDbIndex = "ERR invalid DB index";
inline constexpr std::string_view kErrStringTooLong =
    "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
inline constexpr std::string_view kErrOffsetOutOfRange = "ERR offset is out of range";
// The bitmap commands (SETBIT, BITPOS, BITOP, BITFIELD).
inline constexpr std::string_view kErrBitOffset =
    "ERR bit offset is not an integer or out of range";
inline constexpr std::string_view kErrBitValue = "ERR bit is not an integer or out of range";
inline constexpr std::string_view kErrBitArgument = "ERR The bit argument must be 1 or 0.";
inline constexpr std::string_view kErrBitOpNotArity =
    "ERR BITOP NOT must be called with a single source key.";
inline constexpr std::string_view kErrBitFieldType =
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but "
    "i64 is.";
inline constexpr std::string_view kErrBitFieldOverflow = "ERR Invalid OVERFLOW type specified";
inline constexpr std::string_view kErrBitFieldReadOnly =
    "ERR BITFIELD_RO only supports the GET subcommand";
// LCS (t_string.c) and SORT / SORT_RO (sort.c).
inline constexpr std::string_view kErrLcsNotStrings =
    "ERR The specified keys must contain string values";
inline constexpr std::string_view kErrLcsLenAndIdx =
    "ERR If you want both the length and indexes, please just use IDX.";
inline constexpr std::string_view kErrLcsTooLong = "ERR String too long for LCS";
inline constexpr std::string_view kErrLcsTableTooLarge =
    "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len";
inline constexpr std::string_view kErrLcsNoMemory =
    "ERR Insufficient memory, failed allocating transient memory for LCS";
inline constexpr std::string_view kErrSortScores =
    "ERR One or more scores can't be converted into double";
// The HyperLogLog commands (PFADD, PFCOUNT, PFMERGE, PFDEBUG).
inline constexpr std::string_view kErrNotHll =
    "WRONGTYPE Key is not a valid HyperLogLog string value.";
inline constexpr std::string_view kErrCorruptHll = "INVALIDOBJ Corrupted HLL object detected";
inline constexpr std::string_view kErrHllNoSuchKey = "ERR The specified key does not exist";
inline constexpr std::string_view kErrHllNotSparse = "ERR HLL encoding is not sparse";
inline constexpr std::string_view kErrSameObject =
    "ERR source and destination objects are the same";
inline constexpr std::string_view kErrNotInt32 =
    "ERR value is out of range, value must between -2147483648 and 2147483647";
inline constexpr std::string_view kErrNxWithOthers =
    "ERR NX and XX, GT or LT options at the same time are not compatible";
inline constexpr std::string_view kErrGtWithLt =
    "ERR GT and LT options at the same time are not compatible";
inline constexpr std::string_view kErrUnsupportedOptionPrefix = "ERR Unsupported option ";
inline constexpr std::string_view kErrInvalidCursor = "ERR invalid cursor";
inline constexpr std::string_view kErrInvalidFirstDb = "ERR invalid first DB index";
inline constexpr std::string_view kErrInvalidSecondDb = "ERR invalid second DB index";
inline constexpr std::string_view kErrDecrementOverflow = "ERR decrement would overflow";
inline constexpr std::string_view kErrOom =
    "OOM command not allowed when used memory > 'maxmemory'.";

// Connections, authentication, transactions (Redis 7.0's texts).
inline constexpr std::string_view kErrNoAuth = "NOAUTH Authentication required.";
inline constexpr std::string_view kErrHelloNoAuth =
    "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO "
    "AUTH <user> <pass> option can be used to authenticate the client and select the RESP "
    "protocol version at the same time";
inline constexpr std::string_view kErrWrongPass =
    "WRONGPASS invalid username-password pair or user is disabled.";
inline constexpr std::string_view kErrAuthWithoutPassword =
    "ERR AUTH <password> called without any password configured for the default user. Are you "
    "sure your configuration is correct?";
inline constexpr std::string_view kErrNoProto = "NOPROTO unsupported protocol version";
inline constexpr std::string_view kErrProtoNotInteger =
    "ERR Protocol version is not an integer or out of range";
inline constexpr std::string_view kErrBadClientName =
    "ERR Client names cannot contain spaces, newlines or special characters.";
inline constexpr std::string_view kErrNotAllowedInMulti =
    "ERR Command not allowed inside a transaction";
inline constexpr std::string_view kErrNestedMulti = "ERR MULTI calls can not be nested";
inline constexpr std::string_view kErrExecWithoutMulti = "ERR EXEC without MULTI";
inline constexpr std::string_view kErrDiscardWithoutMulti = "ERR DISCARD without MULTI";
inline constexpr std::string_view kErrWatchInMulti = "ERR WATCH inside MULTI is not allowed";
inline constexpr std::string_view kErrExecAbort =
    "EXECABORT Transaction discarded because of previous errors.";
// Followed by the rejection's text without "ERR " (an EXEC rejected inside MULTI).
inline constexpr std::string_view kExecAbortBecause =
    "EXECABORT Transaction discarded because of: ";
inline constexpr std::string_view kErrNoSuchClient = "ERR No such client";
inline constexpr std::string_view kErrInvalidClientId = "ERR Invalid client ID";
inline constexpr std::string_view kErrClientIdNotPositive =
    "ERR client-id should be greater than 0";
// RDB snapshots (server/rdb/rdb_control.h).
inline constexpr std::string_view kErrBgsaveInProgress = "ERR Background save already in progress";
inline constexpr std::string_view kErrLoading = "LOADING Redis is loading the dataset in memory";
inline constexpr std::string_view kErrShutdownFailed = "ERR Errors trying to SHUTDOWN. Check logs.";
// Replication's refusals (Redis's shared.roslaveerr, noreplicaserr, masterdownerr).
inline constexpr std::string_view kErrReadOnlyReplica =
    "READONLY You can't write against a read only replica.";
inline constexpr std::string_view kErrNoReplicas = "NOREPLICAS Not enough good replicas to write.";
inline constexpr std::string_view kErrMasterDown =
    "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";
inline constexpr std::string_view kErrMisconf =
    "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to "
    "disk. Commands that may modify the data set are disabled, because this instance is "
    "configured to report errors during writes if RDB snapshotting fails "
    "(stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB "
    "error.";

// The text for a storage outcome. Requires: status != kOk and != kSkipped.
std::string_view ErrorText(storage::OpStatus status);

// "ERR wrong number of arguments for 'get' command" (name lowercased as in Redis).
std::string WrongArityError(std::string_view command_name);
// "ERR unknown command 'foo', with args beginning with: 'a' 'b' "
std::string UnknownCommandError(std::string_view name, std::span<const std::string_view> args);
// "ERR unknown subcommand 'foo'. Try CONFIG HELP." (container name uppercased)
std::string UnknownSubcommandError(std::string_view container, std::string_view subcommand);
// Redis's addReplySubcommandSyntaxError: a known subcommand given arguments its handler
// refuses. `container` is the command's name in capitals ("CLIENT").
std::string SubcommandSyntaxError(std::string_view container, std::string_view subcommand);
// "ERR invalid expire time in 'set' command"
std::string InvalidExpireError(std::string_view command_name);

}  // namespace ember::server
