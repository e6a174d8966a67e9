#include "tests/support/redis_client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ostream>

namespace ember::test {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kDefaultTimeout = std::chrono::seconds(10);

timeval ToTimeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

Reply Convert(const redisReply* r) {
  Reply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = Reply::Type::kString;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = Reply::Type::kStatus;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = Reply::Type::kError;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = Reply::Type::kInteger;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = Reply::Type::kArray;
      for (size_t i = 0; i < r->elements; ++i) out.elements.push_back(Convert(r->element[i]));
      break;
    default:
      out.type = Reply::Type::kNil;
      break;
  }
  return out;
}

Reply IoError(const redisContext* context) {
  return Error(std::string("IOERR ") + (context != nullptr ? context->errstr : "not connected"));
}

// Takes ownership of a hiredis reply object; nullptr means an I/O or protocol error.
Reply Take(redisContext* context, void* raw) {
  if (raw == nullptr) return IoError(context);
  auto* reply = static_cast<redisReply*>(raw);
  Reply out = Convert(reply);
  freeReplyObject(reply);
  return out;
}

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out + "\"";
}

std::string JoinElements(const std::vector<Reply>& elements, const char* open, const char* sep,
                         const char* close) {
  std::string out = open;
  for (size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) out += sep;
    out += elements[i].ToString();
  }
  return out + close;
}

}  // namespace

std::string Reply::ToString() const {
  if (!attributes.empty()) {
    Reply plain = *this;
    plain.attributes.clear();
    Reply map;
    map.type = Type::kMap;
    map.elements = attributes;
    return "|" + map.ToString() + " " + plain.ToString();
  }
  switch (type) {
    case Type::kString:
      return Quote(str);
    case Type::kStatus:
      return "+" + str;
    case Type::kError:
      return "-" + str;
    case Type::kInteger:
      return ":" + std::to_string(integer);
    case Type::kNil:
      return str.empty() ? "(nil)" : "(nil " + str + ")";
    case Type::kArray:
      return JoinElements(elements, "[", ",", "]");
    case Type::kDouble:
      return "," + str;
    case Type::kBoolean:
      return integer != 0 ? "#t" : "#f";
    case Type::kBigNumber:
      return "(" + str;
    case Type::kVerbatim:
      return "=" + Quote(str);
    case Type::kMap: {
      std::string out = "{";
      for (size_t i = 0; i + 1 < elements.size(); i += 2) {
        if (i > 0) out += ",";
        out += elements[i].ToString() + "=>" + elements[i + 1].ToString();
      }
      return out + "}";
    }
    case Type::kSet:
      return JoinElements(elements, "~[", ",", "]");
    case Type::kPush:
      return JoinElements(elements, ">[", ",", "]");
  }
  return "?";
}

void PrintTo(const Reply& reply, std::ostream* os) { *os << reply.ToString(); }

Reply Bulk(std::string_view s) {
  Reply r;
  r.type = Reply::Type::kString;
  r.str = s;
  return r;
}

Reply Status(std::string_view s) {
  Reply r;
  r.type = Reply::Type::kStatus;
  r.str = s;
  return r;
}

Reply Error(std::string_view s) {
  Reply r;
  r.type = Reply::Type::kError;
  r.str = s;
  return r;
}

Reply Int(long long n) {
  Reply r;
  r.type = Reply::Type::kInteger;
  r.integer = n;
  return r;
}

Reply Nil() { return Reply{}; }

Reply Array(std::initializer_list<Reply> elements) {
  Reply r;
  r.type = Reply::Type::kArray;
  r.elements.assign(elements.begin(), elements.end());
  return r;
}

Reply BulkArray(const std::vector<std::string>& elements) {
  Reply r;
  r.type = Reply::Type::kArray;
  for (const auto& e : elements) r.elements.push_back(Bulk(e));
  return r;
}

RedisClient::RedisClient(int port) {
  context_ = redisConnectWithTimeout("127.0.0.1", port, ToTimeval(kDefaultTimeout));
  if (context_ == nullptr || context_->err != 0) {
    ADD_FAILURE() << "cannot connect to 127.0.0.1:" << port << ": "
                  << (context_ != nullptr ? context_->errstr : "out of memory");
    return;
  }
  redisSetTimeout(context_, ToTimeval(kDefaultTimeout));
}

RedisClient::~RedisClient() {
  if (context_ != nullptr) redisFree(context_);
}

