#!/usr/bin/env bash
# The PostgreSQL queue across hosts, over real TCP: Linux network namespaces stand in for the
# machines, so the test needs root (and iproute2) but touches nothing of the machine's own network.
#
#   scripts/test-cluster.sh [--network-only]      (`make test-cluster` builds first)
#
#   fae-db      10.231.0.1   PostgreSQL (scripts/postgres-server.sh)
#   fae-w1      10.231.0.2   workers w1-a, w1-b, and the replacement of the one killed
#   fae-w2      10.231.0.3   workers w2-a, w2-b
#   fae-client  10.231.0.4   submit, list, status, fetch
#
# Each has one veth link to a bridge in a fifth namespace, fae-lan. The client submits
# $CLUSTER_JOBS jobs (default 40) of 1 or 2 images; w1-b is killed with SIGKILL while it holds one
# (a trigger holds its heartbeats on the server for a while, so that it is caught inside a job),
# and a replacement starts on its host. At the end every worker gets SIGTERM. The test passes when
# every job succeeded exactly once (one `job succeeded` line per job across all worker logs), the
# killed worker's job was finished by another worker after its lease ran out, the images fetched
# on the client are the JPEGs the workers stored (count and SHA-256), both worker hosts did jobs,
# and every worker exited 0 on SIGTERM. --network-only stops after checking that every host
# reaches PostgreSQL.
#
# FAE_T2I_BIN picks the binary (default .build/debug/fae-t2i); CLUSTER_DEADLINE bounds, in seconds,
# the wait for the jobs (default 120). Namespaces and temporary folders left by a run that was
# killed are removed at the start; two runs at once take turns (a lock file).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${FAE_T2I_BIN:-$root/.build/debug/fae-t2i}
jobs=${CLUSTER_JOBS:-40}
deadline=${CLUSTER_DEADLINE:-120}
network_only=0
case ${1:-} in
    --network-only) network_only=1 ;;
    "") ;;
    *) sed -n '5p' "${BASH_SOURCE[0]}" | sed 's/^#  *//' >&2; exit 2 ;;
esac

readonly net=10.231.0 lan=fae-lan db_ns=fae-db client_ns=fae-client
readonly hosts=(fae-db:1 fae-w1:2 fae-w2:3 fae-client:4)
readonly lease=5
tmp_root=${TMPDIR:-/tmp}
work="" pgdir="" url="" main_pid="" t0=$EPOCHREALTIME
declare -A worker_pid=()

