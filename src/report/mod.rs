//! Rendering a [`Forecast`]: one exporter per format behind one trait.

pub mod chart;
mod csv;
mod fit;
pub mod groups;
pub mod html;
mod json;
mod markdown;
mod mydata;
mod table;
pub mod track;

mod advice;
mod decisions;
mod forecast;
mod numbers;
mod programs;

pub use advice::{advice_reason, advice_rows, cadence_text, refresh_reason, refresh_rows};
pub use decisions::{
    CompareText, compare_text, input_value, objective_words, sensitivity_rows, verdict_text,
};
pub use forecast::{
    Column, KEY_COLUMNS, assumption_text, calendar_footnote, monthly_header, monthly_legend,
    monthly_rows, note_lines, note_sentences, notes, opening_sentence, outcome_notes, part_rows,
    summary_cell, summary_rows,
};
pub use numbers::{human, metric_unit, money_text, percent, value, whole};

use crate::backtest::Backtest;
use crate::compare::Comparison;
use crate::sensitivity::Sensitivity;
use crate::stats::Forecast;

/// An output format of `forecast`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned tables for a terminal: p50 with the p10–p90 range.
    Table,
    Json,
    /// Tidy: month,metric,mean,p10,p50,p90 (summary rows have month = total).
    Csv,
    Markdown,
}

impl crate::choice::Choice for Format {
    const ALL: &'static [Self] = &[Format::Table, Format::Json, Format::Csv, Format::Markdown];

    fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
        }
    }

    fn help(self) -> Option<&'static str> {
        match self {
            Format::Table => Some("Aligned tables for a terminal: p50 with the p10–p90 range"),
            Format::Csv => {
                Some("Tidy: month,metric,mean,p10,p50,p90 (summary rows have month = total)")
            }
            Format::Json | Format::Markdown => None,
        }
    }
}

impl Format {
    /// The format a file name suggests (`.json`, `.csv`, `.md`), if any.
    pub fn from_extension(path: &std::path::Path) -> Option<Format> {
        match path.extension()?.to_str()? {
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            "md" | "markdown" => Some(Format::Markdown),
            "txt" => Some(Format::Table),
            _ => None,
        }
    }
}

/// Something that turns results into text, one implementation per format.
pub trait Exporter {
    fn render(&self, forecast: &Forecast) -> String;
    fn compare(&self, comparison: &Comparison) -> String;
    fn sensitivity(&self, sweep: &Sensitivity) -> String;
    fn backtest(&self, backtest: &Backtest) -> String;
    /// `affcast track`: the months so far, the pipeline, the nowcast, the kept forecasts.
    fn track(&self, track: &crate::app::track::Track) -> String;
    /// `affcast programs`: the review's scorecard beside the forecast's figures.
    fn programs(&self, view: &crate::app::programs::ProgramsView) -> String;
}

/// The exporter of a format.
pub fn exporter(format: Format) -> Box<dyn Exporter> {
    match format {
        Format::Table => Box::new(table::TableExporter),
        Format::Json => Box::new(json::JsonExporter),
        Format::Csv => Box::new(csv::CsvExporter),
        Format::Markdown => Box::new(markdown::MarkdownExporter),
    }
}