bool RedisClient::connected() const { return context_ != nullptr && context_->err == 0; }

void RedisClient::SetTimeout(std::chrono::milliseconds timeout) {
  if (context_ != nullptr) redisSetTimeout(context_, ToTimeval(timeout));
}

Reply RedisClient::Command(const std::vector<std::string>& args) {
  if (!connected()) return IoError(context_);
  std::vector<const char*> argv;
  std::vector<size_t> argvlen;
  for (const auto& a : args) {
    argv.push_back(a.data());
    argvlen.push_back(a.size());
  }
  return Take(context_, redisCommandArgv(context_, static_cast<int>(args.size()), argv.data(),
                                         argvlen.data()));
}

void RedisClient::Append(const std::vector<std::string>& args) {
  if (context_ == nullptr) return;
  std::vector<const char*> argv;
  std::vector<size_t> argvlen;
  for (const auto& a : args) {
    argv.push_back(a.data());
    argvlen.push_back(a.size());
  }
  redisAppendCommandArgv(context_, static_cast<int>(args.size()), argv.data(), argvlen.data());
}

Reply RedisClient::ReadReply() {
  if (!connected()) return IoError(context_);
  void* raw = nullptr;
  if (redisGetReply(context_, &raw) != REDIS_OK) return IoError(context_);
  return Take(context_, raw);
}

std::string RespRequest(const std::vector<std::string>& args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (const std::string& arg : args) {
    out += "$" + std::to_string(arg.size()) + "\r\n";
    out += arg;
    out += "\r\n";
  }
  return out;
}

RawConnection::RawConnection(int port) : RawConnection(port, "") {}

RawConnection::RawConnection(int port, const std::string& source_address) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ >= 0 && !source_address.empty()) {
    sockaddr_in source{};
    source.sin_family = AF_INET;
    if (inet_pton(AF_INET, source_address.c_str(), &source.sin_addr) != 1 ||
        bind(fd_, reinterpret_cast<sockaddr*>(&source), sizeof(source)) != 0) {
      ADD_FAILURE() << "binding the source address " << source_address
                    << " failed: " << std::strerror(errno);
    }
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd_ < 0 || connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ADD_FAILURE() << "raw connect to 127.0.0.1:" << port << " failed: " << std::strerror(errno);
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
    return;
  }
  // Byte-at-a-time tests need each Send() to leave as its own segment.
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

RawConnection::~RawConnection() { Close(); }

void RawConnection::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

bool RawConnection::Send(std::string_view bytes) {
  if (fd_ < 0) return false;
  while (!bytes.empty()) {
    ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::string RawConnection::Read(size_t expected_bytes, std::chrono::milliseconds timeout) {
  std::string out;
  if (fd_ < 0) return out;
  const auto deadline = Clock::now() + timeout;
  char buf[16384];
  while (out.size() < expected_bytes) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    pollfd pfd{fd_, POLLIN, 0};
    int ready = poll(&pfd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) break;
    ssize_t n = recv(fd_, buf, std::min(sizeof(buf), expected_bytes - out.size()), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

std::string RawConnection::ReadSome(std::chrono::milliseconds timeout) {
  if (fd_ < 0) return {};
  const auto deadline = Clock::now() + timeout;
  char buf[16384];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return {};
    pollfd pfd{fd_, POLLIN, 0};
    int ready = poll(&pfd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return {};
    ssize_t n = recv(fd_, buf, sizeof(buf), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return {};
    return std::string(buf, static_cast<size_t>(n));
  }
}

std::string RawConnection::ReadUntilClosed(std::chrono::milliseconds timeout) {
  std::string out;
  if (fd_ < 0) return out;
  const auto deadline = Clock::now() + timeout;
  char buf[16384];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    pollfd pfd{fd_, POLLIN, 0};
    int ready = poll(&pfd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) break;
    ssize_t n = recv(fd_, buf, sizeof(buf), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

bool RawConnection::PeerClosed(std::chrono::milliseconds timeout) {
  if (fd_ < 0) return true;
  const auto deadline = Clock::now() + timeout;
  char buf[4096];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd pfd{fd_, POLLIN, 0};
    int ready = poll(&pfd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    ssize_t n = recv(fd_, buf, sizeof(buf), 0);
    if (n < 0 && errno == EINTR) continue;
    // A reset (the peer closed with unread input) counts as closed too.
    if (n <= 0) return true;
  }
}

}  // namespace ember::test
