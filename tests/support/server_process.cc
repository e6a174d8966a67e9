#include "tests/support/server_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace ember::test {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kPollInterval = std::chrono::milliseconds(10);
constexpr auto kReadyTimeout = std::chrono::seconds(10);
constexpr auto kStopTimeout = std::chrono::seconds(10);
constexpr int kStartAttempts = 3;

// One PING round trip on a fresh socket; true only for an exact +PONG reply, or NOAUTH from
// a server started with requirepass (it answers, so it is up). Short timeouts keep the
// readiness poll close to its 10 ms cadence.
bool PingAnswers(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = false;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    constexpr std::string_view kPing = "*1\r\n$4\r\nPING\r\n";
    if (send(fd, kPing.data(), kPing.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(kPing.size())) {
      std::string got;
      const auto deadline = Clock::now() + std::chrono::milliseconds(500);
      while (got.size() < 7 && Clock::now() < deadline) {
        pollfd pfd{fd, POLLIN, 0};
        if (poll(&pfd, 1, 50) <= 0) continue;
        char buf[64];
        ssize_t n = recv(fd, buf, sizeof(buf), 0);
        if (n <= 0) break;
        got.append(buf, static_cast<size_t>(n));
      }
      ok = got == "+PONG\r\n" || got.starts_with("-NOAUTH ");
    }
  }
  close(fd);
  return ok;
}

// The inodes of the sockets listening on `port` (IPv4 and IPv6), from /proc/net/tcp{,6}.
std::vector<std::string> ListeningInodes(int port) {
  std::vector<std::string> inodes;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // the header
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
      fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
          timeout >> inode;
      const size_t colon = local.rfind(':');
      if (state != "0A" || colon == std::string::npos) continue;  // 0A: LISTEN
      if (std::stoi(local.substr(colon + 1), nullptr, 16) == port) inodes.push_back(inode);
    }
  }
  return inodes;
}

// Whether process `pid` holds a socket listening on `port`. Ports come from FreePort() and
// are bound later, so two servers started at once can be given the same one: the loser
// cannot bind, and the PING a readiness poll sends is answered by the other test's server.
bool ListensOn(pid_t pid, int port) {
  const std::vector<std::string> inodes = ListeningInodes(port);
  std::error_code ec;
  for (const auto& entry :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
    const std::string target = std::filesystem::read_symlink(entry.path(), ec).string();
    for (const std::string& inode : inodes) {
      if (target == "socket:[" + inode + "]") return true;
    }
  }
  return false;
}

// Runs in the forked child: only async-signal-safe calls until execv.
[[noreturn]] void ExecChild(const std::string& workdir, const std::string& log_path,
                            const std::string& binary, const std::vector<char*>& argv,
                            int nofile_limit) {
  if (chdir(workdir.c_str()) != 0) _exit(126);
  if (nofile_limit > 0) {
    const rlimit limit{static_cast<rlim_t>(nofile_limit), static_cast<rlim_t>(nofile_limit)};
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) _exit(126);
  }
  int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  int null_fd = open("/dev/null", O_RDONLY);
  if (log_fd < 0 || null_fd < 0) _exit(126);
  dup2(null_fd, STDIN_FILENO);
  dup2(log_fd, STDOUT_FILENO);
  dup2(log_fd, STDERR_FILENO);
  // A test runner that dies without its destructors (a ctest timeout, a crash) must not
  // leave servers behind.
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  execv(binary.c_str(), argv.data());
  constexpr char kMsg[] = "ServerProcess: execv failed\n";
  ssize_t ignored = write(STDERR_FILENO, kMsg, sizeof(kMsg) - 1);
  (void)ignored;
  _exit(127);
}

int DecodeStatus(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }

std::string LogTail(const std::string& log, size_t max_chars = 2000) {
  return log.size() <= max_chars ? log : "..." + log.substr(log.size() - max_chars);
}

}  // namespace

ServerProcess ServerProcess::Spawn(const SpawnOptions& options) {
  ServerProcess process;
  process.port_ = options.port;
  process.workdir_ = std::make_unique<TempDir>("ember-test");
  if (process.workdir().empty()) {
    ADD_FAILURE() << "could not create a temporary directory: " << std::strerror(errno);
    return process;
  }
  process.log_path_ = process.workdir_->file("server.log");
  for (const auto& [name, content] : options.files) {
    const std::filesystem::path path = process.workdir_->file(name);
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << content;
  }
  std::ofstream(process.log_path_).close();

  std::vector<std::string> strings;
  strings.push_back(options.argv0.empty() ? options.binary : options.argv0);
  strings.insert(strings.end(), options.args.begin(), options.args.end());
  std::vector<char*> argv;
  for (auto& s : strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  pid_t pid = fork();
  if (pid < 0) {
    ADD_FAILURE() << "fork failed: " << std::strerror(errno);
    return process;
  }
  if (pid == 0) {
    ExecChild(process.workdir(), process.log_path_, options.binary, argv, options.nofile_limit);
  }
  process.pid_ = pid;
  return process;
}

ServerProcess ServerProcess::StartWithRetries(const std::string& binary, const std::string& argv0,
                                              const std::vector<std::string>& extra_args,
                                              const std::vector<std::string>& fixed_args) {
  std::string last_log;
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    SpawnOptions options;
    options.binary = binary;
    options.argv0 = argv0;
    options.port = FreePort();
    options.args = extra_args;
    options.args.insert(options.args.end(), fixed_args.begin(), fixed_args.end());
    options.args.push_back("--port");
    options.args.push_back(std::to_string(options.port));
    ServerProcess process = Spawn(options);
    if (!process.running()) return process;
    if (process.WaitUntilReady(kReadyTimeout)) return process;
    // Either the port was taken between FreePort() and bind, or the binary cannot start;
    // a retry on a new port settles the first case.
    last_log = process.ReadLog();
    process.Kill();
  }
  ADD_FAILURE() << binary << " did not answer PING within 10 s after " << kStartAttempts
                << " attempts. Last log:\n"
                << LogTail(last_log);
  return ServerProcess();
}

