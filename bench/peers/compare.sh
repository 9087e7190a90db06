#!/usr/bin/env bash
# Shop's messaging benchmark and its Wolverine peer back to back on the same RabbitMQ and PostgreSQL (scripts/infra-up.sh),
# alternating, each after the same untimed warm-up; prints both rates and their ratio. Same unit of work on both sides:
# consume a command, read and update one row (version-checked), publish one event through the durable outbox, with
# persistent messages and publisher confirms. Builds both (Release) first. Run it alone: both are CPU-bound on 2 cores.
#
#   bash bench/peers/compare.sh                       # 20,000 messages after 20,000 untimed, one round
#   MESSAGES=10000 ROUNDS=2 SIGNING=on bash bench/peers/compare.sh
#
#   MESSAGES  measured messages per run (20000); WARMUP untimed messages before them (= MESSAGES)
#   ROUNDS    Shop then Wolverine, this many times (1)
#   SIGNING   Shop's message signing, off (the peer signs nothing: the same work) or on (the services' setting)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
messages=${MESSAGES:-20000} warmup=${WARMUP:-${MESSAGES:-20000}} rounds=${ROUNDS:-1} signing=${SIGNING:-off}

for project in bench/Shop.Messaging.Benchmark/Shop.Messaging.Benchmark.csproj bench/peers/Wolverine/Shop.Peers.Wolverine.csproj; do
    dotnet build "$project" -c Release -nologo -v quiet >/dev/null || { echo "build of $project failed" >&2; exit 1; }
done

shop=() peer=()
for ((round = 1; round <= rounds; round++)); do
    echo "round $round: Shop.Messaging (signing $signing)"
    out=$(dotnet bench/Shop.Messaging.Benchmark/bin/Release/net10.0/Shop.Messaging.Benchmark.dll "$messages" "$messages" "$warmup" "$signing")
    printf '%s\n' "$out" | sed 's/^/  /'
    shop+=("$(printf '%s\n' "$out" | sed -n 's/^Shop.Messaging consume.*: *\([0-9,]*\) msg\/s.*/\1/p' | head -n 1 | tr -d ,)")
    echo "round $round: Wolverine"
    out=$(dotnet bench/peers/Wolverine/bin/Release/net10.0/Shop.Peers.Wolverine.dll "$messages" "$warmup")
    printf '%s\n' "$out" | sed 's/^/  /'
    peer+=("$(printf '%s\n' "$out" | sed -n 's/^Wolverine consume.*: *\([0-9]*\) msg\/s.*/\1/p' | tail -n 1)")
done

echo
for ((i = 0; i < rounds; i++)); do
    awk -v r=$((i + 1)) -v s="${shop[i]}" -v w="${peer[i]}" \
        'BEGIN { printf "round %d: Shop.Messaging %d msg/s, Wolverine %d msg/s, ratio %.2fx\n", r, s, w, s / w }'
done
printf '%s\n' "${shop[@]}" | awk -v w="$(printf '%s\n' "${peer[@]}" | awk '{ t += $1 } END { print t / NR }')" \
    '{ t += $1 } END { printf "mean: Shop.Messaging %.0f msg/s, Wolverine %.0f msg/s, ratio %.2fx\n", t / NR, w, t / NR / w }'
