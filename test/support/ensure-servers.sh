#!/usr/bin/env bash
# Makes sure the servers the tests start themselves are installed: redis-server and nats-server.
# As root it installs missing ones with apt-get; otherwise it prints the exact command and fails.
set -euo pipefail
missing=()
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/local/sbin/$1" ]; }
have redis-server || missing+=(redis-server)
have nats-server || missing+=(nats-server)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]} for the tests" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The Debian packages start system services on their standard ports; the tests never use them.
  exit 0
fi
echo "lowslow tests need: ${missing[*]}. Install them with:" >&2
echo "  sudo apt-get install -y ${missing[*]}" >&2
exit 1
