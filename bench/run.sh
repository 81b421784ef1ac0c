#!/usr/bin/env bash
# Caravan benchmark suite (issues 4 and 12). One command:
#   bench/run.sh                  full run (about 10 minutes) plus a 10-minute soak
#   bench/run.sh --soak-minutes N full run with an N-minute soak (0: none)
#   bench/run.sh --quick          seconds-long smoke run (CI): tiny sweep, no soak, no timing assertions
#   bench/run.sh --streams-only   the stream sweep alone (a few minutes), for A/B runs of a stream-path change
#   bench/run.sh --throughput-only  the c=32 throughput alone (about two minutes), for A/B runs
#   bench/run.sh --responses-only   the POST /v1/responses paths alone (native, translated, translated twice;
#                                   about three minutes), for A/B runs of a Responses-path change
#   bench/run.sh --gemini-only      the Gemini paths alone (native passthrough, Gemini caller on a chat credential,
#                                   OpenAI caller on a Gemini credential; about three minutes)
#   bench/run.sh --metering-only    issue 12's cost of metering and client limits alone (3 to 4 minutes plus the
#                                   builds): fresh gateways with metering and limits off, on, off, on, each warmed
#                                   until the JIT settles, measured at c=32 and with a wave of streams; the metered
#                                   ones stopped with SIGTERM and their SQLite file counted against the requests
#                                   sent. Also the last scenario of a full run; --quick runs one off/on pair of
#                                   tiny loads.
# Results: bench/results/<timestamp>.md and .json (quick runs: quick-<timestamp>.*); a full run also refreshes
# the tables in bench/README.md. Exit 0 when everything ran, non-zero when something could not run.
# Environment: BENCH_PORT_BASE (default 9101: upstream, +1 nginx, +2 gateway, +3 the metering scenario's
# gateways), BENCH_GATEWAY_JVM_OPTS (default "-Xmx512m -Xmn192m -XX:+UseParallelGC
# -XX:SharedArchiveFile=target/caravan.jsa"), BENCH_SKIP_GATEWAY_BUILD=1 (use the existing target/caravan.jar).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")
source "$BENCH_DIR/lib/common.sh"
source "$BENCH_DIR/lib/install-deps.sh"
source "$BENCH_DIR/lib/build.sh"

MODE_ARGS=()
SOAK_MINUTES=10
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) MODE_ARGS+=(--quick) ;;
        --streams-only) MODE_ARGS+=(--streams-only) ;;
        --throughput-only) MODE_ARGS+=(--throughput-only) ;;
        --responses-only) MODE_ARGS+=(--responses-only) ;;
        --gemini-only) MODE_ARGS+=(--gemini-only) ;;
        --metering-only) MODE_ARGS+=(--metering-only) ;;
        --soak-minutes)
            [ $# -ge 2 ] && [[ "$2" =~ ^[0-9]+$ ]] || die "--soak-minutes needs a whole number"
            SOAK_MINUTES=$2
            shift ;;
        -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
    shift
done

WORK_DIR=$(mktemp -d /tmp/caravan-bench.XXXXXX)
PIDS_FILE="$WORK_DIR/pids"
: >"$PIDS_FILE"
ORCHESTRATOR_PID=""

cleanup() {
    local code=$?
    trap - EXIT INT TERM
    if [ -n "$ORCHESTRATOR_PID" ]; then
        kill -TERM "$ORCHESTRATOR_PID" 2>/dev/null || true
        wait "$ORCHESTRATOR_PID" 2>/dev/null || true
    fi
    kill_listed_pids "$PIDS_FILE"
    if [ "$code" = 0 ]; then
        rm -rf "$WORK_DIR"
    else
        log "logs kept in $WORK_DIR"
    fi
    exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_packages
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
UPSTREAM_BIN="$BENCH_DIR/.build/fake_upstream"
build_fake_upstream "$UPSTREAM_BIN"
build_tools
GATEWAY_ARGS=()
build_gateway

log "running the suite (work dir $WORK_DIR)"
java -Xms256m -Xmx1g -XX:+UseSerialGC -jar "$BENCH_DIR/tools/target/bench-tools.jar" \
    "${MODE_ARGS[@]}" \
    --soak-minutes "$SOAK_MINUTES" \
    --bench-dir "$BENCH_DIR" \
    --repo-dir "$REPO_DIR" \
    --work-dir "$WORK_DIR" \
    --pids-file "$PIDS_FILE" \
    --upstream-bin "$UPSTREAM_BIN" \
    --nginx-bin "$(command -v nginx || echo /usr/sbin/nginx)" \
    --port-base "${BENCH_PORT_BASE:-9101}" \
    --gateway-jvm-options "${BENCH_GATEWAY_JVM_OPTS:--Xmx512m -Xmn192m -XX:+UseParallelGC -XX:SharedArchiveFile=target/caravan.jsa}" \
    "${GATEWAY_ARGS[@]}" &
ORCHESTRATOR_PID=$!
set +e
wait "$ORCHESTRATOR_PID"
STATUS=$?
set -e
ORCHESTRATOR_PID=""
exit "$STATUS"
