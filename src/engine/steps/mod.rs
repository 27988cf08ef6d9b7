//! The steps of docs/model.md §3, each formula once, generic over the
//! arithmetic backend, with its formula text beside it for `explain`.

pub mod airlift;
pub mod auction;
pub mod flows;
pub mod market;
pub mod prices;

#[cfg(test)]
mod tests;
