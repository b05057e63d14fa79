#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster for the storage tests (and anything else that needs one).
#
#   scripts/ci/postgres-setup.sh DIR          initialise (first time) and start a cluster in DIR
#   scripts/ci/postgres-setup.sh --stop DIR   stop the cluster in DIR (the caller deletes DIR)
#
# Starting prints exactly one line on stdout (progress goes to stderr):
#
#   PNC_TEST_DATABASE_URL=postgresql://postgres:PASSWORD@127.0.0.1:PORT/postgres
#
# Nothing is exported: the caller sets the variable for the processes that should use the cluster,
# e.g. `export "$(scripts/ci/postgres-setup.sh "$tmp")"`. The tests create and drop one database per
# test on that server (src/storage/testing/backends.ts). Running it again on a running DIR prints the
# same line. The cluster is for tests only: fsync off, a random password, TCP on 127.0.0.1 only
# (a random free port, or PNC_PG_PORT), unix socket in DIR/socket.
#
# initdb refuses to run as root: as root, the cluster is created and run as the OS user PNC_PG_OS_USER
# (default `postgres`, created by Debian's postgresql package), and DIR is given to that user.
# Needs initdb and pg_ctl on PATH or under /usr/lib/postgresql/*/bin (Debian package postgresql).
set -euo pipefail

usage() {
  echo "usage: $0 [--stop] DIR" >&2
  exit 2
}

stop=0
if [[ ${1:-} == --stop ]]; then
  stop=1
  shift
fi
[[ $# -eq 1 && -n $1 ]] || usage

find_bin() {
  local found
  if found=$(command -v "$1" 2>/dev/null); then
    printf '%s\n' "$found"
    return 0
  fi
  # Debian installs the binaries per major version; take the newest.
  found=$(ls -1d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1 || true)
  [[ -n $found ]] || return 1
  printf '%s\n' "$found"
}

initdb_bin=$(find_bin initdb) || { echo "postgres-setup: initdb not found: apt-get install postgresql" >&2; exit 1; }
pg_ctl_bin=$(find_bin pg_ctl) || { echo "postgres-setup: pg_ctl not found: apt-get install postgresql" >&2; exit 1; }

os_user=""
if [[ $(id -u) -eq 0 ]]; then
  os_user=${PNC_PG_OS_USER:-postgres}
  if ! id -u "$os_user" >/dev/null 2>&1; then
    echo "postgres-setup: running as root, and user '$os_user' does not exist (initdb refuses root);" \
      "install postgresql (creates 'postgres') or set PNC_PG_OS_USER" >&2
    exit 1
  fi
fi

# Runs a command as the cluster owner.
as_owner() {
  if [[ -n $os_user ]]; then
    runuser -u "$os_user" -- "$@"
  else
    "$@"
  fi
}

mkdir -p -- "$1"
dir=$(cd -- "$1" && pwd -P)
data="$dir/data"

if [[ $stop -eq 1 ]]; then
  if [[ -f $data/postmaster.pid ]]; then
    as_owner "$pg_ctl_bin" -D "$data" -m immediate -w stop >&2 || true
  fi
  exit 0
fi

[[ -n $os_user ]] && chown "$os_user" -- "$dir"
chmod 700 -- "$dir"
mkdir -p -- "$dir/socket"
[[ -n $os_user ]] && chown "$os_user" -- "$dir/socket"

if [[ ! -f $data/PG_VERSION ]]; then
  password=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  pwfile="$dir/pwfile"
  (umask 077 && printf '%s\n' "$password" >"$pwfile")
  [[ -n $os_user ]] && chown "$os_user" -- "$pwfile"
  # scram for TCP (the URL carries the password), trust only on the private unix socket in DIR.
  as_owner "$initdb_bin" -D "$data" -U postgres --pwfile="$pwfile" --auth-host=scram-sha-256 \
    --auth-local=trust -E UTF8 --locale=C --no-sync --no-instructions >&2
  rm -f -- "$pwfile"
  (umask 077 && printf '%s\n' "$password" >"$dir/password")
fi
password=$(cat -- "$dir/password")

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

running() {
  as_owner "$pg_ctl_bin" -D "$data" status >/dev/null 2>&1
}

if running && [[ -f $dir/port ]]; then
  port=$(cat -- "$dir/port")
  echo "postgres-setup: cluster in $data already running on port $port" >&2
else
  started=0
  for _ in 1 2 3 4 5 6 7 8; do
    port=${PNC_PG_PORT:-$((20000 + RANDOM % 40000))}
    if port_in_use "$port"; then
      [[ -n ${PNC_PG_PORT:-} ]] && break
      continue
    fi
    if as_owner "$pg_ctl_bin" -D "$data" -l "$dir/postgres.log" -w -t 60 -o \
      "-p $port -k $dir/socket -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >&2; then
      started=1
      break
    fi
    [[ -n ${PNC_PG_PORT:-} ]] && break
  done
  if [[ $started -ne 1 ]]; then
    echo "postgres-setup: could not start PostgreSQL; log: $dir/postgres.log" >&2
    tail -n 20 -- "$dir/postgres.log" >&2 2>/dev/null || true
    exit 1
  fi
  printf '%s\n' "$port" >"$dir/port"
  echo "postgres-setup: cluster in $data listening on 127.0.0.1:$port" >&2
fi

printf 'PNC_TEST_DATABASE_URL=postgresql://postgres:%s@127.0.0.1:%s/postgres\n' "$password" "$port"
