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
# Private keys are 0600 (public ones 0644) in directories of your own (0700); running it again also repairs the modes.
#
#   bash scripts/dev-keys.sh              # into .run/keys, private keys readable by you only
#   bash scripts/dev-keys.sh --containers # also .run/container-keys for docker compose (below)
#   SHOP_KEYS_DIR=/tmp/k bash scripts/dev-keys.sh
#
# --containers writes what docker compose mounts, each container getting only its own private key: public/<signer>/
# <key id>.public.pem of every signer (0644), and private/<service>-dev.private.pem of each service (0600, owned by the
# containers' non-root user, uid SHOP_CONTAINER_UID, default 1654: the .NET images' "app" user; giving a file to another
# uid needs root). The operator's private key is not among them: it stays in .run/keys for shop-admin on the host.
#   SHOP_CONTAINER_KEYS_DIR=/tmp/c   instead of .run/container-keys
# Also, once each: the payment-token key pair (ECDH P-256, .run/payment-token-keys/payment-token-dev.*.pem, or
# SHOP_PAYMENT_TOKEN_KEYS_DIR; not under the signing keys, where every folder is a signer: Orders seals
# customers' payment tokens with the public key, Payments opens them with the private one; never a signing key) and the
# shop's secret key at the payment-provider simulator, one line "sk_test_…" in .run/payment-provider.key
# (SHOP_PROVIDER_KEY_FILE elsewhere), which the simulator, Payments, shop-audit and the tests' tools read.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

readonly KEYS_DIR=${SHOP_KEYS_DIR:-$PWD/.run/keys}
readonly SIGNERS=(orders payments inventory shipping notifications analytics operator)
readonly CONTAINER_KEYS_DIR=${SHOP_CONTAINER_KEYS_DIR:-$PWD/.run/container-keys}
readonly CONTAINER_UID=${SHOP_CONTAINER_UID:-1654}
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
# The operators' console reads an order's charges at the provider with a restricted key ("rk_test_…": read only, it can
# move no money), beside the secret one.
readonly PROVIDER_CONSOLE_KEY_FILE=${SHOP_PROVIDER_CONSOLE_KEY_FILE:-$(dirname "$PROVIDER_KEY_FILE")/payment-provider-console.key}
if [[ ! -s $PROVIDER_CONSOLE_KEY_FILE ]]; then
    (umask 077 && echo "rk_test_$(openssl rand -hex 24)" >"$PROVIDER_CONSOLE_KEY_FILE")
    log "generated the console's restricted key at the payment provider in $PROVIDER_CONSOLE_KEY_FILE"
fi

# Keys written by an earlier version of this script may have been opened to everyone.
for signer in "${SIGNERS[@]}"; do
    chmod 700 "$KEYS_DIR/$signer"
    chmod 600 "$KEYS_DIR/$signer/$signer-dev.private.pem"
    chmod 644 "$KEYS_DIR/$signer/$signer-dev.public.pem"
done

# Under sudo the keys of .run/keys stay the invoking user's, so that scripts/local-up.sh (run as that user) reads them.
if [[ $EUID -eq 0 && -n ${SUDO_UID:-} ]]; then
    chown -R "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$KEYS_DIR" "$IDENTITY_DIR" "$token_dir" "$PROVIDER_KEY_FILE" "$PROVIDER_CONSOLE_KEY_FILE"
fi

if ((CONTAINERS)); then
    [[ $EUID -eq 0 || $EUID -eq $CONTAINER_UID ]] ||
        die "--containers gives each service's private key to uid $CONTAINER_UID (the containers' user): run as root"
    mkdir -p "$CONTAINER_KEYS_DIR/public" "$CONTAINER_KEYS_DIR/private"
    chmod 755 "$CONTAINER_KEYS_DIR" "$CONTAINER_KEYS_DIR/public" "$CONTAINER_KEYS_DIR/private"
    for signer in "${SIGNERS[@]}"; do
        mkdir -p "$CONTAINER_KEYS_DIR/public/$signer"
        chmod 755 "$CONTAINER_KEYS_DIR/public/$signer"
        install -m 644 "$KEYS_DIR/$signer/$signer-dev.public.pem" "$CONTAINER_KEYS_DIR/public/$signer/$signer-dev.public.pem"
        [[ $signer == operator ]] && continue
        private=$CONTAINER_KEYS_DIR/private/$signer-dev.private.pem
        install -m 600 "$KEYS_DIR/$signer/$signer-dev.private.pem" "$private"
        ((EUID == CONTAINER_UID)) || chown "$CONTAINER_UID" "$private"
    done
    # The identity service's keys, client secrets and user passwords: for its container only.
    rm -rf "$CONTAINER_KEYS_DIR/identity"
    cp -r "$IDENTITY_DIR" "$CONTAINER_KEYS_DIR/identity"
    ((EUID == CONTAINER_UID)) || chown -R "$CONTAINER_UID" "$CONTAINER_KEYS_DIR/identity"
    # The payment-token keys: the public one for Orders (it seals), the private one for Payments only (it opens); the
    # merchant key for Payments and the simulator.
    mkdir -p "$CONTAINER_KEYS_DIR/secrets"
    chmod 755 "$CONTAINER_KEYS_DIR/secrets"
    install -m 644 "$token_dir/payment-token-dev.public.pem" "$CONTAINER_KEYS_DIR/secrets/payment-token-dev.public.pem"
    install -m 600 "$token_dir/payment-token-dev.private.pem" "$CONTAINER_KEYS_DIR/secrets/payment-token-dev.private.pem"
    install -m 600 "$PROVIDER_KEY_FILE" "$CONTAINER_KEYS_DIR/secrets/payment-provider.key"
    install -m 600 "$PROVIDER_CONSOLE_KEY_FILE" "$CONTAINER_KEYS_DIR/secrets/payment-provider-console.key"
    if ((EUID != CONTAINER_UID)); then
        chown "$CONTAINER_UID" "$CONTAINER_KEYS_DIR/secrets/payment-token-dev.private.pem" "$CONTAINER_KEYS_DIR/secrets/payment-provider.key" \
            "$CONTAINER_KEYS_DIR/secrets/payment-provider-console.key"
    fi
    log "wrote the containers' keys to $CONTAINER_KEYS_DIR (private keys owned by uid $CONTAINER_UID)"
fi
