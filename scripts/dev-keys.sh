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
# Also, once each: the payment-token key pair (ECDH P-256, .run/payment-token-keys/payment-token-dev.*.pem, or
# SHOP_PAYMENT_TOKEN_KEYS_DIR; not under the signing keys, where every folder is a signer: Orders seals
# customers' payment tokens with the public key, Payments opens them with the private one; never a signing key) and the
# shop's secret key at the payment-provider simulator, one line "sk_test_…" in .run/payment-provider.key
# (SHOP_PROVIDER_KEY_FILE elsewhere), which the simulator, Payments, shop-audit and the tests' tools read.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

readonly KEYS_DIR=${SHOP_KEYS_DIR:-$PWD/.run/keys}
readonly SIGNERS=(orders payments inventory shipping notifications operator)
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
token_dir=${SHOP_PAYMENT_TOKEN_KEYS_DIR:-$PWD/.run/payment-token-keys}
if [[ ! -s $token_dir/payment-token-dev.private.pem || ! -s $token_dir/payment-token-dev.public.pem ]]; then
    mkdir -p "$token_dir"
    chmod 700 "$token_dir"
    (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$token_dir/payment-token-dev.private.pem" 2>/dev/null)
    openssl pkey -in "$token_dir/payment-token-dev.private.pem" -pubout -out "$token_dir/payment-token-dev.public.pem" 2>/dev/null
    log "generated the payment-token development key pair in $token_dir"
fi
readonly PROVIDER_KEY_FILE=${SHOP_PROVIDER_KEY_FILE:-$PWD/.run/payment-provider.key}
if [[ ! -s $PROVIDER_KEY_FILE ]]; then
    mkdir -p "$(dirname "$PROVIDER_KEY_FILE")"
    (umask 077 && echo "sk_test_$(openssl rand -hex 24)" >"$PROVIDER_KEY_FILE")
    log "generated the payment provider's development API key in $PROVIDER_KEY_FILE"
fi
if ((CONTAINERS)); then
    # Development keys only: the services in docker compose run as another user than the one who generated them.
    chmod -R go+rX "$KEYS_DIR"
    chmod go+r "$PROVIDER_KEY_FILE"
    chmod -R go+rX "$token_dir"
fi
