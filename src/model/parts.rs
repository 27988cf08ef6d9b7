//! Which parts a model has (docs/model.md v2: the airlift and the market are
//! optional) and reading every numeric section of the file.

use super::market_sections::{read_auction, read_parallel, read_prices};
use super::reader::{Obj, Reader};
use super::sections::{read_airlift, read_custody, read_deductions, read_exports};
use super::*;
use crate::diagnostic::Problem;

/// Reads every numeric section. Whatever failed is stood in for by zeros
/// and empty lists, and `complete` is cleared.
///
/// The airlift and the market are optional parts (docs/model.md v2): a model
/// without `[airlift]` ships no banknotes, and `[auction]`,
/// `[parallel_market]` and `[prices]` come together or not at all (a
/// flow-only model such as Oil-for-Food has none of them). The market needs
/// the airlift: the auction sells the banknotes it flies in.
pub(super) fn read_params(r: &mut Reader, top: &Obj<'_, '_>, complete: &mut bool) -> Params {
    const MARKET: [&str; 3] = ["auction", "parallel_market", "prices"];
    let present = |key: &str| top.get(key).is_some();
    let market = MARKET.iter().any(|k| present(k));
    if market {
        for key in MARKET.iter().filter(|k| !present(k)) {
            let here = MARKET.iter().find_map(|k| top.get(k)).map(|n| n.span());
            r.report(
                Problem::new(
                    here,
                    *key,
                    format!(
                        "missing; [auction], [parallel_market] and [prices] are present together or absent \
                         together, and this file has {}",
                        MARKET
                            .iter()
                            .filter(|k| present(k))
                            .map(|k| format!("[{k}]"))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    ),
                )
                .help("a flow-only model (revenue, deductions, payments and custody) has none of the three"),
            );
            *complete = false;
        }
    }
    let airlift = present("airlift");
    if market && !airlift {
        r.report(
            Problem::new(
                top.get("auction").map(|n| n.span()),
                "airlift",
                "missing; a model with [auction] needs [airlift] (the auction sells the banknotes it flies in)",
            )
            .help("add [airlift], or leave out [auction], [parallel_market] and [prices] for a flow-only model"),
        );
        *complete = false;
    }
    let want = |on: bool, key: &str| on && present(key);
    Params {
        exports: read_exports(r, top, complete),
        deductions: read_deductions(r, top, complete),
        custody: read_custody(r, top, complete),
        airlift: read_airlift(r, top, complete, airlift),
        auction: read_auction(r, top, complete, want(market, "auction")),
        parallel: read_parallel(r, top, complete, want(market, "parallel_market")),
        prices: read_prices(r, top, complete, want(market, "prices")),
        parts: Parts { airlift, market },
    }
}
