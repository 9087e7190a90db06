#!/usr/bin/env bash
# Fault-injection suite: runs a separate, isolated Shop (ports 8180-8188, databases shopfault_*, vhost shop-fault, logs in
# .run-fault/; fresh each run) under a modest fixed-rate load (bench/Shop.LoadTest) and injects, one after another:
# kill -9 + restart of each service (Orders while it takes HTTP submissions, Payments while charges are in flight at the
# provider) and of the payment-provider simulator, a RabbitMQ restart, a PostgreSQL restart and a burst of duplicate
# deliveries (real messages re-published byte for byte, same message id). The load includes slow provider answers
# (tok_slow, answered after the payment timeout) and lost ones (tok_timeout). Then it waits for every order to end and
# runs the invariant audit (tools/Shop.Audit), which holds the saga and our ledger against the provider's records.
# Every token of the load comes from the stack's Identity service (port 8188); it and Analytics (8186) are killed and restarted too.
# Pass: every accepted order terminal within 2 minutes of the last fault, no HTTP 5xx or connection failure except
# while Orders or its database was down, zero audit violations. Restarting the servers needs root.
#
#   bash scripts/fault-suite.sh          # short (CI): each fault once, ≈300 orders, a few minutes
#   bash scripts/fault-suite.sh --long   # each fault three times
#
# At scale (docs/scaling.md#the-fault-suite-at-scale): N instances of each service behind HAProxy and/or a RabbitMQ
# cluster with quorum queues (scripts/local-up.sh --instances / --rabbitmq-cluster). The faults then are: kill -9 of one
# instance of each service in turn (no HTTP error allowed: another Orders instance serves), stop + start of the cluster
# node leading order-state, then of another one (instead of the single broker's restart), the PostgreSQL restart
# (--skip-postgres leaves it out: it hits everything else using that server), a rolling restart of every service
# (local-up.sh --rolling-restart, no HTTP error allowed) and the duplicate burst.
#   bash scripts/fault-suite.sh --instances 2 --rabbitmq-cluster 3 [--long] [--skip-postgres]
#
# Note: the RabbitMQ and PostgreSQL restarts hit everything else using those servers on this machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

rounds=1 instances=1 cluster_nodes=0 skip_postgres=0
while (($#)); do
    case $1 in
        --long) rounds=3; shift ;;
        --instances) instances=${2:?}; shift 2 ;;
        --rabbitmq-cluster) cluster_nodes=${2:?}; shift 2 ;;
        --skip-postgres) skip_postgres=1; shift ;;
        *) die "usage: scripts/fault-suite.sh [--long] [--instances N] [--rabbitmq-cluster N] [--skip-postgres]" ;;
    esac
done
# local-up.sh reads these on every (re)start below.
export SHOP_INSTANCES=$instances SHOP_RABBITMQ_CLUSTER=$cluster_nodes

export SHOP_PORT_BASE=${SHOP_PORT_BASE:-8180} SHOP_RUN_DIR=${SHOP_RUN_DIR:-$PWD/.run-fault}
export SHOP_DB_PREFIX=${SHOP_DB_PREFIX:-shopfault_} SHOP_VHOST=${SHOP_VHOST:-shop-fault}
readonly SERVICES=(Orders Payments Inventory Shipping Notifications PaymentProvider Identity Analytics)
# The payment timeout is shorter than the provider's slow answer, which is shorter than Payments' attempt timeout: a
# tok_slow order is cancelled by the timeout while its capture is still on its way (then refunded at the provider), and
# a tok_timeout one is found by key after the attempt times out (then refunded too).
export Orders__PaymentTimeout=00:00:04 Provider__SlowDelay=00:00:06 PaymentProvider__AttemptTimeout=00:00:08
# The load's 97 customers and its retries through outages stay far below these (Orders' per-customer rate limits).
export Orders__RateLimits__Submit__PermitLimit=100000 Orders__RateLimits__Cancel__PermitLimit=100000
readonly MIX=happy=80,declined=4,outofstock=3,shipping=2,cancel=1,slow=6,lost=4
readonly RATE=2 GAP=8
# LOCAL DEVELOPMENT DEFAULTS ONLY (the credentials scripts/infra-up.sh creates).
RABBITMQ_API=http://127.0.0.1:15672/api RABBITMQ_HOST=127.0.0.1
if ((cluster_nodes > 0)); then
    # The cluster's proxy (scripts/rabbitmq-cluster.sh): one address whichever node is down.
    RABBITMQ_API=http://127.0.0.1:${SHOP_CLUSTER_API_PORT:-15680}/api RABBITMQ_HOST=127.0.0.1:${SHOP_CLUSTER_AMQP_PORT:-5680}
