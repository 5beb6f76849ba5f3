# The distributed sweep's tests run BullMQ against a real Redis: each test starts its own
# redis-server on a free loopback port and stops it; the TLS test makes its certificates with
# openssl. Sourced by .ci/run as root on Debian 12. Idempotent: returns at once when both are there. Runs in a subshell so that sourcing it
# changes nothing in the caller's shell. Only the binary is wanted: the packaged service is left
# stopped, so that nothing listens on the default port.
(
  set -euo pipefail
  if command -v redis-server >/dev/null 2>&1 && command -v openssl >/dev/null 2>&1; then
    echo "redis: $(redis-server --version | head -n 1)"
    exit 0
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends redis-server openssl >/dev/null
  if command -v systemctl >/dev/null 2>&1; then systemctl disable --now redis-server >/dev/null 2>&1 || true; fi
  if [ -x /etc/init.d/redis-server ]; then /etc/init.d/redis-server stop >/dev/null 2>&1 || true; fi
  echo "redis: installed $(redis-server --version | head -n 1)"
)
