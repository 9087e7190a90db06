#!/usr/bin/env bash
# Installs (if missing), configures and starts the infrastructure Shop runs on without Docker: RabbitMQ with the
# management UI and PostgreSQL, both on loopback only, with the operator shop/shop (RabbitMQ administrator, PostgreSQL
# superuser: the management UI, shop-admin, the audit and the tests), one broker user and one database role per service
# that may touch only that service's queues, messages and the rows of its database (scripts/access.sh), the databases
# shop_orders ... shop_paymentprovider each owned by its service's migration identity (shop_orders_migrator ...), and
# without RabbitMQ's guest. Idempotent: safe to run again
# while they are running. Debian/Ubuntu, as root (as a normal user it only checks that everything answers).
#
#   SHOP_INFRA_RESTART=1  restart a running server whose configuration this script had to change
#                         (otherwise it warns: other processes may be using the running server)
#   SHOP_DB_PREFIX=x_     the service databases are x_orders ... instead of shop_orders ...
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh
source scripts/access.sh

# LOCAL DEVELOPMENT DEFAULTS ONLY: both servers listen on 127.0.0.1 and nowhere else.
readonly SHOP_USER=$OPERATOR_USER SHOP_PASSWORD=$OPERATOR_PASSWORD
readonly AMQP_PORT=5672 MANAGEMENT_URL=http://127.0.0.1:15672 PG_PORT=5432
readonly STARTUP_TIMEOUT=180

restart_changed=${SHOP_INFRA_RESTART:-0}
changed=0

# ensure_file <path> <content>: writes the file when its content differs and sets changed=1.
ensure_file() {
    local path=$1 content=$2
    if [[ -f $path && "$(cat "$path")" == "$content" ]]; then
        return 0
    fi
    [[ $EUID -eq 0 ]] || die "$path needs updating; run as root"
    mkdir -p "$(dirname "$path")"
    printf '%s\n' "$content" >"$path"
    log "wrote $path"
    changed=1
}

# ensure_line <path> <line>: appends the line unless the file already has it and sets changed=1.
ensure_line() {
    local path=$1 line=$2
    if [[ -f $path ]] && grep -qxF -- "$line" "$path"; then
        return 0
    fi
    [[ $EUID -eq 0 ]] || die "$path needs updating; run as root"
    mkdir -p "$(dirname "$path")"
    printf '%s\n' "$line" >>"$path"
    log "added to $path: $line"
    changed=1
}

rabbitmq_answers() {
    tcp_open 127.0.0.1 "$AMQP_PORT" && http_ok "$MANAGEMENT_URL/api/overview" -u "$SHOP_USER:$SHOP_PASSWORD"
}

postgres_answers() {
    pg_isready -q -h 127.0.0.1 -p "$PG_PORT" &&
        [[ "$(PGPASSWORD=$SHOP_PASSWORD psql -h 127.0.0.1 -p "$PG_PORT" -U "$SHOP_USER" -d postgres -XAtqc \
            'SELECT rolsuper FROM pg_roles WHERE rolname = current_user' 2>/dev/null)" == t ]]
}

# --- packages ---------------------------------------------------------------------------------------------------
fresh_install=0
dpkg-query -W -f='${Status}' rabbitmq-server 2>/dev/null | grep -q 'install ok installed' || fresh_install=1
ensure_packages rabbitmq-server postgresql curl openssl # openssl: local keys and tokens (dev-keys.sh, dev-token.sh, local-up.sh)
# A broker the package just started on its defaults may be restarted on ours: nobody else is using it yet.
((fresh_install)) && restart_changed=1

# --- RabbitMQ ---------------------------------------------------------------------------------------------------
ensure_file /etc/rabbitmq/conf.d/90-shop.conf "# Shop: loopback only (written by scripts/infra-up.sh)
listeners.tcp.default = 127.0.0.1:$AMQP_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = 15672"
ensure_line /etc/rabbitmq/rabbitmq-env.conf 'ERL_EPMD_ADDRESS=127.0.0.1'
ensure_line /etc/rabbitmq/rabbitmq-env.conf 'SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"'
# The same, and Erlang's schedulers not spinning while idle: on a machine the broker shares with the services, their
# busy-wait is CPU the services need (docs/performance.md). The later line wins; it applies at the next restart.
ensure_line /etc/rabbitmq/rabbitmq-env.conf 'SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1} +sbwt none +sbwtdcpu none +sbwtdio none"'
if ! grep -qs rabbitmq_management /etc/rabbitmq/enabled_plugins; then
    rabbitmq-plugins enable --offline rabbitmq_management >/dev/null
    changed=1
fi

# Started through the init script: `rabbitmq-server -detached` was seen to ignore conf.d and start no plugins.
if tcp_open 127.0.0.1 "$AMQP_PORT"; then
    if ((changed)); then
        if ((restart_changed)); then
            log "restarting RabbitMQ to apply the new configuration"
            /etc/init.d/rabbitmq-server restart >/dev/null || die "RabbitMQ did not restart; see /var/log/rabbitmq/"
        else
            log "WARNING: RabbitMQ configuration changed while it runs; it applies on the next restart" \
                "(SHOP_INFRA_RESTART=1 bash scripts/infra-up.sh, or scripts/local-down.sh --all first)"
        fi
    fi
else
    [[ $EUID -eq 0 ]] || die "RabbitMQ is not running; run as root to start it"
    log "starting RabbitMQ"
    /etc/init.d/rabbitmq-server start >/dev/null || die "RabbitMQ did not start; see /var/log/rabbitmq/"
fi
wait_for "$STARTUP_TIMEOUT" "RabbitMQ on 127.0.0.1:$AMQP_PORT" tcp_open 127.0.0.1 "$AMQP_PORT"

