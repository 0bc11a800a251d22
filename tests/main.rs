//! affcast's integration tests: one binary, one module per concern.

mod common;

mod cli;
mod decisions;
mod identities;
mod ledger;
mod model;
mod validation;