fi
readonly RABBITMQ_API RABBITMQ_HOST
export PGPASSWORD=shop PGOPTIONS="-c client_min_messages=warning"
readonly FAULTS=$SHOP_RUN_DIR/faults.tsv STOP=$SHOP_RUN_DIR/stop-load RESULTS=$SHOP_RUN_DIR/results
readonly LOADTEST=bench/Shop.LoadTest/bin/Release/net10.0/Shop.LoadTest.dll
readonly AUDIT=tools/Shop.Audit/bin/Release/net10.0/Shop.Audit.dll
# An order's last steps (stock commit, notification) may still be in flight when it turns terminal: the audit is
# repeated for a while before a violation counts.
readonly AUDIT_ATTEMPTS=6 AUDIT_INTERVAL=10

now_ms() { date +%s%3N; }

# fault <name> <allows HTTP errors: 0|1> <command...>: runs the fault and records its window for the load test.
fault() {
    local name=$1 allows=$2 start
    shift 2
    start=$(now_ms)
    log "fault: $name"
    "$@" || unrecovered+=("$name")
    printf '%s\t%s\t%s\t%s\n' "$name" "$start" "$(now_ms)" "$allows" >>"$FAULTS"
    sleep "$GAP"
}

all_ready() {
    local port
    for port in $(seq "$SHOP_PORT_BASE" $((SHOP_PORT_BASE + 6))) $((SHOP_PORT_BASE + 8)); do
        http_ok "http://127.0.0.1:$port/health/ready" || return 1
    done
}

kill_and_restart() {
    local service=$1
    # Called behind `||` (set -e is off here): each step that injects the fault must say when it did not.
    kill -KILL "$(cat "$SHOP_RUN_DIR/${service,,}.pid")" || return 1
    sleep 2
    SHOP_SKIP_BUILD=1 bash scripts/local-up.sh "$service"
}

restart_rabbitmq() {
    /etc/init.d/rabbitmq-server restart >/dev/null || return 1
    wait_for 120 "RabbitMQ management API" http_ok "$RABBITMQ_API/overview" -u shop:shop
    wait_for 120 "every service ready after the RabbitMQ restart" all_ready
}

restart_postgres() {
    local version
    version=$(pg_lsclusters -h | awk '$2 == "main" { print $1 }' | sort -V | tail -n 1)
    pg_ctlcluster "$version" main restart || return 1
    wait_for 120 "every service ready after the PostgreSQL restart" all_ready
}

duplicate_burst() {
    dotnet "$LOADTEST" duplicates --count 200 --rabbitmq-vhost "$SHOP_VHOST" --rabbitmq-host "$RABBITMQ_HOST" \
        --rabbitmq-management "${RABBITMQ_API%/api}"
}

# kill_instance <service> <i>: kill -9 one instance; the proxy takes it out, the others serve; local-up.sh starts it again.
kill_instance() {
    local service=$1 i=$2
    kill -KILL "$(cat "$SHOP_RUN_DIR/${service,,}-$i.pid")" || return 1
    sleep 2
    SHOP_SKIP_BUILD=1 bash scripts/local-up.sh "$service"
}

