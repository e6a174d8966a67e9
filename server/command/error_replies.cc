#include "server/command/error_replies.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace ember::server {

std::string_view ErrorText(storage::OpStatus status) {
  using storage::OpStatus;
  switch (status) {
    case OpStatus::kWrongType:
      return kErrWrongType;
    case OpStatus::kNotAnInteger:
      return kErrNotInteger;
    case OpStatus::kNotAFloat:
      return kErrNotFloat;
    case OpStatus::kOverflow:
      return kErrOverflow;
    case OpStatus::kNanOrInfinity:
      return kErrNanOrInfinity;
    case OpStatus::kStringTooLong:
      return kErrStringTooLong;
    case OpStatus::kKeyNotFound:
      return kErrNoSuchKey;
    case OpStatus::kSameKey:
      return kErrSameObject;
    case OpStatus::kOutOfRange:
      return kErrDbIndexOutOfRange;
    case OpStatus::kNotHll:
      return kErrNotHll;
    case OpStatus::kCorruptHll:
      return kErrCorruptHll;
    case OpStatus::kOk:
    case OpStatus::kSkipped:
      break;
  }
  return "ERR internal error: no error text for this outcome";
}

std::string WrongArityError(std::string_view command_name) {
  std::string lower(command_name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return fmt::format("ERR wrong number of arguments for '{}' command", lower);
}

std::string UnknownSubcommandError(std::string_view container, std::string_view subcommand) {
  std::string upper(container);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return fmt::format("ERR unknown subcommand '{}'. Try {} HELP.", subcommand.substr(0, 128), upper);
}

std::string SubcommandSyntaxError(std::string_view container, std::string_view subcommand) {
  return fmt::format("ERR unknown subcommand or wrong number of arguments for '{}'. Try {} HELP.",
                     subcommand.substr(0, 128), container);
}

std::string UnknownCommandError(std::string_view name, std::span<const std::string_view> args) {
  // Redis quotes at most 128 bytes of the name and of each argument, and stops listing
  // arguments once the text would pass 128 bytes.
  constexpr size_t kMaxShown = 128;
  std::string text = fmt::format("ERR unknown command '{}', with args beginning with: ",
                                 name.substr(0, kMaxShown));
  std::string listed;
  for (std::string_view arg : args) {
    if (listed.size() >= kMaxShown) break;
    listed += fmt::format("'{}' ", arg.substr(0, kMaxShown - listed.size()));
  }
  return text + listed;
}

std::string InvalidExpireError(std::string_view command_name) {
  std::string lower(command_name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return fmt::format("ERR invalid expire time in '{}' command", lower);
}

}  // namespace ember::server
