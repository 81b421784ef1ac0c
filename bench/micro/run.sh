#!/usr/bin/env bash
# JMH microbenchmark of the pool's credential selection at 10, 100 and 1,000 credentials per strategy
# (bench/README.md, "Pool selection microbenchmark"). Arguments go to JMH, e.g. a short run:
#   bench/micro/run.sh -wi 2 -i 3 -f 1
# BENCH_SKIP_GATEWAY_BUILD=1 uses the existing target/caravan.jar; BENCH_MVN_ARGS adds Maven options (e.g. -o).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mvn_args=(-q -B ${BENCH_MVN_ARGS:-})

if [[ "${BENCH_SKIP_GATEWAY_BUILD:-0}" != 1 || ! -f "$root/target/caravan.jar" ]]; then
    (cd "$root" && mvn "${mvn_args[@]}" package -DskipTests)
fi
mvn "${mvn_args[@]}" -f "$here/pom.xml" package

# The gateway's jar brings its dependencies through its manifest (target/lib).
exec java -cp "$here/target/classes:$here/target/lib/*:$root/target/caravan.jar" org.openjdk.jmh.Main \
    'io.caravan.bench.PoolSelectionBenchmark' "$@"
