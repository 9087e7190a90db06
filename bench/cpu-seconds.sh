#!/usr/bin/env bash
# Prints the CPU seconds (user + system) used so far by each part of a running Shop: every process started by
# scripts/local-up.sh (the services, Identity, Analytics, the payment-provider simulator: pids in .run/ or
# $SHOP_RUN_DIR), PostgreSQL and RabbitMQ. Run it before and after a load test and subtract to see where the CPU went
# (bench/Shop.LoadTest reports the same per order for its measured window, without its warm-up and ceiling probe):
#
#   bash bench/cpu-seconds.sh > before.tsv; <load test>; bash bench/cpu-seconds.sh > after.tsv
#   join <(sort before.tsv) <(sort after.tsv) | awk '{ printf "%-14s %8.1f s\n", $1, $3 - $2 }'
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
run_dir=${SHOP_RUN_DIR:-.run}
ticks=$(getconf CLK_TCK)

# cpu_of <pid...>: the summed utime + stime of the processes, in seconds.
cpu_of() {
    local total=0 pid fields
    for pid in "$@"; do
        [[ -r /proc/$pid/stat ]] || continue
        # Fields after the command name (which may hold spaces): utime, stime, then cutime, cstime (children that
        # exited, e.g. PostgreSQL backends whose connection closed).
        fields=$(sed -E 's/^.*\) //' "/proc/$pid/stat")
        total=$((total + $(awk '{ print $12 + $13 + $14 + $15 }' <<<"$fields")))
    done
    awk -v t="$total" -v hz="$ticks" 'BEGIN { printf "%.2f\n", t / hz }'
}

for pidfile in "$run_dir"/*.pid; do
    [[ -f $pidfile ]] && printf '%s\t%s\n' "$(basename "$pidfile" .pid)" "$(cpu_of "$(cat "$pidfile")")"
done
# shellcheck disable=SC2046 # one pid per word
printf 'postgresql\t%s\n' "$(cpu_of $(pgrep -x postgres || true))"
# shellcheck disable=SC2046
printf 'rabbitmq\t%s\n' "$(cpu_of $(pgrep -f beam.smp || true))"
