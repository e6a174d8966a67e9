// The HTTP adapter's Server-Sent Events route with real clients: `curl -N` prints the events
// as they come and exits cleanly when the server shuts down; headless Chromium's
// EventSource, on a file:// page (another origin, so the route needs http-cors-origin),
// receives a channel message with several lines and a pattern message whose binary payload
// it decodes from the base64 marker.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "tests/compat/client_process.h"
#include "tests/support/http_client.h"
#include "tests/support/http_server.h"
#include "tests/support/redis_client.h"
#include "tests/support/server_fixture.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace ember::test {
namespace {

using std::chrono::milliseconds;

int64_t NumSub(RedisClient& client, const std::string& channel) {
  const Reply reply = client.Command({"PUBSUB", "NUMSUB", channel});
  return reply.elements.size() == 2 ? reply.elements[1].integer : -1;
}

TEST(HttpSseClientsTest, CurlPrintsEventsAndExitsCleanlyAtShutdown) {
  ASSERT_TRUE(HaveProgram("curl")) << "curl is missing: run tools/test (Debian package curl)";
  HttpServer server = StartHttpServer();
  const int http_port = server.http_port;
  const int resp_port = server.process.port();
  std::atomic<bool> published{false};
  // Publishes once curl is subscribed, then shuts the server down: curl, which the main
  // thread runs, returns only when the stream ends.
  std::thread publisher([&] {
    RedisClient resp(resp_port);
    if (!WaitFor([&] { return NumSub(resp, "news") == 1; }, milliseconds(20000))) return;
    HttpClient http(http_port);
    const bool over_http = http.Request("POST", "/publish/news", "from-http").status == 200;
    const bool over_resp = resp.Command({"PUBLISH", "news", "from-resp"}) == Int(1);
    published = over_http && over_resp;
    resp.Command({"SHUTDOWN", "NOSAVE"});
  });
  ClientRun run;
  run.argv = {"curl",
              "--silent",
              "--show-error",
              "--no-buffer",
              "--max-time",
              "30",
              "http://127.0.0.1:" + std::to_string(http_port) + "/subscribe/news"};
  run.timeout = std::chrono::seconds(40);
  const ClientResult result = RunClient(run);
  publisher.join();
  EXPECT_TRUE(published);
  EXPECT_EQ(result.exit_code, 0) << result.Describe();
  EXPECT_EQ(result.out, "event: message\ndata: from-http\n\nevent: message\ndata: from-resp\n\n")
      << result.Describe();
  EXPECT_TRUE(server.process.WaitForExit(milliseconds(10000)).has_value());
}

// The page records the first message and the first pmessage, then closes the stream, so
// Chromium's virtual time (paused while a fetch is open) runs out and it dumps the DOM.
constexpr char kPage[] = R"(<!doctype html>
<html><head><title>waiting</title></head><body><pre id="out"></pre><script>
const seen = {};
const es = new EventSource("http://127.0.0.1:PORT/subscribe/browser?pattern=bin.*");
function record(kind, text) {
  if (seen[kind]) return;
  seen[kind] = text;
  if (seen.M && seen.P) {
    es.close();
    document.getElementById("out").textContent = "M[" + seen.M + "] P[" + seen.P + "]";
    document.title = "done";
  }
}
function bytesOf(field) {
  if (!field.startsWith("base64:")) return field;
  return Array.from(atob(field.slice(7)), (c) => c.charCodeAt(0).toString(16).padStart(2, "0"))
      .join("");
}
es.addEventListener("message", (e) => record("M", e.data));
es.addEventListener("pmessage", (e) => {
  const [pattern, channel, payload] = e.data.split("\n");
  record("P", pattern + "|" + channel + "|" + bytesOf(payload));
});
</script></body></html>
)";

TEST(HttpSseClientsTest, ChromiumEventSourceReceivesMessagesAndPatternMessages) {
  ASSERT_TRUE(HaveProgram("chromium"))
      << "chromium is missing: run tools/test (Debian package chromium)";
  HttpServer server = StartHttpServer({"--http-cors-origin", "*"});
  const int http_port = server.http_port;
  TempDir dir;
  std::string page = kPage;
  page.replace(page.find("PORT"), 4, std::to_string(http_port));
  const std::string page_path = dir.path() + "/page.html";
  std::ofstream(page_path) << page;

  // When the page subscribes is Chromium's business: publish until it is done.
  std::atomic<bool> done{false};
  const int resp_port = server.process.port();
  std::thread publisher([&] {
    RedisClient resp(resp_port);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!done && std::chrono::steady_clock::now() < deadline) {
      resp.Command({"PUBLISH", "browser", "hello\nworld"});
      resp.Command({"PUBLISH", "bin.x", std::string("\x00\xFF", 2)});
      std::this_thread::sleep_for(milliseconds(100));
    }
  });
  ClientRun run;
  run.argv = {"chromium",
              "--headless",
              "--no-sandbox",
              "--disable-gpu",
              "--no-first-run",
              "--user-data-dir=" + dir.path() + "/profile",
              "--virtual-time-budget=10000",
              "--dump-dom",
              "file://" + page_path};
  run.env = {{"HOME", dir.path()}};
  run.timeout = std::chrono::seconds(60);
  const ClientResult result = RunClient(run);
  done = true;
  publisher.join();
  EXPECT_EQ(result.exit_code, 0) << result.Describe();
  EXPECT_NE(result.out.find("<title>done</title>"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("M[hello\nworld] P[bin.*|bin.x|00ff]"), std::string::npos)
      << result.out;
}

}  // namespace
}  // namespace ember::test
