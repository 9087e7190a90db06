#!/usr/bin/env bash
# Writes LOCAL DEVELOPMENT message-signing keys (ECDSA P-256) for every service and the operator, once: each signer
# gets <dir>/<signer>/<key id>.private.pem and .public.pem, key id "<signer>-dev". Existing keys are kept, so running
# it again changes nothing. Services read the directory with Messaging__Signing__KeyDirectory (scripts/local-up.sh
# passes it); shop-admin re-signs re-drives with --operator-key <dir>/operator/operator-dev.private.pem.
# These keys never leave this machine: .run/ is gitignored. Real deployments supply their own (docs/security.md).
#
#   bash scripts/dev-keys.sh              # into .run/keys, readable by you only
#   bash scripts/dev-keys.sh --containers # also readable by the containers' non-root user (docker compose mounts them)
#   SHOP_KEYS_DIR=/tmp/k bash scripts/dev-keys.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

readonly KEYS_DIR=${SHOP_KEYS_DIR:-$PWD/.run/keys}
readonly SIGNERS=(orders payments inventory shipping notifications analytics operator)
CONTAINERS=0
[[ ${1:-} == --containers ]] && CONTAINERS=1

command -v openssl >/dev/null || ensure_packages openssl
for signer in "${SIGNERS[@]}"; do
    dir=$KEYS_DIR/$signer private=$KEYS_DIR/$signer/$signer-dev.private.pem public=$KEYS_DIR/$signer/$signer-dev.public.pem
    [[ -s $private && -s $public ]] && continue
    mkdir -p "$dir"
    chmod 700 "$dir"
    (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$private" 2>/dev/null)
    openssl pkey -in "$private" -pubout -out "$public" 2>/dev/null
    log "generated $signer's development key in $dir"
done
if ((CONTAINERS)); then
    # Development keys only: the services in docker compose run as another user than the one who generated them.
    chmod -R go+rX "$KEYS_DIR"
fi
