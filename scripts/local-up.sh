#!/usr/bin/env bash
# Runs Shop on this machine without Docker: RabbitMQ + PostgreSQL (scripts/infra-up.sh), then the payment-provider
# simulator on 127.0.0.1:8085 ("the outside world": its own process and database) and the five services in the
# background on 127.0.0.1:8080-8084 with the PostgreSQL provider. Starts only what is not already running, and returns
# once every /health/ready answers 200. Logs and pids: .run/<service>.log, .run/<service>.pid. Stop: scripts/local-down.sh
# Each service runs in Production as its own broker user and database role (scripts/access.sh), never as the operator.
#
#   bash scripts/local-up.sh                     # the simulator and all five services
#   bash scripts/local-up.sh Orders Payments     # only these (PaymentProvider names the simulator)
#
# A second, isolated stack beside a developer's (scripts/fault-suite.sh runs one) takes these overrides:
#   SHOP_PORT_BASE=8180     ports 8180-8185 instead of 8080-8085
#   SHOP_RUN_DIR=/tmp/x     logs and pids there instead of .run/
#   SHOP_DB_PREFIX=shopf_   databases shopf_orders ... shopf_paymentprovider instead of shop_orders ... (each owned by its
#                           service's role)
#   SHOP_VHOST=shop-fault   RabbitMQ virtual host (created if missing, the service users granted on it) instead of /
#   SHOP_SKIP_BUILD=1       start the last Release build as it is (restarts)
#
# Bearer tokens: the services check them against a signing key generated once per machine into .run/dev-signing-key
# (SHOP_SIGNING_KEY_FILE elsewhere; never committed); `bash scripts/dev-token.sh --customer <id>` / `--operator` mints
# them. Any Orders__RateLimits__... (or other setting) in the environment reaches the services.
#   SHOP_KEYS_DIR=/tmp/k    message-signing keys there instead of .run/keys (scripts/dev-keys.sh writes missing ones)
#   SHOP_PROVIDER_KEY_FILE=/tmp/p.key  the payment provider's API key there instead of .run/payment-provider.key
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh
source scripts/access.sh

readonly PORT_BASE=${SHOP_PORT_BASE:-8080}
readonly PROVIDER_URL=http://127.0.0.1:$((PORT_BASE + 5))
readonly ALL_SERVICES=("PaymentProvider:$((PORT_BASE + 5))" "Orders:$PORT_BASE" "Payments:$((PORT_BASE + 1))"
    "Inventory:$((PORT_BASE + 2))" "Shipping:$((PORT_BASE + 3))" "Notifications:$((PORT_BASE + 4))")
readonly RUN_DIR=${SHOP_RUN_DIR:-$PWD/.run}
readonly DB_PREFIX=${SHOP_DB_PREFIX:-shop_}
readonly VHOST=${SHOP_VHOST:-/}
readonly READY_TIMEOUT=${SHOP_READY_TIMEOUT:-120}
readonly SIGNING_KEY_FILE=${SHOP_SIGNING_KEY_FILE:-$PWD/.run/dev-signing-key}
readonly KEYS_DIR=${SHOP_KEYS_DIR:-$PWD/.run/keys}
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

# Also creates this stack's databases, each owned by its service's role.
SHOP_DB_PREFIX=$DB_PREFIX bash scripts/infra-up.sh
mkdir -p "$RUN_DIR"
if [[ ! -s $SIGNING_KEY_FILE ]]; then
    log "generating the local token signing key $SIGNING_KEY_FILE"
    mkdir -p "$(dirname "$SIGNING_KEY_FILE")"
    (umask 077 && openssl rand -base64 32 >"$SIGNING_KEY_FILE")
fi
SIGNING_KEY=$(<"$SIGNING_KEY_FILE")
SHOP_KEYS_DIR=$KEYS_DIR SHOP_PROVIDER_KEY_FILE=$PROVIDER_KEY_FILE SHOP_PAYMENT_TOKEN_KEYS_DIR=$PAYMENT_TOKEN_KEYS_DIR bash scripts/dev-keys.sh
if [[ $VHOST != / ]]; then
    if ! curl -fs -o /dev/null -u "$OPERATOR_USER:$OPERATOR_PASSWORD" -X PUT "$BROKER_API_URL/vhosts/$VHOST" ||
        ! curl -fs -o /dev/null -u "$OPERATOR_USER:$OPERATOR_PASSWORD" -X PUT -H 'content-type: application/json' \
            -d '{"configure":".*","write":".*","read":".*"}' "$BROKER_API_URL/permissions/$VHOST/$OPERATOR_USER"; then
        die "could not create RabbitMQ vhost $VHOST"
    fi
    # infra-up.sh granted the service users on / only.
    grant_broker_users "$VHOST" || die "could not grant the service users on RabbitMQ vhost $VHOST"
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
            Auth__SigningKey=$SIGNING_KEY \
            Messaging__Signing__KeyDirectory=$KEYS_DIR
        # The provider's API key (scripts/dev-keys.sh) to the two that use it; the simulator, an outside party, gets none of ours.
        # The payment-token pair (scripts/dev-keys.sh): Orders seals with its public key, Payments opens with its private one.
        [[ $service == Orders || $service == Payments ]] && export PaymentTokens__KeyDirectory=$PAYMENT_TOKEN_KEYS_DIR
        if [[ $service == Payments ]]; then
            export PaymentProvider__ApiKeyFile=$PROVIDER_KEY_FILE
        elif [[ $service == PaymentProvider ]]; then
            export Provider__Merchants__shop__ApiKeyFile=$PROVIDER_KEY_FILE
            unset Auth__SigningKey Messaging__Signing__KeyDirectory
        fi
        # --urls as well: a "Urls" in appsettings.json would override ASPNETCORE_URLS.
        nohup dotnet "Shop.$service.dll" --urls "$url" >"$RUN_DIR/${service,,}.log" 2>&1 &
        echo $! >"$RUN_DIR/${service,,}.pid"
    )
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
