// HttpClient: a small synchronous HTTP/1.1 client on Boost.Beast for tests of the HTTP
// adapter. One keep-alive connection to 127.0.0.1:port; requests are sent one at a time,
// or written raw (pipelining, chunked bodies, partial headers) and their responses read
// back in order. Every read has a socket timeout, so a stuck server fails a test instead
// of hanging it.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace ember::test {

struct HttpResponse {
  int status = 0;  // 0 when the request failed at the transport level (see `error`)
  std::string body;
  std::map<std::string, std::string> headers;  // names in lower case
  bool keep_alive = false;
  std::string error;

  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
  }
};

class HttpClient {
 public:
  explicit HttpClient(int port, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Connects from `source_address` (another 127/8 address), for peer-address rules.
  HttpClient(int port, const std::string& source_address,
             std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  bool connected() const;
  // Sends one request ("GET", "/get?key=a", body, extra "Name: value" headers) and reads
  // its response. HEAD responses are read without a body.
  HttpResponse Request(std::string_view method, std::string_view target, std::string_view body = "",
                       const std::map<std::string, std::string>& headers = {});
  // Writes bytes as they are; returns false on a write error.
  bool SendRaw(std::string_view bytes);
  // Reads the next response from the connection (after SendRaw).
  HttpResponse ReadResponse(bool head = false);
  // True when the server closes the connection within `timeout` (a read returns EOF).
  bool PeerClosed(std::chrono::milliseconds timeout);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ember::test
