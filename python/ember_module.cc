// The `ember._ember` extension: the engine of ember-server in a Python process.
//
//   Engine(settings, path)   an EmbeddedEngine (embedded/embedded_engine.h) and a client of
//                            its own for direct calls: execute(*args) runs one command and
//                            returns its reply as Python values (ember.Store is built on it)
//   Connection(engine)       a socket-like object over an EmbeddedConnection, which redis-py's
//                            Connection uses as its socket (ember.Redis is built on it)
//
// Locks: the engine's mutex is never held while the GIL is being acquired. A call takes the
// mutex while holding the GIL when it is free, and otherwise releases the GIL while it waits,
// so other Python threads run; commands that are not O(1) (no `fast` flag: KEYS, SAVE,
// FLUSHALL...) and loads, saves and waits for output run with the GIL released.
#include <fmt/format.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "embedded/embedded_connection.h"
#include "embedded/embedded_engine.h"
#include "python/reply_to_python.h"
#include "server/core/ascii.h"
#include "server/core/clock.h"

namespace ember::python {
namespace {

namespace py = pybind11;
using embedded::EmbeddedConnection;
using embedded::EmbeddedEngine;
using Clock = std::chrono::steady_clock;

// How long a wait for output sleeps before it looks at Python's signals (Ctrl-C).
constexpr auto kSignalCheckInterval = std::chrono::milliseconds(100);

// The engine's mutex, taken with the GIL held when free, else waited for without it.
std::unique_lock<std::mutex> LockEngine(EmbeddedEngine& engine) {
  std::unique_lock lock(engine.mutex(), std::try_to_lock);
  if (!lock.owns_lock()) {
    py::gil_scoped_release release;
    lock.lock();
  }
  return lock;
}

class Engine {
 public:
  Engine(const std::vector<std::string>& settings, const std::optional<std::string>& path) {
    std::string error;
    {
      py::gil_scoped_release release;
      engine_ = EmbeddedEngine::Open(settings, path.value_or(""), &error);
      if (engine_) {
        std::lock_guard lock(engine_->mutex());
        engine_->Attach(client_);
        // The program that owns the engine needs no password to call it.
        client_.authenticated = true;
        // A blocking command cannot block a direct call: it answers as if it timed out,
        // as inside MULTI.
        client_.deny_blocking = true;
        // Woken when CLIENT PAUSE changes while a direct call waits it out.
        client_.wake = [engine = engine_.get(), client = &client_] {
          client->outbox.clear();  // nothing reads it: a direct call has no pushes
          engine->changed().notify_all();
        };
      }
    }
    if (!engine_) throw py::value_error(error);
  }

  // The engine itself goes with its last user (an ember.Redis connection may outlive this);
  // its destructor saves as SHUTDOWN would, so the GIL is released around it.
  ~Engine() {
    py::gil_scoped_release release;
    {
      std::lock_guard lock(engine_->mutex());
      engine_->Detach(client_);
    }
    engine_.reset();
  }

  py::object Execute(const py::args& args) {
    if (args.size() == 0) throw py::type_error("execute() needs a command name");
    std::deque<std::string> scratch;
    const std::vector<std::string_view> argv = ArgumentViews(args, &scratch);
    // Per thread: another thread's call may run while this one converts its reply.
    thread_local std::string reply;
    reply.clear();
    if (ScopedToAConnection(argv)) {
      reply = fmt::format(
          "-ERR '{}' acts on a connection, and ember.Store's direct calls share one client: "
          "use ember.Redis(store=...) for it\r\n",
          argv[0]);
      return ReplyToPython(reply, false);
    }
    const server::CommandSpec* spec = engine_->dispatcher().table().Find(argv[0]);
    const bool fast = spec != nullptr && (spec->flags & server::kFast) != 0;
    bool ran = false;
    if (fast) {
      std::unique_lock lock = LockEngine(*engine_);
      ran = RunLocked(argv, &reply);
    }
    if (!ran) {
      py::gil_scoped_release release;
      std::unique_lock lock(engine_->mutex());
      WaitOutPause(lock, argv);
      RunLocked(argv, &reply);
    }
    return ReplyToPython(reply, false);
  }

  // True when closed (and saved as asked); raises when the save failed.
  void Close(std::optional<bool> save) {
    std::string error;
    bool ok = true;
    {
      py::gil_scoped_release release;
      std::lock_guard lock(engine_->mutex());
      const EmbeddedEngine::CloseSave mode = !save.has_value() ? EmbeddedEngine::CloseSave::kDefault
                                             : *save           ? EmbeddedEngine::CloseSave::kSave
                                                               : EmbeddedEngine::CloseSave::kNoSave;
      ok = engine_->Close(mode, &error);
    }
    if (!ok) {
      PyErr_SetString(Errors().response_error.ptr(), ("ERR " + error).c_str());
      throw py::error_already_set();
    }
  }

