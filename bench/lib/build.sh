# Builds the suite's own tools (fake upstream, Java tools) and the gateway.

build_fake_upstream() {
    local out=$1
    mkdir -p "$(dirname "$out")"
    if [ ! -x "$out" ] || [ "$BENCH_DIR/upstream/fake_upstream.c" -nt "$out" ]; then
        log "compiling the fake upstream"
        gcc -O2 -Wall -Wextra -pthread -o "$out" "$BENCH_DIR/upstream/fake_upstream.c" \
            || die "compiling bench/upstream/fake_upstream.c failed"
    fi
}

build_tools() {
    log "building bench/tools"
    mvn -q -B -f "$BENCH_DIR/tools/pom.xml" package >"$WORK_DIR/tools-build.log" 2>&1 \
        || { tail -30 "$WORK_DIR/tools-build.log"; die "building bench/tools failed"; }
}

# Sets GATEWAY_ARGS for the orchestrator: the jar when the gateway built, else why it is not available.
build_gateway() {
    local jar="$REPO_DIR/target/caravan.jar"
    if [ "${BENCH_SKIP_GATEWAY_BUILD:-0}" = 1 ]; then
        log "BENCH_SKIP_GATEWAY_BUILD=1: using the existing $jar"
    else
        log "building the gateway (mvn -q -B package -DskipTests)"
        if ! (cd "$REPO_DIR" && mvn -q -B package -DskipTests) >"$WORK_DIR/gateway-build.log" 2>&1; then
            tail -20 "$WORK_DIR/gateway-build.log"
            GATEWAY_ARGS=(--gateway-unavailable "the gateway build failed: $(grep -m1 ERROR "$WORK_DIR/gateway-build.log" | cut -c1-200)")
            return
        fi
    fi
    if [ -f "$jar" ]; then
        GATEWAY_ARGS=(--gateway-jar "$jar")
    else
        GATEWAY_ARGS=(--gateway-unavailable "no $jar after the build")
    fi
}
