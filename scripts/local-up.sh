#!/usr/bin/env bash
# Runs Shop on this machine without Docker: RabbitMQ + PostgreSQL (scripts/infra-up.sh), then the Identity service
# (the OpenID Connect provider every service checks tokens with) on 127.0.0.1:8088, first and ready before the rest,
# the payment-provider simulator on 127.0.0.1:8085 ("the outside world": its own process and database) and the five
# services in the background on 127.0.0.1:8080-8084 with the PostgreSQL provider. Starts only what is not already running, and returns
# once every /health/ready answers 200. Logs and pids: .run/<service>.log, .run/<service>.pid. Stop: scripts/local-down.sh
# Each service runs in Production as its own broker user and database role (scripts/access.sh), never as the operator,
# after its database was migrated by the service's build run once with --migrate as the database's migration identity.
#
#   bash scripts/local-up.sh                     # the simulator and all five services
#   bash scripts/local-up.sh Orders Payments     # only these (PaymentProvider names the simulator, Identity the provider)
#
# A second, isolated stack beside a developer's (scripts/fault-suite.sh runs one) takes these overrides:
#   SHOP_PORT_BASE=8180     ports 8180-8185 and 8188 instead of 8080-8085 and 8088
#   SHOP_RUN_DIR=/tmp/x     logs and pids there instead of .run/
#   SHOP_DB_PREFIX=shopf_   databases shopf_orders ... shopf_paymentprovider instead of shop_orders ... (each owned by its
#                           service's migration identity)
#   SHOP_VHOST=shop-fault   RabbitMQ virtual host (created if missing, the service users granted on it) instead of /
#   SHOP_SKIP_BUILD=1       start the last Release build as it is (restarts)
#
# Bearer tokens: every service checks them through the Identity service (Auth__Authority, issuer
# http://127.0.0.1:<port base + 8>/), whose keys, client secrets and user passwords scripts/dev-keys.sh generates once
# per machine into .run/identity (SHOP_IDENTITY_DIR elsewhere; never committed); `bash scripts/dev-token.sh --customer
# <id>` / `--operator` asks it for one. Any Orders__RateLimits__... (or other setting) in the environment reaches the services.
#   SHOP_KEYS_DIR=/tmp/k    message-signing keys there instead of .run/keys (scripts/dev-keys.sh writes missing ones)
#   SHOP_PROVIDER_KEY_FILE=/tmp/p.key  the payment provider's API key there instead of .run/payment-provider.key
#
# Beyond one box (docs/scaling.md): both flags, or SHOP_RABBITMQ_CLUSTER / SHOP_INSTANCES, combine with the above.
#   --rabbitmq-cluster 3   the services use a cluster of 3 RabbitMQ nodes (scripts/rabbitmq-cluster.sh) through its
#                          HAProxy on 127.0.0.1:5680, with quorum endpoint queues (RabbitMq__QuorumQueues=true)
#   --instances 2          2 processes of each service (the simulator and Identity stay single) on port + 1000 * i
#                          (Orders: 9080, 10080), behind HAProxy on the usual ports with active health checks on
#                          /health/ready; pids/logs <service>-<i>.pid/.log, the proxy's haproxy.pid/.cfg
#   --rolling-restart      restarts each running service's instances one at a time (drained at the proxy first, back
#                          in once ready), then returns; with the same --instances as the running stack
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh
source scripts/access.sh

readonly PORT_BASE=${SHOP_PORT_BASE:-8080}
readonly PROVIDER_URL=http://127.0.0.1:$((PORT_BASE + 5))
readonly ALL_SERVICES=("Identity:$((PORT_BASE + 8))" "PaymentProvider:$((PORT_BASE + 5))" "Orders:$PORT_BASE" "Payments:$((PORT_BASE + 1))"
    "Inventory:$((PORT_BASE + 2))" "Shipping:$((PORT_BASE + 3))" "Notifications:$((PORT_BASE + 4))"
    "Analytics:$((PORT_BASE + 6))" "Console:$((PORT_BASE + 7))")