ServerProcess ServerProcess::StartEmber(std::vector<std::string> extra_args) {
  std::string binary = EmberBinary();
  if (binary.empty()) return ServerProcess();
  // The HTTP adapter's default port (8080) would collide between parallel servers; tests
  // that want it pass their own --http-port.
  std::vector<std::string> fixed;
  if (std::find(extra_args.begin(), extra_args.end(), "--http-port") == extra_args.end()) {
    fixed = {"--http-port", "0"};
  }
  return StartWithRetries(binary, "", extra_args, fixed);
}

ServerProcess ServerProcess::StartReference(std::vector<std::string> extra_args) {
  std::string binary = ReferenceBinary();
  if (binary.empty()) return ServerProcess();
  // The defaults first, so that `extra_args` (persistence for an interop test) override them.
  std::vector<std::string> args = {"--save", "",          "--appendonly", "no",
                                   "--bind", "127.0.0.1", "--daemonize",  "no"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  return StartWithRetries(binary, "redis-server", args, {});
}

ServerProcess::ServerProcess(ServerProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      exit_status_(other.exit_status_),
      port_(other.port_),
      workdir_(std::move(other.workdir_)),
      log_path_(std::exchange(other.log_path_, {})) {}

ServerProcess& ServerProcess::operator=(ServerProcess&& other) noexcept {
  if (this != &other) {
    Stop();
    workdir_.reset();
    pid_ = std::exchange(other.pid_, -1);
    exit_status_ = other.exit_status_;
    port_ = other.port_;
    workdir_ = std::move(other.workdir_);
    log_path_ = std::exchange(other.log_path_, {});
  }
  return *this;
}

// The working directory goes after the process has stopped (members are destroyed after
// the destructor's body).
ServerProcess::~ServerProcess() { Stop(); }

const std::string& ServerProcess::workdir() const {
  static const std::string kNone;
  return workdir_ ? workdir_->path() : kNone;
}

bool ServerProcess::ReapIfExited() {
  if (pid_ <= 0) return true;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_ || (r < 0 && errno == ECHILD)) {
    exit_status_ = r == pid_ ? DecodeStatus(status) : -1;
    pid_ = -1;
    return true;
  }
  return false;
}

int ServerProcess::Stop() {
  if (ReapIfExited()) return exit_status_;
  kill(pid_, SIGTERM);
  if (auto status = WaitForExit(kStopTimeout)) return *status;
  Kill();
  return -1;
}

void ServerProcess::Kill() {
  if (ReapIfExited()) return;
  kill(pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  exit_status_ = -1;
  pid_ = -1;
}

bool ServerProcess::WaitUntilReady(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (ReapIfExited()) return false;
    if (PingAnswers(port_)) return ListensOn(pid_, port_);
    std::this_thread::sleep_for(kPollInterval);
  }
  return false;
}

std::optional<int> ServerProcess::WaitForExit(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    if (ReapIfExited()) return exit_status_;
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(kPollInterval);
  }
}

std::string ServerProcess::ReadLog() const {
  std::ifstream in(log_path_, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string ServerProcess::EmberBinary() {
  const char* env = std::getenv("EMBER_SERVER_BIN");
  if (env == nullptr || *env == '\0') {
    ADD_FAILURE() << "EMBER_SERVER_BIN is not set: run the tests through ctest, or export it "
                     "as <build>/bin/ember-server";
    return "";
  }
  if (access(env, X_OK) != 0) {
    ADD_FAILURE() << "EMBER_SERVER_BIN=" << env
                  << " is not an executable file: build the ember-server target first";
    return "";
  }
  return env;
}

std::string ServerProcess::ReferenceBinary() {
  // Debian's redis-tools ships redis-check-rdb, which is the full server binary: it runs
  // as a server when argv[0] is "redis-server".
  for (const char* candidate : {"/usr/bin/redis-server", "/usr/bin/redis-check-rdb"}) {
    if (access(candidate, X_OK) == 0) return candidate;
  }
  ADD_FAILURE() << "reference redis-server 7.0 not found (neither /usr/bin/redis-server nor "
                   "/usr/bin/redis-check-rdb): run tools/test, or apt-get install redis-tools";
  return "";
}

int ServerProcess::FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    ADD_FAILURE() << "socket failed: " << std::strerror(errno);
    return 0;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = 0;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  } else {
    ADD_FAILURE() << "could not find a free port: " << std::strerror(errno);
  }
  close(fd);
  return port;
}

}  // namespace ember::test