if ! http_ok "$MANAGEMENT_URL/api/overview" -u "$SHOP_USER:$SHOP_PASSWORD"; then
    [[ $EUID -eq 0 ]] || die "RabbitMQ user $SHOP_USER is missing; run as root to create it"
    if ! rabbitmqctl -q list_users | awk '{print $1}' | grep -qx "$SHOP_USER"; then
        log "creating RabbitMQ user $SHOP_USER (local development default)"
        rabbitmqctl -q add_user "$SHOP_USER" "$SHOP_PASSWORD" >/dev/null
    fi
    rabbitmqctl -q set_user_tags "$SHOP_USER" administrator >/dev/null
    rabbitmqctl -q set_permissions -p / "$SHOP_USER" '.*' '.*' '.*' >/dev/null
fi

# Retention of dead letters (message-ttl of *_error queues) is set on every virtual host the service users are granted
# on, by scripts/broker-users.sh (grant_broker_users below): SHOP_ERROR_QUEUE_TTL_DAYS, default 14.

# --- PostgreSQL -------------------------------------------------------------------------------------------------
pg_version=${SHOP_PG_VERSION:-$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)}
[[ -n $pg_version ]] || die "no PostgreSQL server found under /usr/lib/postgresql"
if ! pg_lsclusters -h | awk -v v="$pg_version" '$1 == v && $2 == "main" { found = 1 } END { exit !found }'; then
    [[ $EUID -eq 0 ]] || die "PostgreSQL cluster $pg_version/main is missing; run as root to create it"
    log "creating PostgreSQL cluster $pg_version/main"
    pg_createcluster --port "$PG_PORT" "$pg_version" main >/dev/null
fi
# Five services with a connection pool each, plus tests, load and fault runs beside them: 100 connections is too few.
readonly PG_MAX_CONNECTIONS=400
# pg_stat_statements: bench/Shop.LoadTest counts the statements each service's database runs per order.
ensure_file "/etc/postgresql/$pg_version/main/conf.d/90-shop.conf" "# Shop: loopback only, room for every pool, statement counts (written by scripts/infra-up.sh)
listen_addresses = 'localhost'
max_connections = $PG_MAX_CONNECTIONS
shared_preload_libraries = 'pg_stat_statements'"

if pg_lsclusters -h | awk -v v="$pg_version" '$1 == v && $2 == "main" && $4 ~ /online/ { found = 1 } END { exit !found }'; then
    # As the shop role (no root needed) or, before that role exists, as postgres (root only).
    settings_sql="SELECT current_setting('listen_addresses') || ' ' || current_setting('max_connections') || ' ' || current_setting('shared_preload_libraries')"
    live=$(PGPASSWORD=$SHOP_PASSWORD psql -h 127.0.0.1 -p "$PG_PORT" -U "$SHOP_USER" -d postgres -XAtqc "$settings_sql" 2>/dev/null) ||
        live=$( ((EUID == 0)) && runuser -u postgres -- psql -p "$PG_PORT" -XAtqc "$settings_sql") || live=unknown
    if [[ $live != unknown && $live != "localhost $PG_MAX_CONNECTIONS pg_stat_statements" ]]; then
        if ((restart_changed)); then
            log "restarting PostgreSQL to apply the new configuration"
            pg_ctlcluster "$pg_version" main restart
        else
            log "WARNING: PostgreSQL runs with listen_addresses/max_connections/shared_preload_libraries '$live', not" \
                "'localhost $PG_MAX_CONNECTIONS pg_stat_statements';" \
                "ours applies on the next restart (SHOP_INFRA_RESTART=1 bash scripts/infra-up.sh)"
        fi
    fi
else
    [[ $EUID -eq 0 ]] || die "PostgreSQL is not running; run as root to start it"
    log "starting PostgreSQL $pg_version/main"
    pg_ctlcluster "$pg_version" main start
fi
wait_for "$STARTUP_TIMEOUT" "PostgreSQL on 127.0.0.1:$PG_PORT" pg_isready -q -h 127.0.0.1 -p "$PG_PORT"

if ! postgres_answers; then
    [[ $EUID -eq 0 ]] || die "PostgreSQL role $SHOP_USER is missing; run as root to create it"
    if [[ "$(runuser -u postgres -- psql -p "$PG_PORT" -XAtqc "SELECT 1 FROM pg_roles WHERE rolname = '$SHOP_USER'")" != 1 ]]; then
        log "creating PostgreSQL role $SHOP_USER (local development default)"
        runuser -u postgres -- psql -p "$PG_PORT" -Xqc "CREATE ROLE $SHOP_USER LOGIN SUPERUSER PASSWORD '$SHOP_PASSWORD'"
    fi
fi

# --- both answer ------------------------------------------------------------------------------------------------
wait_for "$STARTUP_TIMEOUT" "RabbitMQ (AMQP + management API as $SHOP_USER)" rabbitmq_answers
wait_for "$STARTUP_TIMEOUT" "PostgreSQL (login as $SHOP_USER)" postgres_answers

# --- least privilege: one user per service, no guest ---------------------------------------------------------------
grant_broker_users /
declare_broker_queues /
remove_guest
ensure_database_roles
ensure_service_databases "${SHOP_DB_PREFIX:-shop_}"
log "RabbitMQ amqp://127.0.0.1:$AMQP_PORT (UI $MANAGEMENT_URL) and PostgreSQL 127.0.0.1:$PG_PORT are up; operator $SHOP_USER/$SHOP_PASSWORD," \
    "service users ${SERVICE_ROLES[*]} and their migration identities <user>_migrator (password <user>-local-dev)"
