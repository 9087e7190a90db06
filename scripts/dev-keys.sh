#!/usr/bin/env bash
# Writes LOCAL DEVELOPMENT message-signing keys (ECDSA P-256) for every service and the operator, once: each signer
# gets <dir>/<signer>/<key id>.private.pem and .public.pem, key id "<signer>-dev". Existing keys are kept, so running
# it again changes nothing. Services read the directory with Messaging__Signing__KeyDirectory (scripts/local-up.sh
# passes it); shop-admin re-signs re-drives with --operator-key <dir>/operator/operator-dev.private.pem.
# These keys never leave this machine: .run/ is gitignored. Real deployments supply their own (docs/security.md).
# The Identity service's too, under <identity dir> (default .run/identity, SHOP_IDENTITY_DIR): signing.pem (ECDSA P-256:
# ES256 tokens), encryption.key (32 random bytes, base64), clients/<client>.secret for its confidential clients and
# users/<user>.password for the seeded local users (README); each file 0600, written once and kept.
#
#   bash scripts/dev-keys.sh              # into .run/keys, readable by you only
#   bash scripts/dev-keys.sh --containers # also readable by the containers' non-root user (docker compose mounts them)
#   SHOP_KEYS_DIR=/tmp/k bash scripts/dev-keys.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

readonly KEYS_DIR=${SHOP_KEYS_DIR:-$PWD/.run/keys}
readonly SIGNERS=(orders payments inventory shipping notifications operator)
readonly IDENTITY_DIR=${SHOP_IDENTITY_DIR:-$PWD/.run/identity}
# The confidential clients and the users of Identity/appsettings.json: each needs its secret here.
readonly IDENTITY_CLIENTS=(shop-admin shop-audit shop-loadtest shop-dev) IDENTITY_USERS=(ada grace)
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

# identity_secret <file> <command...>: writes the command's output to the file (0600) unless it exists.
identity_secret() {
    local file=$1
    shift
    [[ -s $file ]] && return 0
    mkdir -p "$(dirname "$file")"
    chmod 700 "$(dirname "$file")"
    (umask 077 && "$@" >"$file")
    log "generated $file"
}
# Secrets without a trailing newline: clients send them as they are (scripts/dev-token.sh reads the file as is).
random_secret() { openssl rand -base64 32 | tr -d '\n'; }
identity_secret "$IDENTITY_DIR/signing.pem" openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256
identity_secret "$IDENTITY_DIR/encryption.key" random_secret
for client in "${IDENTITY_CLIENTS[@]}"; do
    identity_secret "$IDENTITY_DIR/clients/$client.secret" random_secret
done
for user in "${IDENTITY_USERS[@]}"; do
    identity_secret "$IDENTITY_DIR/users/$user.password" random_secret
done

if ((CONTAINERS)); then
    # Development keys only: the services in docker compose run as another user than the one who generated them.
    chmod -R go+rX "$KEYS_DIR" "$IDENTITY_DIR"
fi
