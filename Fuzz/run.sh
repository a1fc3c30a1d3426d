#!/usr/bin/env bash
# Builds the libFuzzer targets (Fuzz/Package.swift) with AddressSanitizer and runs each for
# FUZZ_SECONDS, then prints per target the executions, crashes, out-of-memory and timeout inputs
# (and slow ones, which finished), and one line per distinct crash reason. Inputs that crash go to
# out/fuzz/<target>/artifacts/.
#
#   FUZZ_SECONDS=60          seconds per target
#   FUZZ_TARGETS="png jpeg"  a subset (default: all)
#   FUZZ_OUT=out/fuzz        where corpora, artifacts and logs go
#
# Exits 1 when any target found a crash, an out-of-memory or a timeout input.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SWIFT=${SWIFT:-swift}
SECONDS_PER_TARGET=${FUZZ_SECONDS:-60}
ALL_TARGETS="caption grammar safetensors jpeg png dataset-manifest captions-index dataset-image model-config job-row"
TARGETS=${FUZZ_TARGETS:-$ALL_TARGETS}
[ -n "${TARGETS// /}" ] || TARGETS=$ALL_TARGETS
OUT=${FUZZ_OUT:-$ROOT/out/fuzz}
SCRATCH_PATH=$ROOT/.build-fuzz
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

install_debian() {
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    echo "installing: $*"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"
}

# The sanitizer runtimes that swiftc links come with the Swift toolchain's clang resource folder.
SWIFTC=$(readlink -f "$(command -v swiftc)")
TOOLCHAIN_BIN=$(dirname "$SWIFTC")
ARCH=$(uname -m)
RUNTIME=$(ls "$TOOLCHAIN_BIN"/../lib/swift/clang/lib/linux/libclang_rt.fuzzer-"$ARCH".a 2>/dev/null | head -n 1 || true)
if [ -z "$RUNTIME" ]; then
    echo "error: this Swift toolchain has no libFuzzer runtime (libclang_rt.fuzzer-$ARCH.a under" >&2
    echo "       $TOOLCHAIN_BIN/../lib/swift/clang/lib/linux); -sanitize=fuzzer needs a toolchain that ships it" >&2
    exit 2
fi

# SwiftPM links a Swift executable with `--defsym main=<module>_main`, which GNU gold cannot combine
# with libFuzzer's own main; lld lets the executable's main win (it then starts libFuzzer's driver).
LLD="$TOOLCHAIN_BIN/ld.lld"
if [ ! -x "$LLD" ]; then
    LLD=$(command -v ld.lld || true)
    if [ -z "$LLD" ]; then install_debian lld; LLD=$(command -v ld.lld); fi
fi
TOOLSET="$OUT/toolset.json"
printf '{"schemaVersion": "1.0", "linker": {"path": "%s"}}\n' "$LLD" > "$TOOLSET"

echo "building the fuzz targets in $SCRATCH_PATH (the first build takes about 10 minutes on 2 cores)"
nice -n 10 "$SWIFT" build --package-path "$ROOT/Fuzz" --scratch-path "$SCRATCH_PATH" --toolset "$TOOLSET" \
    -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address 2>&1 \
    | grep -v "Cannot export local symbol" || { echo "error: the fuzz build failed" >&2; exit 2; }
BIN=$("$SWIFT" build --package-path "$ROOT/Fuzz" --scratch-path "$SCRATCH_PATH" --show-bin-path)
for target in $TARGETS; do
    [ -x "$BIN/fuzz-$target" ] || { echo "error: no fuzz target '$target' (known: $ALL_TARGETS)" >&2; exit 2; }
done

# Leak checks are off: Swift keeps pointers with tag bits in enum payloads, which LeakSanitizer
# does not recognise, so every run would report leaks that are not there.
export ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=0:handle_abort=1
# Swift's crash backtracer would stop at every crash to symbolicate (and can hang on an ASan process).
export SWIFT_BACKTRACE=enable=no
export FAE_T2I_ROOT=$ROOT

