#!/usr/bin/env bash
# Samples the resident memory (VmRSS) of every process started by scripts/local-up.sh (the five services, Analytics,
# Identity, the console, the payment-provider simulator: the pid files of .run/ or $SHOP_RUN_DIR) every few seconds while a
# load runs, then prints per service: peak, mean of the first and of the last minute, and the difference (the trend).
#
#   bash bench/memory-watch.sh 600 &     # seconds to watch; start the load test right after
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly DURATION=${1:-600} INTERVAL=${SHOP_MEMORY_INTERVAL:-5}
run_dir=${SHOP_RUN_DIR:-.run}
samples=$(mktemp)
trap 'rm -f "$samples"' EXIT

rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null; }

start=$SECONDS
while ((SECONDS - start < DURATION)); do
    for pidfile in "$run_dir"/*.pid; do
        # A service that is not running (yet, or any more) gives no sample rather than a zero.
        [[ -f $pidfile ]] && rss=$(rss_mb "$(cat "$pidfile")") && [[ -n $rss ]] &&
            printf '%s\t%s\t%s\n' "$((SECONDS - start))" "$(basename "$pidfile" .pid)" "$rss" >>"$samples"
    done
    sleep "$INTERVAL"
done

printf '%-14s %10s %14s %14s %10s\n' service "peak MB" "first min MB" "last min MB" "trend MB"
awk -v end=$((SECONDS - start)) '
    { if ($3 > peak[$2]) peak[$2] = $3
      if ($1 < 60) { first[$2] += $3; nf[$2]++ }
      if ($1 >= end - 60) { last[$2] += $3; nl[$2]++ } }
    END { for (s in peak) {
            if (nf[s] == 0 || nl[s] == 0) { printf "%-14s %10.1f %14s %14s %10s\n", s, peak[s], "n/a", "n/a", "n/a"; continue }
            printf "%-14s %10.1f %14.1f %14.1f %+10.1f\n", s, peak[s], first[s] / nf[s], last[s] / nl[s], last[s] / nl[s] - first[s] / nf[s] } }
' "$samples" | sort
