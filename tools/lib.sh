# Shared by tools/run, tools/test and tools/bench: install missing Debian packages and
# build. Sourced, not executed.

EMBER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Packages needed to build the server.
EMBER_BUILD_PACKAGES=(g++ cmake ninja-build pkg-config libboost1.81-dev libboost-json1.81-dev
  libboost-url1.81-dev libfmt-dev liblzf-dev liblua5.1-0-dev lua-cjson-dev lua-bitop-dev)
# Packages tools/run adds: redis-tools brings redis-cli, which the README's quick start uses
# right after tools/run (it carries no Redis service).
EMBER_RUN_PACKAGES=(redis-tools)
# Packages the embedded engine's Python module (python/, tools/python) builds with.
EMBER_PYTHON_MODULE_PACKAGES=(pybind11-dev python3-dev)
# Packages needed by the test suites. redis-tools brings redis-cli, redis-benchmark and the
# reference redis-server binary (as redis-check-rdb) without installing a Redis service.
# python3-redis, tmux and Node.js serve the real-client suites in tests/compat/; curl and
# python3-prometheus-client (its /metrics parser) serve the HTTP adapter's, and chromium (run
# headless) its Server-Sent Events route through a browser's EventSource; python3-pytest and
# python3-fakeredis run the Python module's suite (tests/python), python3-rq the RQ worker
# test of streams. Debian's
# nodejs and npm are added only when `node` is missing, so that a NodeSource install (which
# bundles npm and conflicts with Debian's npm) is left alone.
EMBER_TEST_PACKAGES=(libgtest-dev libgmock-dev libhiredis-dev redis-tools python3 python3-redis
  tmux curl python3-prometheus-client chromium "${EMBER_PYTHON_MODULE_PACKAGES[@]}"
  python3-pytest python3-fakeredis python3-rq redis-sentinel)
if ! command -v node >/dev/null 2>&1; then
  EMBER_TEST_PACKAGES+=(nodejs npm)
fi
# Packages needed by tools/bench only (installed by it, not by tools/test): redis-tools for
# redis-benchmark and the reference server, Google Benchmark for the microbenchmarks (--micro)
# and util-linux for taskset (--pin).
EMBER_BENCH_PACKAGES=(redis-tools libbenchmark-dev util-linux)

ember_log() { printf '[ember] %s\n' "$*" >&2; }

# Installs whichever of the given packages are missing, and says which.
ember_ensure_packages() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  ember_log "installing missing packages: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}"
}

# Installs the npm packages of the Node.js client suites (tests/compat/node) from the
# committed lock file when node_modules is missing or older than the lock file.
ember_ensure_node_modules() {
  local dir="$EMBER_ROOT/tests/compat/node"
  if [ -d "$dir/node_modules" ] && [ "$dir/node_modules" -nt "$dir/package-lock.json" ]; then
    return 0
  fi
  ember_log "installing npm packages in tests/compat/node"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error && touch node_modules)
}

# Configures and builds into $1 with extra CMake arguments after it.
ember_build() {
  local build_dir="$1"
  shift
  cmake -S "$EMBER_ROOT" -B "$build_dir" -G Ninja "$@" >/dev/null || return
  cmake --build "$build_dir" -j "$(nproc)"
}
