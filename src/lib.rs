//! affcast: a Monte Carlo forecast of affiliate commissions — pending, confirmed, payable and
//! cash in the bank, month by month — for AliExpress-style programs.
//!
//! Data flows one way: scenario file → [`scenario`] (raw, then checked against the parameter
//! table into a [`model::Scenario`]) → [`engine`] (one consistent world per trial, trials in
//! parallel, an observed [`pipeline`] beside the scenario) → [`ledger`] (monthly accounts per
//! trial) → [`stats`] (bands across trials) → [`report`]. Order exports are read by
//! [`exports`]. Front ends call the service functions of [`app`], which print nothing.

pub mod advice;
pub mod app;
pub mod backtest;
pub mod choice;
pub mod compare;
pub mod engine;
pub mod error;
pub mod exports;
pub mod fit;
pub mod i18n;
pub mod ledger;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod refresh;
pub mod report;
pub mod scenario;
pub mod scorecard;
pub mod sensitivity;
pub mod serve;
pub mod stats;
pub mod store;

pub use app::run_forecast as forecast;
pub use error::{Error, Result};
