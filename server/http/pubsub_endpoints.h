// The HTTP adapter's pub/sub endpoints. Both run the Redis commands through the
// CommandRunner, so the gates, statistics and connection state (pub/sub mode, which puts the
// connection in the pubsub class of client-output-buffer-limit; CLIENT LIST; PUBSUB NUMSUB)
// are those of a RESP client doing the same. Authentication, routing and 404/405 happen
// before, in HttpService.
//
//   GET /subscribe/{C}[?pattern=P...]  SUBSCRIBE C, PSUBSCRIBE P... → 200 text/event-stream
//   GET /subscribe?pattern=P...        at least one channel or pattern, else 400
//   POST /publish/{C} raw body         PUBLISH C body → 200 {"receivers":n}; 400 without C
//
// The subscribe endpoint answers only the response head; the session then streams the
// connection's messages as events (event_stream.h, framed as sse_framing.h says) until either
// side closes. A failed subscription leaves the connection subscribed to nothing.
//
// Threading: engine thread only.
#pragma once

#include "server/http/command_runner.h"
#include "server/http/http_router.h"
#include "server/http/json_replies.h"

namespace ember::server::http {

Response HandleSubscribe(CommandRunner& runner, const RouteMatch& match);
Response HandlePublish(CommandRunner& runner, const Request& request, const RouteMatch& match);

// True for HandleSubscribe's success: the response head of an event stream, whose body the
// session writes as messages arrive.
bool IsEventStream(const Response& response);

}  // namespace ember::server::http
