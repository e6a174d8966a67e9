// ArgParser: reads a command's arguments left to right, the way Redis's option loops do
// (SET's NX/XX/EX..., SCAN's MATCH/COUNT/TYPE, CLIENT KILL's filters, and later ZADD's and
// ZRANGE's). A handler asks what may come next — a keyword in any letter case, a keyword
// with its value, a plain value, an integer — and the parser consumes it when it is there.
//
// The first failure is kept and ends the parse: later calls consume nothing and return
// empty, so a handler reads its whole option list and checks once, and the error a client
// sees is the first problem from the left, as in Redis. Values are views into the command's
// arguments (valid while the handler runs). Cheap: no allocation unless an error is
// formatted.
//
//   ArgParser args(ctx.args, 3);
//   while (args.HasNext()) {
//     if (args.Check("NX")) nx = true;
//     else if (auto ms = args.Value("PX")) px = *ms;
//     else args.Fail(kErrSyntax);
//   }
//   if (!args.ok()) return ctx.reply.Error(args.error());
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ember::server {

class ArgParser {
 public:
  // Parses args[first...].
  explicit ArgParser(std::span<const std::string_view> args, size_t first = 0)
      : args_(args), next_(first) {}

  // Whether an argument is left to read and nothing has failed.
  bool HasNext() const { return ok() && next_ < args_.size(); }
  size_t remaining() const { return next_ < args_.size() ? args_.size() - next_ : 0; }
  // The next argument without consuming it, or "" when none is left.
  std::string_view Peek() const { return HasNext() ? args_[next_] : std::string_view(); }

  // Consumes the next argument when it equals `keyword` in any letter case.
  bool Check(std::string_view keyword);
  // Consumes `keyword` and the value after it, returning the value. A keyword with nothing
  // after it fails with kErrSyntax; another next argument consumes nothing.
  std::optional<std::string_view> Value(std::string_view keyword);
  // Consumes and returns the next argument; fails with kErrSyntax when none is left.
  std::optional<std::string_view> Next();
  // Consumes the next argument as an int64 (Redis's strict rules); a malformed one fails
  // with `error`, a missing one with kErrSyntax.
  std::optional<int64_t> NextInt64(std::string_view error);

  // Records `error` and ends the parse, unless an earlier failure is already recorded.
  void Fail(std::string_view error);
  bool ok() const { return !failed_; }
  // The first failure's text (Redis's words, without '-'). Requires: !ok().
  std::string_view error() const { return error_; }

 private:
  std::span<const std::string_view> args_;
  size_t next_;
  bool failed_ = false;
  std::string error_;
};

}  // namespace ember::server
