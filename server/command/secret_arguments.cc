#include "server/command/secret_arguments.h"

#include "server/command/arg_parsing.h"

namespace ember::server {
namespace {

bool Is(std::string_view word, std::string_view name) { return EqualsIgnoreCase(word, name); }

void RedactAuth(std::vector<std::string_view>& args) {
  if (args.size() > 3) return;  // a syntax error before anything is redacted
  for (size_t i = 1; i < args.size(); ++i) args[i] = kRedactedArgument;
}

// HELLO [protover [AUTH user pass] [SETNAME name]]: the pairs after AUTH, walked as Redis
// walks the options (it stops at the first one it does not know).
void RedactHello(std::vector<std::string_view>& args) {
  if (args.size() < 2 || (args[1] != "2" && args[1] != "3")) return;
  for (size_t i = 2; i < args.size(); ++i) {
    const size_t more = args.size() - 1 - i;
    if (Is(args[i], "auth") && more >= 2) {
      args[i + 1] = kRedactedArgument;
      args[i + 2] = kRedactedArgument;
      i += 2;
    } else if (Is(args[i], "setname") && more >= 1) {
      ++i;
    } else {
      return;
    }
  }
}

void RedactConfigSet(std::vector<std::string_view>& args) {
  if (args.size() < 2 || !Is(args[1], "set")) return;
  for (size_t i = 2; i + 1 < args.size(); i += 2) {
    if (Is(args[i], "requirepass") || Is(args[i], "masterauth")) args[i + 1] = kRedactedArgument;
  }
}

}  // namespace

bool MayCarrySecrets(std::span<const std::string_view> args) {
  return !args.empty() && (Is(args[0], "auth") || Is(args[0], "hello") || Is(args[0], "config"));
}

std::vector<std::string_view> RedactSecrets(std::span<const std::string_view> args) {
  std::vector<std::string_view> shown(args.begin(), args.end());
  if (shown.empty()) return shown;
  if (Is(shown[0], "auth")) {
    RedactAuth(shown);
  } else if (Is(shown[0], "hello")) {
    RedactHello(shown);
  } else if (Is(shown[0], "config")) {
    RedactConfigSet(shown);
  }
  return shown;
}

std::span<const std::string_view> ShownArguments(std::span<const std::string_view> args,
                                                 std::vector<std::string_view>& storage) {
  if (!MayCarrySecrets(args)) return args;
  storage = RedactSecrets(args);
  return storage;
}

}  // namespace ember::server
