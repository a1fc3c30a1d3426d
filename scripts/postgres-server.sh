#!/usr/bin/env bash
# A throwaway PostgreSQL server kept in one folder, for the tests (Tests/TestSupport/PostgresTestServer.swift
# calls this script), the benchmarks and by hand:
#
#   scripts/postgres-server.sh start [--listen ADDR] [--port PORT] [--durable] [--set NAME=VALUE]... [--tls CERT KEY] [--watch PID] DIR
#   scripts/postgres-server.sh stop [--immediate] [--remove] DIR
#   scripts/postgres-server.sh crash DIR        (SIGKILLs the postmaster, as a crash would)
#   scripts/postgres-server.sh psql DIR [PSQL ARGUMENTS]
#   scripts/postgres-server.sh url DIR [DATABASE]
#
# `start` creates the cluster when DIR is missing or empty (superuser fae_test with a random
# password, scram-sha-256 for every connection, the socket inside DIR), starts it listening on
# ADDR only (default 127.0.0.1) and prints its URL, postgres://fae_test:PASSWORD@HOST:PORT/postgres.
# The port is PORT when given, else the last start's when still free, else one the kernel finds
# free. Starting a running server only prints its URL.
#
# Without --durable, fsync and full-page writes are off: much faster, and a crash of the server
# (`crash`) still loses nothing committed, since commits still hand the WAL to the kernel
# (synchronous_commit stays on); only a crash of the machine could damage the cluster.
#
# --set NAME=VALUE passes a server setting, e.g. `--durable --set synchronous_commit=off` for a
# server that keeps its files safe but lets commits return before their WAL reaches the disk.
#
# --tls CERT KEY turns TLS on with that certificate (PEM, the chain after the server's own) and its
# private key, copied into the cluster as server.crt and server.key.
#
# --watch PID leaves a watchdog behind that stops the server and deletes DIR once process PID has
# ended, however it ended: the tests pass their own PID, so a SIGKILLed test run leaves no server.
#
# initdb and postgres refuse to run as root: as root the server runs as the `postgres` user
# (Debian's postgresql package makes it), else as `nobody`, and DIR is handed to that user.
set -euo pipefail

readonly SUPERUSER=fae_test
script_path="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
dir=""

die() { printf 'postgres-server.sh: %b\n' "$*" >&2; exit 1; }
usage() { { echo usage:; sed -n "5,9p" "$script_path" | sed "s/^# */  /"; } >&2; exit 2; }

# The newest installed server's binaries: Debian keeps each major version in its own folder, and a
# newer client-only version (psql without initdb) may sit next to the server.
server_bindir() {
    if [ -n "${PG_BINDIR:-}" ]; then echo "$PG_BINDIR"; return; fi
    local candidate
    for candidate in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV); do
        if [ -x "$candidate/initdb" ]; then echo "$candidate"; return; fi
    done
    candidate=$(command -v initdb) \
        || die "no PostgreSQL server (initdb) in /usr/lib/postgresql/*/bin or on PATH: install the postgresql package (make deps-test)"
    dirname "$candidate"
}

# Sets $dir to DIR's absolute path: the server's options and the process checks below name it.
set_dir() {
    [ -n "$1" ] || usage
    mkdir -p "$1"
    dir=$(cd "$1" && pwd)
    case $dir in *\'*|*\"*|*\\*) die "DIR must not contain quotes or backslashes: $dir" ;; esac
}

# The account the server runs as: an existing cluster's owner, else ourselves, or a system user for root.
server_user() {
    if [ -d "$dir/data" ]; then stat -c %U "$dir/data"
    elif [ "$(id -u)" -ne 0 ]; then id -un
    elif id -u postgres >/dev/null 2>&1; then echo postgres
    else echo nobody
    fi
}

as_server_user() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u "$os_user" -- "$@"; else "$@"; fi
}

# Foundation's Process (which runs this script for the tests) sees a child end when a socket the
# child inherited reaches end of file. A server or watchdog outliving this script must not keep
# any inherited descriptor, or the caller would wait for it as long as the server runs. Bash
# keeps its own script on 255, close-on-exec.
close_inherited_descriptors() {
    local fd
    for fd in /proc/$BASHPID/fd/*; do
        fd=${fd##*/}
        [ "$fd" -le 2 ] || [ "$fd" -eq 255 ] || eval "exec $fd>&-"
    done
}

postmaster_pid() { head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true; }

# Whether PID is a live postmaster of this DIR. Reading its command line rather than `kill -0`
# tells a reused PID from ours, and a killed postmaster no one reaps (an orphan under an init that
# does not reap) is a zombie with an empty command line.
is_postmaster() {
    [ -n "$1" ] && [ -r "/proc/$1/cmdline" ] || return 1
    tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "-D $dir/data "
}

