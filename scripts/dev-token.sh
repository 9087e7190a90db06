#!/usr/bin/env bash
# Prints a bearer token (one line, nothing else on stdout) for a local identity, signed with the key scripts/local-up.sh
# generated (.run/dev-signing-key, or SHOP_SIGNING_KEY_FILE). Local development and tests only: production tokens come
# from the OpenID Connect provider (Auth:Authority).
#
#   bash scripts/dev-token.sh --customer ada        # role customer, sub ada: submit, follow and cancel ada's orders
#   bash scripts/dev-token.sh --operator            # role operator: everything else, any order
#   curl -H "Authorization: Bearer $(bash scripts/dev-token.sh --operator)" http://127.0.0.1:8082/stock/SKU-001
#
# Options: --ttl <seconds> (default 43200), --key-file <file>; SHOP_SIGNING_KEY=<base64> instead of a file (docker
# compose: SHOP_SIGNING_KEY=$(grep -oP '^SHOP_AUTH_SIGNING_KEY=\K.*' .env) bash scripts/dev-token.sh --operator).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

usage() { die "usage: scripts/dev-token.sh --customer <id> | --operator [--ttl <seconds>] [--key-file <file>]"; }

role="" subject="" ttl=43200 key_file=${SHOP_SIGNING_KEY_FILE:-.run/dev-signing-key}
while (($#)); do
    case $1 in
        --customer) [[ $# -ge 2 && -n $2 ]] || usage; role=customer subject=$2; shift 2 ;;
        --operator) role=operator subject=operator; shift ;;
        --ttl) [[ $# -ge 2 && $2 =~ ^[0-9]+$ ]] || usage; ttl=$2; shift 2 ;;
        --key-file) [[ $# -ge 2 ]] || usage; key_file=$2; shift 2 ;;
        *) usage ;;
    esac
done
[[ -n $role ]] || usage
[[ $subject != *[[:cntrl:]]* ]] || die "a customer id may not contain control characters"
if [[ -n ${SHOP_SIGNING_KEY:-} ]]; then
    key=$SHOP_SIGNING_KEY
else
    [[ -s $key_file ]] || die "no signing key at $key_file: run scripts/local-up.sh first (it generates one)"
    key=$(<"$key_file")
fi

# base64url without padding, of stdin.
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
# A JSON string literal of $1 (quotes and backslashes escaped; control characters were refused).
json_string() { local s=${1//\\/\\\\}; printf '"%s"' "${s//\"/\\\"}"; }

now=$(date +%s)
header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
payload=$(printf '{"iss":"shop-local","aud":"shop","sub":%s,"role":"%s","iat":%d,"nbf":%d,"exp":%d}' \
    "$(json_string "$subject")" "$role" "$now" "$now" "$((now + ttl))" | b64url)
key_hex=$(printf '%s' "$key" | openssl base64 -d -A | od -An -v -tx1 | tr -d ' \n')
[[ ${#key_hex} -ge 64 ]] || die 'the signing key must be base64 of at least 32 bytes'
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key_hex" -binary | b64url)
printf '%s.%s.%s\n' "$header" "$payload" "$signature"
