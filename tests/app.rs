//! The app layer as a second front end would call it: checked jobs, services that print
//! nothing, progress reported, a cancel flag obeyed.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use affcast::Error;
use affcast::app::{self, CompareJob, ForecastJob, RunOptions, SensitivityJob, Swing};
use affcast::engine::Control;
use affcast::stats::Objective;

fn small() -> RunOptions {
    RunOptions::new(Some(24), Some(3), Some(4), 2, false).unwrap()
}

#[test]
fn a_forecast_reports_every_trial_and_matches_the_binary() {
    let seen = Mutex::new(Vec::new());
    let on_progress = |done: u64, total: u64| seen.lock().unwrap().push((done, total));
    let ctl = Control::quiet().with_progress(&on_progress);
    let job = ForecastJob::new(affcast::scenario::builtin(), None, small()).unwrap();
    let outcome = app::forecast(&job, &ctl).unwrap();
    assert!(outcome.notes.is_empty());
    let seen = seen.into_inner().unwrap();
    // Announced once, then one report per trial, the last with every trial done.
    assert_eq!(seen.len(), 1 + 24);
    assert!(seen.iter().all(|&(_, total)| total == 24));
    assert_eq!(seen.iter().map(|s| s.0).max(), Some(24));
    // The same document the command prints.
    let json = affcast::report::exporter(affcast::report::Format::Json).render(&outcome.value);
    let cli = crate::common::succeed(crate::common::affcast().args([
        "forecast", "--trials", "24", "--seed", "3", "--months", "4", "--format", "json",
    ]));
    assert_eq!(json.as_bytes(), cli.as_slice());
}

#[test]
fn a_cancelled_run_stops_with_cancelled() {
    let cancel = AtomicBool::new(true);
    let ctl = Control::quiet().with_cancel(&cancel);
    let job = ForecastJob::new(affcast::scenario::builtin(), None, small()).unwrap();
    assert!(matches!(app::forecast(&job, &ctl), Err(Error::Cancelled)));
    let sc = affcast::scenario::builtin();
    let job = SensitivityJob::new(
        sc.clone(),
        Swing::new(0.2).unwrap(),
        Objective::default(),
        small(),
    );
    assert!(matches!(
        app::sensitivity(&job, &ctl),
        Err(Error::Cancelled)
    ));
    let job = CompareJob::mixes(sc, &[], Objective::default(), small()).unwrap();
    assert!(matches!(app::compare(&job, &ctl), Err(Error::Cancelled)));
}

#[test]
fn cancelling_midway_stops_before_the_end() {
    let cancel = AtomicBool::new(false);
    let last = Mutex::new(0);
    // The flag goes up after the fifth trial; the run must not complete all 400.
    let on_progress = |done: u64, _| {
        *last.lock().unwrap() = done;
        if done >= 5 {
            cancel.store(true, Ordering::Relaxed);
        }
    };
    let ctl = Control::quiet()
        .with_progress(&on_progress)
        .with_cancel(&cancel);
    let run = RunOptions::new(Some(400), Some(1), Some(6), 1, false).unwrap();
    let job = ForecastJob::new(affcast::scenario::builtin(), None, run).unwrap();
    assert!(matches!(app::forecast(&job, &ctl), Err(Error::Cancelled)));
    assert!(*last.lock().unwrap() < 400);
}

#[test]
fn jobs_refuse_bad_values_once_on_the_way_in() {
    for (trials, months) in [(Some(0), None), (None, Some(121)), (Some(2_000_000), None)] {
        let e = RunOptions::new(trials, None, months, 0, false).unwrap_err();
        assert_eq!(e.exit_code(), 2, "{e}");
    }
    for swing in [0.0, 1.0, -0.1, f64::NAN] {
        assert_eq!(Swing::new(swing).unwrap_err().exit_code(), 2);
    }
}
