//! Program presets and the built-in scenario texts.

use super::raw::{RawDist, RawProgram, RawU};
use crate::model::Preset;

/// The scenario `affcast forecast` runs when no file is given.
pub const DEFAULT_SCENARIO: &str = include_str!("../../scenarios/default.toml");

const STARTER: &str = include_str!("starter.toml");

/// The commented starter file printed by `affcast init`.
pub fn starter_file(preset: Preset) -> String {
    STARTER.replace("{preset}", preset.name())
}

fn spread(median: f64, p90: f64) -> Option<RawDist> {
    Some(RawDist::Spread {
        median: RawU::Fixed(median),
        p90,
    })
}

/// The program keys a preset sets. `withdraw_at` is left out: it defaults to the
/// effective `minimum_payout`.
pub(super) fn program(preset: Preset) -> RawProgram {
    let common = RawProgram {
        preset: None,
        cookie_days: Some(RawU::Fixed(3.0)),
        same_session_share: Some(RawU::Fixed(0.5)),
        purchase_delay_days: spread(1.0, 7.0),
        overwrite_rate: Some(RawU::Fixed(0.02)),
        commission_cap: Some(50.0),
        processing_days: spread(3.0, 7.0),
        confirm_receipt_share: Some(RawU::Fixed(0.7)),
        confirm_delay_days: spread(3.0, 14.0),
        refund_delay_days: spread(5.0, 15.0),
        auto_confirm_days: Some(60.0),
        invalid_after_days: Some(180.0),
        settlement: None,
        settlement_day: None,
        settlement_lag_days: None,
        minimum_payout: None,
        withdraw_at: None,
        payout_fee: None,
        payout_fee_percent: Some(0.0),
        payout_delay_days: Some(5),
    };
    match preset {
        Preset::Portals => RawProgram {
            settlement: Some("monthly".into()),
            settlement_day: Some(25),
            minimum_payout: Some(16.0),
            payout_fee: Some(15.0),
            ..common
        },
        Preset::Admitad => RawProgram {
            settlement: Some("daily".into()),
            settlement_lag_days: Some(2),
            minimum_payout: Some(20.0),
            payout_fee: Some(0.0),
            ..common
        },
    }
}
