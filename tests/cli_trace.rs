//! `dinarflow trace`: where the dollars went, from the ledger.

use crate::common::{dinarflow, ok};

#[test]
fn trace_totals_and_conservation() {
    let o = ok(&["trace", "fixtures/small.toml", "--format", "csv"]);
    let rows: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(rows[0], "section,account,amount,share_of_gross_pct");
    assert!(rows.contains(&"opening,custody,1000000,"));
    // 744,000 + 672,000 = 1,416,000 of 4,720,000 = 30.00%.
    assert!(rows.contains(&"revenue in,buyer:China,1416000.00,30.00"));
    // Wires 368,000 + 800,000 = 1,168,000: 24.75% of gross.
    assert!(rows.contains(&"paid out,market:wires,1168000.00,24.75"));
    assert!(rows.contains(&"closing,custody,904600.00,"));
    let o = ok(&["trace", "fixtures/small.toml"]);
    // 1,000,000 + 100,000 + 4,720,000 = 5,820,000 on both sides.
    assert!(o.stdout.contains(
        "Check: opening balances + gross revenue = 5,820,000.00 USD; closing balances + paid out = 5,820,000.00 USD: balances exactly"
    ));
}

#[test]
fn trace_one_month_with_postings() {
    let o = ok(&[
        "trace",
        "fixtures/small.toml",
        "--month",
        "2023-02",
        "--postings",
        "--format",
        "csv",
    ]);
    assert_eq!(
        o.stdout,
        "month,step,from,to,amount\n\
         2023-02,1,buyer:China,custody,672000.00\n\
         2023-02,1,buyer:Others,custody,1568000.00\n\
         2023-02,2,custody,deduction:Kuwait compensation,112000.00\n\
         2023-02,3,custody,payment:Debt service,500000\n\
         2023-02,4,custody,vault,1200000\n\
         2023-02,4,custody,airlift:costs,5700.00\n\
         2023-02,6,vault,market:cash,400000.00\n\
         2023-02,6,custody,market:wires,800000.00\n"
    );
    let o = ok(&["trace", "fixtures/small.toml", "--month", "2023-02"]);
    // Opening of February = closing of January: 1,282,300 + 840,000 + 2,240,000
    // = 4,362,300 = 904,600 + 1,640,000 + 1,817,700 paid out.
    assert!(o
        .stdout
        .contains("= 4,362,300.00 USD; closing balances + paid out = 4,362,300.00 USD: balances exactly"));
}

#[test]
fn trace_json_and_bad_month() {
    let o = ok(&["trace", "fixtures/small.toml", "--format", "json", "--postings"]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["conservation"]["holds"], true);
    assert_eq!(v["postings"].as_array().unwrap().len(), 16);
    let o = dinarflow(&["trace", "fixtures/small.toml", "--month", "2024-01"]);
    assert_eq!(o.code, 2);
    assert_eq!(
        o.stderr,
        "error: --month 2024-01 is outside the timeline (2023-01 to 2023-02); --horizon 2024-01 runs the model on to that month\n"
    );
}

/// A month after the timeline says how to run the model on to it.
#[test]
fn a_month_after_the_timeline_points_to_horizon() {
    let o = dinarflow(&["trace", "--month", "2025-01"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (
            2,
            "error: --month 2025-01 is outside the timeline (2022-11 to 2024-12); --horizon 2025-01 runs the model on to that month\n"
        )
    );
    assert_eq!(
        ok(&[
            "trace",
            "--month",
            "2025-01",
            "--horizon",
            "2025-01",
            "--format",
            "csv"
        ])
        .code,
        0
    );
    // Before the start there is nothing to run on to.
    let o = dinarflow(&["trace", "--month", "2022-10"]);
    assert_eq!(
        o.stderr,
        "error: --month 2022-10 is outside the timeline (2022-11 to 2024-12)\n"
    );
}

/// The flow diagram's five columns of labels need about 1,200 pixels: a
/// smaller `--size` shrinks that layout into the picture instead of
/// laying it out at 640, where the labels ran into each other. Nor is its
/// height squeezed below 70% of what it needs: at 640×480 and at
/// 1200×480 the layout is the same, taller than 480, and the picture
/// keeps its size.
#[test]
fn a_small_flow_diagram_is_the_wide_layout_shrunk() {
    let view_box = |size: &str| {
        let o = ok(&["trace", "--size", size, "--format", "svg"]);
        let head = o.stdout.lines().next().unwrap().to_string();
        // The first `name="…"` of the root element: width, height, viewBox.
        let attr = |name: &str| {
            let after = head.split(&format!(" {name}=\"")).nth(1).unwrap();
            after.split('"').next().unwrap().to_string()
        };
        (attr("width"), attr("height"), attr("viewBox"))
    };
    let (w, h, small) = view_box("640x480");
    assert_eq!((w.as_str(), h.as_str()), ("640", "480"));
    assert!(small.starts_with("0 0 1200 "), "{small}");
    let (_, _, wide) = view_box("1200x480");
    assert_eq!(small, wide);
    let tall: u32 = small.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(tall > 480, "{small}");
}

/// A model of the flows only (no [airlift], no [auction]) skips steps 4
/// to 9, and their accounts are not reported (docs/model.md §5): no vault,
/// no airlift costs, no market rows, nothing "flown". The 1991 scheme:
/// 437,158.47 bpd × 183 days × $20 = $1,600,000,000.20 of gross; 30% and
/// 7.5% of it deducted; 6 × $158,000,000 = $948,000,000 paid; the rest,
/// 1,600,000,000.20 − 480,000,000.06 − 120,000,000.03 − 948,000,000 =
/// $52,000,000.11, stays in the escrow.
#[test]
fn a_flow_only_model_reports_no_accounts_of_skipped_steps() {
    let o = ok(&["trace", "models/oil-for-food-1991.toml", "--format", "csv"]);
    assert_eq!(
        o.stdout,
        "\
section,account,amount,share_of_gross_pct
opening,custody,0,
revenue in,buyer:UN-approved buyers,1600000000.20,100.00
revenue in,gross revenue,1600000000.20,100.00
paid out,deduction:Kuwait compensation,480000000.06,30.00
paid out,deduction:UN operations and Turkish pipeline fees,120000000.03,7.50
paid out,payment:Essential civilian imports,948000000,59.25
closing,custody,52000000.11,
"
    );
}
