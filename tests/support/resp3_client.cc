#include "tests/support/resp3_client.h"

namespace ember::test {
namespace {

constexpr auto kReplyTimeout = std::chrono::seconds(10);
// Guards against a server that streams forever: no compared reply comes near this size.
constexpr size_t kMaxReplyBytes = 64 * 1024 * 1024;

Reply::Type AggregateType(char wire) {
  switch (wire) {
    case '~':
      return Reply::Type::kSet;
    case '>':
      return Reply::Type::kPush;
    default:
      return Reply::Type::kArray;
  }
}

}  // namespace

Reply ToReply(const protocol::ReplyValue& value, bool resp3) {
  using VT = protocol::ReplyValue::Type;
  Reply out;
  for (const auto& attribute : value.attributes)
    out.attributes.push_back(ToReply(attribute, resp3));
  switch (value.type) {
    case VT::kSimpleString:
      out.type = Reply::Type::kStatus;
      break;
    case VT::kError:
      out.type = Reply::Type::kError;
      break;
    case VT::kInteger:
      out.type = Reply::Type::kInteger;
      out.integer = value.integer;
      return out;
    case VT::kBulk:
      out.type = value.wire == '=' ? Reply::Type::kVerbatim : Reply::Type::kString;
      break;
    case VT::kNull:
      out.type = Reply::Type::kNil;
      if (resp3 && value.wire != '_') out.str = std::string(1, value.wire) + "-1";
      return out;
    case VT::kDouble:
      out.type = Reply::Type::kDouble;
      break;
    case VT::kBoolean:
      out.type = Reply::Type::kBoolean;
      out.integer = value.integer;
      return out;
    case VT::kBigNumber:
      out.type = Reply::Type::kBigNumber;
      break;
    case VT::kArray:
    case VT::kMap:
      out.type = value.type == VT::kMap ? Reply::Type::kMap : AggregateType(value.wire);
      for (const auto& element : value.elements) out.elements.push_back(ToReply(element, resp3));
      return out;
  }
  out.str = value.text;
  return out;
}

Resp3Client::Resp3Client(int port) : connection_(std::make_unique<RawConnection>(port)) {}

bool Resp3Client::Hello3() {
  Reply reply = Command({"HELLO", "3"});
  if (reply.type != Reply::Type::kMap) return false;
  resp3_ = true;
  return true;
}

Reply Resp3Client::Command(const std::vector<std::string>& args) {
  if (broken_) return Error("IOERR connection unusable after an earlier error");
  if (!connection_->Send(RespRequest(args))) {
    broken_ = true;
    return Error("IOERR send failed");
  }
  const auto deadline = std::chrono::steady_clock::now() + kReplyTimeout;
  while (true) {
    if (auto result = protocol::ReadReply(buffer_)) {
      buffer_.erase(0, result->consumed);
      return ToReply(result->value, resp3_);
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    std::string chunk = left.count() > 0 ? connection_->ReadSome(left) : std::string();
    if (chunk.empty() || buffer_.size() > kMaxReplyBytes) {
      broken_ = true;
      return Error("IOERR no complete reply (closed, timed out or malformed); have " +
                   std::to_string(buffer_.size()) + " bytes");
    }
    buffer_ += chunk;
  }
}

bool Resp3Client::Send(const std::vector<std::string>& args) {
  return !broken_ && connection_->Send(RespRequest(args));
}

std::optional<std::string> Resp3Client::ReceiveRaw(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (auto result = protocol::ReadReply(buffer_)) {
      std::string bytes = buffer_.substr(0, result->consumed);
      buffer_.erase(0, result->consumed);
      return bytes;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    std::string chunk = connection_->ReadSome(left);
    if (chunk.empty()) return std::nullopt;
    buffer_ += chunk;
  }
}

void Resp3Client::Close() {
  connection_->Close();
  broken_ = true;
}

}  // namespace ember::test
