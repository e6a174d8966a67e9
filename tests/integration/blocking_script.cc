#include "tests/integration/blocking_script.h"

#include <gtest/gtest.h>

#include <regex>
#include <thread>

namespace ember::test {
namespace {

std::string Joined(const std::vector<std::string>& args,
                   const std::map<std::string, std::string>& aliases) {
  std::string text;
  for (const std::string& arg : args) {
    auto alias = aliases.find(arg);
    text += (text.empty() ? "" : " ") + (alias == aliases.end() ? arg : alias->second);
  }
  return text;
}

// Control bytes are shown escaped, so a transcript reads as text in a failure message.
std::string Printable(const std::string& bytes) {
  std::string out;
  for (char ch : bytes) {
    if (ch == '\r') {
      out += "\\r";
    } else if (ch == '\n') {
      out += "\\n";
    } else {
      out += ch;
    }
  }
  return out;
}

}  // namespace

Resp3Client& BlockingScript::Connection(int c) {
  std::unique_ptr<Resp3Client>& connection = connections_[c];
  if (!connection) {
    connection = std::make_unique<Resp3Client>(port_);
    if (resp_ == 3) {
      EXPECT_TRUE(connection->Hello3()) << "HELLO 3 on connection " << c;
    }
  }
  return *connection;
}

BlockingScript& BlockingScript::Send(int c, const Argv& args) {
  transcript_.push_back(std::to_string(c) + "> " + Joined(args, aliases_));
  EXPECT_TRUE(Connection(c).Send(args)) << "send on connection " << c;
  return *this;
}

BlockingScript& BlockingScript::Receive(int c) {
  std::optional<std::string> reply = Connection(c).ReceiveRaw(std::chrono::seconds(5));
  transcript_.push_back(std::to_string(c) + "< " +
                        (reply ? Printable(*reply) : std::string("(no reply within 5 s)")));
  return *this;
}

BlockingScript& BlockingScript::ReceiveAliased(int c) {
  std::string reply =
      Connection(c).ReceiveRaw(std::chrono::seconds(5)).value_or("(no reply within 5 s)");
  for (const auto& [id, alias] : aliases_) {
    const std::string integer = ":" + id + "\r\n";
    for (size_t at = reply.find(integer); at != std::string::npos; at = reply.find(integer, at)) {
      reply.replace(at, integer.size(), ":" + alias + "\r\n");
      at += alias.size();
    }
  }
  transcript_.push_back(std::to_string(c) + "< " + Printable(reply));
  return *this;
}

BlockingScript& BlockingScript::ReceiveMonitorLine(int c) {
  std::string line =
      Connection(c).ReceiveRaw(std::chrono::seconds(5)).value_or("(no reply within 5 s)");
  static const std::regex kShape(R"(^\+\d{10}\.\d{6} \[(\d+) ([^\] ]+)\](.*)$)");
  const bool terminated = line.ends_with("\r\n");
  if (terminated) line.resize(line.size() - 2);  // std::regex's '.' stops at '\r'
  std::smatch match;
  if (std::regex_match(line, match, kShape)) {
    std::string address = match[2];
    if (address != "lua") {
      auto [it, added] = monitor_addresses_.try_emplace(address, "");
      if (added) it->second = "<addr " + std::to_string(monitor_addresses_.size()) + ">";
      address = it->second;
    }
    line = "+<time> [" + match[1].str() + " " + address + "]" + match[3].str();
  }
  if (terminated) line += "\r\n";
  transcript_.push_back(std::to_string(c) + "< " + Printable(line));
  return *this;
}

BlockingScript& BlockingScript::Nothing(int c) {
  std::optional<std::string> reply = Connection(c).ReceiveRaw(std::chrono::milliseconds(150));
  transcript_.push_back(std::to_string(c) + "< " +
                        (reply ? "unexpected " + Printable(*reply) : std::string("(nothing)")));
  return *this;
}

BlockingScript& BlockingScript::Drain(int c) {
  constexpr int kMaxReplies = 10'000;
  for (int i = 0; i < kMaxReplies; ++i) {
    std::optional<std::string> reply = Connection(c).ReceiveRaw(std::chrono::milliseconds(50));
    if (!reply) break;
    transcript_.push_back(std::to_string(c) + "< " + Printable(*reply));
  }
  transcript_.push_back(std::to_string(c) + "< (drained)");
  return *this;
}

std::string BlockingScript::Unrecorded(int c, const Argv& args) {
  Resp3Client& connection = Connection(c);
  EXPECT_TRUE(connection.Send(args));
  std::optional<std::string> reply = connection.ReceiveRaw(std::chrono::seconds(5));
  return reply.value_or("");
}

std::string BlockingScript::IdOf(int c) {
  const std::string reply = Unrecorded(c, {"CLIENT", "ID"});
  // ":<id>\r\n"
  const std::string id = reply.size() > 3 ? reply.substr(1, reply.size() - 3) : reply;
  aliases_[id] = "<id of " + std::to_string(c) + ">";
  return id;
}

BlockingScript& BlockingScript::Close(int c) {
  transcript_.push_back(std::to_string(c) + " closed");
  Connection(c).Close();
  return *this;
}

BlockingScript& BlockingScript::Sleep(int ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  return *this;
}

}  // namespace ember::test
