#!/usr/bin/env bash
# Prepare a fresh Debian/Ubuntu machine to build, test and demo vrrpd.
# Installs the system tools the real-kernel tests use (iproute2 for namespaces,
# ping, tcpdump, Debian's keepalived as an interop peer and benchmark baseline,
# systemd-analyze for the unit check), what `npm run package` and its test need
# (dpkg-dev for dpkg-shlibdeps, binutils for strip, lintian, bash-completion,
# man-db), then the npm packages from the lock file.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends \
    iproute2 iputils-ping iputils-arping tcpdump keepalived procps psmisc nftables \
    python3 make g++ systemd \
    dpkg-dev binutils lintian bash-completion man-db util-linux >/dev/null
  # Debian's keepalived package enables a service; the tests run their own instances.
  if command -v systemctl >/dev/null 2>&1; then systemctl disable --now keepalived >/dev/null 2>&1 || true; fi
else
  echo "setup: not root or no apt-get: skipping system packages (iproute2, keepalived, tcpdump, ping, nftables)" >&2
fi

npm ci --no-audit --no-fund
