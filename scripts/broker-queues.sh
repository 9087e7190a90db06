#!/bin/sh
# Declares the subscriber queues of scripts/broker-queues.tsv on one virtual host, with their bindings, through the
# management API as the operator, so they exist before any service publishes (docs/analytics.md#its-queue-exists-from-deployment).
# POSIX sh, needs only curl: scripts/infra-up.sh and local-up.sh run it here, the broker-init container of
# docker-compose.yml in compose. Idempotent: declaring again what exists changes nothing.
#
#   BROKER_API=http://127.0.0.1:15672/api  BROKER_OPERATOR=shop:shop  BROKER_VHOST=/  sh scripts/broker-queues.sh
#
# BROKER_QUEUE_TYPE=quorum declares them as quorum queues, as the services declare their endpoint queues in cluster mode
# (RabbitMq:QuorumQueues=true, scripts/rabbitmq-cluster.sh): a queue's type is fixed when it is first declared.
set -eu
here=$(dirname "$0")
queues=${BROKER_QUEUES:-$here/broker-queues.tsv}
: "${BROKER_API:?BROKER_API is not set}" "${BROKER_OPERATOR:?BROKER_OPERATOR (user:password) is not set}"
vhost=${BROKER_VHOST:-/}
# The API names a virtual host, queue and exchange in the path: "/" is %2F, ":" %3A.
encode() { printf '%s' "$1" | sed 's|%|%25|g; s|/|%2F|g; s|:|%3A|g'; }
vhost_path=$(encode "$vhost")
tab=$(printf '\t')
case ${BROKER_QUEUE_TYPE:-classic} in
    classic) queue_arguments='{}' ;;
    quorum) queue_arguments='{"x-queue-type":"quorum"}' ;;
    *) echo "broker-queues.sh: BROKER_QUEUE_TYPE must be classic or quorum" >&2; exit 1 ;;
esac

api() { # api <method> <path> <json>
    curl -fsS -o /dev/null -u "$BROKER_OPERATOR" -X "$1" -H 'content-type: application/json' -d "$3" "$BROKER_API/$2"
}
# What MassTransit declares: durable, not auto-deleted, no arguments.
exchange() { api PUT "exchanges/$vhost_path/$(encode "$1")" '{"type":"fanout","durable":true,"auto_delete":false,"internal":false,"arguments":{}}'; }

count=0
while IFS="$tab" read -r queue exchanges; do
    case $queue in '' | '#'*) continue ;; esac
    api PUT "queues/$vhost_path/$(encode "$queue")" '{"durable":true,"auto_delete":false,"arguments":'"$queue_arguments"'}' ||
        { echo "broker-queues.sh: could not declare queue $queue" >&2; exit 1; }
    exchange "$queue" || { echo "broker-queues.sh: could not declare exchange $queue" >&2; exit 1; }
    api POST "bindings/$vhost_path/e/$(encode "$queue")/q/$(encode "$queue")" '{"routing_key":"","arguments":{}}' ||
        { echo "broker-queues.sh: could not bind $queue" >&2; exit 1; }
    for message in $(printf '%s' "$exchanges" | tr ',' ' '); do
        exchange "$message" || { echo "broker-queues.sh: could not declare exchange $message" >&2; exit 1; }
        api POST "bindings/$vhost_path/e/$(encode "$message")/e/$(encode "$queue")" '{"routing_key":"","arguments":{}}' ||
            { echo "broker-queues.sh: could not bind $message to $queue" >&2; exit 1; }
    done
    count=$((count + 1))
done <"$queues"
echo "broker-queues.sh: $count subscriber queues declared on virtual host $vhost"

# Feeds by content (scripts/broker-routes.tsv): headers exchange <- message exchange, queue exchange <- headers exchange
# with the binding arguments. The feed's queue and its exchange were declared above (it is listed in broker-queues.tsv).
routes=${BROKER_ROUTES:-$here/broker-routes.tsv}
routed=0
[ -f "$routes" ] && while IFS="$tab" read -r queue message headers arguments; do
    case $queue in '' | '#'*) continue ;; esac
    json=$(printf '%s' "$arguments" | tr ',' '\n' | sed 's/"/\\"/g; s/^\([^=]*\)=\(.*\)$/"\1":"\2"/' | paste -sd, -)
    exchange "$message" || { echo "broker-queues.sh: could not declare exchange $message" >&2; exit 1; }
    api PUT "exchanges/$vhost_path/$(encode "$headers")" '{"type":"headers","durable":true,"auto_delete":false,"internal":false,"arguments":{}}' ||
        { echo "broker-queues.sh: could not declare headers exchange $headers" >&2; exit 1; }
    api POST "bindings/$vhost_path/e/$(encode "$message")/e/$(encode "$headers")" '{"routing_key":"","arguments":{}}' ||
        { echo "broker-queues.sh: could not bind $message to $headers" >&2; exit 1; }
    api POST "bindings/$vhost_path/e/$(encode "$headers")/e/$(encode "$queue")" "{\"routing_key\":\"\",\"arguments\":{$json}}" ||
        { echo "broker-queues.sh: could not bind $headers to $queue with $arguments" >&2; exit 1; }
    routed=$((routed + 1))
done <"$routes"
echo "broker-queues.sh: $routed content routes declared on virtual host $vhost"
