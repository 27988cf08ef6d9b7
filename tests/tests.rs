//! The integration tests, one binary (as ripgrep, just and xsv have): one
//! module per command (`cli_sweep` tests `src/cli/sweep.rs`) or concern,
//! sharing the command builder in `common/`.

mod common;

mod bad_input;
mod bounded_input;
mod cli_backtest;
mod cli_brief;
mod cli_charts;
mod cli_check;
mod cli_completions;
mod cli_diff;
mod cli_explain;
mod cli_factors;
mod cli_fit;
mod cli_horizon;
mod cli_init;
mod cli_man;
mod cli_mc;
mod cli_merge;
mod cli_morris;
mod cli_run;
mod cli_scenario;
mod cli_sobol;
mod cli_solve;
mod cli_sweep;
mod cli_tornado;
mod cli_trace;
mod cli_what_if;
mod cli_workbooks;
mod factor_props;
mod forecast_error;
mod formats;
mod fuzz_fixtures;
mod golden;
mod guides;
mod hardening;
mod html_briefing;
mod kernel;
mod kernel_blocks;
mod kernel_fast_path;
mod limits;
mod model_v2;
mod output_safety;
mod pictures;
mod printing;
mod properties;
mod readme;
mod readme_prose;
mod reference;
mod sampling;
mod sensitivity_props;
mod serve_api;
mod serve_live;
mod terminal;
mod writing;
