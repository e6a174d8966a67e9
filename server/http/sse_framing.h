// Server-Sent Events framing for the HTTP adapter's /subscribe stream: pub/sub messages, as
// PubSubRegistry renders them into a subscriber's outbox, become SSE events, and the stream's
// bytes become HTTP/1.1 chunks.
//
// Event shapes (what a browser's EventSource hands to its listeners):
//   a channel message   event: message   data: <payload>
//   a pattern message   event: pmessage  data: <pattern> / data: <channel> / data: <payload>
// so `event.data` is the payload, or "pattern\nchannel\npayload" (Redis's pmessage order).
// A payload with '\n' takes one `data:` line per line, which EventSource joins with '\n'.
//
// Binary: a field that is not valid UTF-8, holds a NUL or a '\r' (a line break in SSE), or
// starts with the marker itself, is sent as "base64:" followed by its standard base64 —
// the word the adapter's JSON routes use in their "encoding" fields. The pattern and the
// channel of a pmessage are also sent so when they hold a '\n', so each stays one line. A
// field without the marker is therefore always the bytes themselves.
//
// Threading: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace ember::server::http {

// What precedes the base64 of a field that cannot travel as SSE text.
inline constexpr std::string_view kBase64Marker = "base64:";
// The comment an idle stream sends so that proxies and clients see it alive.
inline constexpr std::string_view kHeartbeat = ": keepalive\n\n";
// Ends a chunked body (RFC 9112 section 7.1): the last chunk and an empty trailer.
inline constexpr std::string_view kLastChunk = "0\r\n\r\n";

// Appends the SSE event for each message in `resp`: complete RESP2 arrays or RESP3 pushes of
// ["message", channel, payload] or ["pmessage", pattern, channel, payload]. Other replies
// (none is posted to an HTTP subscriber today) are skipped. Returns false when `resp` is
// not a sequence of complete replies, which the registry never produces; what came before
// the bad reply has been appended.
bool AppendEvents(std::string_view resp, std::string* sse);

// Appends `data` as one chunk of a chunked body; nothing for empty data (an empty chunk
// would end the body).
void AppendChunk(std::string_view data, std::string* out);

}  // namespace ember::server::http
