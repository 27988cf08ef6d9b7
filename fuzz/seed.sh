#!/bin/sh
# Seeds the fuzz corpora from the shipped models and the fixtures; run from
# anywhere. The corpus is generated, not committed (.gitignore: fuzz/corpus).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
model="$root/fuzz/corpus/model"
paths="$root/fuzz/corpus/paths"
mkdir -p "$model" "$paths"
for f in "$root"/models/*.toml "$root"/fixtures/*.toml "$root"/fixtures/bad/*.toml "$root"/fixtures/fuzz/*.toml; do
    [ -f "$f" ] || continue
    cp "$f" "$model/$(basename "$(dirname "$f")")-$(basename "$f")"
done
# The paths target reads --set specs, sweep SPECs and metric references.
i=0
for s in \
    'auction.rejection_rate=0.5' \
    'exports.buyers[China].share=0.3' \
    'deductions[Kuwait compensation].rate=0.05' \
    'prices.basket[Food].pass_through=0.6' \
    'prices.basket[Other].weight=0.6' \
    'airlift.cash_usd_per_month=1e9' \
    'custody.opening_balance_usd=100000000000.01' \
    'auction.official_rate_iqd_per_usd=1310' \
    'timeline.months=3' \
    '0.5:0.9:0.05' \
    '0:1:0.001' \
    '-2:-1:0.5' \
    '0.6,0.7,0.8' \
    'auction.rejection_rate=0.5:0.9:0.05' \
    'exports.price_usd_per_bbl=60,70,80' \
    'parallel_rate' \
    'parallel_rate:max' \
    'premium_pct:last' \
    'cpi_impact_pct@2023-02' \
    'revenue_usd[China]:mean@2023-01' \
    'price_impact_pct[Food]'
do
    i=$((i + 1))
    printf '%s' "$s" > "$paths/seed-$i"
done
# explain, tornado and brief_html read one model, as the model target does;
# diff reads two, split at a NUL byte: each shipped model against each
# fixture and itself.
for t in explain tornado brief_html; do
    mkdir -p "$root/fuzz/corpus/$t"
    cp "$model"/* "$root/fuzz/corpus/$t/"
done
diff="$root/fuzz/corpus/diff"
mkdir -p "$diff"
for a in "$root"/models/*.toml "$root"/fixtures/small.toml; do
    for b in "$root"/models/*.toml "$root"/fixtures/*.toml; do
        { cat "$a"; printf '\000'; cat "$b"; } > "$diff/$(basename "$a" .toml)--$(basename "$b" .toml)"
    done
done
for t in model paths explain diff tornado brief_html; do
    echo "fuzz/corpus/$t: $(ls "$root/fuzz/corpus/$t" | wc -l) inputs"
done
