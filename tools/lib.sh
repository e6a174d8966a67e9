# Shared by tools/run, tools/test and tools/bench: install missing Debian packages and
# build. Sourced, not executed.

EMBER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Packages needed to build the server.
EMBER_BUILD_PACKAGES=(g++ cmake ninja-build pkg-config libboost1.81-dev libboost-json1.81-dev
  libboost-url1.81-dev libfmt-dev libcli11-dev)
# Packages needed by the test suites. redis-tools brings redis-cli, redis-benchmark and the
# reference redis-server binary (as redis-check-rdb) without installing a Redis service.
EMBER_TEST_PACKAGES=(libgtest-dev libgmock-dev libhiredis-dev redis-tools)

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

# Configures and builds into $1 with extra CMake arguments after it.
ember_build() {
  local build_dir="$1"
  shift
  cmake -S "$EMBER_ROOT" -B "$build_dir" -G Ninja "$@" >/dev/null
  cmake --build "$build_dir" -j "$(nproc)"
}
