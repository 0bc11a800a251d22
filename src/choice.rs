//! Closed sets of named values a user picks from (an output format, an objective, an export's
//! source, a grouping): each value's name as typed and its line of help, for any front end to
//! list and parse. The command line and the server both read them from here.

/// A closed set of named values.
pub trait Choice: Copy + Send + Sync + 'static {
    /// Every value, in the order they are listed.
    const ALL: &'static [Self];

    /// The name a user types.
    fn name(self) -> &'static str;

    /// A line of help, where the name does not say it all.
    fn help(self) -> Option<&'static str> {
        None
    }

    /// The value named `name` (in any case).
    fn named(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.name().eq_ignore_ascii_case(name))
    }

    /// Every name, for a message: "a, b or c".
    fn names() -> String {
        let names: Vec<&str> = Self::ALL.iter().map(|v| v.name()).collect();
        match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => names.join(""),
        }
    }
}
