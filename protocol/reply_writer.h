// ReplyWriter renders replies in RESP2 or RESP3 into a caller-owned output buffer.
//
// Handlers describe replies by type (map, set, double, null...); the writer renders each
// in the protocol version the connection negotiated, the way Redis 7.0 does:
//   type         RESP3                  RESP2
//   Null         _\r\n                  $-1\r\n
//   NullArray    _\r\n                  *-1\r\n
//   Map(n)       %n\r\n                 *2n\r\n
//   Set(n)       ~n\r\n                 *n\r\n
//   Push(n)      >n\r\n                 *n\r\n
//   Double       ,1.5\r\n               $3\r\n1.5\r\n
//   Boolean      #t\r\n                 :1\r\n
//   BigNumber    (123\r\n               $3\r\n123\r\n
//   Verbatim     =15\r\ntxt:payload\r\n $7\r\npayload\r\n
//
// Threading: used by one connection at a time. The writer never shrinks or flushes the
// buffer; the connection writes it to the socket and clears it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ember::protocol {

class ReplyWriter {
 public:
  explicit ReplyWriter(std::string* out, int protocol_version = 2)
      : out_(out), protocol_version_(protocol_version) {}

  int protocol_version() const { return protocol_version_; }
  void set_protocol_version(int version) { protocol_version_ = version; }
  bool resp3() const { return protocol_version_ >= 3; }
  std::string* buffer() { return out_; }

  void SimpleString(std::string_view s);  // +OK; s must not contain CR or LF
  // `message` starts with the error code ("ERR ...", "WRONGTYPE ..."), without the '-'
  // (a leading '-' is tolerated and not doubled); CR/LF in it are replaced by spaces, as
  // Redis does, so a reply can never be split.
  void Error(std::string_view message);
  void Integer(int64_t value);
  void Bulk(std::string_view s);
  void Null();       // a missing value (GET of an absent key)
  void NullArray();  // a missing aggregate (BLPOP timeout, EXEC aborted by WATCH)
  void ArrayHeader(int64_t count);
  void MapHeader(int64_t pairs);
  void SetHeader(int64_t count);
  void PushHeader(int64_t count);
  // RESP3's attribute map ("|"), which precedes a reply; RESP2 has none: nothing is written.
  void AttributeHeader(int64_t pairs);
  // Redis 7.0's "%.17g" rendering (1.0 is "1", 0.1 is "0.10000000000000001"); infinities
  // are `inf` / `-inf` and NaN is `nan` (or `-nan`), as RESP3 `,inf` or RESP2 bulk "inf".
  void Double(double value);
  void Boolean(bool value);
  void BigNumber(std::string_view digits);
  // Requires: format is 3 chars ("txt", "mkd").
  void Verbatim(std::string_view format, std::string_view text);

  // Canned replies used on the hot path.
  void Ok() { out_->append("+OK\r\n"); }

  // Appends bytes already in wire form (e.g. a prerendered canned reply).
  void Raw(std::string_view bytes) { out_->append(bytes); }

 private:
  void Header(char type, int64_t count);

  std::string* out_;
  int protocol_version_;
};

}  // namespace ember::protocol
