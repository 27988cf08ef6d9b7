#!/bin/sh
# What the model v2 keys cost `run` and `mc`, as README's Performance
# section records it: the default model against the same file with its v2
# keys deleted (so every one of them takes v1's default), whole processes.
#
#   benches/v2_cost.sh [BINARY] [DRAWS]   (default: target/release/dinarflow, 200000)
#
# Times with farm-bench (pairs A B A B …, so a drifting machine speed cancels
# in the ratio) when it is installed; and, when valgrind is, counts the
# instructions each `mc` executes, a figure that does not drift at all.
set -eu
bin=${1:-target/release/dinarflow}
draws=${2:-200000}
model=models/iraq-2023.toml
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
keys='anchor_weight|anchor_official_rate_iqd_per_usd|persistence|opening_parallel_rate_iqd_per_usd|street_demand_usd_per_day|cash_resale_share|lag_weights|underlying_inflation_pct'
grep -v -E "^($keys) =" "$model" > "$dir/v1.toml"
echo "v2 keys deleted for the v1 file: $(( $(wc -l < "$model") - $(wc -l < "$dir/v1.toml") ))"
# Each comparison twice, A and B swapped: the command run first in a pair
# tends to come out a few percent slower, and the mean of the two orders
# cancels that. The second ratio is v1 / v2: invert it.
if command -v farm-bench > /dev/null; then
    ratios() {
        farm-bench -n 50 --timeout 1800 --vs "$2" -- $1 | grep -E '^A/B (cpu|wall)' | sed "s|^|$3|"
    }
    ratios "$bin run $model" "$bin run $dir/v1.toml" "run, v2 / v1: "
    ratios "$bin run $dir/v1.toml" "$bin run $model" "run, v1 / v2: "
    ratios "$bin mc $model -n $draws -q" "$bin mc $dir/v1.toml -n $draws -q" "mc, v2 / v1:  "
    ratios "$bin mc $dir/v1.toml -n $draws -q" "$bin mc $model -n $draws -q" "mc, v1 / v2:  "
fi
if command -v valgrind > /dev/null; then
    count() {
        valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" mc "$1" -n 20000 -q 2>&1 > /dev/null |
            sed -n 's/.*Collected : //p'
    }
    v2=$(count "$model")
    v1=$(count "$dir/v1.toml")
    echo "mc -n 20000 instructions: v2 $v2, v1 $v1, ratio $(echo "$v2 $v1" | awk '{printf "%.4f", $1 / $2}')"
fi
