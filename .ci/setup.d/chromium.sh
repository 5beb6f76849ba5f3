# The playground's browser tests (test/web/) drive Debian's chromium through playwright-core;
# no tool downloads a browser of its own. Sourced by .ci/run as root on Debian 12.
# Idempotent: returns at once when /usr/bin/chromium is there. Runs in a subshell so that
# sourcing it changes nothing in the caller's shell.
(
  set -euo pipefail
  if [ -x /usr/bin/chromium ]; then
    echo "chromium: $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
    exit 0
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
  echo "chromium: installed $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
)
