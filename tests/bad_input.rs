//! The malformed-input corpus: every file in `fixtures/bad/` breaks one rule
//! of docs/model.md §1–§2 (or several, for `multiple-problems.toml`). Each must be
//! refused with exit code 2, nothing on stdout, no panic, and a message of the
//! form `FILE:LINE:COLUMN: PATH: what is wrong (allowed: …)`.
//!
//! The expected texts were written from reading each fixture and docs/model.md
//! (line and column of the offending value, its parameter path, the rule),
//! not copied from the program's output.

use std::path::Path;

use crate::common::{dinarflow, ok, Output};

/// One fixture: its file stem, the command to run, the exit code, and texts
/// that stderr must contain.
struct Case {
    file: &'static str,
    command: &'static str,
    code: i32,
    expect: &'static [&'static str],
}

const fn check(file: &'static str, expect: &'static [&'static str]) -> Case {
    Case {
        file,
        command: "check",
        code: 2,
        expect,
    }
}

const CASES: &[Case] = &[
    // --- TOML syntax
    check(
        "syntax-unclosed-string",
        &["fixtures/bad/syntax-unclosed-string.toml:3:33: TOML syntax error: invalid basic string, expected `\"`"],
    ),
    check(
        "syntax-missing-equals",
        &["fixtures/bad/syntax-missing-equals.toml:11:12: TOML syntax error: key with no value, expected `=`"],
    ),
    check(
        "syntax-duplicate-key",
        &[
            "fixtures/bad/syntax-duplicate-key.toml:9:1: TOML syntax error: `months` is set twice in the same table",
            "9 | months = 3",
        ],
    ),
    check(
        "syntax-duplicate-table",
        &["fixtures/bad/syntax-duplicate-table.toml:54:2: TOML syntax error: the table [custody] is defined twice"],
    ),
    // A value as in a note: the parameter, what is allowed and the number
    // to write (80% of 1 is 0.8), the caret under the whole value.
    check(
        "syntax-percent-sign",
        &["error: fixtures/bad/syntax-percent-sign.toml:46:18: auction.rejection_rate: `80%` is not a number TOML can read (allowed: 0 to 1)
   |
46 | rejection_rate = 80%
   |                  ^^^
   |
   = help: write 0.8 (a share is a fraction of 1: 80% is 0.8)

error: 1 problem in fixtures/bad/syntax-percent-sign.toml
"],
    ),
    // One problem at the `[` left open on line 17, not one for each line
    // the parser then read as part of the list.
    check(
        "syntax-unclosed-list",
        &["error: fixtures/bad/syntax-unclosed-list.toml:17:9: exports.buyers[China].share: TOML syntax error: this `[` opens a list that is never closed
   |
17 | share = [0.3
   |         ^
   |
   = help: add the closing `]` after its last value (the lines after it were read as part of it)

error: 1 problem in fixtures/bad/syntax-unclosed-list.toml
"],
    ),
    // Line 15 writes the first buyer [exports.buyers]; merging the two
    // tables, the parser's advice for a table defined twice, would be wrong.
    check(
        "syntax-list-with-one-bracket",
        &["fixtures/bad/syntax-list-with-one-bracket.toml:19:11: TOML syntax error: [exports.buyers] on line 15 is one table, and [[exports.buyers]] here adds an entry to a list of them",
          "= help: write every entry as [[exports.buyers]], with two brackets"],
    ),
    // Both buyers written [exports.buyers]: the table is defined twice,
    // and merging the two, the advice for a table, would drop a buyer.
    check(
        "syntax-list-all-one-bracket",
        &["fixtures/bad/syntax-list-all-one-bracket.toml:19:10: TOML syntax error: the table [exports.buyers] is defined twice; [exports.buyers] is a list, and each entry needs its own [[exports.buyers]]",
          "= help: write every entry as [[exports.buyers]], with two brackets"],
    ),
    // --- wrong types
    check(
        "type-string-for-number",
        &[
            "fixtures/bad/type-string-for-number.toml:11:14: exports.volume_bpd: expected a number, found the string \"1000\" (allowed: >= 0)",
            "help: remove the quotes: 1000",
        ],
    ),
    check(
        "type-number-for-name",
        &["fixtures/bad/type-number-for-name.toml:15:8: exports.buyers[0].name: expected a string, found an integer (allowed: a quoted string)"],
    ),
    check(
        "type-array-for-table",
        &["fixtures/bad/type-array-for-table.toml:71:7: changes[0].set: expected a table, found an array (allowed: a table of paths and values, e.g. { \"auction.rejection_rate\" = 0.5 })"],
    ),
    check(
        "type-table-for-list",
        &["fixtures/bad/type-table-for-list.toml:14:1: exports.buyers: expected a list of tables, found a table (allowed: [[exports.buyers]] entries)"],
    ),
    check(
        "type-boolean",
        &["fixtures/bad/type-boolean.toml:44:14: auction.cash_share: expected a number, found a boolean (allowed: a number such as 0.8 or 1460)"],
    ),
    check(
        "type-date-for-start",
        &[
            "fixtures/bad/type-date-for-start.toml:7:9: timeline.start: expected a month as a quoted string, found a date (allowed: a month written \"YYYY-MM\")",
            "help: write start = \"2023-01\"",
        ],
    ),
    check(
        "param-table-without-value",
        &["fixtures/bad/param-table-without-value.toml:24:8: deductions[Kuwait compensation].rate: the table has no `value` (allowed: a number, or { value = NUMBER, source = \"…\", note = \"…\" })"],
    ),
    // --- unknown keys, at every level, with "did you mean"
    check(
        "unknown-key-typo",
        &[
            "fixtures/bad/unknown-key-typo.toml:46:1: auction.weekends: unknown key `weekends` in [auction] (allowed: official_rate_iqd_per_usd, requests_usd_per_day, cash_share, rejection_rate, weekend, holidays, banks)",
            "help: did you mean `weekend`?",
        ],
    ),
    check(
        "unknown-key-top-level",
        &[
            "fixtures/bad/unknown-key-top-level.toml:69:2: uncertainity: unknown key `uncertainity` at the top level (allowed: model, timeline, exports, deductions, custody, airlift, auction, parallel_market, prices, changes, uncertainty, correlation, forecast_error)",
            "help: did you mean `uncertainty`?",
        ],
    ),
    check(
        "unknown-key-model",
        &[
            "fixtures/bad/unknown-key-model.toml:4:1: model.descripton: unknown key `descripton` in [model] (allowed: name, description)",
            "help: did you mean `description`?",
        ],
    ),
    check(
        "key-in-wrong-section",
        &[
            "fixtures/bad/key-in-wrong-section.toml:9:1: timeline.weekend: unknown key `weekend` in [timeline] (allowed: start, months)",
            "help: `weekend` belongs in [auction], not in [timeline]; move it there",
        ],
    ),
    check(
        "weekend-full-name",
        &["fixtures/bad/weekend-full-name.toml:46:12: auction.weekend: \"Friday\" is not a weekday (allowed: Mon, Tue, Wed, Thu, Fri, Sat, Sun)"],
    ),
    check(
        "uncertainty-stdev",
        &["fixtures/bad/uncertainty-stdev.toml:75:55: uncertainty.\"auction.cash_share\".stdev: unknown key `stdev` in [uncertainty.\"auction.cash_share\"] (allowed: dist, mean, sd)"],
    ),
    check(
        "unknown-key-timeline",
        &["fixtures/bad/unknown-key-timeline.toml:9:1: timeline.end: unknown key `end` in [timeline] (allowed: start, months)"],
    ),
    check(
        "unknown-key-buyer",
        &[
            "fixtures/bad/unknown-key-buyer.toml:17:1: exports.buyers[China].price_ofset_usd_per_bbl: unknown key `price_ofset_usd_per_bbl` in exports.buyers[China] (allowed: name, share, price_offset_usd_per_bbl)",
            "help: did you mean `price_offset_usd_per_bbl`?",
        ],
    ),
    check(
        "unknown-key-param-table",
        &[
            "fixtures/bad/unknown-key-param-table.toml:12:35: exports.price_usd_per_bbl.sorce: unknown key `sorce` in [exports.price_usd_per_bbl] (allowed: value, source, note)",
            "help: did you mean `source`?",
        ],
    ),
    check(
        "empty-source",
        &["fixtures/bad/empty-source.toml:12:44: exports.price_usd_per_bbl.source: an empty source; cite the publication or use note = … for an assumption"],
    ),
    check(
        "unknown-key-airlift",
        &["fixtures/bad/unknown-key-airlift.toml:39:1: airlift.insurance_usd_per_flight: unknown key `insurance_usd_per_flight` in [airlift] (allowed: cash_usd_per_month, plane_capacity_usd, transport_usd_per_flight, security_usd_per_flight, insurance_rate, vault_opening_usd)"],
    ),
    check(
        "unknown-key-changes",
        &[
            "fixtures/bad/unknown-key-changes.toml:72:1: changes[0].notes: unknown key `notes` in changes[0] (allowed: from, set, note, source)",
            "help: did you mean `note`?",
        ],
    ),
    check(
        "unknown-key-basket",
        &[
            // The misspelt key, and the required key it leaves missing.
            "fixtures/bad/unknown-key-basket.toml:61:1: prices.basket[Food].passthrough: unknown key `passthrough` in prices.basket[Food] (allowed: name, weight, import_content, pass_through)",
            "help: did you mean `pass_through`?",
            "fixtures/bad/unknown-key-basket.toml:57:1: prices.basket[Food].pass_through: missing; prices.basket[Food] needs `pass_through` (allowed: 0 to 1)",
            "error: 2 problems in fixtures/bad/unknown-key-basket.toml",
        ],
    ),
    // --- missing sections and keys
    check(
        "missing-section-model",
        &["fixtures/bad/missing-section-model.toml: model: missing; the file needs the [model] section"],
    ),
    check(
        "missing-section-timeline",
        &["fixtures/bad/missing-section-timeline.toml: timeline: missing; the file needs the [timeline] section"],
    ),
    check(
        "missing-section-exports",
        &["fixtures/bad/missing-section-exports.toml: exports: missing; the file needs the [exports] section"],
    ),
    check(
        "missing-section-custody",
        &["fixtures/bad/missing-section-custody.toml: custody: missing; the file needs the [custody] section"],
    ),
    check(
        "missing-section-airlift",
        &["fixtures/bad/missing-section-airlift.toml:33:1: airlift: missing; a model with [auction] needs [airlift] (the auction sells the banknotes it flies in)"],
    ),
    check(
        "missing-section-auction",
        &["fixtures/bad/missing-section-auction.toml:41:1: auction: missing; [auction], [parallel_market] and [prices] are present together or absent together, and this file has [parallel_market] and [prices]"],
    ),
    check(
        "missing-section-parallel-market",
        &["fixtures/bad/missing-section-parallel-market.toml:41:1: parallel_market: missing; [auction], [parallel_market] and [prices] are present together or absent together, and this file has [auction] and [prices]"],
    ),
    check(
        "missing-section-prices",
        &["fixtures/bad/missing-section-prices.toml:41:1: prices: missing; [auction], [parallel_market] and [prices] are present together or absent together, and this file has [auction] and [parallel_market]"],
    ),
    check(
        "missing-model-name",
        &["fixtures/bad/missing-model-name.toml:2:1: model.name: missing; [model] needs `name` (allowed: a quoted string)"],
    ),
    check(
        "missing-timeline-months",
        &["fixtures/bad/missing-timeline-months.toml:6:1: timeline.months: missing; [timeline] needs `months` (allowed: a whole number from 1 to 600)"],
    ),
    check(
        "missing-buyer-share",
        &["fixtures/bad/missing-buyer-share.toml:18:1: exports.buyers[Others].share: missing; exports.buyers[Others] needs `share` (allowed: 0 to 1)"],
    ),
    check(
        "missing-required-param",
        &["fixtures/bad/missing-required-param.toml:33:1: airlift.plane_capacity_usd: missing; [airlift] needs `plane_capacity_usd` (allowed: an amount > 0 with at most two decimals)"],
    ),
    check(
        "missing-change-from",
        &["fixtures/bad/missing-change-from.toml:69:1: changes[0].from: missing; changes[0] needs `from` (allowed: a month written \"YYYY-MM\")"],
    ),
    // --- ranges (docs/model.md §2)
    check(
        "range-negative-volume",
        &["fixtures/bad/range-negative-volume.toml:11:14: exports.volume_bpd: -1000 is out of range (allowed: >= 0)"],
    ),
    check(
        "range-negative-price",
        &["fixtures/bad/range-negative-price.toml:12:31: exports.price_usd_per_bbl: -80 is out of range (allowed: >= 0)"],
    ),
    check(
        "range-price-plus-offset",
        &["fixtures/bad/range-price-plus-offset.toml:17:28: exports.buyers[China].price_offset_usd_per_bbl: price 80 + offset -85 gives China a price of -5 USD/bbl (allowed: an offset with price + offset >= 0)"],
    ),
    check(
        "range-share-above-one",
        &[
            "fixtures/bad/range-share-above-one.toml:66:18: prices.basket[Other].import_content: 1.25 is out of range (allowed: 0 to 1)",
            "help: shares are fractions of 1; if 1.25 is a percentage, write 0.0125",
        ],
    ),
    check(
        "rate-as-percent",
        &[
            "fixtures/bad/rate-as-percent.toml:45:18: auction.rejection_rate: 80 is out of range (allowed: 0 to 1)",
            "did you mean 0.8?",
        ],
    ),
    check(
        "range-share-negative",
        &["fixtures/bad/range-share-negative.toml:44:14: auction.cash_share: -0.2 is out of range (allowed: 0 to 1)"],
    ),
    check(
        "range-deduction-sum",
        &["fixtures/bad/range-deduction-sum.toml:24:18: deductions[*].rate: the deduction rates add up to 1.01 (0.05 + 0.96) (allowed: a total of at most 1)"],
    ),
    check(
        "range-plane-capacity-zero",
        &["fixtures/bad/range-plane-capacity-zero.toml:35:22: airlift.plane_capacity_usd: 0 is out of range (allowed: an amount > 0 with at most two decimals)"],
    ),
    check(
        "range-official-rate-zero",
        &["fixtures/bad/range-official-rate-zero.toml:42:29: auction.official_rate_iqd_per_usd: 0 is out of range (allowed: > 0)"],
    ),
    check(
        "range-baseline-turnover-zero",
        &["fixtures/bad/range-baseline-turnover-zero.toml:49:33: parallel_market.baseline_turnover_usd_per_day: 0 is out of range (allowed: an amount > 0 with at most two decimals)"],
    ),
    check(
        "range-demand-elasticity-zero",
        &["fixtures/bad/range-demand-elasticity-zero.toml:51:21: parallel_market.demand_elasticity: 0 is out of range (allowed: > 0)"],
    ),
    check(
        "range-supply-elasticity-negative",
        &["fixtures/bad/range-supply-elasticity-negative.toml:52:21: parallel_market.supply_elasticity: -0.5 is out of range (allowed: >= 0)"],
    ),
    check(
        "range-anchor-weight-above-one",
        &[
            "fixtures/bad/range-anchor-weight-above-one.toml:53:17: parallel_market.anchor_weight: 1.5 is out of range (allowed: 0 to 1)",
            "help: the anchor follows the official rate at most one for one (1); 0 leaves it where it was observed",
        ],
    ),
    check(
        "range-insurance-rate-above-one",
        &[
            "fixtures/bad/range-insurance-rate-above-one.toml:38:18: airlift.insurance_rate: 1.5 is out of range (allowed: 0 to 1)",
            "help: shares are fractions of 1; if 1.5 is a percentage, write 0.015",
        ],
    ),
    check(
        "range-negative-money",
        &["fixtures/bad/range-negative-money.toml:31:17: custody.payments[Debt service].usd_per_month: -500000 is out of range (allowed: an amount >= 0 with at most two decimals)"],
    ),
    check(
        "range-reference-rate-negative",
        &["fixtures/bad/range-reference-rate-negative.toml:55:30: prices.reference_rate_iqd_per_usd: -1470 is out of range (allowed: > 0)"],
    ),
    check(
        "range-bank-rejection-above-one",
        &["fixtures/bad/range-bank-rejection-above-one.toml:50:18: auction.banks[Sanctioned banks].rejection_rate: 1.01 is out of range (allowed: 0 to 1)"],
    ),
    check(
        "money-three-decimals",
        &[
            "fixtures/bad/money-three-decimals.toml:27:23: custody.opening_balance_usd: 1000000.125 has more than two decimal places (allowed: money to the cent: at most two decimals)",
            // Half to even: .125 goes to .12.
            "help: round it to cents: 1000000.12",
        ],
    ),
    // Every bad element of a list is reported, not only the first.
    check(
        "lag-weights-out-of-range",
        &[
            "fixtures/bad/lag-weights-out-of-range.toml:56:16: prices.lag_weights[0]: 1.5 is out of range (allowed: 0 to 1)",
            "fixtures/bad/lag-weights-out-of-range.toml:56:21: prices.lag_weights[1]: -0.3 is out of range (allowed: 0 to 1)",
            "fixtures/bad/lag-weights-out-of-range.toml:56:27: prices.lag_weights[2]: -0.2 is out of range (allowed: 0 to 1)",
            "error: 3 problems in fixtures/bad/lag-weights-out-of-range.toml",
        ],
    ),
    // --- sums to exactly 1
    check(
        "share-sum",
        &["fixtures/bad/share-sum.toml:16:9: exports.buyers[*].share: the shares add up to 0.9 (0.3 + 0.6) (allowed: exactly 1)"],
    ),
    check(
        "basket-weight-sum",
        &["fixtures/bad/basket-weight-sum.toml:59:10: prices.basket[*].weight: the weights add up to 1.05 (0.4 + 0.65) (allowed: exactly 1)"],
    ),
    check(
        "bank-share-sum",
        &["fixtures/bad/bank-share-sum.toml:49:9: auction.banks[*].share: the shares add up to 0.9 (0.1 + 0.8) (allowed: exactly 1)"],
    ),
    // --- names and lists
    check(
        "duplicate-name-buyers",
        &["fixtures/bad/duplicate-name-buyers.toml:19:8: exports.buyers[1].name: \"China\" is used twice in exports.buyers (allowed: names unique within the list, ignoring case)"],
    ),
    check(
        "duplicate-name-deductions",
        &["fixtures/bad/duplicate-name-deductions.toml:27:8: deductions[1].name: \"Kuwait compensation\" is used twice in deductions (allowed: names unique within the list, ignoring case)"],
    ),
    check(
        "duplicate-name-payments",
        &["fixtures/bad/duplicate-name-payments.toml:34:8: custody.payments[1].name: \"Debt service\" is used twice in custody.payments (allowed: names unique within the list, ignoring case)"],
    ),
    check(
        "duplicate-name-banks",
        &["fixtures/bad/duplicate-name-banks.toml:52:8: auction.banks[1].name: \"Rafidain\" is used twice in auction.banks (allowed: names unique within the list, ignoring case)"],
    ),
    check(
        "duplicate-name-basket",
        &["fixtures/bad/duplicate-name-basket.toml:64:8: prices.basket[1].name: \"Food\" is used twice in prices.basket (allowed: names unique within the list, ignoring case)"],
    ),
    check(
        "name-with-bracket",
        &["fixtures/bad/name-with-bracket.toml:15:8: exports.buyers[0].name: \"China]\" cannot be used as a name (allowed: a non-empty name without [ ] = : @ | *, control or format characters, or spaces at either end)"],
    ),
    check(
        "name-empty",
        &["fixtures/bad/name-empty.toml:30:8: custody.payments[0].name: \"\" cannot be used as a name (allowed: a non-empty name without [ ] = : @ | *, control or format characters, or spaces at either end)"],
    ),
    // The name heads every report: a blank one is refused.
    check(
        "name-model-blank",
        &["fixtures/bad/name-model-blank.toml:3:8: model.name: \"  \" is blank (allowed: a name on one line, without control or format characters)"],
    ),
    check(
        "name-trailing-space",
        &["fixtures/bad/name-trailing-space.toml:19:8: exports.buyers[1].name: \"Others \" cannot be used as a name", "it would read as \"Others\"); remove the space"],
    ),
    check(
        "name-differs-in-case",
        &["fixtures/bad/name-differs-in-case.toml:19:8: exports.buyers[1].name: \"china\" is used twice in exports.buyers (allowed: names unique within the list, ignoring case)"],
    ),
    check(
        "unquoted-path-in-change",
        &["fixtures/bad/unquoted-path-in-change.toml:71:9: changes[0].set.\"auction\": `auction` names no numeric parameter", "write the path in quotes: \"auction.official_rate_iqd_per_usd\" = …"],
    ),
    check(
        "unquoted-path-in-uncertainty",
        &["fixtures/bad/unquoted-path-in-uncertainty.toml:75:1: uncertainty.\"parallel_market\"", "write the path in quotes: \"parallel_market.spillover_share\" = …"],
    ),
    // Line 1 after a byte-order mark: columns count from the first
    // character the editor shows.
    check(
        "byte-order-mark",
        &["fixtures/bad/byte-order-mark.toml:1:2: modle: unknown key `modle` at the top level", "1 | [modle]\n  |  ^^^^^\n"],
    ),
    check(
        "buyers-empty",
        &["fixtures/bad/buyers-empty.toml:10:1: exports.buyers: no buyers (allowed: at least one [[exports.buyers]] entry with name and share)"],
    ),
    check(
        "buyers-empty-array",
        &["fixtures/bad/buyers-empty-array.toml:13:10: exports.buyers: no buyers (allowed: at least one [[exports.buyers]] entry with name and share)"],
    ),
    check(
        "basket-empty-array",
        &["fixtures/bad/basket-empty-array.toml:56:10: prices.basket: no basket items (allowed: at least one [[prices.basket]] entry with name, weight, import_content and pass_through)"],
    ),
    // --- the timeline
    check(
        "timeline-months-zero",
        &["fixtures/bad/timeline-months-zero.toml:8:10: timeline.months: 0 is not a number of months (allowed: a whole number from 1 to 600)"],
    ),
    check(
        "timeline-months-601",
        &["fixtures/bad/timeline-months-601.toml:8:10: timeline.months: 601 is not a number of months (allowed: a whole number from 1 to 600)"],
    ),
    check(
        "timeline-months-quoted",
        &["fixtures/bad/timeline-months-quoted.toml:8:10: timeline.months: expected a whole number of months, found the string \"12\" (allowed: a whole number from 1 to 600)"],
    ),
    check(
        "timeline-months-fraction",
        &["fixtures/bad/timeline-months-fraction.toml:8:10: timeline.months: 1.5 is not a number of months (allowed: a whole number from 1 to 600)"],
    ),
    check(
        "timeline-start-month-13",
        &["fixtures/bad/timeline-start-month-13.toml:7:9: timeline.start: \"2023-13\" is not a month (allowed: a month written \"YYYY-MM\", e.g. \"2023-02\")"],
    ),
    check(
        "timeline-start-one-digit-month",
        &["fixtures/bad/timeline-start-one-digit-month.toml:7:9: timeline.start: \"2023-1\" is not a month (allowed: a month written \"YYYY-MM\", e.g. \"2023-02\")"],
    ),
    // --- changes
    check(
        "change-month-outside-timeline",
        &["fixtures/bad/change-month-outside-timeline.toml:70:8: changes[0].from: 2023-03 is outside the timeline (allowed: a month from 2023-01 to 2023-02)"],
    ),
    check(
        "change-unknown-path",
        &[
            "fixtures/bad/change-unknown-path.toml:71:53: changes[0].set.\"auction.rejection_rte\": `auction.rejection_rte` names no numeric parameter (allowed: a parameter path such as auction.rejection_rate",
            "help: did you mean auction.rejection_rate",
        ],
    ),
    // The model traces the flows only: the path is a parameter of a part
    // it leaves out, not an unknown one (as `--set` says it).
    check(
        "change-path-of-absent-part",
        &["fixtures/bad/change-path-of-absent-part.toml:36:9: changes[0].set.\"auction.rejection_rate\": `auction.rejection_rate` is a parameter of [auction], [parallel_market] and [prices], which this model does not have (it traces the flows only)",
          "= help: add them (`dinarflow init FILE` writes a starter model with every section to copy from), or remove this entry",
          "error: 1 problem in"],
    ),
    // A list written [exports.buyers] only once: a key set twice in it is
    // still said (a later entry's keys are not what it is).
    check(
        "syntax-duplicate-key-in-list-table",
        &["fixtures/bad/syntax-duplicate-key-in-list-table.toml:16:1: TOML syntax error: `name` is set twice in the same table",
          "error: 1 problem in"],
    ),
    // [modle]: one problem at the misspelling, not "missing [model]"
    // first and the unknown key that explains it after.
    check(
        "section-misspelt",
        &["fixtures/bad/section-misspelt.toml:2:2: modle: unknown key `modle` at the top level",
          "= help: did you mean `model`? the file has no [model] section, and needs one",
          "error: 1 problem in"],
    ),
    check(
        "change-same-path-twice",
        &["fixtures/bad/change-same-path-twice.toml:76:9: changes[1].set.\"auction.rejection_rate\": auction.rejection_rate is changed from 2023-02 twice, by changes[0] and by changes[1] (allowed: one change per path and month)"],
    ),
    check(
        "change-path-outside-set",
        &["fixtures/bad/change-path-outside-set.toml:71:1: changes[0].\"auction.rejection_rate\": unknown key `auction.rejection_rate` in changes[0] (allowed: from, set, note, source)"],
    ),
    check(
        "changes-one-bracket",
        &["fixtures/bad/changes-one-bracket.toml:69:1: changes: expected a list of tables, found a table (allowed: [[changes]] entries)"],
    ),
    check(
        "change-breaks-sum",
        &["fixtures/bad/change-breaks-sum.toml:71:117: exports.buyers[*].share: from 2023-02 (after changes): the shares add up to 1.1 (0.4 + 0.7) (allowed: exactly 1)"],
    ),
    check(
        "change-value-out-of-range",
        &["fixtures/bad/change-value-out-of-range.toml:71:80: changes[0].set.\"auction.rejection_rate\": 1.2 is out of range (allowed: 0 to 1)"],
    ),
    check(
        "changes-empty-set",
        &["fixtures/bad/changes-empty-set.toml:71:7: changes[0].set: the table is empty, so the change sets nothing (allowed: at least one path and value, e.g. { \"auction.rejection_rate\" = 0.5 })"],
    ),
    check(
        "change-opening-stock",
        &["fixtures/bad/change-opening-stock.toml:71:9: changes[0].set.\"custody.opening_balance_usd\": custody.opening_balance_usd is a stock at the start of the timeline, read in 2023-01 only, so a step from 2023-02 would change nothing"],
    ),
    // --- the auction calendar
    check(
        "weekend-all-seven",
        &["fixtures/bad/weekend-all-seven.toml:46:11: auction.weekend: every day of the week is a weekend day, so the auction would never hold a session (allowed: at most six weekdays)"],
    ),
    check(
        "weekend-duplicate",
        &["fixtures/bad/weekend-duplicate.toml:46:26: auction.weekend: Fri is listed twice (allowed: each weekday once)"],
    ),
    check(
        "holiday-duplicate",
        &["fixtures/bad/holiday-duplicate.toml:46:39: auction.holidays: 2023-01-01 is listed twice (allowed: each date once)"],
    ),
    check(
        "holiday-outside-timeline",
        &["fixtures/bad/holiday-outside-timeline.toml:46:27: auction.holidays: 2023-04-21 is outside the timeline (allowed: dates from 2023-01 to the end of 2023-02)"],
    ),
    check(
        "holiday-bad-date",
        &["fixtures/bad/holiday-bad-date.toml:46:13: auction.holidays: \"2023-02-30\" is not a date (allowed: a date YYYY-MM-DD, quoted or as a TOML date)"],
    ),
    check(
        "weekday-bad-name",
        &["fixtures/bad/weekday-bad-name.toml:46:26: auction.weekend: \"Fryday\" is not a weekday (allowed: Mon, Tue, Wed, Thu, Fri, Sat, Sun)"],
    ),
    // --- numbers that are not exact decimals
    check(
        "number-nan",
        &["fixtures/bad/number-nan.toml:50:19: parallel_market.spillover_share: nan is not a finite number (allowed: a finite number (nan and inf are not allowed))"],
    ),
    check(
        "number-inf",
        &["fixtures/bad/number-inf.toml:12:31: exports.price_usd_per_bbl: inf is not a finite number (allowed: a finite number (nan and inf are not allowed))"],
    ),
    check(
        "number-negative-inf",
        &["fixtures/bad/number-negative-inf.toml:52:21: parallel_market.supply_elasticity: -inf is not a finite number (allowed: a finite number (nan and inf are not allowed))"],
    ),
    check(
        "number-too-large-exponent",
        &["fixtures/bad/number-too-large-exponent.toml:11:14: exports.volume_bpd: 1e40 is too large for an exact decimal (the largest is about 7.9e28) (allowed: a number of at most about 7.9e28 in size)"],
    ),
    check(
        "number-too-large-integer",
        &["fixtures/bad/number-too-large-integer.toml:11:14: exports.volume_bpd: 100000000000000000000000000000000 is too large for an exact decimal (the largest is about 7.9e28) (allowed: a number of at most about 7.9e28 in size)"],
    ),
    check(
        "number-too-many-digits",
        &["fixtures/bad/number-too-many-digits.toml:51:21: parallel_market.demand_elasticity: 2.0000000000000000000000000001 has more than 28 significant digits, more than dinarflow keeps exactly (allowed: a decimal number with at most 28 significant digits)"],
    ),
    // --- uncertainty
    check(
        "uncertainty-unknown-path",
        &[
            "fixtures/bad/uncertainty-unknown-path.toml:75:1: uncertainty.\"exports.price_usd_per_bb\": `exports.price_usd_per_bb` names no numeric parameter (allowed: a parameter path such as auction.rejection_rate, or PATH* to draw a factor on it)",
            "help: did you mean exports.price_usd_per_bbl",
        ],
    ),
    check(
        "uncertainty-unknown-dist",
        &[
            "fixtures/bad/uncertainty-unknown-dist.toml:75:40: uncertainty.\"exports.price_usd_per_bbl\".dist: unknown distribution \"normall\" (allowed: normal, lognormal, uniform, triangular, beta, pert)",
            "help: did you mean \"normal\"?",
        ],
    ),
    check(
        "uncertainty-sd-zero",
        &["fixtures/bad/uncertainty-sd-zero.toml:75:66: uncertainty.\"exports.price_usd_per_bbl\".sd: invalid normal distribution: sd = 0 (allowed: sd > 0)"],
    ),
    check(
        "uncertainty-min-above-max",
        &["fixtures/bad/uncertainty-min-above-max.toml:75:61: uncertainty.\"auction.cash_share\".max: invalid uniform distribution: max 0.1 is not above min 0.3 (allowed: min < max)"],
    ),
    check(
        "uncertainty-mode-outside",
        &["fixtures/bad/uncertainty-mode-outside.toml:75:80: uncertainty.\"parallel_market.demand_elasticity\".mode: invalid triangular distribution: mode 4 is outside min 0.8 to max 3.5 (allowed: min <= mode <= max)"],
    ),
    check(
        "uncertainty-missing-param",
        &["fixtures/bad/uncertainty-missing-param.toml:75:31: uncertainty.\"exports.price_usd_per_bbl\": normal needs `sd` (allowed: { dist = \"normal\", mean = …, sd = … })"],
    ),
    check(
        "uncertainty-also-changed",
        &[
            "fixtures/bad/uncertainty-also-changed.toml:75:28: uncertainty.\"auction.rejection_rate\": is also set by a [[changes]] entry (allowed: a path either in [uncertainty] or in [[changes]], not both)",
            "help: the change from 2023-02 sets it; remove one of the two, or draw a factor on its schedule with \"auction.rejection_rate*\"",
        ],
    ),
    check(
        "uncertainty-value-and-factor",
        &[
            "fixtures/bad/uncertainty-value-and-factor.toml:76:1: uncertainty.\"exports.price_usd_per_bbl*\": draws exports.price_usd_per_bbl by a factor, and \"exports.price_usd_per_bbl\" draws its value already (allowed: one entry per parameter: its value (\"PATH\") or a factor on it (\"PATH*\"), not both)",
            "help: remove one of the two entries",
        ],
    ),
    check(
        "uncertainty-factor-outside",
        &["fixtures/bad/uncertainty-factor-outside.toml:75:29: uncertainty.\"auction.rejection_rate*\": uniform(1.5 to 2) lies entirely outside the factors allowed for auction.rejection_rate (allowed: a factor 0 to 1.25: every month's value of auction.rejection_rate times it must be 0 to 1)"],
    ),
    // docs/model.md §1.6: a share of a list that sums to 1 cannot be
    // drawn, as a value or by a factor; refused where it is written.
    check(
        "uncertainty-share-drawn",
        &["fixtures/bad/uncertainty-share-drawn.toml:75:1: uncertainty.\"exports.buyers[China].share\": cannot be drawn: the buyers' shares must sum to exactly 1, and a drawn value would break that (allowed: any parameter but a buyer's share, a bank's share or a basket weight)"],
    ),
    check(
        "uncertainty-share-factor",
        &["fixtures/bad/uncertainty-share-factor.toml:75:1: uncertainty.\"exports.buyers[China].share*\": cannot be drawn: the buyers' shares must sum to exactly 1, and a drawn factor on it would break that (allowed: any parameter but a buyer's share, a bank's share or a basket weight)"],
    ),
    // An unbounded distribution with nothing in range (the CDF at the
    // factors' end, 5, is 0), and one with 0.6% in range: P(z < -2.52).
    check(
        "uncertainty-lognormal-outside",
        &["fixtures/bad/uncertainty-lognormal-outside.toml:75:25: uncertainty.\"auction.cash_share*\": none of lognormal(mu 100000000000000000000, sigma 1) lies within the factors allowed for auction.cash_share (allowed: at least 5% of the distribution within the factors 0 to 5: every month's value of auction.cash_share times the factor must be 0 to 1)"],
    ),
    // min < max as written, but not as the doubles it is drawn in: the
    // PERT's beta shape cannot be formed (it once passed `check` and
    // failed in `mc` with statrs's own words and no location).
    check(
        "uncertainty-pert-too-narrow",
        &["fixtures/bad/uncertainty-pert-too-narrow.toml:75:39: uncertainty.\"parallel_market.demand_elasticity\": invalid pert distribution: max 1.0000000000000000000001 is not above min 1 in double precision, in which it is drawn (allowed: min <= mode <= max, min < max)"],
    ),
    // Draws are 64-bit integers of millionths: 4,611,686,018,427.387903 is
    // the most an elasticity can be drawn as, so none of 5e12 to 1.1e13 can
    // be (it once passed `check`, and `mc` blamed the range "> 0").
    check(
        "uncertainty-beyond-a-draw",
        &["fixtures/bad/uncertainty-beyond-a-draw.toml:75:39: uncertainty.\"parallel_market.demand_elasticity\": none of uniform(5000000000000 to 11000000000000) lies within the allowed range of parallel_market.demand_elasticity (allowed: at least 5% of the distribution within > 0 and <= 4611686018427.387903, the most a draw can hold)"],
    ),
    check(
        "uncertainty-mostly-outside",
        &["fixtures/bad/uncertainty-mostly-outside.toml:75:33: uncertainty.\"parallel_market.persistence\": only 0.6% of normal(mean 3.5, sd 1) lies within the allowed range of parallel_market.persistence (allowed: at least 5% of the distribution within >= 0 and <= 0.99)"],
    ),
    check(
        "uncertainty-factor-unknown-path",
        &[
            "fixtures/bad/uncertainty-factor-unknown-path.toml:75:1: uncertainty.\"exports.price_usd_per_bb*\": `exports.price_usd_per_bb` names no numeric parameter",
            "help: did you mean exports.price_usd_per_bbl*,",
        ],
    ),
    check(
        "correlation-factor-named-as-value",
        &[
            "fixtures/bad/correlation-factor-named-as-value.toml:79:1: correlation.\"exports.price_usd_per_bbl|auction.cash_share\": `exports.price_usd_per_bbl` has no [uncertainty] entry",
            "help: [uncertainty] draws it as \"exports.price_usd_per_bbl*\"; write that here",
        ],
    ),
    // --- whole files
    check(
        "empty",
        &[
            "error: fixtures/bad/empty.toml: the file is empty (allowed: a model with at least [model] (its name), [timeline], [exports] with one or more [[exports.buyers]], and [custody])",
            "help: `dinarflow init FILE` writes a commented starter model",
        ],
    ),
    check(
        "whitespace-only",
        &["error: fixtures/bad/whitespace-only.toml: the file has no settings, only comments or blank lines"],
    ),
    // Saved in Windows-1252: the line and column of the byte, not its
    // offset (the whole message is below).
    check(
        "windows-1252",
        &["fixtures/bad/windows-1252.toml:4:17: byte 0xE9 is not UTF-8"],
    ),
    check(
        "binary",
        // Byte 0 is NUL (valid UTF-8), byte 1 is 0xFF.
        &["error: fixtures/bad/binary.toml: is not a text model file (invalid UTF-8 at byte 1)"],
    ),
    check(
        "multiple-problems",
        &[
            "fixtures/bad/multiple-problems.toml:11:14: exports.volume_bpd: -1000 is out of range",
            "fixtures/bad/multiple-problems.toml:35:22: airlift.plane_capacity_usd: 0 is out of range",
            "fixtures/bad/multiple-problems.toml:45:1: auction.rejection_rte: unknown key",
            "fixtures/bad/multiple-problems.toml:59:10: prices.basket[*].weight: the weights add up to 0.9 (0.4 + 0.5)",
            "error: 5 problems in fixtures/bad/multiple-problems.toml",
        ],
    ),
    // Valid ranges but revenue beyond an exact decimal: 10^20 bbl/day x 31
    // days x 0.3 x 10^8 USD/bbl = 9.3e28 > 7.9e28. A computing failure: 1.
    Case {
        file: "overflow",
        command: "run",
        code: 1,
        expect: &["error: fixtures/bad/overflow.toml: 2023-01: arithmetic overflow while computing gross revenue"],
    },
];

fn fixture(stem: &str) -> String {
    format!("fixtures/bad/{stem}.toml")
}

/// Every way a refusal can go wrong, for one run, as a list of complaints.
fn complaints(o: &Output, code: i32, expect: &[&str]) -> Vec<String> {
    let mut c = Vec::new();
    if o.code != code {
        c.push(format!("exit code {:?}, expected {code}", o.code));
    }
    if !o.stdout.is_empty() {
        c.push(format!("stdout is not empty: {:?}", o.stdout));
    }
    if o.stderr.contains("panicked") {
        c.push("stderr shows a panic".to_string());
    }
    for e in expect {
        if !o.stderr.contains(e) {
            c.push(format!("stderr lacks {e:?}"));
        }
    }
    c
}

#[test]
fn every_bad_fixture_is_refused_with_a_located_message() {
    let mut failures = Vec::new();
    for case in CASES {
        let path = fixture(case.file);
        let o = dinarflow(&[case.command, &path]);
        let c = complaints(&o, case.code, case.expect);
        if !c.is_empty() {
            failures.push(format!(
                "{path}:\n  {}\n--- stderr:\n{}",
                c.join("\n  "),
                o.stderr
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn located_problems_name_the_file_line_and_column() {
    // Every headline of a problem with a place starts `FILE:LINE:COLUMN: `.
    for case in CASES.iter().filter(|c| c.code == 2) {
        let path = fixture(case.file);
        let o = dinarflow(&["check", &path]);
        for line in o.stderr.lines().filter(|l| l.starts_with("error: ")) {
            let rest = &line["error: ".len()..];
            if rest.starts_with(&format!("{path}: ")) || rest.contains(" problem") {
                continue; // a whole-file problem, or the closing count
            }
            let loc = rest
                .strip_prefix(&format!("{path}:"))
                .unwrap_or_else(|| panic!("{path}: headline does not name the file: {line}"));
            let mut parts = loc.splitn(3, ':');
            let ln = parts.next().unwrap_or("");
            let col = parts.next().unwrap_or("");
            assert!(
                !ln.is_empty()
                    && ln.bytes().all(|b| b.is_ascii_digit())
                    && !col.is_empty()
                    && col.bytes().all(|b| b.is_ascii_digit()),
                "{path}: headline lacks LINE:COLUMN: {line}"
            );
        }
    }
}

#[test]
fn the_corpus_is_complete_and_every_fixture_has_a_case() {
    let mut on_disk: Vec<String> = std::fs::read_dir("fixtures/bad")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut cased: Vec<String> = CASES.iter().map(|c| c.file.to_string()).collect();
    cased.sort();
    let before = cased.len();
    cased.dedup();
    assert_eq!(before, cased.len(), "a fixture is listed twice in CASES");
    assert_eq!(on_disk, cased, "fixtures/bad/*.toml and CASES differ");
    assert!(on_disk.len() >= 45, "only {} fixtures", on_disk.len());
}

#[test]
fn the_overflow_model_is_valid_and_only_its_computation_fails() {
    // Its ranges are fine, so `check` accepts it; only `run` overflows.
    let o = dinarflow(&["check", &fixture("overflow")]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(!o.stderr.contains("panicked"));
    for cmd in ["brief", "trace"] {
        let o = dinarflow(&[cmd, &fixture("overflow")]);
        let c = complaints(&o, 1, &["arithmetic overflow"]);
        assert!(c.is_empty(), "{cmd}: {c:?}\n{}", o.stderr);
    }
}

/// A compute overflow names the file, the step and each of its inputs with
/// the value in force and the line it was written on; a value set on the
/// command line says so.
#[test]
fn whole_message_overflow_names_the_file_and_the_inputs_of_the_step() {
    let f = fixture("overflow");
    let expected = format!(
        "\
error: {f}: 2023-01: arithmetic overflow while computing gross revenue; the numbers of this model are too large to compute exactly
 = the inputs of gross revenue in 2023-01:
   {f}:11: exports.volume_bpd = 100000000000000000000
   {f}:12: exports.price_usd_per_bbl = 100000000
   {f}:16: exports.buyers[China].share = 0.3
   (default): exports.buyers[China].price_offset_usd_per_bbl = 0
"
    );
    for cmd in ["run", "trace", "explain"] {
        let mut args = vec![cmd, f.as_str()];
        if cmd == "explain" {
            args.push("gross_revenue_usd");
        }
        let o = dinarflow(&args);
        assert_eq!(o.code, 1, "{cmd}: {}", o.stderr);
        // After the two implausible values are warned about (the volume
        // and the price, as `check` warns; the overflow has its cause there).
        let warned = format!("warning: 2 warnings in {f}\n");
        assert!(o.stderr.starts_with(&format!("warning: {f}:11:14: exports.volume_bpd: 100000000000000000000 bbl/day is outside the plausible range")), "{cmd}: {}", o.stderr);
        assert_eq!(
            o.stderr.split_once(&warned).map(|x| x.1),
            Some(expected.as_str()),
            "{cmd}"
        );
    }
    let o = dinarflow(&["run", &f, "--set", "exports.price_usd_per_bbl=99999999"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr
            .contains("\n   --set: exports.price_usd_per_bbl = 99999999\n"),
        "{}",
        o.stderr
    );
}

#[test]
fn bad_fixtures_are_refused_by_every_command_that_loads_a_model() {
    for cmd in ["run", "brief", "trace"] {
        for stem in ["rate-as-percent", "syntax-unclosed-string", "empty"] {
            let o = dinarflow(&[cmd, &fixture(stem)]);
            let c = complaints(&o, 2, &[&format!("fixtures/bad/{stem}.toml")]);
            assert!(c.is_empty(), "{cmd} {stem}: {c:?}\n{}", o.stderr);
        }
    }
}

// --- whole stderr, caret lines included

fn assert_whole(stem: &str, expected: &str) {
    let o = dinarflow(&["check", &fixture(stem)]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert_eq!(o.stdout, "");
    assert!(!o.stderr.contains("panicked"));
    assert_eq!(o.stderr, expected);
}

#[test]
fn whole_message_rate_as_percent() {
    assert_whole(
        "rate-as-percent",
        "\
error: fixtures/bad/rate-as-percent.toml:45:18: auction.rejection_rate: 80 is out of range (allowed: 0 to 1)
   |
45 | rejection_rate = 80
   |                  ^^
   |
   = help: this looks like a percentage; shares are fractions: did you mean 0.8?

error: 1 problem in fixtures/bad/rate-as-percent.toml
",
    );
}

/// An anchor weight is an exponent, not a share of anything: 1.5 is not
/// read as 1.5% (it once got "if 1.5 is a percentage, write 0.015").
#[test]
fn whole_message_anchor_weight_above_one() {
    assert_whole(
        "range-anchor-weight-above-one",
        "\
error: fixtures/bad/range-anchor-weight-above-one.toml:53:17: parallel_market.anchor_weight: 1.5 is out of range (allowed: 0 to 1)
   |
53 | anchor_weight = 1.5
   |                 ^^^
   |
   = help: the anchor follows the official rate at most one for one (1); 0 leaves it where it was observed

error: 1 problem in fixtures/bad/range-anchor-weight-above-one.toml
",
    );
}

/// The same in a `[[changes]]` entry, whose path names the key quoted
/// (`changes[0].set."parallel_market.anchor_weight"`): the hint follows
/// the parameter, not the path's text.
#[test]
fn an_anchor_weight_above_one_in_a_change_gets_the_same_help() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("range-anchor-weight-above-one"))
        .unwrap()
        .replace("anchor_weight = 1.5", "anchor_weight = 0.5")
        .replace(
            "\"auction.rejection_rate\" = 0.5 }",
            "\"auction.rejection_rate\" = 0.5, \"parallel_market.anchor_weight\" = 1.5 }",
        );
    let path = dir.path().join("m.toml");
    std::fs::write(&path, text).unwrap();
    let o = dinarflow(&["check", path.to_str().unwrap()]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains(
            "changes[0].set.\"parallel_market.anchor_weight\": 1.5 is out of range (allowed: 0 to 1)\n"
        ),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains(
            "   = help: the anchor follows the official rate at most one for one (1); 0 leaves it where it was observed\n"
        ),
        "{}",
        o.stderr
    );
}

#[test]
fn whole_message_unknown_key_typo() {
    assert_whole(
        "unknown-key-typo",
        "\
error: fixtures/bad/unknown-key-typo.toml:46:1: auction.weekends: unknown key `weekends` in [auction] (allowed: official_rate_iqd_per_usd, requests_usd_per_day, cash_share, rejection_rate, weekend, holidays, banks)
   |
46 | weekends = [\"Fri\", \"Sat\"]
   | ^^^^^^^^
   |
   = help: did you mean `weekend`?

error: 1 problem in fixtures/bad/unknown-key-typo.toml
",
    );
}

#[test]
fn whole_message_share_sum() {
    assert_whole(
        "share-sum",
        "\
error: fixtures/bad/share-sum.toml:16:9: exports.buyers[*].share: the shares add up to 0.9 (0.3 + 0.6) (allowed: exactly 1)
   |
16 | share = 0.3
   |         ^^^
   |

error: 1 problem in fixtures/bad/share-sum.toml
",
    );
}

#[test]
fn whole_message_syntax_error() {
    assert_whole(
        "syntax-unclosed-string",
        "\
error: fixtures/bad/syntax-unclosed-string.toml:3:33: TOML syntax error: invalid basic string, expected `\"`
  |
3 | name = \"Small hand-checked model
  |                                 ^
  |

error: 1 problem in fixtures/bad/syntax-unclosed-string.toml
",
    );
}

#[test]
fn whole_message_multiple_problems_all_reported_in_file_order() {
    assert_whole(
        "multiple-problems",
        "\
error: fixtures/bad/multiple-problems.toml:11:14: exports.volume_bpd: -1000 is out of range (allowed: >= 0)
   |
11 | volume_bpd = -1000
   |              ^^^^^
   |

error: fixtures/bad/multiple-problems.toml:35:22: airlift.plane_capacity_usd: 0 is out of range (allowed: an amount > 0 with at most two decimals)
   |
35 | plane_capacity_usd = 0
   |                      ^
   |

error: fixtures/bad/multiple-problems.toml:41:1: auction.rejection_rate: missing; [auction] needs `rejection_rate` (allowed: 0 to 1)
   |
41 | [auction]
   | ^^^^^^^^^
   |

error: fixtures/bad/multiple-problems.toml:45:1: auction.rejection_rte: unknown key `rejection_rte` in [auction] (allowed: official_rate_iqd_per_usd, requests_usd_per_day, cash_share, rejection_rate, weekend, holidays, banks)
   |
45 | rejection_rte = 0.8
   | ^^^^^^^^^^^^^
   |
   = help: did you mean `rejection_rate`?

error: fixtures/bad/multiple-problems.toml:59:10: prices.basket[*].weight: the weights add up to 0.9 (0.4 + 0.5) (allowed: exactly 1)
   |
59 | weight = 0.4
   |          ^^^
   |

error: 5 problems in fixtures/bad/multiple-problems.toml
",
    );
}

#[test]
fn whole_message_uncertainty_mode_outside() {
    assert_whole(
        "uncertainty-mode-outside",
        "\
error: fixtures/bad/uncertainty-mode-outside.toml:75:80: uncertainty.\"parallel_market.demand_elasticity\".mode: invalid triangular distribution: mode 4 is outside min 0.8 to max 3.5 (allowed: min <= mode <= max)
   |
75 | \"parallel_market.demand_elasticity\" = { dist = \"triangular\", min = 0.8, mode = 4, max = 3.5 }
   |                                                                                ^
   |

error: 1 problem in fixtures/bad/uncertainty-mode-outside.toml
",
    );
}

#[test]
fn whole_message_uncertainty_value_and_factor() {
    assert_whole(
        "uncertainty-value-and-factor",
        "\
error: fixtures/bad/uncertainty-value-and-factor.toml:76:1: uncertainty.\"exports.price_usd_per_bbl*\": draws exports.price_usd_per_bbl by a factor, and \"exports.price_usd_per_bbl\" draws its value already (allowed: one entry per parameter: its value (\"PATH\") or a factor on it (\"PATH*\"), not both)
   |
76 | \"exports.price_usd_per_bbl*\" = { dist = \"normal\", mean = 1, sd = 0.1 }
   | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   |
   = help: remove one of the two entries

error: 1 problem in fixtures/bad/uncertainty-value-and-factor.toml
",
    );
}

#[test]
fn whole_message_uncertainty_factor_outside() {
    // Rejection rates 0.8 (January) and 0.5 (February): 0.8 × f <= 1 for
    // f <= 1.25, and uniform(1.5, 2) has no factor that low.
    assert_whole(
        "uncertainty-factor-outside",
        "\
error: fixtures/bad/uncertainty-factor-outside.toml:75:29: uncertainty.\"auction.rejection_rate*\": uniform(1.5 to 2) lies entirely outside the factors allowed for auction.rejection_rate (allowed: a factor 0 to 1.25: every month's value of auction.rejection_rate times it must be 0 to 1)
   |
75 | \"auction.rejection_rate*\" = { dist = \"uniform\", min = 1.5, max = 2 }
   |                             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   |

error: 1 problem in fixtures/bad/uncertainty-factor-outside.toml
",
    );
}

#[test]
fn whole_message_uncertainty_share_drawn() {
    assert_whole(
        "uncertainty-share-drawn",
        "\
error: fixtures/bad/uncertainty-share-drawn.toml:75:1: uncertainty.\"exports.buyers[China].share\": cannot be drawn: the buyers' shares must sum to exactly 1, and a drawn value would break that (allowed: any parameter but a buyer's share, a bank's share or a basket weight)
   |
75 | \"exports.buyers[China].share\" = { dist = \"uniform\", min = 0.1, max = 0.2 }
   | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   |
   = help: remove it from [uncertainty]; dinarflow does not rescale the other entries behind your back. To compare another split, set the entries together (`dinarflow diff --set-b PATH=VALUE --set-b PATH=VALUE` or a scenario file)

error: 1 problem in fixtures/bad/uncertainty-share-drawn.toml
",
    );
}

/// A drawn factor on a share is refused as a drawn value is, with the same help.
#[test]
fn whole_message_uncertainty_share_factor() {
    assert_whole(
        "uncertainty-share-factor",
        "\
error: fixtures/bad/uncertainty-share-factor.toml:75:1: uncertainty.\"exports.buyers[China].share*\": cannot be drawn: the buyers' shares must sum to exactly 1, and a drawn factor on it would break that (allowed: any parameter but a buyer's share, a bank's share or a basket weight)
   |
75 | \"exports.buyers[China].share*\" = { dist = \"uniform\", min = 0.9, max = 1.1 }
   | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   |
   = help: remove it from [uncertainty]; dinarflow does not rescale the other entries behind your back. To compare another split, set the entries together (`dinarflow diff --set-b PATH=VALUE --set-b PATH=VALUE` or a scenario file)

error: 1 problem in fixtures/bad/uncertainty-share-factor.toml
",
    );
}

/// The cash share is 0.2 in every month, so the factors allowed run from
/// 0 to 1 / 0.2 = 5; lognormal(1e20, 1) has none of its mass there.
#[test]
fn whole_message_uncertainty_lognormal_outside() {
    assert_whole(
        "uncertainty-lognormal-outside",
        "\
error: fixtures/bad/uncertainty-lognormal-outside.toml:75:25: uncertainty.\"auction.cash_share*\": none of lognormal(mu 100000000000000000000, sigma 1) lies within the factors allowed for auction.cash_share (allowed: at least 5% of the distribution within the factors 0 to 5: every month's value of auction.cash_share times the factor must be 0 to 1)
   |
75 | \"auction.cash_share*\" = { dist = \"lognormal\", mu = 1e20, sigma = 1 }
   |                         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   |
   = help: a draw outside the range is drawn again (at most 1,000 times in a row), so what is drawn would be the edge of the range, not this distribution; move the distribution into the range

error: 1 problem in fixtures/bad/uncertainty-lognormal-outside.toml
",
    );
}

/// normal(3.5, 1) within 0 to 0.99: Φ((0.99 − 3.5) / 1) − Φ(−3.5) =
/// 0.00604 − 0.00023 = 0.6%, below the 5% docs/model.md §1.6 asks.
#[test]
fn whole_message_uncertainty_mostly_outside() {
    assert_whole(
        "uncertainty-mostly-outside",
        "\
error: fixtures/bad/uncertainty-mostly-outside.toml:75:33: uncertainty.\"parallel_market.persistence\": only 0.6% of normal(mean 3.5, sd 1) lies within the allowed range of parallel_market.persistence (allowed: at least 5% of the distribution within >= 0 and <= 0.99)
   |
75 | \"parallel_market.persistence\" = { dist = \"normal\", mean = 3.5, sd = 1 }
   |                                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   |
   = help: a draw outside the range is drawn again (at most 1,000 times in a row), so what is drawn would be the edge of the range, not this distribution; move the distribution into the range

error: 1 problem in fixtures/bad/uncertainty-mostly-outside.toml
",
    );
}

/// Every command that draws refuses the model as `check` does, with the
/// same located message, whatever the number of draws.
#[test]
fn a_distribution_mostly_outside_is_refused_by_every_command_alike() {
    let f = fixture("uncertainty-mostly-outside");
    let expected = dinarflow(&["check", &f]).stderr;
    for args in [
        vec!["mc", f.as_str(), "-n", "100"],
        vec!["mc", f.as_str()],
        vec!["sobol", f.as_str(), "-n", "64"],
        vec!["tornado", f.as_str()],
        vec!["brief", f.as_str()],
    ] {
        let o = dinarflow(&args);
        assert_eq!(o.code, 2, "{args:?}: {}", o.stderr);
        assert_eq!(o.stdout, "", "{args:?}");
        assert_eq!(o.stderr, expected, "{args:?}");
    }
}

#[test]
fn whole_message_weekend_all_seven() {
    assert_whole(
        "weekend-all-seven",
        "\
error: fixtures/bad/weekend-all-seven.toml:46:11: auction.weekend: every day of the week is a weekend day, so the auction would never hold a session (allowed: at most six weekdays)
   |
46 | weekend = [\"Mon\", \"Tue\", \"Wed\", \"Thu\", \"Fri\", \"Sat\", \"Sun\"]
   |           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   |
   = help: Iraq's weekend is [\"Fri\", \"Sat\"]; [] makes every day a session

error: 1 problem in fixtures/bad/weekend-all-seven.toml
",
    );
}

/// Weekday names ignore case, so "fri" repeats "Fri".
#[test]
fn whole_message_weekend_duplicate() {
    assert_whole(
        "weekend-duplicate",
        "\
error: fixtures/bad/weekend-duplicate.toml:46:26: auction.weekend: Fri is listed twice (allowed: each weekday once)
   |
46 | weekend = [\"Fri\", \"Sat\", \"fri\"]
   |                          ^^^^^
   |
   = help: remove one of the two

error: 1 problem in fixtures/bad/weekend-duplicate.toml
",
    );
}

#[test]
fn whole_message_holiday_duplicate() {
    assert_whole(
        "holiday-duplicate",
        "\
error: fixtures/bad/holiday-duplicate.toml:46:39: auction.holidays: 2023-01-01 is listed twice (allowed: each date once)
   |
46 | holidays = [\"2023-01-01\", 2023-02-05, \"2023-01-01\"]
   |                                       ^^^^^^^^^^^^
   |
   = help: remove one of the two

error: 1 problem in fixtures/bad/holiday-duplicate.toml
",
    );
}

#[test]
fn whole_message_changes_empty_set() {
    assert_whole(
        "changes-empty-set",
        "\
error: fixtures/bad/changes-empty-set.toml:71:7: changes[0].set: the table is empty, so the change sets nothing (allowed: at least one path and value, e.g. { \"auction.rejection_rate\" = 0.5 })
   |
71 | set = { }
   |       ^^^
   |
   = help: add what changes from this month, or remove the [[changes]] entry

error: 1 problem in fixtures/bad/changes-empty-set.toml
",
    );
}

/// A change of an opening stock would do nothing (the engine reads it in
/// the first month only): refused where it is written, and so is the
/// same step given on the command line.
#[test]
fn whole_message_change_of_an_opening_stock() {
    assert_whole(
        "change-opening-stock",
        "\
error: fixtures/bad/change-opening-stock.toml:71:9: changes[0].set.\"custody.opening_balance_usd\": custody.opening_balance_usd is a stock at the start of the timeline, read in 2023-01 only, so a step from 2023-02 would change nothing (allowed: changes of flows, rates and shares; an opening stock is set once, in its own section)
   |
71 | set = { \"custody.opening_balance_usd\" = 2000000 }
   |         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   |
   = help: remove it from this change, or set its value in [custody]

error: 1 problem in fixtures/bad/change-opening-stock.toml
",
    );
    let o = dinarflow(&[
        "run",
        "fixtures/small.toml",
        "--set",
        "airlift.vault_opening_usd@2023-02=5",
    ]);
    assert_eq!(o.code, 2);
    assert!(o.stdout.is_empty());
    assert_eq!(
        o.stderr,
        "error: --set airlift.vault_opening_usd@2023-02=5: airlift.vault_opening_usd is a stock at the start of the timeline, \
         read in 2023-01 only, so a step from 2023-02 would change nothing \
         (allowed: airlift.vault_opening_usd=VALUE or airlift.vault_opening_usd@2023-01=VALUE)\n"
    );
    // In the first month the step is the opening value itself: run with
    // it equals run with the whole value (fixtures/small.toml opens its
    // vault with $100,000; here $5).
    let step = ok(&[
        "run",
        "fixtures/small.toml",
        "--set",
        "airlift.vault_opening_usd@2023-01=5",
        "--format",
        "csv",
    ]);
    let whole = ok(&[
        "run",
        "fixtures/small.toml",
        "--set",
        "airlift.vault_opening_usd=5",
        "--format",
        "csv",
    ]);
    assert_eq!(step.stdout, whole.stdout);
}

#[test]
fn whole_message_lag_weights_each_reported() {
    assert_whole(
        "lag-weights-out-of-range",
        "\
error: fixtures/bad/lag-weights-out-of-range.toml:56:16: prices.lag_weights[0]: 1.5 is out of range (allowed: 0 to 1)
   |
56 | lag_weights = [1.5, -0.3, -0.2]
   |                ^^^
   |
   = help: shares are fractions of 1; if 1.5 is a percentage, write 0.015

error: fixtures/bad/lag-weights-out-of-range.toml:56:21: prices.lag_weights[1]: -0.3 is out of range (allowed: 0 to 1)
   |
56 | lag_weights = [1.5, -0.3, -0.2]
   |                     ^^^^
   |

error: fixtures/bad/lag-weights-out-of-range.toml:56:27: prices.lag_weights[2]: -0.2 is out of range (allowed: 0 to 1)
   |
56 | lag_weights = [1.5, -0.3, -0.2]
   |                           ^^^^
   |

error: 3 problems in fixtures/bad/lag-weights-out-of-range.toml
",
    );
}

#[test]
fn whole_message_correlation_factor_named_as_value() {
    assert_whole(
        "correlation-factor-named-as-value",
        "\
error: fixtures/bad/correlation-factor-named-as-value.toml:79:1: correlation.\"exports.price_usd_per_bbl|auction.cash_share\": `exports.price_usd_per_bbl` has no [uncertainty] entry (allowed: paths of [uncertainty] entries: only uncertain inputs can be correlated)
   |
79 | \"exports.price_usd_per_bbl|auction.cash_share\" = 0.5
   | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   |
   = help: [uncertainty] draws it as \"exports.price_usd_per_bbl*\"; write that here

error: 1 problem in fixtures/bad/correlation-factor-named-as-value.toml
",
    );
}

/// An empty or blank `source` is no citation: refused on a value and on a
/// change entry alike, instead of being counted as a published source.
#[test]
fn whole_message_empty_source() {
    assert_whole(
        "empty-source",
        "\
error: fixtures/bad/empty-source.toml:12:44: exports.price_usd_per_bbl.source: an empty source; cite the publication or use note = … for an assumption
   |
12 | price_usd_per_bbl = { value = 80, source = \"  \" }
   |                                            ^^^^
   |

error: fixtures/bad/empty-source.toml:73:10: changes[0].source: an empty source; cite the publication or use note = … for an assumption
   |
73 | source = \"\"
   |          ^^
   |

error: 2 problems in fixtures/bad/empty-source.toml
",
    );
}

// --- files that cannot be read as a model

#[test]
fn a_missing_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-such-model.toml");
    let p = path.to_str().unwrap();
    let o = dinarflow(&["check", p]);
    let c = complaints(&o, 2, &[&format!("error: {p}: no such file")]);
    assert!(c.is_empty(), "{c:?}\n{}", o.stderr);
}

#[test]
fn a_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().to_str().unwrap();
    let o = dinarflow(&["check", p]);
    let c = complaints(&o, 2, &[&format!("error: {p}: is a directory, not a model file")]);
    assert!(c.is_empty(), "{c:?}\n{}", o.stderr);
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("locked.toml");
    std::fs::copy("fixtures/small.toml", &path).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root (as in CI containers) reads a mode-000 file anyway, so there is no
    // unreadable file to test with; the case is skipped rather than faked.
    if std::fs::read(&path).is_ok() {
        eprintln!("note: running with privileges that read mode-000 files; unreadable-file case skipped");
        return;
    }
    let p = path.to_str().unwrap();
    let o = dinarflow(&["check", p]);
    let c = complaints(
        &o,
        2,
        &[&format!("error: {p}: permission denied: cannot read it")],
    );
    assert!(c.is_empty(), "{c:?}\n{}", o.stderr);
}

#[test]
fn fixtures_exist_where_the_tests_look() {
    // Guards against the table-driven test silently running on nothing.
    assert!(Path::new("fixtures/bad/rate-as-percent.toml").is_file());
    assert!(CASES.len() >= 45);
}

/// A ledger balance carries the opening balances and every month's
/// revenue: an overflow there names the volume, the price and the buyers
/// too, not only the step that failed (it once named the opening balance
/// and the airlift's inputs, leaving out the 2e23 barrels a day).
#[test]
fn a_ledger_overflow_names_the_revenue_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.toml");
    let text = std::fs::read_to_string("fixtures/small.toml")
        .unwrap()
        .replace("volume_bpd = 1000\n", "volume_bpd = 2e23\n")
        .replace(
            "opening_balance_usd = 1000000\n",
            "opening_balance_usd = 500_000_000_000_000_000_000_000_000\n",
        )
        .replace(
            "transport_usd_per_flight = 1000\n",
            "transport_usd_per_flight = 1000.01\n",
        );
    std::fs::write(&path, text).unwrap();
    let f = path.to_str().unwrap();
    // Custody: 5e26 + 4.712e26 of net revenue, less the cent of the first
    // flight's transport: 29 digits with the cents, past an exact decimal.
    let expected = format!(
        "\
error: {f}: 2023-01: arithmetic overflow while computing a ledger balance; the numbers of this model are too large to compute exactly
 = the inputs of a ledger balance in 2023-01:
   {f}:27: custody.opening_balance_usd = 500000000000000000000000000
   {f}:39: airlift.vault_opening_usd = 100000
   {f}:11: exports.volume_bpd = 200000000000000000000000
   {f}:12: exports.price_usd_per_bbl = 80
   {f}:16: exports.buyers[China].share = 0.3
   (default): exports.buyers[China].price_offset_usd_per_bbl = 0
   {f}:20: exports.buyers[Others].share = 0.7
   (default): exports.buyers[Others].price_offset_usd_per_bbl = 0
   {f}:34: airlift.cash_usd_per_month = 1200000
   {f}:35: airlift.plane_capacity_usd = 500000
   {f}:36: airlift.transport_usd_per_flight = 1000.01
   {f}:37: airlift.security_usd_per_flight = 500
   … and 1 more
"
    );
    let o = dinarflow(&["run", f]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    let warned = format!("warning: 2 warnings in {f}\n");
    assert_eq!(
        o.stderr.split_once(&warned).map(|x| x.1),
        Some(expected.as_str()),
        "{}",
        o.stderr
    );
}

/// A whole-number option given a negative, fractional or wrong value says
/// what is allowed (clap's own parser told the user to write `-- -5`,
/// which makes -5 a model file, and called 1.5 "invalid digit found in
/// string"); a negative tolerance reaches solve's own check.
#[test]
fn whole_number_options_say_what_they_allow() {
    for (args, said) in [
        (
            &["mc", "-n", "10", "--seed", "-5"][..],
            "error: invalid value '-5' for '--seed <S>': a negative number (allowed: a whole number from 0 to 18,446,744,073,709,551,615)\n",
        ),
        (
            &["mc", "-n", "1.5"][..],
            "error: invalid value '1.5' for '-n <N>': not a whole number (allowed: a whole number from 1 to 200,000,000)\n",
        ),
        (
            &["sobol", "-n", "x"][..],
            "error: invalid value 'x' for '-n <N>': not a number (allowed: a whole number from 2 to 65,536)\n",
        ),
        (
            &["serve", "--port", "70000"][..],
            "error: invalid value '70000' for '--port <N>': too large (allowed: a whole number from 0 to 65,535)\n",
        ),
    ] {
        let o = dinarflow(args);
        assert_eq!(o.code, 2, "{args:?}");
        let first = o.stderr.split("\n\n").next().unwrap().to_string() + "\n";
        assert_eq!(first, said, "{args:?}");
    }
    let o = dinarflow(&[
        "solve",
        "--vary",
        "auction.rejection_rate",
        "--target",
        "parallel_rate=1600",
        "--tolerance",
        "-1",
    ]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.ends_with("error: --tolerance must be 0 or more\n"),
        "{}",
        o.stderr
    );
}

#[test]
fn whole_message_unquoted_path_in_a_change() {
    // The caret under the key TOML read, and the path it was meant as.
    assert_whole(
        "unquoted-path-in-change",
        "\
error: fixtures/bad/unquoted-path-in-change.toml:71:9: changes[0].set.\"auction\": `auction` names no numeric parameter (allowed: a parameter path such as auction.rejection_rate (timeline, names, weekend and holidays cannot change))
   |
71 | set = { auction.official_rate_iqd_per_usd = 1310, \"auction.rejection_rate\" = 0.5 }
   |         ^^^^^^^
   |
   = help: without quotes, TOML reads auction.official_rate_iqd_per_usd as a table `auction`; write the path in quotes: \"auction.official_rate_iqd_per_usd\" = …

error: 1 problem in fixtures/bad/unquoted-path-in-change.toml
",
    );
}

/// A byte-order mark before a valid model changes nothing: the same
/// numbers as without it.
#[test]
fn a_byte_order_mark_before_a_valid_model_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let with = dir.path().join("bom.toml");
    let text = std::fs::read_to_string("fixtures/small.toml").unwrap();
    std::fs::write(&with, format!("\u{feff}{text}")).unwrap();
    let a = ok(&["run", with.to_str().unwrap(), "--format", "csv"]);
    let b = ok(&["run", "fixtures/small.toml", "--format", "csv"]);
    assert_eq!(a.stdout, b.stdout);
}

/// Two entries that change one path in the same month: both named as
/// `changes[N]`, as the path of the problem names them, and both lines
/// shown, the first entry's key marked too (it once said "changes[0],
/// [[changes]] entry 1 of the file" and showed the second line only).
#[test]
fn whole_message_change_same_path_twice_points_at_both_entries() {
    assert_whole(
        "change-same-path-twice",
        "\
error: fixtures/bad/change-same-path-twice.toml:76:9: changes[1].set.\"auction.rejection_rate\": auction.rejection_rate is changed from 2023-02 twice, by changes[0] and by changes[1] (allowed: one change per path and month)
   |
71 | set = { \"auction.official_rate_iqd_per_usd\" = 1310, \"auction.rejection_rate\" = 0.5 }
   |                                                     ------------------------ changes[0] sets it from 2023-02
72 | note = \"revaluation and easier screening\"
...
75 | from = \"2023-02\"
76 | set = { \"auction.rejection_rate\" = 0.6 }
   |         ^^^^^^^^^^^^^^^^^^^^^^^^ changes[1] sets it from 2023-02 again
   |
   = help: keep one of the two values: 0.5 (changes[0]) or 0.6 (changes[1])

error: 1 problem in fixtures/bad/change-same-path-twice.toml
",
    );
}

/// An empty file is told the four sections every model needs, not the
/// optional market and airlift sections, and where to start.
#[test]
fn whole_message_empty_file_lists_only_the_required_sections() {
    assert_whole(
        "empty",
        "\
error: fixtures/bad/empty.toml: the file is empty (allowed: a model with at least [model] (its name), [timeline], [exports] with one or more [[exports.buyers]], and [custody])
 = help: `dinarflow init FILE` writes a commented starter model with every section; [deductions], [airlift], [auction], [parallel_market], [prices] and the rest are optional

error: 1 problem in fixtures/bad/empty.toml
",
    );
}

/// A quoted count of months is told it is a whole number of months and
/// the literal to write (it was offered "a number such as 0.8").
#[test]
fn whole_message_months_quoted() {
    assert_whole(
        "timeline-months-quoted",
        "\
error: fixtures/bad/timeline-months-quoted.toml:8:10: timeline.months: expected a whole number of months, found the string \"12\" (allowed: a whole number from 1 to 600)
  |
8 | months = \"12\"
  |          ^^^^
  |
  = help: remove the quotes: months = 12

error: 1 problem in fixtures/bad/timeline-months-quoted.toml
",
    );
}

/// `stdev` is another word for `sd`, which spelling distance does not
/// find: one problem, at the key, saying what it is written as (not a
/// second one for the missing `sd`).
#[test]
fn whole_message_stdev_for_sd() {
    assert_whole(
        "uncertainty-stdev",
        "\
error: fixtures/bad/uncertainty-stdev.toml:75:55: uncertainty.\"auction.cash_share\".stdev: unknown key `stdev` in [uncertainty.\"auction.cash_share\"] (allowed: dist, mean, sd)
   |
75 | \"auction.cash_share\" = { dist = \"normal\", mean = 0.2, stdev = 0.02 }
   |                                                       ^^^^^
   |
   = help: did you mean `sd`? it is written `sd` here

error: 1 problem in fixtures/bad/uncertainty-stdev.toml
",
    );
}

#[test]
fn whole_message_weekday_in_full() {
    assert_whole(
        "weekend-full-name",
        "\
error: fixtures/bad/weekend-full-name.toml:46:12: auction.weekend: \"Friday\" is not a weekday (allowed: Mon, Tue, Wed, Thu, Fri, Sat, Sun)
   |
46 | weekend = [\"Friday\", \"Sat\"]
   |            ^^^^^^^^
   |
   = help: did you mean \"Fri\"? weekdays are written with their first three letters

error: 1 problem in fixtures/bad/weekend-full-name.toml
",
    );
}

/// A key of [auction] written under [timeline]: the section it belongs in.
#[test]
fn whole_message_key_in_the_wrong_section() {
    assert_whole(
        "key-in-wrong-section",
        "\
error: fixtures/bad/key-in-wrong-section.toml:9:1: timeline.weekend: unknown key `weekend` in [timeline] (allowed: start, months)
  |
9 | weekend = [\"Fri\", \"Sat\"]
  | ^^^^^^^
  |
  = help: `weekend` belongs in [auction], not in [timeline]; move it there

error: 1 problem in fixtures/bad/key-in-wrong-section.toml
",
    );
}

/// A file saved by a Windows program in Windows-1252: the line and
/// column of the first byte that is not UTF-8 (0xE9, the "é" of
/// "Résumé", column 17 of line 4), how to save it as UTF-8, and what the
/// byte was meant to be.
#[test]
fn whole_message_a_file_saved_in_windows_1252() {
    assert_whole(
        "windows-1252",
        "\
error: fixtures/bad/windows-1252.toml:4:17: byte 0xE9 is not UTF-8; model files are read as UTF-8 text
  |
4 | description = \"R\u{fffd}sum\u{fffd}: two months, round numbers\"
  |                 ^
  |
  = note: in Windows-1252, the encoding Windows programs often save in, 0xE9 is \"é\"
  = help: save the file as UTF-8 (in most editors: Save As, then the encoding \"UTF-8\")

error: 1 problem in fixtures/bad/windows-1252.toml
",
    );
}

/// A file saved as UTF-16 (Excel's "Unicode Text"): said in words, not
/// as the byte offset of its first NUL.
#[test]
fn a_file_saved_as_utf16_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.toml");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(
        "[model]\nname = \"x\"\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    std::fs::write(&path, bytes).unwrap();
    let p = path.to_str().unwrap();
    let o = dinarflow(&["check", p]);
    assert_eq!(o.code, 2);
    assert_eq!(
        o.stderr,
        format!("error: {p}: is UTF-16 text, and model files are read as UTF-8; save it again with the encoding \"UTF-8\"\n")
    );
}

#[test]
fn whole_message_changes_with_one_bracket() {
    assert_whole(
        "changes-one-bracket",
        "\
error: fixtures/bad/changes-one-bracket.toml:69:1: changes: expected a list of tables, found a table (allowed: [[changes]] entries)
   |
69 | [changes]
   | ^^^^^^^^^
   |
   = help: write [[changes]], with two brackets: each entry of the list is its own [[changes]] table

error: 1 problem in fixtures/bad/changes-one-bracket.toml
",
    );
}

/// A path written beside `from` instead of inside `set = { … }`: one
/// problem, at the path, saying where it goes (not also "needs `set`").
#[test]
fn whole_message_change_path_outside_set() {
    assert_whole(
        "change-path-outside-set",
        "\
error: fixtures/bad/change-path-outside-set.toml:71:1: changes[0].\"auction.rejection_rate\": unknown key `auction.rejection_rate` in changes[0] (allowed: from, set, note, source)
   |
71 | \"auction.rejection_rate\" = 0.5
   | ^^^^^^^^^^^^^^^^^^^^^^^^
   |
   = help: a [[changes]] entry sets its paths inside `set`: write set = { \"auction.rejection_rate\" = … }

error: 1 problem in fixtures/bad/change-path-outside-set.toml
",
    );
}
