# shellcheck shell=bash
# Who may do what on this machine's RabbitMQ and PostgreSQL (sourced by infra-up.sh and local-up.sh, after lib.sh):
# one broker user and one database role per service, each allowed only its own queues, messages and the rows of its
# database, and a migration identity per service database (shop_<service>_migrator, owner of its schema); the
# operator `shop` (RabbitMQ administrator, PostgreSQL superuser) for the management UI, shop-admin, the audit, the
# load test and the tests' fixtures. Details: docs/operations.md#who-may-do-what.
#
# LOCAL DEVELOPMENT DEFAULTS ONLY: every password here is public; the servers listen on 127.0.0.1 only.

readonly OPERATOR_USER=shop OPERATOR_PASSWORD=shop
readonly BROKER_API_URL=http://127.0.0.1:15672/api
# The database role of each service (the simulator has no broker user: it uses no broker).
# shop_console: the console's own database (its audit of operator actions); the same role reads the others' (below).
readonly SERVICE_ROLES=(shop_orders shop_payments shop_inventory shop_shipping shop_notifications shop_paymentprovider shop_identity shop_analytics shop_console)

# service_user <Service>: its broker user and database role, e.g. Orders -> shop_orders.
service_user() { printf 'shop_%s' "${1,,}"; }
# service_password <user>: the local development default password of a service user or role.
service_password() { printf '%s-local-dev' "$1"; }

# grant_broker_users <vhost>: every service user, with the patterns of scripts/broker-permissions.tsv on <vhost>.
grant_broker_users() {
    BROKER_API=$BROKER_API_URL BROKER_OPERATOR=$OPERATOR_USER:$OPERATOR_PASSWORD BROKER_VHOST=$1 BROKER_LOCAL_DEFAULTS=1 \
        sh scripts/broker-users.sh >/dev/null
}

# declare_broker_queues <vhost>: the subscriber queues of scripts/broker-queues.tsv, declared before any service runs.
declare_broker_queues() {
    BROKER_API=$BROKER_API_URL BROKER_OPERATOR=$OPERATOR_USER:$OPERATOR_PASSWORD BROKER_VHOST=$1 \
        sh scripts/broker-queues.sh >/dev/null
}

# remove_guest: RabbitMQ's built-in administrator guest/guest goes (the service users and the operator replace it).
remove_guest() {
    local status
    status=$(curl -s -o /dev/null -w '%{http_code}' -u "$OPERATOR_USER:$OPERATOR_PASSWORD" -X DELETE "$BROKER_API_URL/users/guest")
    case $status in
        204) log "removed the RabbitMQ user guest" ;;
        404) ;;
        *) die "could not remove the RabbitMQ user guest (HTTP $status)" ;;
    esac
}

# as_operator_psql <database> <sql>: runs SQL as the operator role.
as_operator_psql() {
    PGPASSWORD=$OPERATOR_PASSWORD PGOPTIONS="-c client_min_messages=warning" \
        psql -h 127.0.0.1 -p 5432 -U "$OPERATOR_USER" -d "$1" -XAtq -v ON_ERROR_STOP=1 -c "$2"
}

# migrator_role <role>: the migration identity of a service's database, e.g. shop_orders -> shop_orders_migrator.
migrator_role() { printf '%s_migrator' "$1"; }

# ensure_database_roles: each service's runtime role and its migration identity log in with their passwords and may do
# nothing a superuser may.
ensure_database_roles() {
    local role attributes roles=()
    for role in "${SERVICE_ROLES[@]}"; do roles+=("$role" "$(migrator_role "$role")"); done
    for role in "${roles[@]}"; do
        attributes="LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '$(service_password "$role")'"
        if [[ "$(as_operator_psql postgres "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" == 1 ]]; then
            as_operator_psql postgres "ALTER ROLE $role $attributes" >/dev/null
        else
            log "creating PostgreSQL role $role (local development default password)"
            as_operator_psql postgres "CREATE ROLE $role $attributes" >/dev/null
        fi
    done
}

# ensure_service_databases <prefix>: <prefix>orders ... <prefix>paymentprovider, each owned by its service's migration
# identity, its runtime role allowed rows only, closed to every other role (scripts/service-database.sql). A database
# created earlier (owned by the runtime role) is handed over with its tables.
ensure_service_databases() {
    local prefix=$1 role migrator database
    for role in "${SERVICE_ROLES[@]}"; do
        database=$prefix${role#shop_} migrator=$(migrator_role "$role")
        if [[ "$(as_operator_psql postgres "SELECT 1 FROM pg_database WHERE datname = '$database'")" != 1 ]]; then
            log "creating PostgreSQL database $database owned by $migrator"
            as_operator_psql postgres "CREATE DATABASE $database OWNER $migrator" >/dev/null
        fi
        as_operator_psql "$database" "$(sed -e "s/__DATABASE__/$database/g" -e "s/__MIGRATOR__/$migrator/g" -e "s/__ROLE__/$role/g" \
            scripts/service-database.sql)" >/dev/null
    done
    grant_console_reader "$prefix"
}

# The operator console's database role: SELECT only, on the databases whose rows it shows (Orders' saga and timeline,
# each service's outbox backlog), never Identity's (password hashes) or the simulator's (the outside world's).
readonly CONSOLE_READER=shop_console
readonly CONSOLE_READS=(orders payments inventory shipping notifications analytics)

# grant_console_reader <prefix>: creates the role if missing and lets it read <prefix>orders ... (scripts/reader-database.sql).
grant_console_reader() {
    local prefix=$1 service attributes
    attributes="LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '$(service_password "$CONSOLE_READER")'"
    if [[ "$(as_operator_psql postgres "SELECT 1 FROM pg_roles WHERE rolname = '$CONSOLE_READER'")" == 1 ]]; then
        as_operator_psql postgres "ALTER ROLE $CONSOLE_READER $attributes" >/dev/null
    else
        log "creating PostgreSQL role $CONSOLE_READER (read-only; local development default password)"
        as_operator_psql postgres "CREATE ROLE $CONSOLE_READER $attributes" >/dev/null
    fi
    for service in "${CONSOLE_READS[@]}"; do
        as_operator_psql "$prefix$service" "$(sed -e "s/__DATABASE__/$prefix$service/g" -e "s/__MIGRATOR__/shop_${service}_migrator/g" \
            -e "s/__READER__/$CONSOLE_READER/g" scripts/reader-database.sql)" >/dev/null
    done
}
