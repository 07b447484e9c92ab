#!/usr/bin/env bash
# Sets up what the tests need, on Debian or Ubuntu: Debian's chromium and a CJK font
# for the browser tests (apt), and kg with its test extras (pip). Safe to run twice.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ] || ! ls /usr/share/fonts/opentype/noto 2>/dev/null | grep -qi cjk; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
python3 -m pip install -q -e '.[test]'
