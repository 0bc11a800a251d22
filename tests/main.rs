//! affcast's integration tests: one binary, one module per concern.

// Test fixtures cast small, known values (days, counts, cents of hand-made orders).
#![allow(clippy::cast_possible_truncation)]

mod common;

mod app;
mod architecture;
mod backtest;
mod cli;
mod decisions;
mod exporters;
mod fit;
mod fuzz_regressions;
mod hardening;
mod identities;
mod ledger;
mod links;
mod model;
mod output_paths;
mod page;
mod params_table;
mod pipeline;
mod programs;
mod real_data;
mod realworld;
mod report;
mod rough_edges;
mod serve;
mod server_limits;
mod snapshots;
mod spreadsheet_limits;
mod track;
mod validation;
