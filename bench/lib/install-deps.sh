# Installs what the suite needs from Debian's packages when it is missing: wrk, nginx, gcc, and sqlite3 (the shell
# the metering scenario reads the gateway's usage database with).

ensure_packages() {
    local missing=()
    command -v wrk >/dev/null 2>&1 || missing+=(wrk)
    command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
    command -v gcc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
    command -v sqlite3 >/dev/null 2>&1 || missing+=(sqlite3)
    command -v java >/dev/null 2>&1 || die "java (17+) is needed"
    command -v mvn >/dev/null 2>&1 || die "maven is needed"
    [ ${#missing[@]} -eq 0 ] && return 0

    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    log "installing ${missing[*]}"
    # apt-cache knows nothing before the first 'apt-get update' on a fresh machine: update once if needed
    if apt-cache policy "${missing[@]}" 2>/dev/null | grep -q 'Candidate: (none)' \
        || ! apt-cache policy "${missing[@]}" 2>/dev/null | grep -q 'Candidate:'; then
        $sudo apt-get update -q
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}" >/dev/null \
        || die "apt-get install ${missing[*]} failed"
}
