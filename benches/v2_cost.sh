#!/bin/sh
# What the model v2 keys cost `run` and `mc` (docs/performance.md): the
# default model against the same file with its v2 keys deleted (so every
# one of them takes v1's default), whole processes.
#
#   benches/v2_cost.sh [BINARY] [DRAWS]   (default: target/release/dinarflow, 200000)
#
# Times with hyperfine (https://github.com/sharkdp/hyperfine) when it is
# installed, which prints how many times faster one command ran than the
# other; and, when valgrind is installed, counts the instructions each `mc`
# executes, a figure that does not drift with the machine's load.
set -eu
bin=${1:-target/release/dinarflow}
draws=${2:-200000}
model=models/iraq-2023.toml
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
keys='anchor_weight|anchor_official_rate_iqd_per_usd|persistence|opening_parallel_rate_iqd_per_usd|street_demand_usd_per_day|cash_resale_share|lag_weights|underlying_inflation_pct'
grep -v -E "^($keys) =" "$model" > "$dir/v1.toml"
echo "v2 keys deleted for the v1 file: $(( $(wc -l < "$model") - $(wc -l < "$dir/v1.toml") ))"
if command -v hyperfine > /dev/null; then
    # -N runs each command without a shell; the warm-up runs fill the
    # page cache, so the first command measured is not penalised.
    hyperfine -N --warmup 5 --runs 50 \
        -n "run, v2" "$bin run $model" \
        -n "run, v1" "$bin run $dir/v1.toml"
    hyperfine -N --warmup 2 --runs 20 \
        -n "mc -n $draws, v2" "$bin mc $model -n $draws -q" \
        -n "mc -n $draws, v1" "$bin mc $dir/v1.toml -n $draws -q"
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
