#!/bin/sh
# Peak memory (maximum resident set size) and wall time of tornado, sweep
# and sobol on a generated 600-month model with 100 entries in every list
# (benches/big_model.py), as docs/performance.md records them.
#
#   benches/memory.sh [BINARY]    (default: target/release/dinarflow)
#
# Needs python3 and GNU time (/usr/bin/time); failing both, it reads the
# peak from /proc (VmHWM) in a wrapper.
set -eu
bin=${1:-target/release/dinarflow}
here=$(dirname "$0")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 "$here/big_model.py" 600 100 > "$dir/drawn.toml"
# Without [uncertainty], tornado moves every numeric parameter (several hundred).
sed '/^\[uncertainty\]/,$d' "$dir/drawn.toml" > "$dir/plain.toml"
# Sobol' takes at most 128 inputs: the 100 drawn payments.
grep -v 'price_offset_usd_per_bbl" = {' "$dir/drawn.toml" > "$dir/sobol.toml"
peak() {
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f '%M KB peak, %e s' "$@" > /dev/null 2> "$dir/err" || { cat "$dir/err"; exit 1; }
        tail -n 1 "$dir/err"
    else
        "$@" > /dev/null &
        pid=$! hwm=0
        while kill -0 "$pid" 2> /dev/null; do
            h=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2> /dev/null || echo 0)
            [ "${h:-0}" -gt "$hwm" ] && hwm=$h
            sleep 0.05
        done
        wait "$pid"
        echo "$hwm KB peak (sampled)"
    fi
}
echo "model: 600 months, 100 entries per list ($(wc -c < "$dir/plain.toml") bytes without [uncertainty])"
echo "tornado (every numeric parameter): $(peak "$bin" tornado "$dir/plain.toml" --metric parallel_rate)"
echo "tornado (200 drawn inputs):        $(peak "$bin" tornado "$dir/drawn.toml" --metric parallel_rate)"
echo "sweep (1,001 points):              $(peak "$bin" sweep "$dir/plain.toml" --vary auction.rejection_rate=0:1:0.001)"
echo "sobol (100 inputs, -n 256):        $(peak "$bin" sobol "$dir/sobol.toml" -n 256 -q)"