# The first line that says why an input crashed, from a run of the target on it alone.
crash_reason() {
    local binary=$1 input=$2 log
    log=$(FAE_T2I_FUZZ_SCRATCH=$SCRATCH timeout 120 "$binary" -runs=1 -rss_limit_mb=4096 -malloc_limit_mb=2048 \
        -timeout=10 "$input" 2>&1 || true)
    rm -rf "${SCRATCH:?}"/*
    printf '%s\n' "$log" | grep -m 1 -E "Fatal error|Precondition failed|Assertion failed|ERROR: (AddressSanitizer|libFuzzer)|SUMMARY: " \
        | sed -E 's/^==[0-9]+==//; s/0x[0-9a-f]+/0x…/g' | cut -c1-200 || true
}

# Each target writes its inputs as files; in memory when /dev/shm is there.
SCRATCH_BASE=${TMPDIR:-/tmp}
[ -d /dev/shm ] && [ -w /dev/shm ] && SCRATCH_BASE=/dev/shm

SUMMARY=()
FOUND=0
for target in $TARGETS; do
    dir="$OUT/$target"
    mkdir -p "$dir/corpus" "$dir/artifacts"
    SCRATCH=$(mktemp -d "$SCRATCH_BASE/fae-t2i-fuzz.XXXXXX")
    before=$(ls "$dir/artifacts" | sort)
    echo "fuzzing $target for ${SECONDS_PER_TARGET}s (log: $dir/log.txt)"
    # Fork mode with -ignore_*: a crash ends only the child process, and fuzzing goes on, so one
    # known crash does not hide the others. New inputs go to the first corpus folder; the committed
    # seeds in Fuzz/Corpus are only read.
    FAE_T2I_FUZZ_SCRATCH=$SCRATCH timeout $((SECONDS_PER_TARGET + 120)) nice -n 10 "$BIN/fuzz-$target" \
        -fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1 -detect_leaks=0 \
        -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=4096 -malloc_limit_mb=2048 \
        -artifact_prefix="$dir/artifacts/" "$dir/corpus" "$ROOT/Fuzz/Corpus/$target" > "$dir/log.txt" 2>&1 || true
    rm -rf "${SCRATCH:?}"/*
    stats=$(grep -E '^#[0-9]+: ' "$dir/log.txt" | tail -n 1 || true)
    executions=$(printf '%s' "$stats" | sed -nE 's/^#([0-9]+):.*/\1/p')
    counts=$(printf '%s' "$stats" | sed -nE 's#.*oom/timeout/crash: ([0-9]+)/([0-9]+)/([0-9]+).*#\1 \2 \3#p')
    read -r ooms timeouts crashes <<< "${counts:-0 0 0}"
    elapsed=$(grep -E 'INFO: exiting' "$dir/log.txt" | tail -n 1 | sed -nE 's/.*time: ([0-9]+)s.*/\1/p')
    added=$(comm -13 <(printf '%s\n' "$before") <(ls "$dir/artifacts" | sort) | grep -v '^$' || true)
    # Inputs that took over 10 s but finished are reported apart: they are slow, not failures.
    new=$(printf '%s\n' "$added" | grep -v -e '^slow-unit-' -e '^$' || true)
    slow=$(printf '%s\n' "$added" | grep -c '^slow-unit-' || true)
    line=$(printf '%-17s %5ss %10s executions  %3s crashes %3s out-of-memory %3s timeouts %3s slow' \
        "$target" "${elapsed:-?}" "${executions:-?}" "$crashes" "$ooms" "$timeouts" "$slow")
    SUMMARY+=("$line")
    if [ -n "$new" ]; then
        FOUND=1
        declare -A seen=()
        for artifact in $(printf '%s\n' "$new" | head -n 25); do
            reason=$(crash_reason "$BIN/fuzz-$target" "$dir/artifacts/$artifact")
            [ -n "$reason" ] || reason="(no crash when run alone; see $dir/log.txt)"
            if [ -z "${seen[$reason]:-}" ]; then
                seen[$reason]=1
                SUMMARY+=("    $artifact: $reason")
            fi
        done
        unset seen
    elif [ "$((crashes + ooms + timeouts))" -gt 0 ]; then
        FOUND=1
    fi
    rmdir "$SCRATCH" 2>/dev/null || rm -rf "$SCRATCH"
done

echo
echo "fuzzing summary (${SECONDS_PER_TARGET}s per target; artifacts in $OUT/<target>/artifacts/):"
printf '%s\n' "${SUMMARY[@]}"
exit "$FOUND"
