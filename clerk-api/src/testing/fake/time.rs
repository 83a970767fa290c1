//! The fake's clock (Unix milliseconds, as every timestamp of the API) and the RFC 3339
//! times some request bodies carry (`created_at`, `legal_accepted_at`).

use super::error::{Failure, Outcome};
use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the epoch, strictly increasing from one call to the next, so the
/// order of creation is the order of `created_at` even within one millisecond.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    last: i64,
}

impl Clock {
    pub fn now(&mut self) -> i64 {
        self.last = wall_ms().max(self.last + 1);
        self.last
    }
}

/// The wall clock in Unix milliseconds, for values computed when answering (the time a
/// lock has left, whether an invitation has expired).
pub(crate) fn wall_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// `value` (`2024-05-01T12:00:00Z`, `2024-05-01T14:00:00.5+02:00`) as Unix milliseconds;
/// 422 `form_param_invalid_time` naming `param` otherwise.
pub(crate) fn parse_rfc3339(param: &str, value: &str) -> Outcome<i64> {
    rfc3339_millis(value).ok_or_else(|| {
        Failure::new(
            422,
            "form_param_invalid_time",
            "invalid format",
            format!("{param} has to be an RFC 3339 time, such as 2024-05-01T12:00:00Z."),
        )
        .param(param)
    })
}

fn rfc3339_millis(value: &str) -> Option<i64> {
    let b = value.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = value.get(range)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    if second > 60 {
        return None;
    }
    let mut rest = &value[19..];
    let mut millis = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let len = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if len == 0 {
            return None;
        }
        let padded = format!("{:0<3}", &fraction[..len.min(3)]);
        millis = padded.parse::<i64>().ok()?;
        rest = &fraction[len..];
    }
    let offset_minutes = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6 && rest.as_bytes()[3] == b':' => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let hours: i64 = rest[1..3].parse().ok()?;
            let minutes: i64 = rest[4..6].parse().ok()?;
            sign * (hours * 60 + minutes)
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset_minutes * 60;
    Some(seconds * 1_000 + millis)
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_times_become_unix_milliseconds() {
        assert_eq!(rfc3339_millis("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            rfc3339_millis("2024-02-29T12:30:15.250Z"),
            Some(1_709_209_815_250)
        );
        assert_eq!(
            rfc3339_millis("2024-02-29T14:30:15.25+02:00"),
            Some(1_709_209_815_250)
        );
        assert_eq!(rfc3339_millis("2024-02-29"), None);
        assert_eq!(rfc3339_millis("2024-13-01T00:00:00Z"), None);
        assert_eq!(rfc3339_millis("2024-01-01T00:00:00"), None);
    }

    #[test]
    fn the_clock_never_repeats_a_millisecond() {
        let mut clock = Clock::default();
        let times: Vec<i64> = (0..100).map(|_| clock.now()).collect();
        assert!(times.windows(2).all(|w| w[0] < w[1]));
    }
}
