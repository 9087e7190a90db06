#!/usr/bin/env bash
# Runs the tests: checks layout and style (dotnet format), starts the servers they need (scripts/infra-up.sh),
# then `dotnet test` in Release (restore included) and closes with one line "N passed, N failed, N skipped" summed
# over every test project. Exits non-zero on a layout difference, any failure, build error or crashed test host, and
# when no test ran. CI runs it through .ci/run.
#
#   bash scripts/test.sh                                   # everything: Shop.sln
#   bash scripts/test.sh tests/Shop.Deployment.Tests ...   # only these projects (or solutions)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 DOTNET_CLI_UI_LANGUAGE=en

# summarize <log>: "passed failed skipped" summed over the per-project summary lines of dotnet test, e.g.
#   Failed!  - Failed:     2, Passed:    21, Skipped:     0, Total:    23, Duration: 2 m 20 s - Shop.X.Tests.dll (net10.0)
summarize() {
    grep -aE '^\s*(Passed|Failed|Skipped)! +- Failed: ' "$1" |
        sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' |
        awk '{ p += $1; f += $2; s += $3 } END { print p + 0, f + 0, s + 0 }'
}

targets=("$@")
((${#targets[@]})) || targets=(Shop.sln)

command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is not on PATH"

# Layout and style first, as .editorconfig defines them (whitespace, usings, the C# conventions): about a minute here,
# before any server starts. The compiler fails on every warning on its own.
log "dotnet format --verify-no-changes"
dotnet format Shop.sln --verify-no-changes ||
    die "the code differs from .editorconfig: run 'dotnet format Shop.sln' and commit the result"
bash scripts/infra-up.sh
# tests/Shop.Cluster.Tests runs on a three-node RabbitMQ cluster beside the default node (about a minute to boot).
if [[ " ${targets[*]} " == *Shop.sln* || " ${targets[*]} " == *Shop.Cluster.Tests* ]]; then
    bash scripts/rabbitmq-cluster.sh up --nodes 3
fi
ensure_packages docker-compose # the deployment tests validate docker-compose.yml with it
ensure_packages chromium # the console's browser tests drive Debian's Chromium (Playwright never downloads its own)

# TRX files per project and the whole console output land in TestResults/ for inspection.
results=$PWD/TestResults
rm -rf "$results"
mkdir -p "$results"
output=$results/dotnet-test.log

rc=0
for target in "${targets[@]}"; do
    log "dotnet test $target"
    set +e
    dotnet test "$target" -c Release --logger trx --results-directory "$results" \
        --blame-hang-timeout 10m --blame-hang-dump-type none 2>&1 | tee -a "$output"
    status=${PIPESTATUS[0]}
    set -e
    ((status == 0)) || rc=$status
done

read -r passed failed skipped < <(summarize "$output")
if ((rc != 0 && failed == 0)); then
    log "dotnet test exited with $rc without a failed test: a build error or a crashed test host (see above)"
elif ((passed + failed == 0)); then
    log "no test ran"
fi
echo "$passed passed, $failed failed, $skipped skipped"
((rc == 0 && failed == 0 && passed > 0))
