#include "server/command/arg_parser.h"

#include "server/command/arg_parsing.h"
#include "server/command/error_replies.h"

namespace ember::server {

bool ArgParser::Check(std::string_view keyword) {
  if (!HasNext() || !EqualsIgnoreCase(args_[next_], keyword)) return false;
  ++next_;
  return true;
}

std::optional<std::string_view> ArgParser::Value(std::string_view keyword) {
  if (!Check(keyword)) return std::nullopt;
  return Next();
}

std::optional<std::string_view> ArgParser::Next() {
  if (!HasNext()) {
    Fail(kErrSyntax);
    return std::nullopt;
  }
  return args_[next_++];
}

std::optional<int64_t> ArgParser::NextInt64(std::string_view error) {
  std::optional<std::string_view> text = Next();
  if (!text) return std::nullopt;
  std::optional<int64_t> value = ArgToInt64(*text);
  if (!value) Fail(error);
  return value;
}

void ArgParser::Fail(std::string_view error) {
  if (failed_) return;
  failed_ = true;
  error_ = error;
}

}  // namespace ember::server
