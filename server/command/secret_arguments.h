// Arguments that must never be shown back: the passwords of AUTH and HELLO ... AUTH, and the
// values of CONFIG SET requirepass. MONITOR and the slow log show "(redacted)" in their
// place, where Redis 7.0 redacts them (its redactClientCommandArgument calls): AUTH's
// password, and its user in the three-argument form; both words after each AUTH of a HELLO
// whose version parsed; CONFIG SET's values of sensitive settings. A command whose syntax
// Redis rejects before redacting (AUTH with four arguments) is shown as it came.
#pragma once

#include <span>
#include <string_view>
#include <vector>

namespace ember::server {

inline constexpr std::string_view kRedactedArgument = "(redacted)";

// Whether `args` (a whole command, name first) carries a secret. Cheap: looks at the name.
[[nodiscard]] bool MayCarrySecrets(std::span<const std::string_view> args);
// `args` with each secret replaced by kRedactedArgument.
[[nodiscard]] std::vector<std::string_view> RedactSecrets(std::span<const std::string_view> args);
// `args` as MONITOR and the slow log show them: `args` itself when it carries no secret,
// else the redacted copy, kept in `storage`.
[[nodiscard]] std::span<const std::string_view> ShownArguments(
    std::span<const std::string_view> args, std::vector<std::string_view>& storage);

}  // namespace ember::server
