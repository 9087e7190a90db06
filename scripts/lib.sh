# shellcheck shell=bash
# Helpers shared by the scripts in this folder (sourced, not run).

log() { printf '[%s] %s\n' "${0##*/}" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Installs the Debian packages that are not installed yet; runs `apt-get update` only when the lists are missing or
# an install fails for lack of a candidate.
ensure_packages() {
    local missing=() package
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    [[ $EUID -eq 0 ]] || die "missing packages (${missing[*]}); run as root to install them"

    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
        apt-get update -qq
    fi
    if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

# wait_for <seconds> <description> <command...>: polls the command every second until it succeeds.
wait_for() {
    local timeout=$1 description=$2
    shift 2
    local deadline=$((SECONDS + timeout))
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || { log "timed out after ${timeout}s waiting for $description"; return 1; }
        sleep 1
    done
}

# tcp_open <host> <port>: true when something accepts a TCP connection there.
tcp_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

# http_ok <url> [curl options...]: true on a 2xx answer.
http_ok() {
    local url=$1
    shift
    curl -fs -o /dev/null --max-time 5 "$@" "$url"
}
