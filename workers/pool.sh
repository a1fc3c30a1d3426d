#!/usr/bin/env bash
# Runs N fae-t2i workers and restarts any that dies; SIGTERM or SIGINT stops them all
# gracefully (each gives back its job in progress) and waits for them. A worker that gave up on
# its queue (exit status 69: a damaged database, a full disk) is not restarted: the pool stops
# the others and exits 1, so the fault is seen instead of looping.
#
# Without a thread setting (--threads, $FAE_T2I_THREADS) the workers split this machine's cores
# between them, so any N is at least as fast as one.
#
#   workers/pool.sh 4 [--env FILE] [-- extra worker arguments]
#
# The binary is $FAE_T2I_BIN, else `fae-t2i` on PATH, else the release build next to this script.
set -uo pipefail

usage() { echo "usage: $0 N [--env FILE] [-- worker arguments]" >&2; exit 2; }
[[ $# -ge 1 && "$1" =~ ^[1-9][0-9]*$ ]] || usage
count=$1; shift
if [[ $# -ge 2 && "$1" == "--env" ]]; then
    [[ -r "$2" ]] || { echo "error: cannot read env file $2" >&2; exit 2; }
    set -a; source "$2"; set +a; shift 2
fi
[[ $# -ge 1 && "$1" == "--" ]] && shift
extra=("$@")

here=$(cd "$(dirname "$0")" && pwd)
bin=${FAE_T2I_BIN:-$(command -v fae-t2i || echo "$here/../.build/release/fae-t2i")}
[[ -x "$bin" ]] || { echo "error: fae-t2i binary not found (build with 'make release' or set FAE_T2I_BIN)" >&2; exit 2; }

declare -A pids=()
stopping=0

start() {
    local slot=$1
    "$bin" worker --name "$(hostname)-pool-$slot" "${extra[@]}" &
    pids[$slot]=$!
    echo "pool: worker $slot started (pid ${pids[$slot]})" >&2
}

stop_all() {
    local status=${1:-0}
    trap '' TERM INT   # a second signal while stopping must not restart the stop with status 0
    stopping=1
    echo "pool: stopping ${#pids[@]} workers" >&2
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
    exit "$status"
}
trap stop_all TERM INT

for ((slot = 0; slot < count; slot++)); do start "$slot"; done
while [[ $stopping -eq 0 ]]; do
    # `wait -n` returns when any worker exits (or a trapped signal arrives).
    wait -n 2>/dev/null
    [[ $stopping -eq 1 ]] && break
    for slot in "${!pids[@]}"; do
        if ! kill -0 "${pids[$slot]}" 2>/dev/null; then
            wait "${pids[$slot]}" 2>/dev/null; status=$?
            if [[ $status -eq 69 ]]; then
                echo "pool: worker $slot (pid ${pids[$slot]}) gave up on its queue; stopping the pool" >&2
                unset "pids[$slot]"
                stop_all 1
            fi
            echo "pool: worker $slot (pid ${pids[$slot]}) exited with status $status; restarting" >&2
            sleep 1
            start "$slot"
        fi
    done
done