readonly RUN_DIR=${SHOP_RUN_DIR:-$PWD/.run}
readonly DB_PREFIX=${SHOP_DB_PREFIX:-shop_}
readonly VHOST=${SHOP_VHOST:-/}
readonly READY_TIMEOUT=${SHOP_READY_TIMEOUT:-120}
readonly KEYS_DIR=${SHOP_KEYS_DIR:-$PWD/.run/keys}
readonly IDENTITY_DIR=${SHOP_IDENTITY_DIR:-$PWD/.run/identity}
# The one issuer every token names (trailing slash included): the services compare it exactly.
readonly AUTHORITY=http://127.0.0.1:$((PORT_BASE + 8))/
readonly PROVIDER_KEY_FILE=${SHOP_PROVIDER_KEY_FILE:-$PWD/.run/payment-provider.key}
readonly PAYMENT_TOKEN_KEYS_DIR=${SHOP_PAYMENT_TOKEN_KEYS_DIR:-$PWD/.run/payment-token-keys}

# project_dir <service>: where its project lives (the simulator is not one of our services).
project_dir() { [[ $1 == PaymentProvider ]] && echo Simulators/PaymentProvider || echo "$1"; }

running() {
    local pidfile=$RUN_DIR/${1,,}.pid
    [[ -f $pidfile ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

fail() {
    local service=$1 message=$2
    log "$service $message; last lines of $RUN_DIR/${service,,}.log:"
    tail -n 40 "$RUN_DIR/${service,,}.log" >&2 || true
    exit 1
}

INSTANCES=${SHOP_INSTANCES:-1} CLUSTER_NODES=${SHOP_RABBITMQ_CLUSTER:-0} ROLLING=0
names=()
while (($#)); do
    case $1 in
        --instances) INSTANCES=${2:?--instances needs a number}; shift 2 ;;
        --rabbitmq-cluster) CLUSTER_NODES=${2:?--rabbitmq-cluster needs a node count}; shift 2 ;;
        --rolling-restart) ROLLING=1; shift ;;
        *) names+=("$1"); shift ;;
    esac
done
set -- "${names[@]+"${names[@]}"}"
[[ $INSTANCES =~ ^[1-9]$ ]] || die "--instances must be 1..9"
[[ $CLUSTER_NODES =~ ^[0-9]$ ]] || die "--rabbitmq-cluster must be a node count (1..9)"
# Services run as several processes with --instances; the simulator (the outside world) and Identity stay single.
readonly SCALED=" Orders Payments Inventory Shipping Notifications Analytics "
RABBIT_PORT=5672 QUORUM_QUEUES=false
((CLUSTER_NODES > 0)) && RABBIT_PORT=${SHOP_CLUSTER_AMQP_PORT:-5680} QUORUM_QUEUES=true
readonly PROXY_PID=$RUN_DIR/haproxy.pid PROXY_CONFIG=$RUN_DIR/haproxy.cfg PROXY_ADMIN_PORT=$((PORT_BASE + 990))

SERVICES=("${ALL_SERVICES[@]}")
if (($#)); then
    SERVICES=()
    for name in "$@"; do
        entry=$(printf '%s\n' "${ALL_SERVICES[@]}" | grep "^$name:") || die "unknown service $name; choose from: ${ALL_SERVICES[*]%%:*}"
        SERVICES+=("$entry")
    done
fi

# units: one "<Service>:<port>:<pid/log name>" per process; fronts: "<Service>:<port>" served by the proxy.
units=() fronts=()
for entry in "${SERVICES[@]}"; do
    service=${entry%%:*} port=${entry##*:}
    if ((INSTANCES > 1)) && [[ $SCALED == *" $service "* ]]; then
        for ((i = 1; i <= INSTANCES; i++)); do units+=("$service:$((port + 1000 * i)):${service,,}-$i"); done
        fronts+=("$entry")
    else
        units+=("$service:$port:${service,,}")
    fi
done

# proxy_command <command>: HAProxy's runtime API on its loopback admin port (drain, ready).
proxy_command() { timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PROXY_ADMIN_PORT; printf '%s\\n' \"\$1\" >&3; cat <&3" _ "$1" >/dev/null; }

if ((ROLLING)); then
    ((INSTANCES > 1)) || die "--rolling-restart needs --instances N (N > 1), as the running stack was started"
    # Each instance in turn: out of the proxy's rotation, stopped (SIGTERM: in-flight work finishes), started on the
    # same build, ready, back in. The other instances serve meanwhile.
    for unit in "${units[@]}"; do
        IFS=: read -r service port key <<<"$unit"
        [[ $key == *-* ]] || continue
        log "rolling restart: $key"
        proxy_command "set server ${service,,}/$key state drain" || log "WARNING: could not drain $key at the proxy"
        sleep 2
        if [[ -f $RUN_DIR/$key.pid ]] && kill -0 "$(cat "$RUN_DIR/$key.pid")" 2>/dev/null; then
            pid=$(cat "$RUN_DIR/$key.pid")
            kill -TERM "$pid"
            wait_for 40 "$key to stop" bash -c "! kill -0 $pid" || kill -KILL "$pid" 2>/dev/null || true
        fi
        SHOP_SKIP_BUILD=1 SHOP_INSTANCES=$INSTANCES SHOP_RABBITMQ_CLUSTER=$CLUSTER_NODES bash scripts/local-up.sh "$service" >/dev/null ||
            die "$key did not come back"
        proxy_command "set server ${service,,}/$key state ready" || log "WARNING: could not put $key back at the proxy"
    done
    log "rolling restart done"
    exit 0
fi

# Also creates this stack's databases, each owned by its service's migration identity.
SHOP_DB_PREFIX=$DB_PREFIX bash scripts/infra-up.sh
if ((CLUSTER_NODES > 0)); then
    # Cheap checks first: a restart of one service (the fault suite's) must not pay for rabbitmqctl's start-up.
    cluster_api=http://127.0.0.1:${SHOP_CLUSTER_API_PORT:-15680}/api
    http_ok "$cluster_api/overview" -u "$OPERATOR_USER:$OPERATOR_PASSWORD" || bash scripts/rabbitmq-cluster.sh up --nodes "$CLUSTER_NODES"
    vhost_path=$(printf '%s' "$VHOST" | sed 's|%|%25|g; s|/|%2F|g')
    if [[ $VHOST != / ]] && ! http_ok "$cluster_api/vhosts/$vhost_path" -u "$OPERATOR_USER:$OPERATOR_PASSWORD"; then
        bash scripts/rabbitmq-cluster.sh grant "$VHOST"
    fi
fi
mkdir -p "$RUN_DIR"
SHOP_KEYS_DIR=$KEYS_DIR SHOP_IDENTITY_DIR=$IDENTITY_DIR SHOP_PROVIDER_KEY_FILE=$PROVIDER_KEY_FILE SHOP_PAYMENT_TOKEN_KEYS_DIR=$PAYMENT_TOKEN_KEYS_DIR bash scripts/dev-keys.sh
if [[ $VHOST != / ]] && ((CLUSTER_NODES == 0)); then
    if ! curl -fs -o /dev/null -u "$OPERATOR_USER:$OPERATOR_PASSWORD" -X PUT "$BROKER_API_URL/vhosts/$VHOST" ||
        ! curl -fs -o /dev/null -u "$OPERATOR_USER:$OPERATOR_PASSWORD" -X PUT -H 'content-type: application/json' \
            -d '{"configure":".*","write":".*","read":".*"}' "$BROKER_API_URL/permissions/$VHOST/$OPERATOR_USER"; then
        die "could not create RabbitMQ vhost $VHOST"
    fi
    # infra-up.sh granted the service users on / only.
    grant_broker_users "$VHOST" || die "could not grant the service users on RabbitMQ vhost $VHOST"
    declare_broker_queues "$VHOST" || die "could not declare the subscriber queues on RabbitMQ vhost $VHOST"
fi

to_start=()
for unit in "${units[@]}"; do
    IFS=: read -r service port key <<<"$unit"
    if running "$key"; then
        log "$key already running (pid $(cat "$RUN_DIR/$key.pid"))"
    elif tcp_open 127.0.0.1 "$port"; then
        die "port $port is taken by a process this script did not start; stop it or run scripts/local-down.sh"
    else
        to_start+=("$unit")
    fi
done

# One build and one migration per service, however many of its instances start.
services_to_start=()
for unit in "${to_start[@]}"; do
    service=${unit%%:*}
    [[ " ${services_to_start[*]} " == *" $service "* ]] || services_to_start+=("$service")
done

if [[ ${SHOP_SKIP_BUILD:-0} != 1 ]]; then
    for service in "${services_to_start[@]}"; do
        log "building $service"
        project=$(project_dir "$service")/Shop.$service.csproj
        dotnet build "$project" -c Release -nologo -v quiet >/dev/null || die "build of $service failed: dotnet build $project -c Release"
    done
fi

# Each database first, as its migration identity (scripts/access.sh) and by the service's own build run once with
# --migrate: a service's role may not change its schema, and the service refuses to start while a migration is pending.
for service in "${services_to_start[@]}"; do
    migrator=$(migrator_role "$(service_user "$service")")
    log "migrating $DB_PREFIX${service,,} as $migrator"
    if ! (
        cd "$(project_dir "$service")/bin/Release/net10.0"
        export ASPNETCORE_ENVIRONMENT=Production Database__Provider=Postgres \
            "ConnectionStrings__${service}Migrations=Host=127.0.0.1;Port=5432;Database=$DB_PREFIX${service,,};Username=$migrator;Password=$(service_password "$migrator");SSL Mode=Disable"
        dotnet "Shop.$service.dll" --migrate >"$RUN_DIR/${service,,}-migrate.log" 2>&1
    ); then
        log "migrating $service failed; last lines of $RUN_DIR/${service,,}-migrate.log:"
        tail -n 40 "$RUN_DIR/${service,,}-migrate.log" >&2 || true
        exit 1
    fi
done

for unit in "${to_start[@]}"; do
    IFS=: read -r service port key <<<"$unit"
    url=http://127.0.0.1:$port
    log "starting $key on $url"
    (
        cd "$(project_dir "$service")/bin/Release/net10.0"
        # Each service as its own broker user and database role (scripts/access.sh; local development passwords), in
        # Production: appsettings.Development.json is not read and nothing falls back to a default credential.
        user=$(service_user "$service") password=$(service_password "$(service_user "$service")")
        # No TLS to PostgreSQL: it protects nothing on 127.0.0.1 and cost about a fifth of each service's CPU.
        export ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS=$url \
            Database__Provider=Postgres \
            "ConnectionStrings__$service=Host=127.0.0.1;Port=5432;Database=$DB_PREFIX${service,,};Username=$user;Password=$password;SSL Mode=Disable" \
            RabbitMq__Host=127.0.0.1 RabbitMq__Port=$RABBIT_PORT RabbitMq__VirtualHost=$VHOST RabbitMq__QuorumQueues=$QUORUM_QUEUES \
            RabbitMq__Username=$user RabbitMq__Password=$password \
            PaymentProvider__BaseUrl=$PROVIDER_URL \
            Auth__Authority=$AUTHORITY Auth__RequireHttpsMetadata=false \
            Messaging__Signing__KeyDirectory=$KEYS_DIR
        # Tier-1 call counting at once (docs/performance.md): the runtime reads this knob from the environment only.
        export DOTNET_TC_CallCountingDelayMs=${DOTNET_TC_CallCountingDelayMs:-0}
        # The identity provider's keys, client secrets and passwords to the provider alone.
        [[ $service == Identity ]] && export Identity__Issuer=$AUTHORITY Identity__KeyDirectory=$IDENTITY_DIR
        # The provider's API key (scripts/dev-keys.sh) to the two that use it; the simulator, an outside party, gets none of ours.
        # The payment-token pair (scripts/dev-keys.sh): Orders seals with its public key, Payments opens with its private one.
        [[ $service == Orders || $service == Payments ]] && export PaymentTokens__KeyDirectory=$PAYMENT_TOKEN_KEYS_DIR
        if [[ $service == Payments ]]; then
            export PaymentProvider__ApiKeyFile=$PROVIDER_KEY_FILE
        elif [[ $service == PaymentProvider ]]; then
            export Provider__Merchants__shop__ApiKeyFile=$PROVIDER_KEY_FILE \
                Provider__Merchants__console__ApiKeyFile=$(dirname "$PROVIDER_KEY_FILE")/payment-provider-console.key \
                Provider__Merchants__console__ReadOnly=true
            unset Auth__Authority Messaging__Signing__KeyDirectory
        elif [[ $service == Console ]]; then
            # Read-only on the databases it shows (scripts/access.sh CONSOLE_READS), its own (shop_console: the audit) as
            # ConnectionStrings__Console above; queue depths through the management API as shop_console, which may read the
            # _error queues and write to the default exchange (re-drives: scripts/broker-users.sh). A re-drive re-verifies
            # each message with the public keys and re-signs it with the operator key, as shop-admin does on this host.
            for read in "${CONSOLE_READS[@]}"; do
                export "ConnectionStrings__${read^}=Host=127.0.0.1;Port=5432;Database=$DB_PREFIX$read;Username=$CONSOLE_READER;Password=$(service_password "$CONSOLE_READER");SSL Mode=Disable"
            done
            export RabbitMq__Username=shop_console RabbitMq__Password=$(service_password shop_console) \
                Console__RabbitMqManagement=${BROKER_API_URL%/api}/ \
                Console__PublicKeys=$KEYS_DIR Console__OperatorKey=$KEYS_DIR/operator/operator-dev.private.pem \
                Console__OrdersApi=http://127.0.0.1:$PORT_BASE/ \
                Console__PaymentProvider=http://127.0.0.1:$((PORT_BASE + 5))/ \
                Console__PaymentProviderKeyFile=$(dirname "$PROVIDER_KEY_FILE")/payment-provider-console.key
            unset Messaging__Signing__KeyDirectory
        fi
        # --urls as well: a "Urls" in appsettings.json would override ASPNETCORE_URLS.
        nohup dotnet "Shop.$service.dll" --urls "$url" >"$RUN_DIR/$key.log" 2>&1 &
        echo $! >"$RUN_DIR/$key.pid"
    )
    # Identity (first in the list) ready before the others start: they fetch its keys at their first request.
    if [[ $service == Identity ]] && ! wait_for "$READY_TIMEOUT" "Identity to be ready" http_ok "$url/health/ready"; then
        fail Identity "is not ready after ${READY_TIMEOUT}s ($url/health/ready)"
    fi
done

deadline=$((SECONDS + READY_TIMEOUT))
for unit in "${units[@]}"; do
    IFS=: read -r service port key <<<"$unit"
    until http_ok "http://127.0.0.1:$port/health/ready"; do
        running "$key" || fail "$key" "exited"
        ((SECONDS < deadline)) || fail "$key" "is not ready after ${READY_TIMEOUT}s (http://127.0.0.1:$port/health/ready)"
        sleep 1
    done
done

# The proxy in front of the instances: every service's usual port, each instance checked on /health/ready every
# second (out after 2 failures, back after 2 successes); a request whose connection fails goes to another instance
# (only then: a request that reached an instance is never sent twice).
if ((${#fronts[@]})); then
    ensure_packages haproxy
    {
        printf '%s\n' "# Shop: one address per service in front of its instances (written by scripts/local-up.sh)" global \
            "    maxconn 4096" "    stats socket ipv4@127.0.0.1:$PROXY_ADMIN_PORT level admin" defaults "    mode http" \
            "    timeout connect 2s" "    timeout client 60s" "    timeout server 60s" "    option redispatch 1" \
            "    retries 2" "    retry-on conn-failure"
        for entry in "${fronts[@]}"; do
            service=${entry%%:*} port=${entry##*:}
            printf '%s\n' "frontend ${service,,}" "    bind 127.0.0.1:$port" "    default_backend ${service,,}" \
                "backend ${service,,}" "    balance roundrobin" "    option httpchk GET /health/ready" "    http-check expect status 200"
            for ((i = 1; i <= INSTANCES; i++)); do
                printf '    server %s 127.0.0.1:%s check inter 1s fall 2 rise 2\n' "${service,,}-$i" $((port + 1000 * i))
            done
            # When no instance is ready (say, all reconnecting to the broker at once), a live one still answers what
            # it can (an order is stored with its outbox without the broker) rather than the proxy's 503.
            printf '    option allbackups\n'
            for ((i = 1; i <= INSTANCES; i++)); do
                printf '    server %s-fallback 127.0.0.1:%s backup\n' "${service,,}-$i" $((port + 1000 * i))
            done
        done
    } >"$PROXY_CONFIG"
    haproxy -c -q -f "$PROXY_CONFIG" || die "invalid $PROXY_CONFIG"
    if ! { [[ -f $PROXY_PID ]] && kill -0 "$(cat "$PROXY_PID")" 2>/dev/null; }; then
        log "starting HAProxy on ${fronts[*]#*:}"
        haproxy -D -p "$PROXY_PID" -f "$PROXY_CONFIG" || die "HAProxy did not start ($PROXY_CONFIG)"
    fi
    for entry in "${fronts[@]}"; do
        wait_for 30 "${entry%%:*} through the proxy" http_ok "http://127.0.0.1:${entry##*:}/health/ready" || die "${entry%%:*} is not ready through the proxy"
    done
fi
log "ready: ${SERVICES[*]/:/ on http://127.0.0.1:}$( ((INSTANCES > 1)) && echo " ($INSTANCES instances each behind HAProxy)")$( ((CLUSTER_NODES > 0)) && echo "; RabbitMQ cluster of $CLUSTER_NODES nodes on 127.0.0.1:$RABBIT_PORT")"
