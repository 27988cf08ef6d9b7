//! The one progress bar of the command line: on standard error, only on a
//! terminal and without `--quiet`, only once a run has taken more than a
//! second, and gone when the bar is dropped. The library reports progress through
//! [`crate::sensitivity::Progress`]; this draws it. Ticks are counted per
//! thread and passed on in batches, so a million cheap evaluations cost
//! the bar almost nothing.

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::sensitivity::Progress;

thread_local! {
    static PENDING: Cell<u64> = const { Cell::new(0) };
}

/// What a bar counts.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Unit {
    /// Whole model runs (sweep, tornado, solve, diff): each one is passed
    /// on at once.
    Runs,
    /// Evaluations of the many-draw kernels (mc, sobol, morris): passed on
    /// 512 at a time.
    Evaluations,
}

pub(crate) struct Bar {
    bar: indicatif::ProgressBar,
    started: Instant,
    enabled: bool,
    shown: AtomicBool,
    batch: u64,
}

impl Bar {
    pub(crate) fn new(quiet: bool, unit: Unit) -> Bar {
        use std::io::IsTerminal;
        let (noun, batch) = match unit {
            Unit::Runs => ("runs", 1),
            Unit::Evaluations => ("evaluations", 512),
        };
        let bar = indicatif::ProgressBar::hidden();
        let template = format!("{{bar:40}} {{pos}}/{{len}} {noun}, {{elapsed}} (eta {{eta}})");
        if let Ok(style) = indicatif::ProgressStyle::with_template(&template) {
            bar.set_style(style);
        }
        Bar {
            bar,
            started: Instant::now(),
            enabled: !quiet && std::io::stderr().is_terminal(),
            shown: AtomicBool::new(false),
            batch,
        }
    }

    fn flush(&self, n: u64) {
        self.bar.inc(n);
        if self.enabled
            && !self.shown.load(Ordering::Relaxed)
            && self.started.elapsed() > Duration::from_secs(1)
        {
            self.shown.store(true, Ordering::Relaxed);
            self.bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }
}

impl Progress for Bar {
    fn start(&self, total: u64) {
        PENDING.with(|p| p.set(0));
        self.bar.set_length(total);
        self.bar.set_position(0);
    }
    fn tick(&self) {
        PENDING.with(|p| {
            let v = p.get() + 1;
            if v >= self.batch {
                p.set(0);
                self.flush(v);
            } else {
                p.set(v);
            }
        });
    }
    fn finish(&self) {
        PENDING.with(|p| p.set(0));
        if let Some(len) = self.bar.length() {
            self.bar.set_position(len);
        }
    }
}

/// The bar goes when the work is done: drop it before writing anything else.
impl Drop for Bar {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
