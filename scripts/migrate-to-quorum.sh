#!/usr/bin/env bash
# Moves an existing deployment's classic endpoint queues to quorum queues, keeping every message and binding. A queue's
# type cannot change in place (x-queue-type differs: PRECONDITION_FAILED), so for each classic queue Q, with Q's
# consumers stopped (the service's instances down; the script refuses while Q has consumers):
#   1. declare Q.migrating (quorum) with Q's bindings, then remove Q's bindings: new messages wait there;
#   2. drain: a shovel moves Q's messages into Q.migrating (ack after confirm), until Q is empty;
#   3. delete Q, declare it again as a quorum queue with its bindings; remove Q.migrating's bindings;
#   4. a shovel moves Q.migrating back into Q; Q.migrating is deleted once empty.
# Each message is in one queue or on its way between two with confirms (at least once: the receivers' inboxes drop a
# copy). Then start the services with RabbitMq__QuorumQueues=true. Needs curl and jq (installed when missing, as root)
# and the shovel plugin (scripts/rabbitmq-cluster.sh enables it). docs/scaling.md#moving-a-classic-deployment.
#
#   bash scripts/migrate-to-quorum.sh [--api http://127.0.0.1:15680/api] [--vhost /] [--dry-run] [queue ...]
#
# Without queue names: every endpoint queue of scripts/broker-permissions.tsv and its _error/_skipped queue, that exists
# and is classic. Operator credentials: BROKER_OPERATOR (default shop:shop, the local development operator).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

api_url=http://127.0.0.1:${SHOP_CLUSTER_API_PORT:-15680}/api vhost=/ dry_run=0 queues=()
while (($#)); do
    case $1 in
        --api) api_url=$2; shift 2 ;;
        --vhost) vhost=$2; shift 2 ;;
        --dry-run) dry_run=1; shift ;;
        -*) die "usage: scripts/migrate-to-quorum.sh [--api URL] [--vhost VHOST] [--dry-run] [queue ...]" ;;
        *) queues+=("$1"); shift ;;
    esac
done
readonly OPERATOR=${BROKER_OPERATOR:-shop:shop}
command -v jq >/dev/null || ensure_packages jq
encode() { jq -rn --arg v "$1" '$v|@uri'; }
readonly VHOST_PATH=$(encode "$vhost")

api() { # api <method> <path> [json]: the body of the answer on stdout, fails on any non-2xx
    curl -fsS -u "$OPERATOR" -X "$1" -H 'content-type: application/json' ${3:+-d "$3"} "$api_url/$2"
}
queue_field() { api GET "queues/$VHOST_PATH/$(encode "$1")" 2>/dev/null | jq -r "$2"; }
queue_exists() { curl -fs -o /dev/null -u "$OPERATOR" "$api_url/queues/$VHOST_PATH/$(encode "$1")"; }

# bindings <queue>: its bindings from exchanges (not the default exchange's), one JSON object a line.
bindings() { api GET "queues/$VHOST_PATH/$(encode "$1")/bindings" | jq -c '.[] | select(.source != "")'; }

bind_all() { # bind_all <queue> <bindings>
    local queue=$1 binding
    while IFS= read -r binding; do
        [[ -n $binding ]] || continue
        api POST "bindings/$VHOST_PATH/e/$(encode "$(jq -r .source <<<"$binding")")/q/$(encode "$queue")" \
            "$(jq -c '{routing_key, arguments}' <<<"$binding")" >/dev/null
    done <<<"$2"
}
unbind_all() { # unbind_all <queue>
    local queue=$1 binding
    while IFS= read -r binding; do
        [[ -n $binding ]] || continue
        api DELETE "bindings/$VHOST_PATH/e/$(encode "$(jq -r .source <<<"$binding")")/q/$(encode "$queue")/$(encode "$(jq -r .properties_key <<<"$binding")")" >/dev/null
    done <<<"$(bindings "$queue")"
}

