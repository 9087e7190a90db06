#!/usr/bin/env bash
# A RabbitMQ cluster on this machine, beside the default node (5672/15672, scripts/infra-up.sh, left untouched): N extra
# nodes of the Debian rabbitmq-server (default 3), each with its own node name, ports, config and data directories,
# loopback only, clustered, with the project's operator, service users, permissions, subscriber queues (as quorum
# queues) and broker policies, and HAProxy (Debian) in front of them on one AMQP address and one management address.
# Debian/Ubuntu, as root. Idempotent: `up` starts only what is not running. docs/scaling.md#a-rabbitmq-cluster.
#
#   bash scripts/rabbitmq-cluster.sh up [--nodes 3]   # start (and cluster) the nodes and the proxy
#   bash scripts/rabbitmq-cluster.sh status           # one line per node, 0 when every node and the proxy answer
#   bash scripts/rabbitmq-cluster.sh down [--purge]   # stop the proxy and the nodes (--purge: forget their data too)
#   bash scripts/rabbitmq-cluster.sh leader <queue> [vhost]   # the node name leading a quorum queue
#   bash scripts/rabbitmq-cluster.sh stop-node <i> | start-node <i>   # one node (the fault suite, the tests)
#
# Node i (1..N): rabbit name shop-r<i>@localhost, AMQP 127.0.0.1:568<i>, distribution 2568<i>, management 1568<i>,
# directories $SHOP_CLUSTER_DIR/r<i> (default /var/lib/rabbitmq/shop-cluster). The proxy: AMQP 127.0.0.1:5680,
# management 127.0.0.1:15680 (SHOP_CLUSTER_AMQP_PORT, SHOP_CLUSTER_API_PORT).
# Policies on each virtual host the users are granted on (also by `grant <vhost>`): per endpoint queue a delivery
# limit (SHOP_DELIVERY_LIMIT, default 20) and at-least-once dead-lettering into the queue's own `_error` exchange
# (`overflow: reject-publish`, required for at-least-once); `_error`/`_skipped` queues keep scripts/broker-users.sh's
# retention policy only.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh
source scripts/access.sh

readonly CLUSTER_DIR=${SHOP_CLUSTER_DIR:-/var/lib/rabbitmq/shop-cluster}
readonly PROXY_AMQP_PORT=${SHOP_CLUSTER_AMQP_PORT:-5680} PROXY_API_PORT=${SHOP_CLUSTER_API_PORT:-15680}
readonly DELIVERY_LIMIT=${SHOP_DELIVERY_LIMIT:-20}
readonly RABBIT_BIN=/usr/lib/rabbitmq/bin
readonly NODE_TIMEOUT=${SHOP_CLUSTER_NODE_TIMEOUT:-120}

node_name() { printf 'shop-r%s@localhost' "$1"; }
amqp_port() { echo $((5680 + $1)); }
dist_port() { echo $((25680 + $1)); }
api_port() { echo $((15680 + $1)); }
node_dir() { printf '%s/r%s' "$CLUSTER_DIR" "$1"; }
ctl() { local i=$1; shift; rabbitmqctl -q -n "$(node_name "$i")" "$@"; }

# The node count of the running cluster (what `up` wrote), else the requested one.
nodes=${SHOP_CLUSTER_NODES:-$(cat "$CLUSTER_DIR/nodes" 2>/dev/null || echo 3)}

node_answers() { tcp_open 127.0.0.1 "$(amqp_port "$1")" && http_ok "http://127.0.0.1:$(api_port "$1")/api/overview" -u "$OPERATOR_USER:$OPERATOR_PASSWORD"; }
node_booted() { ctl "$1" await_startup --timeout 5 >/dev/null 2>&1; }
proxy_answers() { tcp_open 127.0.0.1 "$PROXY_AMQP_PORT" && http_ok "http://127.0.0.1:$PROXY_API_PORT/api/overview" -u "$OPERATOR_USER:$OPERATOR_PASSWORD"; }

