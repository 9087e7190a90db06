#!/usr/bin/env bash
# Prints a bearer token (one line, nothing else on stdout) for a local identity, from the Identity service
# (scripts/local-up.sh starts it on port base + 8) as its client shop-dev, whose secret scripts/dev-keys.sh generated
# into .run/identity/clients/shop-dev.secret. Nothing here can mint a token on its own: the provider signs every one.
#
#   bash scripts/dev-token.sh --customer ada        # role customer, sub ada: submit, follow and cancel ada's orders
#   bash scripts/dev-token.sh --operator            # role operator: everything else, any order
#   curl -H "Authorization: Bearer $(bash scripts/dev-token.sh --operator)" http://127.0.0.1:8082/stock/SKU-001
#
# A token lives as long as the provider says (15 minutes by default); ask again for a new one.
# Environment: SHOP_IDENTITY_URL (default http://127.0.0.1:<SHOP_PORT_BASE + 8>/), SHOP_TOKEN_CLIENT (default
# shop-dev), SHOP_TOKEN_CLIENT_SECRET (default: the client's file under SHOP_IDENTITY_DIR, default .run/identity).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

usage() { die "usage: scripts/dev-token.sh --customer <id> | --operator"; }

role="" subject=""
while (($#)); do
    case $1 in
        --customer) [[ $# -ge 2 && -n $2 ]] || usage; role=customer subject=$2; shift 2 ;;
        --operator) role=operator; shift ;;
        *) usage ;;
    esac
done
[[ -n $role ]] || usage
[[ $subject != *[[:cntrl:]]* ]] || die "a customer id may not contain control characters"

identity=${SHOP_IDENTITY_URL:-http://127.0.0.1:$((${SHOP_PORT_BASE:-8080} + 8))/}
client=${SHOP_TOKEN_CLIENT:-shop-dev}
if [[ -n ${SHOP_TOKEN_CLIENT_SECRET:-} ]]; then
    secret=$SHOP_TOKEN_CLIENT_SECRET
else
    secret_file=${SHOP_IDENTITY_DIR:-$PWD/.run/identity}/clients/$client.secret
    [[ -s $secret_file ]] || die "no client secret at $secret_file: run scripts/local-up.sh first (scripts/dev-keys.sh generates it)"
    secret=$(<"$secret_file")
fi

form=(--data-urlencode "client_id=$client")
if [[ $role == customer ]]; then
    form+=(--data-urlencode "grant_type=urn:shop:grant-type:customer" --data-urlencode "customer_id=$subject")
else
    form+=(--data-urlencode "grant_type=client_credentials")
fi
# The secret goes through stdin, not the command line (which every local user can read in ps).
if ! response=$(printf '%s' "$secret" | curl -sS --max-time 10 -w '\n%{http_code}' "${form[@]}" --data-urlencode 'client_secret@-' \
    "${identity%/}/connect/token"); then
    die "the Identity service at $identity does not answer: is it running (scripts/local-up.sh)?"
fi
status=${response##*$'\n'} body=${response%$'\n'*}
[[ $status == 200 ]] || die "the Identity service refused the token (HTTP $status): $body"
token=$(grep -o '"access_token" *: *"[^"]*"' <<<"$body" | sed 's/.*"\([^"]*\)"$/\1/') || true
[[ -n $token ]] || die "no access_token in the Identity service's answer: $body"
printf '%s\n' "$token"
