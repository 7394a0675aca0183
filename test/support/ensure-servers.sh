#!/usr/bin/env bash
# Makes sure the real programs the tests start themselves are installed: redis-server,
# nats-server, nginx with the njs module, luajit + busted for the Kong plugin's specs, and
# chromium for the dashboard and report tests (driven by playwright-core, never downloaded).
# As root it installs missing ones with apt-get; otherwise it prints the exact command and fails.
set -euo pipefail
missing=()
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/local/sbin/$1" ]; }
have redis-server || missing+=(redis-server)
have nats-server || missing+=(nats-server)
have nginx || missing+=(nginx)
[ -e /usr/lib/nginx/modules/ngx_http_js_module.so ] || missing+=(libnginx-mod-http-js)
have luajit || missing+=(luajit)
have busted || missing+=(lua-busted)
have chromium || missing+=(chromium)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]} for the tests" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # policy-rc.d keeps the packages from starting system services on their standard ports;
  # the tests start their own on free loopback ports and never use those.
  restore=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    restore=1
  fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ -z "$restore" ] || rm -f /usr/sbin/policy-rc.d
  exit 0
fi
echo "lowslow tests need: ${missing[*]}. Install them with:" >&2
echo "  sudo apt-get install -y ${missing[*]}" >&2
exit 1