# write_node_config <i>: the node's own conf.d directory (RABBITMQ_CONFIG_FILES), so /etc/rabbitmq/conf.d (the default
# node's ports) is never read by it, and its plugins (the UI for the API; the shovel for scripts/migrate-to-quorum.sh).
write_node_config() {
    local i=$1 dir
    dir=$(node_dir "$i")
    mkdir -p "$dir/conf.d" "$dir/log" "$dir/mnesia"
    cat >"$dir/conf.d/10-node.conf" <<EOF
# Shop cluster node $i (written by scripts/rabbitmq-cluster.sh): loopback only
listeners.tcp.default = 127.0.0.1:$(amqp_port "$i")
management.tcp.ip = 127.0.0.1
management.tcp.port = $(api_port "$i")
# Three nodes share this machine: each may use a third of the usual share of memory.
vm_memory_high_watermark.relative = 0.15
disk_free_limit.absolute = 256MB
# Quorum queues' WAL: smaller than the 512 MiB default, three nodes write to one disk.
raft.wal_max_size_bytes = 67108864
EOF
    echo '[rabbitmq_management,rabbitmq_shovel,rabbitmq_shovel_management].' >"$dir/enabled_plugins"
    chown -R rabbitmq:rabbitmq "$dir"
}

start_node() {
    local i=$1 dir
    dir=$(node_dir "$i")
    if node_booted "$i"; then return 0; fi
    write_node_config "$i"
    log "starting RabbitMQ node $(node_name "$i") (AMQP 127.0.0.1:$(amqp_port "$i"), UI $(api_port "$i"))"
    # As the rabbitmq user: every node and rabbitmqctl share its Erlang cookie. The init script's file-handle limit,
    # not the shell's (the plain wrapper as root was seen capped at ~900). In a session of its own (setsid): a signal to
    # the caller's process group (a `timeout` around the fault suite or a test run) must not kill the node.
    (
        ulimit -n 65536 2>/dev/null || true
        cd /var/lib/rabbitmq
        exec setsid runuser -u rabbitmq -- env HOME=/var/lib/rabbitmq \
            RABBITMQ_NODENAME="$(node_name "$i")" RABBITMQ_NODE_PORT="$(amqp_port "$i")" RABBITMQ_DIST_PORT="$(dist_port "$i")" \
            RABBITMQ_CONFIG_FILES="$dir/conf.d" RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" \
            RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_MNESIA_BASE="$dir/mnesia" \
            RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_PID_FILE="$dir/pid" ERL_EPMD_ADDRESS=127.0.0.1 \
            nohup "$RABBIT_BIN/rabbitmq-server" >"$dir/log/stdout.log" 2>&1
    ) &
    disown
}

wait_node() {
    local i=$1
    wait_for "$NODE_TIMEOUT" "node $(node_name "$i") to boot" node_booted "$i" ||
        { tail -n 30 "$(node_dir "$i")/log/stdout.log" >&2 || true; return 1; }
}

stop_node() {
    local i=$1
    node_booted "$i" || return 0
    log "stopping RabbitMQ node $(node_name "$i")"
    ctl "$i" stop >/dev/null 2>&1 || true
    wait_for 60 "node $(node_name "$i") to stop" bash -c "! timeout 2 bash -c 'exec 3<>/dev/tcp/127.0.0.1/$(amqp_port "$i")'"
}

clustered_with_first() {
    local i=$1
    ctl 1 cluster_status --formatter json 2>/dev/null | grep -q "\"$(node_name "$i")\""
}

join_node() {
    local i=$1
    clustered_with_first "$i" && return 0
    log "joining $(node_name "$i") to $(node_name 1)"
    ctl "$i" stop_app >/dev/null 2>&1
    ctl "$i" reset >/dev/null
    ctl "$i" join_cluster "$(node_name 1)" >/dev/null
    ctl "$i" start_app >/dev/null 2>&1
}

# grant <vhost>: the vhost, the operator, every service user and the retention policy (scripts/broker-users.sh), the
# subscriber queues as quorum queues (scripts/broker-queues.sh), and the dead-lettering policies.
grant() {
    local vhost=$1 api="http://127.0.0.1:$(api_port 1)/api" vhost_path
    vhost_path=$(printf '%s' "$vhost" | sed 's|%|%25|g; s|/|%2F|g')
    curl -fsS -o /dev/null -u "$OPERATOR_USER:$OPERATOR_PASSWORD" -X PUT "$api/vhosts/$vhost_path" || die "could not create vhost $vhost"
    curl -fsS -o /dev/null -u "$OPERATOR_USER:$OPERATOR_PASSWORD" -X PUT -H 'content-type: application/json' \
        -d '{"configure":".*","write":".*","read":".*"}' "$api/permissions/$vhost_path/$OPERATOR_USER" || die "could not grant $OPERATOR_USER on $vhost"
    BROKER_API=$api BROKER_OPERATOR=$OPERATOR_USER:$OPERATOR_PASSWORD BROKER_VHOST=$vhost BROKER_LOCAL_DEFAULTS=1 \
        sh scripts/broker-users.sh >/dev/null || die "could not grant the service users on $vhost"
    BROKER_API=$api BROKER_OPERATOR=$OPERATOR_USER:$OPERATOR_PASSWORD BROKER_VHOST=$vhost BROKER_QUEUE_TYPE=quorum \
        sh scripts/broker-queues.sh >/dev/null || die "could not declare the subscriber queues on $vhost"
    BROKER_API=$api BROKER_OPERATOR=$OPERATOR_USER:$OPERATOR_PASSWORD BROKER_VHOST=$vhost SHOP_DELIVERY_LIMIT=$DELIVERY_LIMIT \
        sh scripts/broker-policies.sh >/dev/null || die "could not set the quorum-queue policies on $vhost"
}

