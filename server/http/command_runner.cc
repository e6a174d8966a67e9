#include "server/http/command_runner.h"

#include "protocol/reply_writer.h"

namespace ember::server::http {

protocol::ReplyValue CommandRunner::Run(std::span<const std::string_view> args) {
  output_.clear();
  client_.protocol_version = 3;
  protocol::ReplyWriter writer(&output_, 3);
  dispatcher_.Execute(args, client_, writer, now_ms_);
  auto decoded = protocol::ReadReply(output_);
  if (!decoded) {
    // The writer and the reader are two halves of one format; a mismatch is a bug, and a
    // 500 with the reason is more useful to the caller than a guess.
    protocol::ReplyValue error;
    error.type = protocol::ReplyValue::Type::kError;
    error.text = "ERR internal error: undecodable reply";
    return error;
  }
  return std::move(decoded->value);
}

}  // namespace ember::server::http