  bool closed() {
    std::unique_lock lock = LockEngine(*engine_);
    return engine_->closed();
  }
  bool persistent() const { return engine_->persistent(); }
  const std::shared_ptr<EmbeddedEngine>& engine() const { return engine_; }

 private:
  // Commands whose effect is the state of the connection that sent them (subscriptions,
  // MULTI, WATCH, MONITOR, the protocol, CLIENT REPLY and tracking): on the one client that
  // every thread's direct calls share they would change what the other calls get.
  static bool ScopedToAConnection(const std::vector<std::string_view>& argv) {
    static constexpr std::string_view kScoped[] = {
        "subscribe",    "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe",
        "sunsubscribe", "multi",      "exec",       "discard",     "watch",
        "unwatch",      "monitor",    "hello",      "reset",       "quit"};
    const auto is = [](std::string_view arg, std::string_view name) {
      return arg.size() == name.size() &&
             std::equal(arg.begin(), arg.end(), name.begin(),
                        [](char a, char b) { return server::AsciiLower(a) == b; });
    };
    for (std::string_view name : kScoped) {
      if (is(argv[0], name)) return true;
    }
    if (is(argv[0], "client") && argv.size() > 1) {
      return is(argv[1], "reply") || is(argv[1], "tracking") || is(argv[1], "caching");
    }
    return false;
  }

  // A direct call held by CLIENT PAUSE waits (without the GIL) until the pause lets it run.
  void WaitOutPause(std::unique_lock<std::mutex>& lock, const std::vector<std::string_view>& argv) {
    server::ServerState& state = engine_->state();
    if (!engine_->dispatcher().MustWait(argv, client_, server::UnixMillis())) return;
    state.HoldForPause(client_);
    while (!engine_->closed() &&
           engine_->dispatcher().MustWait(argv, client_, server::UnixMillis())) {
      const int64_t wait_ms = std::max<int64_t>(state.pause_end_ms() - server::UnixMillis(), 0);
      engine_->changed().wait_for(lock,
                                  std::chrono::milliseconds(std::min<int64_t>(wait_ms, 1000)));
      state.WakeHeldIfPauseEnded(server::UnixMillis());
    }
    state.ReleaseFromPause(client_);
  }

  // With the lock held (and possibly without the GIL): no Python calls here. False, without
  // running it, when CLIENT PAUSE holds the command (the caller waits it out).
  bool RunLocked(const std::vector<std::string_view>& argv, std::string* reply) {
    if (engine_->closed()) {
      *reply = "-ERR the Ember store is closed\r\n";
      return true;
    }
    if (engine_->dispatcher().MustWait(argv, client_, server::UnixMillis())) return false;
    protocol::ReplyWriter writer(reply, client_.protocol_version);
    const int64_t now_ms = server::UnixMillis();
    engine_->Execute(argv, client_, writer, now_ms);
    if (!engine_->FlushForReplies(now_ms)) {
      *reply =
          "-ERR the write could not be made durable as appendfsync asks (the log says why)\r\n";
    }
    client_.outbox.clear();  // nothing reads it: a direct call has no pushes
    return true;
  }

  std::shared_ptr<EmbeddedEngine> engine_;
  server::ClientState client_;
};

// What redis-py's Connection needs of a socket: sendall, recv, recv_into, settimeout,
// gettimeout, setsockopt, shutdown, close. Timeouts follow the socket module: None blocks,
// 0 raises BlockingIOError when nothing is ready, a positive timeout raises TimeoutError.
class SocketLike {
 public:
  explicit SocketLike(const Engine& engine) : engine_(engine.engine()) {
    py::gil_scoped_release release;
    std::lock_guard lock(engine_->mutex());
    connection_ = std::make_unique<EmbeddedConnection>(engine_);
  }
  ~SocketLike() {
    py::gil_scoped_release release;
    {
      std::lock_guard lock(engine_->mutex());
      connection_.reset();
    }
    engine_.reset();
  }

  void SendAll(const py::buffer& data) {
    const py::buffer_info info = data.request();
    const std::string_view bytes(static_cast<const char*>(info.ptr),
                                 static_cast<size_t>(info.size * info.itemsize));
    bool sent = false;
    {
      py::gil_scoped_release release;
      std::lock_guard lock(engine_->mutex());
      sent = connection_->Send(bytes);
    }
    if (!sent) {
      PyErr_SetObject(PyExc_BrokenPipeError, py::make_tuple(EPIPE, "Broken pipe").ptr());
      throw py::error_already_set();
    }
  }

