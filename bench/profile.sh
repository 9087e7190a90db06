#!/usr/bin/env bash
# Where a running Shop spends its CPU, per process and per component: samples every CPU for a while (perf, 499 Hz, no
# call stacks) and charges each sample to its process (the pid files of scripts/local-up.sh, PostgreSQL's backends by
# database, RabbitMQ) and to the component its frame belongs to (the .NET assembly of a JIT-compiled method, the
# runtime, the kernel). Exclusive time: a sample counts where the CPU was, not who called it.
#
#   DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 bash scripts/local-up.sh    # .NET method names for perf
#   <a load: bench/Shop.LoadTest>  &  bash bench/profile.sh 30 > profile.txt
#
# Without the two variables the .NET frames are counted as "jitted code (no perf map)". Installs perf if missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
run_dir=${SHOP_RUN_DIR:-.run}
seconds=${1:-30}
frequency=499

command -v perf >/dev/null || { apt-get update -qq && apt-get install -y -qq linux-perf >/dev/null; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Who each pid is: taken before and after the recording (PostgreSQL backends come and go with the pools).
name_pids() {
    for pidfile in "$run_dir"/*.pid; do
        [[ -f $pidfile ]] && printf '%s\t%s\n' "$(cat "$pidfile")" "$(basename "$pidfile" .pid)"
    done
    # A PostgreSQL backend's title is "postgres: [<cluster>:] <user> <database> <client>(<port>) <state>": the database
    # is the word before the client's address. The server's own processes (WAL writer, checkpointer, ...) name no
    # client. The operator role's connections (the load generator, tools) are left out, as the load test leaves them out.
    ps -eo pid=,args= | awk '
        $2 == "postgres:" || $2 ~ /\/bin\/postgres$/ {
            database = "shared"
            for (i = 3; i <= NF; i++) if ($i ~ /^[0-9.]+\([0-9]+\)$|^\[local\]$/) { database = ($(i - 2) == "shop" ? "-" : $(i - 1)); break }
            if (database != "-") printf "%s\tpostgres:%s\n", $1, database
        }
        /beam\.smp/ { printf "%s\trabbitmq\n", $1 }'
}

data=$work/perf.data
name_pids > "$work/pids.tsv"
perf record -F "$frequency" -a -o "$data" -- sleep "$seconds" >/dev/null 2>&1
name_pids >> "$work/pids.tsv"

perf script -i "$data" -F pid,ip,sym,dso 2>/dev/null | awk -v hz="$frequency" -v seconds="$seconds" '
    FNR == NR { name[$1] = $2; next }
    {
        pid = $1
        all += 1
        if (!(pid in name)) next
        line = $0
        if (line ~ /\[kernel\.kallsyms\]\)$/) component = "kernel (syscalls, network, scheduling)"
        else if (name[pid] ~ /^postgres|^rabbitmq/) component = (line ~ /libc\.so/ ? "libc (memset, memcpy)" : "server")
        else if (line ~ /libcoreclr\.so|libclrjit\.so|stub |libSystem\.Native/) component = "runtime (GC, JIT, stubs)"
        else if (line ~ /doublemapper|perf-[0-9]+\.map\)$/ && match(line, /\[[^]]+\] [A-Za-z_<][^ ]*::/)) {
            assembly = substr(line, RSTART + 1, index(substr(line, RSTART), "]") - 2)
            if (assembly ~ /^MassTransit/) component = "MassTransit"
            else if (assembly ~ /^RabbitMQ/) component = "RabbitMQ client"
            else if (assembly ~ /^Microsoft\.EntityFrameworkCore/) component = "EF Core"
            else if (assembly ~ /^Npgsql/) component = "Npgsql"
            else if (assembly ~ /^System\.Text\.Json/) component = "System.Text.Json"
            else if (assembly ~ /^System\.Linq/) component = "LINQ and expression trees"
            else if (assembly ~ /^Shop\./) component = "Shop code"
            else if (assembly ~ /^Microsoft\.AspNetCore|^Microsoft\.Extensions|^Microsoft\.IdentityModel|^System\.IdentityModel/) component = "ASP.NET Core, DI, logging, tokens"
            else if (assembly ~ /^Serilog|^OpenTelemetry/) component = "Serilog, OpenTelemetry"
            else if (assembly ~ /^System\.Security|^System\.Net\.Security/) component = "cryptography"
            else if (assembly ~ /^System\.Net/) component = "sockets and HTTP (BCL)"
            else component = "other BCL (collections, tasks, strings)"
        }
        else if (line ~ /doublemapper|perf-[0-9]+\.map\)$|\[unknown\]/) component = "jitted code (no perf map)"
        else if (line ~ /libcrypto|libssl/) component = "cryptography"
        else if (line ~ /libc\.so|libm\.so|ld-linux/) component = "libc (memset, memcpy)"
        else component = "other native"
        samples[name[pid]] += 1
        by[name[pid] SUBSEP component] += 1
        total += 1
    }
    END {
        printf "%d s sampled at %d Hz on every CPU: %d samples, %d of them in the shop'"'"'s processes\n\n", seconds, hz, all, total
        printf "| process | CPU s | share | components (share of the process) |\n|---|---|---|---|\n"
        n = 0
        for (p in samples) order[++n] = p
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (samples[order[j]] > samples[order[i]]) { t = order[i]; order[i] = order[j]; order[j] = t }
        for (i = 1; i <= n; i++) {
            p = order[i]; list = ""
            m = 0; delete parts
            for (key in by) { split(key, k, SUBSEP); if (k[1] == p) parts[++m] = k[2] }
            for (a = 1; a <= m; a++) for (b = a + 1; b <= m; b++) if (by[p SUBSEP parts[b]] > by[p SUBSEP parts[a]]) { t = parts[a]; parts[a] = parts[b]; parts[b] = t }
            for (a = 1; a <= m; a++) {
                share = 100 * by[p SUBSEP parts[a]] / samples[p]
                if (share >= 2) list = list (list == "" ? "" : ", ") sprintf("%s %.0f %%", parts[a], share)
            }
            printf "| %s | %.1f | %.1f %% | %s |\n", p, samples[p] / hz, 100 * samples[p] / total, list
        }
    }' "$work/pids.tsv" -
