#!/usr/bin/env bash
# Stops the services scripts/local-up.sh started (and the proxy of --instances). With --all, stops RabbitMQ (the RabbitMQ
# cluster of --rabbitmq-cluster too) and PostgreSQL.
# SHOP_RUN_DIR: the run directory local-up.sh used (default .run/).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

case "${1:-}" in
    "") all=0 ;;
    --all) all=1 ;;
    *) die "usage: scripts/local-down.sh [--all]" ;;
esac

for pidfile in "${SHOP_RUN_DIR:-.run}"/*.pid; do
    [[ -f $pidfile ]] || continue
    service=$(basename "$pidfile" .pid)
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
        log "stopping $service (pid $pid)"
        kill -TERM "$pid"
        if ! wait_for 20 "$service to stop" bash -c "! kill -0 $pid"; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$pidfile"
done

if ((all)); then
    [[ $EUID -eq 0 ]] || die "--all stops the servers: run as root"
    log "stopping RabbitMQ and PostgreSQL"
    [[ -f ${SHOP_CLUSTER_DIR:-/var/lib/rabbitmq/shop-cluster}/nodes ]] && bash scripts/rabbitmq-cluster.sh down
    /etc/init.d/rabbitmq-server stop >/dev/null
    for directory in /usr/lib/postgresql/*/; do
        version=$(basename "$directory")
        if pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" && $4 ~ /online/ { found = 1 } END { exit !found }'; then
            pg_ctlcluster "$version" main stop
        fi
    done
fi