  py::bytes Recv(size_t max_bytes) {
    std::string out;
    Receive(max_bytes, &out);
    return py::bytes(out);
  }

  size_t RecvInto(const py::buffer& buffer, size_t max_bytes) {
    const py::buffer_info info = buffer.request(/*writable=*/true);
    const size_t room = static_cast<size_t>(info.size * info.itemsize);
    std::string out;
    Receive(max_bytes == 0 ? room : std::min(room, max_bytes), &out);
    std::copy(out.begin(), out.end(), static_cast<char*>(info.ptr));
    return out.size();
  }

  void SetTimeout(std::optional<double> seconds) {
    if (seconds.has_value() && *seconds < 0) throw py::value_error("Timeout value out of range");
    timeout_ = seconds;
  }
  std::optional<double> timeout() const { return timeout_; }

  void Close() {
    py::gil_scoped_release release;
    std::lock_guard lock(engine_->mutex());
    connection_->Close();
  }

 private:
  // Waits in slices so that Ctrl-C (a pending signal) interrupts a long wait.
  void Receive(size_t max_bytes, std::string* out) {
    const bool nonblocking = timeout_.has_value() && *timeout_ == 0;
    const bool has_deadline = timeout_.has_value() && *timeout_ > 0;
    const Clock::time_point deadline =
        has_deadline ? Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                          std::chrono::duration<double>(*timeout_))
                     : Clock::time_point::max();
    for (;;) {
      EmbeddedConnection::ReceiveStatus status;
      {
        py::gil_scoped_release release;
        std::unique_lock lock(engine_->mutex());
        const Clock::time_point now = Clock::now();
        Clock::time_point until = nonblocking ? now : now + kSignalCheckInterval;
        until = std::min(until, deadline);
        status = connection_->Receive(lock, max_bytes, until, out);
      }
      if (status != EmbeddedConnection::ReceiveStatus::kTimedOut) return;  // data, or b"" closed
      if (nonblocking) {
        PyErr_SetObject(PyExc_BlockingIOError,
                        py::make_tuple(EAGAIN, "Resource temporarily unavailable").ptr());
        throw py::error_already_set();
      }
      if (has_deadline && Clock::now() >= deadline) {
        PyErr_SetString(PyExc_TimeoutError, "timed out");
        throw py::error_already_set();
      }
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    }
  }

  std::shared_ptr<EmbeddedEngine> engine_;
  std::unique_ptr<EmbeddedConnection> connection_;
  std::optional<double> timeout_;
};

}  // namespace

PYBIND11_MODULE(_ember, module) {
  module.doc() = "Ember's engine in-process (see the ember package)";
  py::object response_error = py::reinterpret_steal<py::object>(
      PyErr_NewException("ember.ResponseError", nullptr, nullptr));
  py::object wrong_type_error = py::reinterpret_steal<py::object>(
      PyErr_NewException("ember.WrongTypeError", response_error.ptr(), nullptr));
  module.attr("ResponseError") = response_error;
  module.attr("WrongTypeError") = wrong_type_error;
  Errors().response_error = response_error.release();
  Errors().wrong_type_error = wrong_type_error.release();

  py::class_<Engine>(module, "Engine")
      .def(py::init<const std::vector<std::string>&, const std::optional<std::string>&>(),
           py::arg("settings"), py::arg("path"))
      .def("execute", &Engine::Execute)
      .def("close", &Engine::Close, py::arg("save") = py::none())
      .def_property_readonly("closed", &Engine::closed)
      .def_property_readonly("persistent", &Engine::persistent);

  py::class_<SocketLike>(module, "Connection")
      .def(py::init<const Engine&>(), py::arg("engine"))
      .def("sendall", &SocketLike::SendAll, py::arg("data"))
      .def("recv", &SocketLike::Recv, py::arg("bufsize"))
      .def("recv_into", &SocketLike::RecvInto, py::arg("buffer"), py::arg("nbytes") = 0)
      .def("settimeout", &SocketLike::SetTimeout, py::arg("value"))
      .def("gettimeout", &SocketLike::timeout)
      .def("setsockopt", [](SocketLike&, const py::args&) {})
      .def("shutdown", [](SocketLike& socket, int) { socket.Close(); })
      .def("close", &SocketLike::Close);
}

}  // namespace ember::python
