//! Amounts as exports write them: plain decimals from APIs ("11.13", 1113), and money written
//! for people by dashboards ("US $1,234.50", "1.234,50 €", "R$ 37,92"). A cell is read only
//! when it is one of these; scientific or hexadecimal notation, NaN, infinity and digits
//! inside other text are refused, never read as a number.

/// The decimal separator of a file's amounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Separator {
    Point,
    Comma,
}

/// A cell with a currency sign, letters, spaces or a comma: written for people, not an API.
pub(super) fn for_people(s: &str) -> bool {
    s.chars()
        .any(|c| !(c.is_ascii_digit() || c == '.' || c == '-'))
}

/// The decimal separator a cell reveals, if it tells: both separators (the last one is
/// decimal), a lone comma not followed by exactly three digits, or two or more dots.
pub(super) fn reveals(s: &str) -> Option<Separator> {
    let (_, core, _) = split(s.trim())?;
    let digits: String = core
        .chars()
        .filter(|c| c.is_ascii_digit() || matches!(c, '.' | ','))
        .collect();
    match (digits.rfind('.'), digits.rfind(',')) {
        (Some(d), Some(c)) => Some(if c > d {
            Separator::Comma
        } else {
            Separator::Point
        }),
        (None, Some(c)) if digits.len() - c - 1 != 3 => Some(Separator::Comma),
        (None, Some(_)) if digits.matches(',').count() > 1 => Some(Separator::Point),
        (Some(_), None) if digits.matches('.').count() > 1 => Some(Separator::Comma),
        (Some(d), None) if digits.len() - d - 1 != 3 => Some(Separator::Point),
        _ => None,
    }
}

/// Currency symbols a cell may carry (Unicode's common currency signs).
const SYMBOLS: &str = "$€£¥₽₹₩₺₴₫₱฿₪₦₡₲₵₸₼₾元円¢";

/// Currency words that are not three capital letters (ISO codes are accepted as such).
const WORDS: &[&str] = &[
    "US", "CA", "AU", "NZ", "HK", "SG", "R", "A", "C", "S/.", "руб", "руб.", "р.", "zł", "kr",
    "kr.", "Kč", "Ft", "lei", "Rs", "Rs.", "TL",
];

/// Whether `s` (what stands before or after the number) names a currency, or is empty.
fn is_currency(s: &str) -> bool {
    s.split_whitespace().all(|token| {
        let letters = token.trim_matches(|c| SYMBOLS.contains(c));
        letters.is_empty()
            || WORDS.contains(&letters)
            || (letters.len() == 3 && letters.bytes().all(|b| b.is_ascii_uppercase()))
    })
}

/// A cell cut into what stands before the number, the number (from its sign or first digit to
/// its last digit) and what follows; `None` without a digit.
fn split(s: &str) -> Option<(&str, &str, &str)> {
    let first = s.find(|c: char| c.is_ascii_digit())?;
    let last = s.rfind(|c: char| c.is_ascii_digit())?;
    // A sign or a leading separator (".5") belongs to the number.
    let start = s[..first]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| matches!(c, '-' | '+' | '.' | ','))
        .last()
        .map_or(first, |(i, _)| i);
    Some((&s[..start], &s[start..=last], &s[last + 1..]))
}

/// Why a cell is not an amount, in words.
pub(super) fn why_not(written: &str) -> &'static str {
    let s = written.trim();
    let lower = s.to_ascii_lowercase();
    if ["nan", "inf", "infinity", "-inf", "-infinity", "+inf"].contains(&lower.as_str()) {
        return "not a number; an amount is written with digits";
    }
    let Some((before, core, after)) = split(s) else {
        return "no digits";
    };
    if core.contains(['e', 'E'])
        && core
            .chars()
            .all(|c| c.is_ascii_digit() || "eE.-+".contains(c))
    {
        return "scientific notation; write the amount as a plain decimal (150.00, not 1.5e2)";
    }
    if core.contains(['x', 'X']) {
        return "hexadecimal notation; write the amount as a plain decimal";
    }
    if !is_currency(before) || !is_currency(after) || core.chars().any(char::is_alphabetic) {
        return "digits within other text; an amount is a number, with at most a currency sign or code";
    }
    "not a plain decimal"
}

/// A cell written for people ("US $1,234.50", "€12,50", "1.234,50 €", "1 234,50 руб.") as a
/// plain decimal with a point, reading separators by `point`: `None` unless the cell is a
/// number with at most a currency sign or code before or after it.
pub(super) fn plain(written: &str, point: Separator) -> Option<String> {
    let (before, core, after) = split(written.trim())?;
    let (sign, digits) = match core.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", core.strip_prefix('+').unwrap_or(core)),
    };
    // A sign before the currency ("-$5.00").
    let (sign, before) = match before.trim_start().strip_prefix('-') {
        Some(rest) if sign.is_empty() => ("-", rest),
        _ => (sign, before),
    };
    if !is_currency(before) || !is_currency(after) {
        return None;
    }
    let (decimal, group) = match point {
        Separator::Point => ('.', ','),
        Separator::Comma => (',', '.'),
    };
    let mut out = String::from(sign);
    let mut seen_decimal = false;
    for c in digits.chars() {
        match c {
            '0'..='9' => out.push(c),
            c if c == decimal && !seen_decimal => {
                seen_decimal = true;
                out.push('.');
            }
            // Thousands: the other separator, a space (also no-break and thin) or an
            // apostrophe, and only before the decimal separator.
            c if !seen_decimal
                && (c == group || matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'')) => {}
            _ => return None,
        }
    }
    let unsigned = out.trim_start_matches('-');
    if unsigned.is_empty() || unsigned == "." {
        return None;
    }
    // ".5" is 0.5.
    if unsigned.starts_with('.') {
        out.insert(sign.len(), '0');
    }
    // An amount written for people is never integer minor units.
    if !seen_decimal {
        out.push_str(".00");
    }
    Some(out)
}

/// Whether `s` is a plain decimal: an optional minus, digits, and a point with digits.
pub(super) fn is_plain_decimal(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let (whole, fraction) = s.split_once('.').unwrap_or((s, "0"));
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && !fraction.is_empty()
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_written_for_people_read_as_plain_decimals() {
        let p = Separator::Point;
        let c = Separator::Comma;
        for (written, sep, plain_text) in [
            ("US $1,234.50", p, "1234.50"),
            ("$3.10", p, "3.10"),
            ("-$5.00", p, "-5.00"),
            ("1.234,50 €", c, "1234.50"),
            ("R$ 37,92", c, "37.92"),
            ("1 234,50 руб.", c, "1234.50"),
            ("12 USD", p, "12.00"),
            ("1'234.5", p, "1234.5"),
        ] {
            assert_eq!(
                plain(written, sep).as_deref(),
                Some(plain_text),
                "{written}"
            );
        }
    }

    #[test]
    fn other_notations_and_text_are_not_amounts() {
        for written in [
            "1.5e2",
            "2E3",
            "0x10",
            "1e400",
            "-5e300",
            "NaN",
            "Infinity",
            "abc12def",
            "12 pcs",
            "1.2.3,4,5",
            "",
            "$",
            "12-34",
        ] {
            assert_eq!(plain(written, Separator::Point), None, "{written}");
            assert!(!is_plain_decimal(written), "{written}");
        }
        assert!(why_not("1.5e2").contains("scientific"));
        assert!(why_not("0x10").contains("hexadecimal"));
        assert!(why_not("NaN").contains("not a number"));
        assert!(why_not("abc12def").contains("other text"));
    }
}