declare_quorum() { api PUT "queues/$VHOST_PATH/$(encode "$1")" '{"durable":true,"auto_delete":false,"arguments":{"x-queue-type":"quorum"}}' >/dev/null; }

# shovel <from> <to>: moves every message now in <from> into <to> (confirmed before acked), waits until it is done.
shovel() {
    local from=$1 to=$2 name="shop-migrate-$1"
    # Even when the figures say empty: they lag, and the shovel of an empty queue ends at once.
    log "moving the messages of $from into $to"
    api PUT "parameters/shovel/$VHOST_PATH/$(encode "$name")" "$(jq -cn --arg from "$from" --arg to "$to" --arg uri "amqp:///$(encode "$vhost")" \
        '{value: {"src-protocol": "amqp091", "src-uri": $uri, "src-queue": $from, "src-delete-after": "queue-length",
                  "dest-protocol": "amqp091", "dest-uri": $uri, "dest-queue": $to, "ack-mode": "on-confirm"}}')" >/dev/null
    # The shovel deletes itself once it moved the messages it found at its start.
    wait_for 600 "the shovel $from -> $to" bash -c "! curl -fs -o /dev/null -u '$OPERATOR' '$api_url/parameters/shovel/$VHOST_PATH/$(encode "$name")'" ||
        die "the shovel $name did not finish; see the management UI (Admin > Shovel Status)"
    wait_for 30 "$from to be empty" queue_empty "$from" || die "$from still holds messages after the shovel"
}

# queue_empty <queue>: asks the queue itself (a get that puts the message back), not the statistics, which lag.
queue_empty() {
    [[ $(api POST "queues/$VHOST_PATH/$(encode "$1")/get" '{"count":1,"ackmode":"reject_requeue_true","encoding":"auto"}' | jq length) == 0 ]]
}

migrate() {
    local queue=$1 temporary="$1.migrating" saved type consumers
    type=$(queue_field "$queue" '.type')
    [[ $type == classic ]] || { log "$queue is already $type"; return 0; }
    consumers=$(queue_field "$queue" '.consumers // 0')
    ((consumers == 0)) || die "$queue has $consumers consumer(s): stop the service's instances first"
    saved=$(bindings "$queue")
    if ((dry_run)); then
        log "would move $queue ($(queue_field "$queue" '.messages // 0') messages, $(grep -c . <<<"$saved") binding(s)) to a quorum queue"
        return 0
    fi
    log "migrating $queue to a quorum queue"
    declare_quorum "$temporary"
    bind_all "$temporary" "$saved"
    unbind_all "$queue"
    shovel "$queue" "$temporary"
    api DELETE "queues/$VHOST_PATH/$(encode "$queue")?if-empty=true" >/dev/null || die "could not delete $queue (not empty?)"
    declare_quorum "$queue"
    bind_all "$queue" "$saved"
    unbind_all "$temporary"
    shovel "$temporary" "$queue"
    # Quorum queues take no if-empty: queue_empty (above) checked it.
    queue_empty "$temporary" && api DELETE "queues/$VHOST_PATH/$(encode "$temporary")" >/dev/null || die "could not delete $temporary (not empty?)"
    log "$queue is a quorum queue now"
}

if ((${#queues[@]} == 0)); then
    while IFS= read -r endpoint; do
        for queue in "$endpoint" "${endpoint}_error" "${endpoint}_skipped"; do
            queue_exists "$queue" && queues+=("$queue")
        done
    done < <(awk -F'\t' '!/^#/ && NF > 1 { print $2 }' scripts/broker-permissions.tsv | sed -n 's/^^((\([^)]*\))(_error.*/\1/p' | tr '|' '\n')
fi
((${#queues[@]})) || die "no queue to migrate on virtual host $vhost"
for queue in "${queues[@]}"; do migrate "$queue"; done
log "done: ${#queues[@]} queue(s) checked on virtual host $vhost; start the services with RabbitMq__QuorumQueues=true"
