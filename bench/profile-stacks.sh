#!/usr/bin/env bash
# Where one running service spends its CPU, inclusively: samples the process with call stacks (perf, 499 Hz) and
# charges each sample to every assembly and namespace on its stack, so "EF Core 30 %" means 30 % of the samples had an
# EF Core frame somewhere under them (bench/profile.sh counts only the frame on top). Start the stack with .NET perf
# maps, as for bench/profile.sh:
#
#   DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 bash scripts/local-up.sh
#   <a load: bench/Shop.LoadTest>  &  bash bench/profile-stacks.sh orders 30 > orders-stacks.txt
#
# The first argument is a pid file's name under .run/ (or $SHOP_RUN_DIR): orders, payments, inventory, ...
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
run_dir=${SHOP_RUN_DIR:-.run}
service=${1:?usage: bench/profile-stacks.sh <service> [seconds]}
seconds=${2:-30}
pid=$(cat "$run_dir/$service.pid")
command -v perf >/dev/null || { apt-get update -qq && apt-get install -y -qq linux-perf >/dev/null; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

perf record -F 499 -g -p "$pid" -o "$work/perf.data" -- sleep "$seconds" >/dev/null 2>&1

# One sample is a header line, its frames (indented, innermost first), then a blank line. A JIT-compiled frame reads
# "... [Assembly] Namespace.Type::Method(...)"; a native one names its library in parentheses at the end.
perf script -i "$work/perf.data" 2>/dev/null | awk -v service="$service" -v seconds="$seconds" '
    function flush(   key) {
        if (!frames) return
        samples++
        for (key in seen) inclusive[key]++
        delete seen
        frames = 0
    }
    /^[^ \t]/ { flush(); next }
    /^[ \t]*$/ { flush(); next }
    {
        frames++
        if (match($0, /\[[A-Za-z0-9_.]+\] [A-Za-z0-9_.`]+/)) {
            text = substr($0, RSTART + 1, RLENGTH - 1)
            split(text, part, "] ")
            seen["assembly\t" part[1]] = 1
            n = split(part[2], name, ".")
            ns = name[1]; for (i = 2; i <= 3 && i < n; i++) ns = ns "." name[i]
            seen["namespace\t" ns] = 1
        }
        else if ($0 ~ /\[kernel\.kallsyms\]\)$/) seen["assembly\t(kernel)"] = 1
        else if ($0 ~ /libcoreclr\.so|libclrjit\.so/) seen["assembly\t(runtime: GC, JIT, type system)"] = 1
    }
    END {
        flush()
        printf "%s: %d samples in %d s (%.2f CPU s/s), inclusive share of the process\n", service, samples, seconds, samples / 499 / seconds
        for (kind in wanted) delete wanted[kind]
        split("assembly namespace", kinds, " ")
        for (k = 1; k <= 2; k++) {
            printf "\n| %s | share |\n|---|---|\n", kinds[k]
            m = 0; delete rows
            for (key in inclusive) { split(key, f, "\t"); if (f[1] == kinds[k]) rows[++m] = key }
            for (a = 1; a <= m; a++) for (b = a + 1; b <= m; b++) if (inclusive[rows[b]] > inclusive[rows[a]]) { t = rows[a]; rows[a] = rows[b]; rows[b] = t }
            for (a = 1; a <= m && a <= 40; a++) {
                split(rows[a], f, "\t")
                share = 100 * inclusive[rows[a]] / samples
                if (share >= 1) printf "| %s | %.1f %% |\n", f[2], share
            }
        }
    }'
