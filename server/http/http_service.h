// HttpService: answers one parsed HTTP request against the engine. It routes, checks the
// method (405 with Allow) and the bearer token (401), runs the endpoint through the shared
// Dispatcher, renders /metrics, fixes up HEAD and keep-alive, and counts every answer by
// route and status. It does no I/O, so it is tested in-process with hand-built requests.
//
// Authentication: when requirepass is set every route but /health needs
// `Authorization: Bearer <requirepass>`; the connection's ClientState.authenticated is set
// from each request's header before any command runs, so the dispatcher's NOAUTH gate
// agrees with it.
//
// CORS: with http-cors-origin set, every response carries it as Access-Control-Allow-Origin,
// so pages of that origin (or any, with "*") may read the responses — a browser's
// EventSource on /subscribe among them. Unset, browsers keep other origins out. Preflight
// (OPTIONS) is not answered, so only requests a browser sends without one work cross-origin.
//
// A GET /subscribe that succeeds answers the head of an event stream (IsEventStream in
// pubsub_endpoints.h) with no Content-Length and `Connection: close`; the session streams
// the body.
//
// Threading: engine thread only. Lifetime: one per listener; outlives its sessions.
#pragma once

#include <cstdint>

#include "server/command/dispatcher.h"
#include "server/core/client_state.h"
#include "server/http/command_runner.h"
#include "server/http/json_replies.h"
#include "server/http/metrics.h"

namespace ember::server::http {

class HttpService {
 public:
  explicit HttpService(Dispatcher& dispatcher) : dispatcher_(dispatcher) {}

  // Answers `request` for the connection whose state is `client`, at batch time `now_ms`.
  Response Handle(const Request& request, ClientState& client, int64_t now_ms);
  // Counts a response the session produced itself (413, 400 for a malformed request).
  void RecordTransportError(unsigned status) { stats_.RecordRequest(Route::kNotFound, status); }

  HttpStats& stats() { return stats_; }
  Dispatcher& dispatcher() { return dispatcher_; }

 private:
  Response Dispatch(const Request& request, ClientState& client, int64_t now_ms, Route* route);
  bool Authorized(const Request& request) const;
  Response Metrics(CommandRunner& runner);

  Dispatcher& dispatcher_;
  HttpStats stats_;
};

}  // namespace ember::server::http
