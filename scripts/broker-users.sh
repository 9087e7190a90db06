#!/bin/sh
# Creates (or resets) every service's RabbitMQ user from scripts/broker-permissions.tsv, with no tags (no management
# UI, never administrator), grants it that file's configure/write/read patterns on one virtual host, and sets that
# virtual host's retention of dead letters (policy shop-error-retention: messages in *_error queues expire after
# SHOP_ERROR_QUEUE_TTL_DAYS, default 14, days; docs/operations.md#retention). Through the
# management API as the operator, so it needs nothing but curl: scripts/access.sh runs it on this machine, the
# broker-init container of docker-compose.yml in compose. POSIX sh (the curl image has no bash). Idempotent.
#
#   BROKER_API=http://127.0.0.1:15672/api  BROKER_OPERATOR=shop:shop  BROKER_VHOST=/  sh scripts/broker-users.sh
#
# Each user's password comes from PASSWORD_<USER> (PASSWORD_SHOP_ORDERS for shop_orders). With
# BROKER_LOCAL_DEFAULTS=1 a missing one is the LOCAL DEVELOPMENT DEFAULT <user>-local-dev; otherwise it is an error.
set -eu
here=$(dirname "$0")
permissions=${BROKER_PERMISSIONS:-$here/broker-permissions.tsv}
: "${BROKER_API:?BROKER_API is not set}" "${BROKER_OPERATOR:?BROKER_OPERATOR (user:password) is not set}"
vhost=${BROKER_VHOST:-/}
# The API names a virtual host in the path: "/" is %2F.
vhost_path=$(printf '%s' "$vhost" | sed 's|%|%25|g; s|/|%2F|g')
tab=$(printf '\t')

api() { # api <method> <path> <json>
    curl -fsS -o /dev/null -u "$BROKER_OPERATOR" -X "$1" -H 'content-type: application/json' -d "$3" "$BROKER_API/$2"
}
json_string() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }

count=0
while IFS="$tab" read -r user configure write read; do
    case $user in '' | '#'*) continue ;; esac
    variable=PASSWORD_$(printf '%s' "$user" | tr 'a-z-' 'A-Z_')
    eval "password=\${$variable:-}"
    if [ -z "$password" ]; then
        [ "${BROKER_LOCAL_DEFAULTS:-0}" = 1 ] || { echo "broker-users.sh: $variable is not set" >&2; exit 1; }
        password=$user-local-dev
    fi
    api PUT "users/$user" "{\"password\":$(json_string "$password"),\"tags\":\"\"}" ||
        { echo "broker-users.sh: could not create user $user" >&2; exit 1; }
    api PUT "permissions/$vhost_path/$user" \
        "{\"configure\":$(json_string "$configure"),\"write\":$(json_string "$write"),\"read\":$(json_string "$read")}" ||
        { echo "broker-users.sh: could not grant $user on $vhost" >&2; exit 1; }
    count=$((count + 1))
done <"$permissions"
[ "$count" -gt 0 ] || { echo "broker-users.sh: no user in $permissions" >&2; exit 1; }

# The operator console reads queue depths through the management API: tag monitoring (read-only views). On this virtual
# host it may declare nothing, read (get and acknowledge) only the _error queues, and write only to the default exchange:
# a re-drive puts a verified message back on the queue it failed on (docs/console.md#re-drive).
console_password=${PASSWORD_SHOP_CONSOLE:-}
if [ -z "$console_password" ]; then
    [ "${BROKER_LOCAL_DEFAULTS:-0}" = 1 ] || { echo "broker-users.sh: PASSWORD_SHOP_CONSOLE is not set" >&2; exit 1; }
    console_password=shop_console-local-dev
fi
api PUT "users/shop_console" "{\"password\":$(json_string "$console_password"),\"tags\":\"monitoring\"}" ||
    { echo "broker-users.sh: could not create user shop_console" >&2; exit 1; }
api PUT "permissions/$vhost_path/shop_console" '{"configure":"^$","write":"^amq\\.default$","read":"_error$"}' ||
    { echo "broker-users.sh: could not grant shop_console on $vhost" >&2; exit 1; }

# A dead letter keeps a message's whole body (personal data included): it expires unless re-driven or discarded before.
ttl_days=${SHOP_ERROR_QUEUE_TTL_DAYS:-14}
case $ttl_days in '' | *[!0-9]*) echo "broker-users.sh: SHOP_ERROR_QUEUE_TTL_DAYS must be a number of days" >&2; exit 1 ;; esac
api PUT "policies/$vhost_path/shop-error-retention" \
    "{\"pattern\":\"_error\$\",\"apply-to\":\"queues\",\"priority\":0,\"definition\":{\"message-ttl\":$((ttl_days * 86400000))}}" ||
    { echo "broker-users.sh: could not set the policy shop-error-retention on $vhost" >&2; exit 1; }
echo "broker-users.sh: $count service users granted on virtual host $vhost, dead letters kept $ttl_days days"
