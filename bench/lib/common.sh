# Shared shell helpers for bench/run.sh: logging and the processes the suite owns.

log() {
    printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*"
}

die() {
    log "ERROR: $*" >&2
    exit 1
}

# Kills every pid listed in the pids file (TERM, then KILL after a grace period). Pids are only ever our own
# children: the orchestrator appends each process it starts.
kill_listed_pids() {
    local pids_file=$1 pid
    [ -f "$pids_file" ] || return 0
    for pid in $(cat "$pids_file"); do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        local alive=0
        for pid in $(cat "$pids_file"); do
            kill -0 "$pid" 2>/dev/null && alive=1
        done
        [ "$alive" = 0 ] && return 0
        sleep 0.5
    done
    for pid in $(cat "$pids_file"); do
        kill -KILL "$pid" 2>/dev/null || true
    done
}
