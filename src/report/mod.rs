//! What each command reports, built from a model and its run, and written
//! to any `Write` in each format the command offers.

pub mod assumptions;
pub mod brief;
pub mod run;
pub mod trace;