# Sends SIGNAL (INT: PostgreSQL's fast shutdown, QUIT: its immediate one) and waits for the postmaster to exit.
stop_postmaster() {
    local pid
    pid=$(postmaster_pid)
    is_postmaster "$pid" || return 0
    kill -s "$1" "$pid" 2>/dev/null || true
    for _ in $(seq 600); do
        is_postmaster "$pid" || return 0
        sleep 0.1
    done
    kill -s KILL "$pid" 2>/dev/null || true
}

# A port the kernel has just found free on ADDR. Another program may take it before the server binds
# it, which `start` retries.
free_port() {
    perl -MIO::Socket::INET -e '
        my $socket = IO::Socket::INET->new(LocalAddr => $ARGV[0], LocalPort => 0, Proto => "tcp", Listen => 1)
            or die "cannot bind a port on $ARGV[0]: $!\n";
        print $socket->sockport, "\n";' "$1"
}

url() {
    printf 'postgres://%s:%s@%s:%s/%s\n' "$SUPERUSER" "$(cat "$dir/password")" "$(cat "$dir/host")" "$(cat "$dir/port")" "${1:-postgres}"
}

# The start time of a live process (field 22 of /proc/PID/stat), failing for a zombie or a missing
# process: comparing it tells the watched process from a later one given the same PID.
start_time() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    # shellcheck disable=SC2086 # the fields after the command name, split on purpose
    set -- ${stat##*) }
    [ "$1" != Z ] || return 1
    echo "${20}"
}

kill_watchdog() {
    local pid
    pid=$(cat "$dir/watchdog.pid" 2>/dev/null) || return 0
    if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "__watch $dir "; then
        kill -s KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/watchdog.pid"
}

# In its own process group (setsid), so a Ctrl-C or a hangup of the test's terminal does not end it before it
# has cleaned up; without standard streams, so no reader of this script's output waits for it.
start_watchdog() {
    start_time "$1" >/dev/null || die "--watch $1: no such process"
    kill_watchdog
    (close_inherited_descriptors; exec setsid "$BASH" "$script_path" __watch "$dir" "$1" </dev/null >/dev/null 2>&1) &
    echo $! >"$dir/watchdog.pid"
}

cmd_watch() {
    dir=$1
    local started
    started=$(start_time "$2") || started=""
    while [ -n "$started" ] && [ "$(start_time "$2" || true)" = "$started" ]; do sleep 0.5; done
    stop_postmaster QUIT
    rm -rf "$dir"
}

init_cluster() {
    [ -z "$(ls -A "$dir")" ] || die "$dir holds files but no cluster (data/): give a new or empty folder"
    chmod 700 "$dir"
    mkdir "$dir/socket"
    # 32 hex digits: nothing a URL would have to escape.
    od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$dir/password"
    if [ "$(id -u)" -eq 0 ]; then
        chown -R "$os_user:" "$dir"
        as_server_user test -w "$dir" || die "$os_user cannot write $dir: is a folder above it closed to that user?"
    fi
    local sync=--no-sync
    [ "$durable" -eq 0 ] || sync=""
    as_server_user "$bin/initdb" -D "$dir/data" -U "$SUPERUSER" --pwfile="$dir/password" --auth=scram-sha-256 \
        -E UTF8 --no-locale $sync >"$dir/initdb.log" 2>&1 \
        || die "initdb failed:\n$(tail -n 20 "$dir/initdb.log")"
}

# The server reads server.crt and server.key from its data folder; it refuses a key that others may read.
install_tls() {
    [ -r "$1" ] && [ -r "$2" ] || die "--tls: cannot read the certificate $1 or the key $2"
    cp "$1" "$dir/data/server.crt"
    cp "$2" "$dir/data/server.key"
    chmod 600 "$dir/data/server.crt" "$dir/data/server.key"
    [ "$(id -u)" -ne 0 ] || chown "$os_user:" "$dir/data/server.crt" "$dir/data/server.key"
}

