#!/bin/sh
# The quorum-queue policies of a cluster (scripts/rabbitmq-cluster.sh runs it per virtual host): for every endpoint queue
# of scripts/broker-permissions.tsv (the names before `(_error|_skipped)?` in each user's configure pattern) a policy
# `shop-endpoint-<queue>` matching that queue only, never its `_error`/`_skipped` queues: a delivery limit
# (SHOP_DELIVERY_LIMIT, default 20; RabbitMQ 3.10 has none, so a message that crashes its consumer would loop forever)
# and at-least-once dead-lettering into the queue's own `<queue>_error` exchange, where MassTransit puts the messages it
# gives up on. At-least-once needs `overflow: reject-publish`, else RabbitMQ falls back to at-most-once. By policy, not
# queue arguments: MassTransit copies an endpoint's arguments onto its `_error`/`_skipped` queues, and arguments cannot
# change later (PRECONDITION_FAILED) while a policy can. The `_error` exchange and queue are declared here, as
# MassTransit declares them (quorum), so a dead letter has somewhere to go before the first fault. Idempotent.
#
#   BROKER_API=http://127.0.0.1:15681/api  BROKER_OPERATOR=shop:shop  BROKER_VHOST=/  sh scripts/broker-policies.sh
set -eu
here=$(dirname "$0")
permissions=${BROKER_PERMISSIONS:-$here/broker-permissions.tsv}
: "${BROKER_API:?BROKER_API is not set}" "${BROKER_OPERATOR:?BROKER_OPERATOR (user:password) is not set}"
vhost=${BROKER_VHOST:-/}
limit=${SHOP_DELIVERY_LIMIT:-20}
case $limit in '' | *[!0-9]*) echo "broker-policies.sh: SHOP_DELIVERY_LIMIT must be a number" >&2; exit 1 ;; esac
encode() { printf '%s' "$1" | sed 's|%|%25|g; s|/|%2F|g; s|:|%3A|g'; }
vhost_path=$(encode "$vhost")
tab=$(printf '\t')

api() { # api <method> <path> <json>
    curl -fsS -o /dev/null -u "$BROKER_OPERATOR" -X "$1" -H 'content-type: application/json' -d "$3" "$BROKER_API/$2"
}

queues=$(while IFS="$tab" read -r user configure rest; do
    case $user in '' | '#'*) continue ;; esac
    printf '%s\n' "$configure" | sed -n 's/^^((\([^)]*\))(_error.*/\1/p' | tr '|' '\n'
done <"$permissions")
[ -n "$queues" ] || { echo "broker-policies.sh: no endpoint queue found in $permissions" >&2; exit 1; }

count=0
for queue in $queues; do
    error=${queue}_error
    api PUT "exchanges/$vhost_path/$(encode "$error")" '{"type":"fanout","durable":true,"auto_delete":false,"internal":false,"arguments":{}}' ||
        { echo "broker-policies.sh: could not declare exchange $error" >&2; exit 1; }
    api PUT "queues/$vhost_path/$(encode "$error")" '{"durable":true,"auto_delete":false,"arguments":{"x-queue-type":"quorum"}}' ||
        { echo "broker-policies.sh: could not declare queue $error" >&2; exit 1; }
    api POST "bindings/$vhost_path/e/$(encode "$error")/q/$(encode "$error")" '{"routing_key":"","arguments":{}}' ||
        { echo "broker-policies.sh: could not bind $error" >&2; exit 1; }
    api PUT "policies/$vhost_path/$(encode "shop-endpoint-$queue")" \
        "{\"pattern\":\"^$queue\$\",\"apply-to\":\"queues\",\"priority\":1,\"definition\":{\"delivery-limit\":$limit,\"dead-letter-exchange\":\"$error\",\"dead-letter-strategy\":\"at-least-once\",\"overflow\":\"reject-publish\"}}" ||
        { echo "broker-policies.sh: could not set the policy of $queue" >&2; exit 1; }
    count=$((count + 1))
done
echo "broker-policies.sh: $count endpoint queues limited to $limit deliveries, dead letters at least once into <queue>_error, on virtual host $vhost"