write_proxy_config() {
    local i servers_amqp='' servers_api=''
    for ((i = 1; i <= nodes; i++)); do
        servers_amqp+="    server $(node_name "$i" | cut -d@ -f1) 127.0.0.1:$(amqp_port "$i") check inter 2s fall 2 rise 2 on-marked-down shutdown-sessions"$'\n'
        servers_api+="    server $(node_name "$i" | cut -d@ -f1) 127.0.0.1:$(api_port "$i") check inter 2s fall 2 rise 2"$'\n'
    done
    cat >"$CLUSTER_DIR/haproxy.cfg" <<EOF
# Shop: one AMQP and one management address in front of the cluster (written by scripts/rabbitmq-cluster.sh).
global
    maxconn 4096
    pidfile $CLUSTER_DIR/haproxy.pid
    daemon

defaults
    mode tcp
    timeout connect 3s
    # Above the AMQP heartbeat (60 s, RabbitMQ's default, which the client accepts): an idle but healthy connection
    # is never cut by the proxy; a dead one is found by the heartbeat first.
    timeout client 3m
    timeout server 3m
    option clitcpka
    option srvtcpka
    # A connection refused by a node that just went (before the checks mark it down) is tried on another one.
    option redispatch
    retries 3

frontend amqp
    bind 127.0.0.1:$PROXY_AMQP_PORT
    default_backend rabbitmq_nodes

# Least connections: each service's instances spread over the nodes. A node marked down has its connections cut at
# once, so clients reconnect (through here, to a live node) instead of waiting for a heartbeat to miss.
backend rabbitmq_nodes
    balance leastconn
$servers_amqp
frontend management
    bind 127.0.0.1:$PROXY_API_PORT
    default_backend rabbitmq_management

backend rabbitmq_management
    balance roundrobin
$servers_api
EOF
}

start_proxy() {
    ensure_packages haproxy
    write_proxy_config
    haproxy -c -q -f "$CLUSTER_DIR/haproxy.cfg" || die "invalid $CLUSTER_DIR/haproxy.cfg"
    if [[ -f $CLUSTER_DIR/haproxy.pid ]] && kill -0 "$(cat "$CLUSTER_DIR/haproxy.pid")" 2>/dev/null; then
        # A soft reload: the new process takes over the listeners, the old one finishes its sessions.
        haproxy -f "$CLUSTER_DIR/haproxy.cfg" -sf "$(cat "$CLUSTER_DIR/haproxy.pid")"
    else
        log "starting HAProxy: AMQP 127.0.0.1:$PROXY_AMQP_PORT, management 127.0.0.1:$PROXY_API_PORT"
        haproxy -f "$CLUSTER_DIR/haproxy.cfg"
    fi
    wait_for 30 "HAProxy in front of the cluster" proxy_answers
}

stop_proxy() {
    [[ -f $CLUSTER_DIR/haproxy.pid ]] || return 0
    local pid
    pid=$(cat "$CLUSTER_DIR/haproxy.pid")
    if kill -0 "$pid" 2>/dev/null; then
        log "stopping HAProxy (pid $pid)"
        kill "$pid"
    fi
    rm -f "$CLUSTER_DIR/haproxy.pid"
}