cmd_start() {
    local listen=127.0.0.1 port="" watch="" settings="" tls_cert="" tls_key=""
    durable=0
    while [ $# -gt 1 ]; do
        case $1 in
            --listen) listen=$2; shift 2 ;;
            --port) port=$2; shift 2 ;;
            --durable) durable=1; shift ;;
            --set) [[ $2 =~ ^[a-z_]+=[A-Za-z0-9_.]+$ ]] || die "--set takes NAME=VALUE, got '$2'"; settings+=" -c $2"; shift 2 ;;
            --tls) [ $# -gt 3 ] || usage; tls_cert=$2; tls_key=$3; shift 3 ;;
            --watch) watch=$2; shift 2 ;;
            *) usage ;;
        esac
    done
    [ $# -eq 1 ] || usage
    set_dir "$1"
    bin=$(server_bindir)
    os_user=$(server_user)
    [ -d "$dir/data" ] || init_cluster
    if [ -n "$tls_cert" ]; then
        install_tls "$tls_cert" "$tls_key"
        settings+=" -c ssl=on"
    fi

    local host=$listen bind=$listen
    case $listen in 0.0.0.0|'*') host=127.0.0.1; bind=0.0.0.0 ;; esac
    if is_postmaster "$(postmaster_pid)"; then
        [ -z "$watch" ] || start_watchdog "$watch"
        url
        return
    fi
    # Its postmaster is gone, so its lock files are stale; PostgreSQL would take a zombie's PID in
    # them for a running server. Backends of a crashed server still holding its shared memory keep
    # it from starting, which the loop below waits out.
    rm -f "$dir/data/postmaster.pid" "$dir"/socket/.s.PGSQL.*

    local log="$dir/server.log" candidate offset out options started=0 attempt
    for attempt in $(seq 20); do
        if [ -n "$port" ]; then candidate=$port
        elif [ "$attempt" -eq 1 ] && [ -s "$dir/port" ]; then candidate=$(cat "$dir/port")
        else candidate=$(free_port "$bind")
        fi
        offset=$(stat -c %s "$log" 2>/dev/null || echo 0)
        options="-p $candidate -c listen_addresses='$listen' -c unix_socket_directories='$dir/socket' -c max_connections=200"
        [ "$durable" -eq 1 ] || options+=" -c fsync=off -c full_page_writes=off"
        options+=$settings
        if out=$(close_inherited_descriptors; as_server_user "$bin/pg_ctl" start -D "$dir/data" -l "$log" -w -t 60 -s -o "$options" </dev/null 2>&1); then
            started=1
            break
        fi
        local tail_text
        tail_text=$(tail -c "+$((offset + 1))" "$log" 2>/dev/null | tail -n 30 || true)
        if [ -z "$port" ] && grep -q 'could not create any TCP/IP sockets' <<<"$tail_text"; then continue; fi
        if grep -qE 'pre-existing shared memory block|lock file .* already exists' <<<"$tail_text"; then
            sleep 0.5
            continue
        fi
        stop_postmaster QUIT
        die "the server did not start: $out\nits log ($log) ends with:\n$tail_text"
    done
    [ "$started" -eq 1 ] || die "the server did not start in 20 attempts; its log ($log) ends with:\n$(tail -n 30 "$log")"
    echo "$candidate" >"$dir/port"
    echo "$host" >"$dir/host"

    # pg_ctl waited for the server to be ready; this checks the URL itself: address, port and password.
    local check
    if ! check=$(PGPASSWORD=$(cat "$dir/password") PGCONNECT_TIMEOUT=10 "$bin/psql" -X -q -A -t -h "$host" \
            -p "$candidate" -U "$SUPERUSER" -d postgres -c 'SELECT 1' </dev/null 2>&1) || [ "$check" != 1 ]; then
        stop_postmaster QUIT
        die "the server started but takes no connections at $host:$candidate: $check\nits log ($log) ends with:\n$(tail -n 30 "$log")"
    fi
    [ -z "$watch" ] || start_watchdog "$watch"
    url
}

cmd_stop() {
    local signal=INT remove=0
    while [ $# -gt 1 ]; do
        case $1 in
            --immediate) signal=QUIT; shift ;;
            --remove) remove=1; shift ;;
            *) usage ;;
        esac
    done
    [ $# -eq 1 ] || usage
    # Stopping a server that is gone (its watchdog removed it) succeeds.
    [ -d "$1" ] || return 0
    set_dir "$1"
    kill_watchdog
    stop_postmaster "$signal"
    [ "$remove" -eq 0 ] || rm -rf "$dir"
}

cmd_crash() {
    [ $# -eq 1 ] && [ -d "$1" ] || usage
    set_dir "$1"
    local pid
    pid=$(postmaster_pid)
    is_postmaster "$pid" || die "no server is running in $dir"
    kill -s KILL "$pid"
    while is_postmaster "$pid"; do sleep 0.05; done
}

cmd_psql() {
    [ $# -ge 1 ] && [ -d "$1" ] || usage
    set_dir "$1"
    shift
    [ -s "$dir/port" ] || die "no server was started in $dir"
    bin=$(server_bindir)
    PGPASSWORD=$(cat "$dir/password") PGDATABASE=postgres PGCONNECT_TIMEOUT=10 \
        exec "$bin/psql" -h "$(cat "$dir/host")" -p "$(cat "$dir/port")" -U "$SUPERUSER" "$@"
}

cmd_url() {
    [ $# -ge 1 ] && [ $# -le 2 ] && [ -d "$1" ] || usage
    set_dir "$1"
    [ -s "$dir/port" ] || die "no server was started in $dir"
    url "${2:-}"
}

[ $# -ge 1 ] || usage
command=$1
shift
case $command in
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    crash) cmd_crash "$@" ;;
    psql) cmd_psql "$@" ;;
    url) cmd_url "$@" ;;
    __watch) cmd_watch "$@" ;;
    *) usage ;;
esac
