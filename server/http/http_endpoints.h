// The HTTP endpoints: each turns a routed request into argument vectors, runs them through
// the CommandRunner (so every Redis gate and the one write path apply) and renders the
// replies. Authentication, routing, 404/405 and statistics happen before, in HttpService.
//
// Shapes (all errors are `{"error": "..."}` with the status from json_replies.h):
//   POST /set {"key","value","ttl"?,"encoding"?,"key_encoding"?} → 200 {"result":"OK"}
//   GET /get?key=K       → 200 {"key","value","ttl"} (ttl -1: none) | 404
//   DELETE /delete?key=K → 200 {"deleted":1} | 404
//   GET /keys/K          → 200 raw value (application/octet-stream), X-Ember-TTL | 404
//   HEAD /keys/K         → 200 with Content-Length and X-Ember-TTL, no body | 404
//   PUT /keys/K[?ttl=S|?px=MS][&nx|&xx] raw body → 200 {"result":"OK"} | 412 when NX/XX fail
//   DELETE /keys/K       → 200 {"deleted":1} | 404
//   GET /health          → 200 {"status":"ok"} | 503 {"status":"loading"}
//
// Threading: engine thread only.
#pragma once

#include <string_view>

#include "server/http/command_runner.h"
#include "server/http/http_router.h"
#include "server/http/json_replies.h"

namespace ember::server::http {

// The response header that carries a key's remaining time to live in seconds (-1: none).
inline constexpr std::string_view kTtlHeader = "X-Ember-TTL";

Response HandleSet(CommandRunner& runner, const Request& request);
Response HandleGet(CommandRunner& runner, const RouteMatch& match);
Response HandleDelete(CommandRunner& runner, std::string_view key);
Response HandleKey(CommandRunner& runner, const Request& request, const RouteMatch& match);
Response HandleHealth(CommandRunner& runner);

}  // namespace ember::server::http