elapsed() { awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
say() { printf '[%5ss] %s\n' "$(elapsed)" "$*"; }
die() { printf 'test-cluster: FAILED: %b\n' "$*" >&2; exit 1; }
# In namespace NS: ns NS COMMAND...
ns() { local name=$1; shift; ip netns exec "$name" "$@"; }
fae() { ns "$client_ns" "$bin" "$@" --db "$url"; }

[ "$(id -u)" -eq 0 ] || die "needs root: network namespaces (ip netns)"
command -v ip >/dev/null || die "needs iproute2 (ip)"
command -v psql >/dev/null || die "needs psql: install the postgresql package (make deps-test)"
[ -x "$bin" ] || die "no binary at $bin: build it (swift build) or set FAE_T2I_BIN"

# Taken before anything is torn down, so a second run waits instead of removing the first's hosts.
# Every long-lived child is started with 9>&-: a server outliving a killed run must not hold it.
exec 9>"$tmp_root/fae-test-cluster.lock"
if ! flock -n 9; then
    echo "test-cluster: another run holds $tmp_root/fae-test-cluster.lock; waiting" >&2
    flock -w 600 9 || die "the other run did not finish in 600 s"
fi
t0=$EPOCHREALTIME

remove_namespaces() {
    local entry name pids
    for entry in "${hosts[@]}" "$lan:"; do
        name=${entry%%:*}
        [ -e "/run/netns/$name" ] || continue
        # Processes of an earlier run (its workers, its PostgreSQL) would keep the namespace alive.
        pids=$(ip netns pids "$name" 2>/dev/null || true)
        # shellcheck disable=SC2086 # one PID a word
        [ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
        ip netns del "$name" 2>/dev/null || true
    done
}

show_logs() {
    local log
    for log in "$work"/logs/*.log "$pgdir/server.log"; do
        [ -s "$log" ] || continue
        echo "--- last lines of $log" >&2
        tail -n 15 "$log" >&2
    done
}

cleanup() {
    local rc=$?
    set +e
    trap - EXIT INT TERM HUP
    # An interrupted run (Ctrl-C, SIGTERM) has no failure to show.
    [ "$rc" -eq 0 ] || [ "$rc" -eq 130 ] || [ "$rc" -eq 143 ] || [ -z "$work" ] || show_logs
    [ -z "$main_pid" ] || { kill -KILL "$main_pid"; wait "$main_pid"; } 2>/dev/null
    [ -z "$pgdir" ] || [ ! -d "$pgdir" ] || "$root/scripts/postgres-server.sh" stop --immediate "$pgdir" >/dev/null 2>&1
    # Ends the workers and any command still running on a host.
    remove_namespaces
    [ -z "$work" ] || rm -rf "$work"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# --- the hosts and their network
remove_namespaces
# Under the lock, a folder of this name belongs to a run that was killed.
rm -rf "$tmp_root"/fae-test-cluster.??????
work=$(mktemp -d "$tmp_root/fae-test-cluster.XXXXXX")
# The server runs as the postgres user, which must reach its folder inside this one.
chmod 711 "$work"
mkdir -p "$work/logs" "$work/images" "$work/hosts"
pgdir=$work/pg

# The test runs in the background: a Ctrl-C ends the `wait` below at once, where a command in the
# foreground that handles SIGINT itself (the CLI does) would have the shell ignore it.
main() {
    ip netns add "$lan"
    ip -n "$lan" link set lo up
    ip -n "$lan" link add br0 type bridge
    ip -n "$lan" link set br0 up
    for entry in "${hosts[@]}"; do
        name=${entry%%:*}
        ip netns add "$name"
        # Both ends are made inside namespaces: the root namespace never sees the link.
        ip -n "$lan" link add "${name#fae-}" type veth peer name eth0 netns "$name"
        ip -n "$lan" link set "${name#fae-}" master br0 up
        ip -n "$name" link set lo up
        ip -n "$name" addr add "$net.${entry##*:}/24" dev eth0
        ip -n "$name" link set eth0 up
    done
    say "network up, bridged in $lan: $(for e in "${hosts[@]}"; do printf '%s %s  ' "${e%%:*}" "$net.${e##*:}"; done)"

    # --- PostgreSQL on fae-db
    pg() { ns "$db_ns" "$root/scripts/postgres-server.sh" "$@" 9>&-; }
    # postgres-server.sh admits loopback clients only: a first start on the namespace's own loopback
    # makes the cluster, then the test subnet is admitted and the server restarts on its LAN address.
    pg start --listen 127.0.0.1 --watch $$ "$pgdir" >/dev/null
    pg stop "$pgdir"
    echo "host all all $net.0/24 scram-sha-256" >>"$pgdir/data/pg_hba.conf"
    url=$(pg start --listen "$net.1" --watch $$ "$pgdir")
    say "PostgreSQL on $db_ns at $net.1:$(cat "$pgdir/port")"

    for entry in "${hosts[@]}"; do
        name=${entry%%:*}
        [ "$name" != "$db_ns" ] || continue
        if ! out=$(PGCONNECT_TIMEOUT=5 ns "$name" psql -X -q -A -t -d "$url" -c 'SELECT 1' </dev/null 2>&1) \
                || [ "$out" != 1 ]; then
            die "$name ($net.${entry##*:}) cannot reach PostgreSQL on $db_ns ($net.1:$(cat "$pgdir/port")): $out"
        fi
    done
    say "every host reaches PostgreSQL (psql SELECT 1 from fae-w1, fae-w2, fae-client)"
    if [ "$network_only" -eq 1 ]; then
        say "network only: passed"
        exit 0
    fi

    # --- workers: two a host; the first to start make the queue's tables. Each host has a worker slot
    # folder of its own, as a machine would. w1's workers take the password in the URL, w2's from
    # PGPASSWORD (out of the process list): both ways a deployment passes it.
    password=$(cat "$pgdir/password")
    url_without_password=${url/:$password@/@}
    start_worker() {
        local host=$1 name=$2 db=$url
        local -a env=(env "FAE_T2I_HOST_DIR=$work/hosts/$host")
        if [ "$host" = w2 ]; then db=$url_without_password; env+=("PGPASSWORD=$password"); fi
        mkdir -p "$work/hosts/$host"
        # ip execs env, which execs the worker: $! is the worker itself, for the kill below.
        ip netns exec "fae-$host" "${env[@]}" "$bin" worker --renderer reference --db "$db" --lease "$lease" --poll 0.2 \
            --name "$name" </dev/null >"$work/logs/$name.log" 2>&1 9>&- &
        worker_pid[$name]=$!
    }
    wait_started() {
        local name
        for name in "$@"; do
            for _ in $(seq 200); do
                grep -q 'worker started' "$work/logs/$name.log" 2>/dev/null && continue 2
                kill -0 "${worker_pid[$name]}" 2>/dev/null \
                    || die "worker $name exited at its start: $(tail -n 1 "$work/logs/$name.log")"
                sleep 0.1
            done
            die "worker $name did not start in 20 s"
        done
    }
    for name in w1-a w1-b w2-a w2-b; do start_worker "${name:0:2}" "$name"; done
    wait_started w1-a w1-b w2-a w2-b
    say "4 workers running (w1-a, w1-b on fae-w1; w2-a, w2-b on fae-w2)"

    # --- jobs from the client
    submitted=0
    submit_next() {
        local seed=$((submitted + 1)) count=$(((submitted % 2) + 1)) id
        id=$(fae submit "a red circle" --seed "$seed" --count "$count" </dev/null) || die "submit $seed failed: $id"
        echo "$id $count" >>"$work/jobs.txt"
        submitted=$seed
    }
    t_submit=$EPOCHREALTIME
    while [ "$submitted" -lt $((jobs / 4)) ]; do submit_next; done
    say "submitted $submitted jobs"

    # The job the worker holds now, by its log: the last one claimed, unless it succeeded since.
    held_job() {
        awk '{ if (match($0, / job=[0-9a-f]+/)) id = substr($0, RSTART + 5, RLENGTH - 5); else id = "" }
            /job claimed/ { held = id }
            /job succeeded/ && id == held { held = "" }
            END { print held }' "$work/logs/$1.log"
    }
    sql() { PGCONNECT_TIMEOUT=5 ns "$client_ns" psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$url" -c "$1" </dev/null; }

    # A job lasts milliseconds, too short to kill a worker inside it by watching its log. This
    # trigger holds the victim's heartbeats (updates that keep a job running under its name; not its
    # claim, nor the reaping of its lease) on the server for 5 s: the worker has claimed the job and
    # not stored its images yet, whenever it is killed in that time. Only the victim is slowed, and
    # the trigger stays, matching nothing once the victim is dead (dropping it would wait for the
    # held statement, and every queue call behind it).
    victim=w1-b replacement=w1-c
    sql "CREATE FUNCTION fae_test_cluster_stall() RETURNS trigger LANGUAGE plpgsql AS \$\$
         BEGIN PERFORM pg_sleep(5); RETURN NEW; END \$\$;
         CREATE TRIGGER fae_test_cluster_stall BEFORE UPDATE ON jobs FOR EACH ROW
         WHEN (OLD.state = 'running' AND NEW.state = 'running' AND NEW.worker = '$victim')
         EXECUTE FUNCTION fae_test_cluster_stall();" >/dev/null \
        || die "could not install the trigger that holds $victim's heartbeats (has the jobs table changed?)"

    # The victim takes about one job in four; the jobs left to submit are enough, else a few more.
    killed_job=""
    while [ "$submitted" -lt $((jobs + 20)) ]; do
        submit_next
        for _ in $(seq 10); do
            killed_job=$(held_job "$victim")
            [ -z "$killed_job" ] || break 2
            sleep 0.02
        done
    done
    [ -n "$killed_job" ] || die "$victim claimed none of $submitted jobs"
    kill -KILL "${worker_pid[$victim]}"
    { wait "${worker_pid[$victim]}"; } 2>/dev/null || true
    unset "worker_pid[$victim]"
    start_worker w1 "$replacement"
    out=$(fae status "$killed_job" --json </dev/null) || die "status $killed_job failed: $out"
    state=$(python3 -c 'import json, sys; j = json.load(sys.stdin); print(j["state"], j["worker"])' <<<"$out")
    [ "$state" = "running $victim" ] || die "job $killed_job is \"$state\" after $victim was killed holding it, not \"running $victim\""
    say "killed $victim (SIGKILL) holding job $killed_job after $submitted submits; $replacement replaces it on fae-w1"
    wait_started "$replacement"

    while [ "$submitted" -lt "$jobs" ]; do submit_next; done
    say "submitted all $submitted jobs"
    jobs=$submitted

    # --- wait for all to succeed
    limit=$(awk -v a="$t_submit" -v d="$deadline" 'BEGIN { printf "%.3f", a + d }')
    while :; do
        fae list --json --limit 100000 </dev/null >"$work/list.json" || die "list failed"
        read -r succeeded bad states < <(python3 - "$work/list.json" <<'PY'
import collections, json, sys
states = collections.Counter(row["state"] for row in json.load(open(sys.argv[1])))
print(states["succeeded"], states["failed"] + states["canceled"],
      " ".join(f"{k}={v}" for k, v in sorted(states.items())))
PY
        )
        [ "$bad" -eq 0 ] || die "$bad jobs failed or were canceled ($states)"
        [ "$succeeded" -lt "$jobs" ] || break
        awk -v l="$limit" -v n="$EPOCHREALTIME" 'BEGIN { exit !(n > l) }' \
            && die "after $deadline s only $succeeded of $jobs jobs succeeded ($states)"
        sleep 0.5
    done
    say "all $jobs jobs succeeded"

    # --- fetch on the client, then the invariants
    while read -r id _; do
        fae fetch "$id" --out "$work/images" </dev/null >/dev/null || die "fetch $id failed"
    done <"$work/jobs.txt"

    # SIGTERM, as a service manager stops a worker: each is to exit 0 (its documented graceful stop).
    for name in "${!worker_pid[@]}"; do kill -TERM "${worker_pid[$name]}"; done
    for name in "${!worker_pid[@]}"; do
        for _ in $(seq 100); do kill -0 "${worker_pid[$name]}" 2>/dev/null || break; sleep 0.1; done
        code=0
        { wait "${worker_pid[$name]}"; } 2>/dev/null || code=$?
        [ "$code" -eq 0 ] || echo "worker $name exited $code on SIGTERM, not 0 ($(grep -m 1 -E 'Assertion|Fatal error|crashed' "$work/logs/$name.log" || echo 'see its log'))"
    done >"$work/stop-errors.txt"

    # The workers killed, in order: those whose PID was dropped.
    killed_workers=$(for log in "$work"/logs/*.log; do
        n=$(basename "$log" .log)
        [ -n "${worker_pid[$n]:-}" ] || echo "$n"
    done | paste -sd,)
    python3 - "$work" "$killed_job" "$killed_workers" "$victim" "$(elapsed)" <<'PY' || die "invariants do not hold (above)"
import collections, glob, hashlib, json, os, re, sys
work, killed, killed_workers, victim, seconds = sys.argv[1:6]
killed_workers = killed_workers.split(",")
submitted = dict(line.split() for line in open(f"{work}/jobs.txt"))
rows = {row["id"]: row for row in json.load(open(f"{work}/list.json"))}
errors = [line.rstrip("\n") for line in open(f"{work}/stop-errors.txt")]
if set(rows) != set(submitted):
    errors.append(f"the queue holds {len(rows)} jobs, {len(submitted)} were submitted")

successes = collections.Counter()
for log in sorted(glob.glob(f"{work}/logs/*.log")):
    for line in open(log, errors="replace"):
        if "job succeeded" in line:
            match = re.search(r"\bjob=([0-9a-f]+)", line)
            if match:
                successes[match.group(1)] += 1
for job in submitted:
    if successes[job] != 1:
        errors.append(f"job {job}: {successes[job]} `job succeeded` lines in the worker logs, not 1")
for job in set(successes) - set(submitted):
    errors.append(f"`job succeeded` for {job}, which was not submitted")

per_host = collections.defaultdict(collections.Counter)
images = 0
for job, count in submitted.items():
    row = rows.get(job)
    if row is None:
        continue
    if row["state"] != "succeeded":
        errors.append(f"job {job}: {row['state']}")
    worker = row.get("worker") or "?"
    per_host["fae-" + worker.split("-")[0]][worker] += 1
    stored = {image["index"]: image["sha256"] for image in row["images"]}
    files = sorted(glob.glob(f"{work}/images/{job}-*.jpg"))
    if len(files) != int(count) or len(stored) != int(count):
        errors.append(f"job {job}: {len(files)} images fetched, {len(stored)} stored, {count} asked for")
    for path in files:
        data = open(path, "rb").read()
        images += 1
        name = os.path.basename(path)
        if data[:2] != b"\xff\xd8" or data[-2:] != b"\xff\xd9":
            errors.append(f"{name} is not a JPEG (no SOI/EOI marker)")
        index = int(name.rsplit("-", 1)[1].split(".")[0])
        if hashlib.sha256(data).hexdigest() != stored.get(index):
            errors.append(f"{name} differs from the image the worker stored (SHA-256)")
for host in ("fae-w1", "fae-w2"):
    if not per_host[host]:
        errors.append(f"no job was done on {host}")

row = rows.get(killed, {})
if row.get("worker") in killed_workers or row.get("attempts", 0) < 2:
    errors.append(f"killed job {killed}: finished by {row.get('worker')} on attempt {row.get('attempts')};"
                  " expected a live worker on a later attempt")

if errors:
    print("\n".join("  " + e for e in errors[:40]), file=sys.stderr)
    sys.exit(1)
print(f"test-cluster: passed: {len(submitted)} jobs, {images} images, 4 hosts over TCP, {seconds} s")
for host in ("fae-w1", "fae-w2"):
    workers = ", ".join(f"{w} {n}" for w, n in sorted(per_host[host].items()))
    print(f"  {host}: {sum(per_host[host].values())} jobs ({workers})")
print(f"  {victim} killed (SIGKILL) holding job {killed}: {row['worker']} finished it on attempt"
      f" {row['attempts']} after the lease ran out")
PY
}

main &
main_pid=$!
status=0
wait "$main_pid" || status=$?
main_pid=""
exit "$status"
