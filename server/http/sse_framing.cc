#include "server/http/sse_framing.h"

#include <fmt/format.h>

#include "protocol/reply_reader.h"
#include "server/http/text_encoding.h"

namespace ember::server::http {
namespace {

using protocol::ReplyValue;

// Whether `field` can be sent as SSE text; `one_line` also refuses '\n'.
bool IsSseText(std::string_view field, bool one_line) {
  if (field.substr(0, kBase64Marker.size()) == kBase64Marker) return false;
  for (char c : field) {
    if (c == '\r' || c == '\0' || (one_line && c == '\n')) return false;
  }
  return IsValidUtf8(field);
}

// One `data:` line per line of the field, or one line with the marked base64.
void AppendData(std::string_view field, bool one_line, std::string* sse) {
  if (!IsSseText(field, one_line)) {
    sse->append("data: ").append(kBase64Marker).append(Base64Encode(field)).append("\n");
    return;
  }
  for (;;) {
    const size_t end = field.find('\n');
    sse->append("data: ").append(field.substr(0, end)).append("\n");
    if (end == std::string_view::npos) return;
    field.remove_prefix(end + 1);
  }
}

bool IsBulk(const ReplyValue& value) { return value.type == ReplyValue::Type::kBulk; }

// Appends the event for one decoded message; false when it is not a pub/sub message.
bool AppendEvent(const ReplyValue& message, std::string* sse) {
  if (message.type != ReplyValue::Type::kArray || message.elements.empty()) return false;
  for (const ReplyValue& element : message.elements) {
    if (!IsBulk(element)) return false;
  }
  const std::string& kind = message.elements[0].text;
  if (kind == "message" && message.elements.size() == 3) {
    sse->append("event: message\n");
    AppendData(message.elements[2].text, false, sse);
  } else if (kind == "pmessage" && message.elements.size() == 4) {
    sse->append("event: pmessage\n");
    AppendData(message.elements[1].text, true, sse);
    AppendData(message.elements[2].text, true, sse);
    AppendData(message.elements[3].text, false, sse);
  } else {
    return false;
  }
  sse->append("\n");
  return true;
}

}  // namespace

bool AppendEvents(std::string_view resp, std::string* sse) {
  while (!resp.empty()) {
    auto decoded = protocol::ReadReply(resp);
    if (!decoded || decoded->consumed == 0) return false;
    AppendEvent(decoded->value, sse);
    resp.remove_prefix(decoded->consumed);
  }
  return true;
}

void AppendChunk(std::string_view data, std::string* out) {
  if (data.empty()) return;
  fmt::format_to(std::back_inserter(*out), "{:x}\r\n", data.size());
  out->append(data).append("\r\n");
}

}  // namespace ember::server::http
