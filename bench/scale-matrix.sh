#!/usr/bin/env bash
# The load test at 1 and 2 instances per service, on one RabbitMQ node (classic queues) and on a cluster of three
# (quorum queues), back to back on this machine, one stack at a time, and the table docs/scaling.md quotes:
#
#   bash bench/scale-matrix.sh [--orders 1500] [--warmup-orders 300] [--concurrency 32]
#
# Each configuration gets a fresh stack on ports 8280-8288 (its own databases shopscale_*, vhost shop-scale,
# .run/scale), started from the last Release build (`dotnet build Shop.sln -c Release` first), and is stopped after
# its run. The cluster (scripts/rabbitmq-cluster.sh) is started for the last two and stopped at the end unless it was
# already up. Results: loadtest-results/scale-<time>/<config>/result.json and table.md beside them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

orders=1500 warmup=300 concurrency=32
while (($#)); do
    case $1 in
        --orders) orders=${2:?}; shift 2 ;;
        --warmup-orders) warmup=${2:?}; shift 2 ;;
        --concurrency) concurrency=${2:?}; shift 2 ;;
        *) echo "usage: bench/scale-matrix.sh [--orders N] [--warmup-orders N] [--concurrency N]" >&2; exit 2 ;;
    esac
done

loadtest=bench/Shop.LoadTest/bin/Release/net10.0/Shop.LoadTest.dll
[[ -f $loadtest ]] || { echo "no Release build of the load test: dotnet build Shop.sln -c Release" >&2; exit 1; }

export SHOP_PORT_BASE=8280 SHOP_RUN_DIR=$PWD/.run/scale SHOP_DB_PREFIX=shopscale_ SHOP_VHOST=shop-scale SHOP_SKIP_BUILD=1
# The load's 97 customers would otherwise meet the per-customer submit limit.
export Orders__RateLimits__Submit__PermitLimit=1000000
out=loadtest-results/scale-$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$out"

cluster_was_up=0
# Its proxy's pid file names a live process while it runs (the nodes file stays after a stop).
proxy_pid=${SHOP_CLUSTER_DIR:-/var/lib/rabbitmq/shop-cluster}/haproxy.pid
[[ -f $proxy_pid ]] && kill -0 "$(cat "$proxy_pid")" 2>/dev/null && cluster_was_up=1

stop_stack() { bash scripts/local-down.sh >/dev/null 2>&1 || true; }
trap 'stop_stack; ((cluster_was_up)) || bash scripts/rabbitmq-cluster.sh down >/dev/null 2>&1 || true' EXIT

printf '| instances per service | RabbitMQ | terminal orders/s | p50 / p95 / p99 submit → terminal | CPU per order |\n' > "$out/table.md"
printf '|---|---|---|---|---|\n' >> "$out/table.md"

for config in "1 0" "2 0" "1 3" "2 3"; do
    read -r instances nodes <<< "$config"
    name="n${instances}-r${nodes}"
    echo "[scale-matrix] $name: starting the stack" >&2
    stop_stack
    export SHOP_INSTANCES=$instances SHOP_RABBITMQ_CLUSTER=$nodes
    bash scripts/local-up.sh > "$out/$name-up.log" 2>&1 || { echo "[scale-matrix] $name: local-up failed (see $out/$name-up.log)" >&2; exit 1; }

    broker=(--rabbitmq-vhost shop-scale)
    ((nodes > 0)) && broker+=(--rabbitmq-host 127.0.0.1:5680 --rabbitmq-management http://127.0.0.1:15680)
    echo "[scale-matrix] $name: $orders orders after $warmup warm-up" >&2
    dotnet "$loadtest" --orders-url http://127.0.0.1:8280 --db-prefix shopscale_ "${broker[@]}" \
        --concurrency "$concurrency" --orders "$orders" --warmup-orders "$warmup" --out "$out/$name" > "$out/$name.log" 2>&1 ||
        echo "[scale-matrix] $name: the load test failed (see $out/$name.log)" >&2

    python3 - "$out/$name/result.json" "$instances" "$nodes" >> "$out/table.md" <<'EOF' || echo "| $instances | $nodes | failed | | |" >> "$out/table.md"
import json, sys
r = json.load(open(sys.argv[1]))
lat = r["latencyMs"]
rabbit = "1 node (classic)" if sys.argv[3] == "0" else f"{sys.argv[3]} nodes (quorum)"
cpu = r["cpuPerOrderMs"]["totalMs"]
passed = "" if r.get("passed") else " (FAILED)"
print(f"| {sys.argv[2]} | {rabbit} | {r['terminalOrdersPerSecond']:.1f}{passed} | "
      f"{lat['p50'] / 1000:.2f} / {lat['p95'] / 1000:.2f} / {lat['p99'] / 1000:.2f} s | {cpu:.0f} ms |")
EOF
done

stop_stack
cat "$out/table.md"
