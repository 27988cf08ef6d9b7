#!/usr/bin/env python3
"""Writes a large valid model for the memory benchmark (benches/memory.sh).

    python3 benches/big_model.py MONTHS ENTRIES > big.toml

MONTHS months (1..=600) and ENTRIES entries in every list: buyers,
deductions, payments, bank groups, basket items and [[changes]] (one change
per month from the second, up to ENTRIES), with an [uncertainty] table that
draws every payment and buyer offset, so tornado, sobol and morris vary
about 2·ENTRIES parameters. Shares and weights sum to exactly 1.
"""
import sys
from decimal import Decimal


def split(n, scale):
    """n non-negative decimals with `scale` places summing to exactly 1."""
    unit = Decimal(1).scaleb(-scale)
    each = (Decimal(1) / n).quantize(unit, rounding="ROUND_DOWN")
    parts = [each] * n
    parts[0] += Decimal(1) - each * n
    return parts


def main():
    months, n = int(sys.argv[1]), int(sys.argv[2])
    out = []
    w = out.append
    w('[model]\nname = "Benchmark: %d months, %d entries per list"\n' % (months, n))
    w('\n[timeline]\nstart = "2023-01"\nmonths = %d\n' % months)
    w('\n[exports]\nvolume_bpd = 3300000\nprice_usd_per_bbl = 78\n')
    for i, share in enumerate(split(n, 6)):
        w('\n[[exports.buyers]]\nname = "Buyer %d"\nshare = %s\nprice_offset_usd_per_bbl = -1\n' % (i, share))
    for i in range(n):
        w('\n[[deductions]]\nname = "Deduction %d"\nrate = %s\n' % (i, Decimal("0.0005")))
    w('\n[custody]\nopening_balance_usd = 100000000000\n')
    for i in range(n):
        w('\n[[custody.payments]]\nname = "Payment %d"\nusd_per_month = 50000000\n' % i)
    w('\n[airlift]\ncash_usd_per_month = 1200000000\nplane_capacity_usd = 500000000\n'
      'transport_usd_per_flight = 150000\nsecurity_usd_per_flight = 50000\n'
      'insurance_rate = 0.001\nvault_opening_usd = 2000000000\n')
    w('\n[auction]\nofficial_rate_iqd_per_usd = 1460\nrequests_usd_per_day = 200000000\n'
      'cash_share = 0.1\nrejection_rate = 0.6\n')
    for i, share in enumerate(split(n, 6)):
        w('\n[[auction.banks]]\nname = "Banks %d"\nshare = %s\nrejection_rate = 0.5\n' % (i, share))
    w('\n[parallel_market]\nbaseline_rate_iqd_per_usd = 1480\nbaseline_turnover_usd_per_day = 50000000\n'
      'spillover_share = 0.8\ndemand_elasticity = 2\nsupply_elasticity = 1\n')
    w('\n[prices]\nreference_rate_iqd_per_usd = 1470\n')
    for i, weight in enumerate(split(n, 6)):
        w('\n[[prices.basket]]\nname = "Item %d"\nweight = %s\nimport_content = 0.4\npass_through = 0.5\n' % (i, weight))
    for k in range(1, min(n, months - 1) + 1):
        y, m = divmod(k, 12)
        w('\n[[changes]]\nfrom = "%d-%02d"\nset = { "exports.price_usd_per_bbl" = %d }\n' % (2023 + y, m + 1, 70 + k % 20))
    w('\n[uncertainty]\n')
    for i in range(n):
        w('"custody.payments[Payment %d].usd_per_month" = { dist = "uniform", min = 40000000, max = 60000000 }\n' % i)
        w('"exports.buyers[Buyer %d].price_offset_usd_per_bbl" = { dist = "uniform", min = -2, max = 0 }\n' % i)
    sys.stdout.write("".join(out))


main()
