#!/usr/bin/env bash
# Prepares a SoftHSM2 token for the PKCS#11 signer tests.
#
#   scripts/ci/softhsm-setup.sh DIR
#
# Writes DIR/softhsm2.conf (token directory DIR/tokens), initialises a token labelled "pnc-test" in the
# first free slot unless one with that label exists already (so running it twice is harmless), and
# prints exactly one line on stdout:
#
#   SOFTHSM2_CONF=/absolute/DIR/softhsm2.conf
#
# Nothing is exported: the caller sets SOFTHSM2_CONF for the processes that should see the token,
# e.g. `export "$(scripts/ci/softhsm-setup.sh "$tmp")"`. Progress messages go to stderr.
#
# Test PINs (not secrets; a throw-away token): PNC_SOFTHSM_SO_PIN (default 12345678) and
# PNC_SOFTHSM_USER_PIN (default 1234). Needs softhsm2-util (Debian package softhsm2).
set -euo pipefail

if [[ $# -ne 1 || -z "$1" ]]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
if ! command -v softhsm2-util >/dev/null 2>&1; then
  echo "softhsm2-util not found: apt-get install softhsm2" >&2
  exit 1
fi

label="pnc-test"
so_pin="${PNC_SOFTHSM_SO_PIN:-12345678}"
user_pin="${PNC_SOFTHSM_USER_PIN:-1234}"

mkdir -p -- "$1"
dir="$(cd -- "$1" && pwd -P)"
mkdir -p -- "$dir/tokens"
chmod 700 -- "$dir" "$dir/tokens"

conf="$dir/softhsm2.conf"
conf_text="# Written by scripts/ci/softhsm-setup.sh
directories.tokendir = $dir/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false"
# Rewrite only when different, so an existing setup is left byte-for-byte alone.
if [[ ! -f "$conf" ]] || [[ "$(cat -- "$conf")" != "$conf_text" ]]; then
  tmp="$(mktemp -- "$conf.XXXXXX")"
  printf '%s\n' "$conf_text" >"$tmp"
  chmod 600 -- "$tmp"
  mv -f -- "$tmp" "$conf"
fi
export SOFTHSM2_CONF="$conf"

# `--show-slots` prints "Label:            pnc-test" (blank-padded) for initialised tokens.
if softhsm2-util --show-slots 2>/dev/null | grep -Eq "^[[:space:]]*Label:[[:space:]]+${label}[[:space:]]*$"; then
  echo "softhsm-setup: token \"$label\" already present in $dir/tokens" >&2
else
  softhsm2-util --init-token --free --label "$label" --so-pin "$so_pin" --pin "$user_pin" >&2
  echo "softhsm-setup: initialised token \"$label\" in $dir/tokens" >&2
fi

printf 'SOFTHSM2_CONF=%s\n' "$conf"