up() {
    [[ $EUID -eq 0 ]] || die "run as root: the nodes run as the rabbitmq user"
    ensure_packages rabbitmq-server curl
    ((nodes >= 1 && nodes <= 9)) || die "--nodes must be 1..9"
    mkdir -p "$CLUSTER_DIR"
    chown rabbitmq:rabbitmq "$CLUSTER_DIR"
    echo "$nodes" >"$CLUSTER_DIR/nodes"
    local i
    # All nodes boot in parallel (20-30 s each on 2 cores), then join the first one by one.
    for ((i = 1; i <= nodes; i++)); do start_node "$i"; done
    for ((i = 1; i <= nodes; i++)); do wait_node "$i" || die "node $(node_name "$i") did not boot; see $(node_dir "$i")/log"; done
    for ((i = 2; i <= nodes; i++)); do join_node "$i"; done
    if ! ctl 1 list_users 2>/dev/null | awk '{print $1}' | grep -qx "$OPERATOR_USER"; then
        log "creating RabbitMQ user $OPERATOR_USER on the cluster (local development default)"
        ctl 1 add_user "$OPERATOR_USER" "$OPERATOR_PASSWORD" >/dev/null
    fi
    ctl 1 set_user_tags "$OPERATOR_USER" administrator >/dev/null
    ctl 1 set_permissions -p / "$OPERATOR_USER" '.*' '.*' '.*' >/dev/null
    ctl 1 delete_user guest >/dev/null 2>&1 || true
    for ((i = 1; i <= nodes; i++)); do wait_for 60 "node $i's management API" node_answers "$i"; done
    grant /
    start_proxy
    log "RabbitMQ cluster of $nodes node(s) up: amqp://127.0.0.1:$PROXY_AMQP_PORT (UI http://127.0.0.1:$PROXY_API_PORT), operator $OPERATOR_USER"
}

status() {
    local i rc=0 running
    # Asked of the first node that answers: status reports a node down instead of failing with it.
    running=$(for ((i = 1; i <= nodes; i++)); do ctl "$i" cluster_status --formatter json 2>/dev/null && break; done |
        tr -d ' \n' | sed -n 's/.*"running_nodes":\[\([^]]*\)\].*/\1/p' || true)
    for ((i = 1; i <= nodes; i++)); do
        if node_answers "$i"; then
            echo "$(node_name "$i") up AMQP 127.0.0.1:$(amqp_port "$i") UI $(api_port "$i")"
        else
            echo "$(node_name "$i") DOWN"
            rc=1
        fi
    done
    echo "running cluster members: ${running:-none}"
    if proxy_answers; then echo "proxy up AMQP 127.0.0.1:$PROXY_AMQP_PORT UI $PROXY_API_PORT"; else echo "proxy DOWN"; rc=1; fi
    return "$rc"
}

down() {
    local purge=${1:-0} i
    stop_proxy
    for ((i = nodes; i >= 1; i--)); do stop_node "$i"; done
    if ((purge)); then
        log "forgetting the cluster's data ($CLUSTER_DIR)"
        rm -rf "$CLUSTER_DIR"
    fi
}

# leader <queue> [vhost]: the node leading a quorum queue (empty if it has none).
leader() {
    local queue=$1 vhost=${2:-/} i
    for ((i = 1; i <= nodes; i++)); do
        node_answers "$i" || continue
        ctl "$i" list_queues -p "$vhost" name leader --formatter json 2>/dev/null |
            tr -d ' \n' | grep -o "{\"name\":\"$queue\",\"leader\":\"[^\"]*\"}" | sed 's/.*"leader":"\([^"]*\)"}/\1/'
        return 0
    done
}

command=${1:-}
shift || true
purge=0
while (($#)); do
    case $1 in
        --nodes) nodes=$2; shift 2 ;;
        --purge) purge=1; shift ;;
        *) break ;;
    esac
done
case $command in
    up) up ;;
    down) down "$purge" ;;
    status) status ;;
    grant) grant "${1:?usage: rabbitmq-cluster.sh grant <vhost>}" ;;
    leader) leader "${1:?usage: rabbitmq-cluster.sh leader <queue> [vhost]}" "${2:-/}" ;;
    stop-node) stop_node "${1:?usage: rabbitmq-cluster.sh stop-node <i>}" ;;
    start-node) start_node "${1:?usage: rabbitmq-cluster.sh start-node <i>}"; wait_node "$1"; wait_for 60 "node $1's management API" node_answers "$1" ;;
    *) die "usage: scripts/rabbitmq-cluster.sh up [--nodes N] | down [--purge] | status | grant <vhost> | leader <queue> [vhost] | stop-node <i> | start-node <i>" ;;
esac
