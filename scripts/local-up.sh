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

SERVICES=("${ALL_SERVICES[@]}")
if (($#)); then
    SERVICES=()
    for name in "$@"; do
        entry=$(printf '%s\n' "${ALL_SERVICES[@]}" | grep "^$name:") || die "unknown service $name; choose from: ${ALL_SERVICES[*]%%:*}"
        SERVICES+=("$entry")
    done
fi

# Also creates this stack's databases, each owned by its service's migration identity.
SHOP_DB_PREFIX=$DB_PREFIX bash scripts/infra-up.sh
mkdir -p "$RUN_DIR"
SHOP_KEYS_DIR=$KEYS_DIR SHOP_IDENTITY_DIR=$IDENTITY_DIR SHOP_PROVIDER_KEY_FILE=$PROVIDER_KEY_FILE SHOP_PAYMENT_TOKEN_KEYS_DIR=$PAYMENT_TOKEN_KEYS_DIR bash scripts/dev-keys.sh
if [[ $VHOST != / ]]; then
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
for entry in "${SERVICES[@]}"; do
    service=${entry%%:*} port=${entry##*:}
    if running "$service"; then
        log "$service already running (pid $(cat "$RUN_DIR/${service,,}.pid"))"
    elif tcp_open 127.0.0.1 "$port"; then
        die "port $port is taken by a process this script did not start; stop it or run scripts/local-down.sh"
    else
        to_start+=("$entry")
    fi
done

if [[ ${SHOP_SKIP_BUILD:-0} != 1 ]]; then
    for entry in "${to_start[@]}"; do
        service=${entry%%:*}
        log "building $service"
        project=$(project_dir "$service")/Shop.$service.csproj
        dotnet build "$project" -c Release -nologo -v quiet >/dev/null || die "build of $service failed: dotnet build $project -c Release"
    done
fi

# Each database first, as its migration identity (scripts/access.sh) and by the service's own build run once with
# --migrate: a service's role may not change its schema, and the service refuses to start while a migration is pending.
for entry in "${to_start[@]}"; do
    service=${entry%%:*}
    # The console has no database of its own: it reads the others' as shop_console (SELECT only).
    [[ $service == Console ]] && continue
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

for entry in "${to_start[@]}"; do
    service=${entry%%:*} port=${entry##*:}
    url=http://127.0.0.1:$port
    log "starting $service on $url"
    (
        cd "$(project_dir "$service")/bin/Release/net10.0"
        # Each service as its own broker user and database role (scripts/access.sh; local development passwords), in
        # Production: appsettings.Development.json is not read and nothing falls back to a default credential.
        user=$(service_user "$service") password=$(service_password "$(service_user "$service")")
        # No TLS to PostgreSQL: it protects nothing on 127.0.0.1 and cost about a fifth of each service's CPU.
        export ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS=$url \
            Database__Provider=Postgres \
            "ConnectionStrings__$service=Host=127.0.0.1;Port=5432;Database=$DB_PREFIX${service,,};Username=$user;Password=$password;SSL Mode=Disable" \
            RabbitMq__Host=127.0.0.1 RabbitMq__Port=5672 RabbitMq__VirtualHost=$VHOST \
            RabbitMq__Username=$user RabbitMq__Password=$password \
            PaymentProvider__BaseUrl=$PROVIDER_URL \
            Auth__Authority=$AUTHORITY Auth__RequireHttpsMetadata=false \
            Messaging__Signing__KeyDirectory=$KEYS_DIR
        # The identity provider's keys, client secrets and passwords to the provider alone.
        [[ $service == Identity ]] && export Identity__Issuer=$AUTHORITY Identity__KeyDirectory=$IDENTITY_DIR
        # The provider's API key (scripts/dev-keys.sh) to the two that use it; the simulator, an outside party, gets none of ours.
        # The payment-token pair (scripts/dev-keys.sh): Orders seals with its public key, Payments opens with its private one.
        [[ $service == Orders || $service == Payments ]] && export PaymentTokens__KeyDirectory=$PAYMENT_TOKEN_KEYS_DIR
        if [[ $service == Payments ]]; then
            export PaymentProvider__ApiKeyFile=$PROVIDER_KEY_FILE
        elif [[ $service == PaymentProvider ]]; then
            export Provider__Merchants__shop__ApiKeyFile=$PROVIDER_KEY_FILE
            unset Auth__Authority Messaging__Signing__KeyDirectory
        elif [[ $service == Console ]]; then
            # Read-only on the databases it shows (scripts/access.sh CONSOLE_READS); queue depths through the management
            # API as shop_console (tag monitoring, no queue rights: scripts/broker-users.sh). It sends no message: no signing key.
            for read in "${CONSOLE_READS[@]}"; do
                export "ConnectionStrings__${read^}=Host=127.0.0.1;Port=5432;Database=$DB_PREFIX$read;Username=$CONSOLE_READER;Password=$(service_password "$CONSOLE_READER");SSL Mode=Disable"
            done
            export RabbitMq__Username=shop_console RabbitMq__Password=$(service_password shop_console) \
                Console__RabbitMqManagement=${BROKER_API_URL%/api}/
            unset Messaging__Signing__KeyDirectory ConnectionStrings__Console
        fi
        # --urls as well: a "Urls" in appsettings.json would override ASPNETCORE_URLS.
        nohup dotnet "Shop.$service.dll" --urls "$url" >"$RUN_DIR/${service,,}.log" 2>&1 &
        echo $! >"$RUN_DIR/${service,,}.pid"
    )
    # Identity (first in the list) ready before the others start: they fetch its keys at their first request.
    if [[ $service == Identity ]] && ! wait_for "$READY_TIMEOUT" "Identity to be ready" http_ok "$url/health/ready"; then
        fail Identity "is not ready after ${READY_TIMEOUT}s ($url/health/ready)"
    fi
done

deadline=$((SECONDS + READY_TIMEOUT))
for entry in "${SERVICES[@]}"; do
    service=${entry%%:*} port=${entry##*:}
    until http_ok "http://127.0.0.1:$port/health/ready"; do
        running "$service" || fail "$service" "exited"
        ((SECONDS < deadline)) || fail "$service" "is not ready after ${READY_TIMEOUT}s (http://127.0.0.1:$port/health/ready)"
        sleep 1
    done
done
log "ready: ${SERVICES[*]/:/ on http://127.0.0.1:}"
