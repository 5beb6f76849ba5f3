# The C++ backend's tests compile generated headers with g++ (C++17, AddressSanitizer and
# UndefinedBehaviorSanitizer included). Sourced by .ci/run as root on Debian 12.
# Idempotent: returns at once when g++ is there. Runs in a subshell so that sourcing it
# changes nothing in the caller's shell.
(
  set -euo pipefail
  if command -v g++ >/dev/null 2>&1; then
    echo "cpp: $(g++ --version | head -n 1)"
    exit 0
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends g++ >/dev/null
  echo "cpp: installed $(g++ --version | head -n 1)"
)
