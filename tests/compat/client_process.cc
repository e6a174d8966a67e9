#include "tests/compat/client_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>

#include "tests/support/temp_dir.h"

namespace ember::test {
namespace {

using Clock = std::chrono::steady_clock;

// Our environment with `overrides` applied, as "NAME=value" strings.
std::vector<std::string> MergedEnvironment(
    const std::vector<std::pair<std::string, std::string>>& overrides) {
  std::vector<std::string> merged;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    std::string_view name = text.substr(0, text.find('='));
    bool overridden = false;
    for (const auto& [key, value] : overrides) overridden = overridden || key == name;
    if (!overridden) merged.emplace_back(text);
  }
  for (const auto& [key, value] : overrides) merged.push_back(key + "=" + value);
  return merged;
}

// Runs in the forked child: only async-signal-safe calls until exec.
[[noreturn]] void ExecChild(const ClientRun& run, const std::string& stdin_path, int out_fd,
                            int err_fd, char** argv, char** envp) {
  setpgid(0, 0);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (!run.cwd.empty() && chdir(run.cwd.c_str()) != 0) _exit(126);
  int in_fd = open(stdin_path.empty() ? "/dev/null" : stdin_path.c_str(), O_RDONLY);
  if (in_fd < 0) _exit(126);
  dup2(in_fd, STDIN_FILENO);
  dup2(out_fd, STDOUT_FILENO);
  dup2(err_fd, STDERR_FILENO);
  execvpe(argv[0], argv, envp);
  constexpr char kMsg[] = "RunClient: cannot execute the program\n";
  ssize_t ignored = write(STDERR_FILENO, kMsg, sizeof(kMsg) - 1);
  (void)ignored;
  _exit(127);
}

// Reads both pipes until both close or the deadline passes; true when both closed.
bool DrainPipes(int out_fd, int err_fd, Clock::time_point deadline, ClientResult& result) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_count = 2;
  while (open_count > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    int ready = poll(fds, 2, static_cast<int>(std::min<long long>(left.count(), 100)));
    if (ready < 0 && errno != EINTR) return false;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      char buf[65536];
      ssize_t n = read(fds[i].fd, buf, sizeof(buf));
      if (n > 0) {
        sinks[i]->append(buf, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open_count;
      }
    }
  }
  return true;
}

}  // namespace

std::string ClientResult::Describe() const {
  std::ostringstream text;
  text << (timed_out ? std::string("killed after timeout") : "exit " + std::to_string(exit_code))
       << "\n--- stdout ---\n"
       << out << "\n--- stderr ---\n"
       << err;
  return text.str();
}

ClientResult RunClient(const ClientRun& run) {
  ClientResult result;
  // The child reads its input from a file, so large inputs (redis-cli --pipe) never
  // deadlock against a child that writes as it reads.
  test::TempFile input(run.stdin_data, "ember-stdin");
  int out_pipe[2];
  int err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
    result.err = std::string("pipe2 failed: ") + std::strerror(errno);
    return result;
  }
  std::vector<std::string> strings = run.argv;
  std::vector<char*> argv;
  for (auto& s : strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_strings = MergedEnvironment(run.env);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);

  pid_t pid = fork();
  if (pid == 0) ExecChild(run, input.path(), out_pipe[1], err_pipe[1], argv.data(), envp.data());
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (pid < 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    result.err = std::string("fork failed: ") + std::strerror(errno);
    return result;
  }
  const auto deadline = Clock::now() + run.timeout;
  if (!DrainPipes(out_pipe[0], err_pipe[0], deadline, result)) {
    result.timed_out = true;
    kill(-pid, SIGKILL);
  }
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

bool HaveProgram(const std::string& program) {
  if (program.find('/') != std::string::npos) return access(program.c_str(), X_OK) == 0;
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path == nullptr ? "/usr/bin:/bin" : path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (!dir.empty() && access((dir + "/" + program).c_str(), X_OK) == 0) return true;
  }
  return false;
}

std::string SourceDir() {
  const char* root = std::getenv("EMBER_SOURCE_DIR");
  if (root != nullptr && *root != '\0') return root;
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path().string();
}

}  // namespace ember::test
