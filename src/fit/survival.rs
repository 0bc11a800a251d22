//! Kaplan–Meier: the distribution of a time to an event when some subjects have not had the
//! event yet (censored). Still-pending orders are censored at the export time, never counted
//! as finished.

/// The Kaplan–Meier survival curve: (time, S(time)) after each event time, S decreasing.
#[derive(Debug, Clone, PartialEq)]
pub struct KaplanMeier {
    steps: Vec<(f64, f64)>,
    /// Number of observed events.
    pub events: usize,
    /// Number of censored observations.
    pub censored: usize,
}

impl KaplanMeier {
    /// From (time, event happened) pairs; `false` means censored at that time.
    pub fn new(mut obs: Vec<(f64, bool)>) -> KaplanMeier {
        // At equal times, events come before censorings (the usual convention).
        obs.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
        let events = obs.iter().filter(|o| o.1).count();
        let censored = obs.len() - events;
        let mut at_risk = obs.len();
        let mut s = 1.0;
        let mut steps = Vec::new();
        let mut i = 0;
        while i < obs.len() {
            let t = obs[i].0;
            let (mut d, mut c) = (0, 0);
            while i < obs.len() && obs[i].0 == t {
                if obs[i].1 {
                    d += 1
                } else {
                    c += 1
                }
                i += 1;
            }
            if d > 0 {
                s *= 1.0 - d as f64 / at_risk as f64;
                steps.push((t, s));
            }
            at_risk -= d + c;
        }
        KaplanMeier {
            steps,
            events,
            censored,
        }
    }

    /// The smallest time by which a share `q` of subjects has had the event, if the data
    /// reach that far.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        self.steps
            .iter()
            .find(|&&(_, s)| s <= 1.0 - q + 1e-12)
            .map(|&(t, _)| t)
    }

    /// S(t): the share still without the event at time t.
    pub fn survival(&self, t: f64) -> f64 {
        self.steps
            .iter()
            .take_while(|&&(x, _)| x <= t)
            .last()
            .map_or(1.0, |&(_, s)| s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textbook_example() {
        // Times 1, 2+, 3, 3, 4+, 5: S(1) = 5/6, S(3) = 5/6 · 2/4, S(5) = 0.
        let km = KaplanMeier::new(vec![
            (1.0, true),
            (2.0, false),
            (3.0, true),
            (3.0, true),
            (4.0, false),
            (5.0, true),
        ]);
        assert!((km.survival(1.0) - 5.0 / 6.0).abs() < 1e-12);
        assert!((km.survival(3.5) - 5.0 / 12.0).abs() < 1e-12);
        assert_eq!(km.survival(5.0), 0.0);
        assert_eq!(km.quantile(0.5), Some(3.0));
        assert_eq!(km.quantile(0.9), Some(5.0));
        assert_eq!((km.events, km.censored), (4, 2));
    }

    #[test]
    fn censoring_without_events_never_reaches_the_quantile() {
        let km = KaplanMeier::new(vec![(1.0, true), (2.0, false), (3.0, false), (4.0, false)]);
        assert_eq!(km.quantile(0.5), None);
        assert_eq!(km.quantile(0.2), Some(1.0));
    }
}