# bounce_node <i>: stop a cluster node and start it again once the services carried on without it.
bounce_node() {
    local node=$1
    bash scripts/rabbitmq-cluster.sh stop-node "$node" || return 1
    sleep "$GAP"
    bash scripts/rabbitmq-cluster.sh start-node "$node" || return 1
    wait_for 120 "every service ready after node $node came back" all_ready
}

# The node (1..N) leading order-state now, or the first one when it cannot be told.
order_state_leader() {
    local leader
    leader=$(bash scripts/rabbitmq-cluster.sh leader order-state "$SHOP_VHOST" 2>/dev/null || true)
    [[ $leader =~ ^shop-r([0-9])@ ]] && echo "${BASH_REMATCH[1]}" || echo 1
}

rolling_restart() {
    SHOP_SKIP_BUILD=1 bash scripts/local-up.sh --rolling-restart
}

[[ $EUID -eq 0 ]] || die "the suite restarts RabbitMQ and PostgreSQL: run as root"
started=$SECONDS
unrecovered=()
load_pid=
cleanup() {
    [[ -n $load_pid ]] && kill "$load_pid" 2>/dev/null
    bash scripts/local-down.sh >/dev/null 2>&1 || true
}
trap cleanup EXIT
bash scripts/infra-up.sh

# A fresh stack: this run's databases and vhost only, so the audit judges this run alone.
bash scripts/local-down.sh >/dev/null
for service in "${SERVICES[@]}"; do
    psql -h 127.0.0.1 -U shop -d postgres -XAtqc "DROP DATABASE IF EXISTS ${SHOP_DB_PREFIX}${service,,} WITH (FORCE)" >/dev/null
done
((cluster_nodes > 0)) && bash scripts/rabbitmq-cluster.sh up --nodes "$cluster_nodes"
curl -fs -o /dev/null -u shop:shop -X DELETE "$RABBITMQ_API/vhosts/$SHOP_VHOST" || true
rm -rf "$SHOP_RUN_DIR"
mkdir -p "$SHOP_RUN_DIR"

log "building the load test, the audit, the payment-provider simulator, the Identity, Analytics and Console services"
for project in bench/Shop.LoadTest/Shop.LoadTest.csproj tools/Shop.Audit/Shop.Audit.csproj Simulators/PaymentProvider/Shop.PaymentProvider.csproj \
    Identity/Shop.Identity.csproj Analytics/Shop.Analytics.csproj Console/Shop.Console.csproj; do
    dotnet build "$project" -c Release -nologo -v quiet >/dev/null || die "build of $project failed"
done
# Building the audit built the five services it reads (project references): start them as they are. local-up.sh
# migrates each database first as its migration identity (--migrate), here and on every restart below: the services'
# own roles may not change their schema.
SHOP_SKIP_BUILD=1 bash scripts/local-up.sh

log "load: $RATE orders/s until the faults are over"
dotnet "$LOADTEST" --rate "$RATE" --mix "$MIX" --duration 3600s --stop-file "$STOP" --faults "$FAULTS" --no-ceiling \
    --orders-url "http://127.0.0.1:$SHOP_PORT_BASE" --rabbitmq-vhost "$SHOP_VHOST" --db-prefix "$SHOP_DB_PREFIX" \
    --rabbitmq-host "$RABBITMQ_HOST" --rabbitmq-management "${RABBITMQ_API%/api}" \
    --out "$RESULTS" >"$SHOP_RUN_DIR/loadtest.log" 2>&1 &
load_pid=$!
sleep "$GAP"

scaled=" Orders Payments Inventory Shipping Notifications Analytics "
for ((round = 1; round <= rounds && (instances > 1 || cluster_nodes > 0); round++)); do
    for service in "${SERVICES[@]}"; do
        if ((instances > 1)) && [[ $scaled == *" $service "* ]]; then
            # One instance of each down in turn: the others serve, so no HTTP error is allowed, Orders' included.
            fault "kill-$service-$(((round - 1) % instances + 1))" 0 kill_instance "$service" $(((round - 1) % instances + 1))
        else
            fault "kill-$service" "$([[ $service == Orders && $instances == 1 ]] && echo 1 || echo 0)" kill_and_restart "$service"
        fi
    done
    if ((cluster_nodes > 0)); then
        first=$(order_state_leader)
        fault "stop-node-$first-leading-order-state" 0 bounce_node "$first"
        # Then another node: the one leading order-state now, if leadership moved, else the next one.
        second=$(order_state_leader)
        ((second != first)) || second=$((first % cluster_nodes + 1))
        fault "stop-node-$second" 0 bounce_node "$second"
    else
        fault restart-rabbitmq 0 restart_rabbitmq
    fi
    ((skip_postgres)) || fault restart-postgres 1 restart_postgres
    ((instances > 1)) && fault rolling-restart 0 rolling_restart
    fault duplicates 0 duplicate_burst
done
for ((round = 1; round <= rounds && instances == 1 && cluster_nodes == 0; round++)); do
    for service in "${SERVICES[@]}"; do
        # Orders' own outage is the only one its HTTP clients may notice.
        fault "kill-$service" "$([[ $service == Orders ]] && echo 1 || echo 0)" kill_and_restart "$service"
    done
    fault restart-rabbitmq 0 restart_rabbitmq
    # Orders answers 503 (retry later) while its database is away.
    fault restart-postgres 1 restart_postgres
    fault duplicates 0 duplicate_burst
done
touch "$STOP"

log "faults over; waiting for the load test to settle (at most 2 minutes after the last fault)"
load_rc=0
wait "$load_pid" || load_rc=$?
load_pid=
sed -n '/^# Load test/,$p' "$SHOP_RUN_DIR/loadtest.log"

log "invariant audit"
# The audit takes the management API's base address (it adds /api itself).
RABBITMQ_API_BASE=${RABBITMQ_API%/api}
for ((attempt = 1; ; attempt++)); do
    audit_rc=0
    dotnet "$AUDIT" --db-prefix "$SHOP_DB_PREFIX" --rabbitmq-vhost "$SHOP_VHOST" --rabbitmq-url "http://shop:shop@${RABBITMQ_API_BASE#http://}" \
        --payment-provider-url "http://127.0.0.1:$((SHOP_PORT_BASE + 5))" \
        --payment-provider-key-file "${SHOP_PROVIDER_KEY_FILE:-$PWD/.run/payment-provider.key}" >"$SHOP_RUN_DIR/audit.log" 2>&1 || audit_rc=$?
    ((audit_rc == 1 && attempt < AUDIT_ATTEMPTS)) || break
    log "audit found violations (attempt $attempt of $AUDIT_ATTEMPTS); checking again in ${AUDIT_INTERVAL}s"
    sleep "$AUDIT_INTERVAL"
done
cat "$SHOP_RUN_DIR/audit.log"
audit="$( ((audit_rc == 0)) && echo "no violation" || echo "VIOLATIONS (exit $audit_rc)")"

load="$( ((load_rc == 0)) && echo passed || echo "FAILED (exit $load_rc; see $RESULTS/summary.md)")"
recovery="$( ((${#unrecovered[@]} == 0)) && echo "every service came back" || echo "NOT RECOVERED after: ${unrecovered[*]}")"
echo "fault suite ($rounds round(s), $instances instance(s) per service, $( ((cluster_nodes > 0)) && echo "RabbitMQ cluster of $cluster_nodes" || echo "one RabbitMQ node"), $((SECONDS - started)) s): load $load; $recovery; audit $audit; logs in $SHOP_RUN_DIR"
((load_rc == 0 && audit_rc == 0 && ${#unrecovered[@]} == 0))
