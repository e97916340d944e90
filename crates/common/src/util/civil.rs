//! Local civil time, as diagnostic file names carry it (`yyyymmdd`, `hhmmss`): the names
//! `heaptui capture` writes and the folder picker reads.

use std::time::{SystemTime, UNIX_EPOCH};

/// Local civil time of `time`: (`yyyymmdd`, `hhmmss`, nanoseconds).
pub fn local_civil(time: SystemTime) -> Option<(u64, u64, u32)> {
    let since = time.duration_since(UNIX_EPOCH).ok()?;
    // `time_t` by inference: naming the alias is deprecated on musl.
    let seconds = since.as_secs().try_into().ok()?;
    // SAFETY: `tm` is plain data (its zone pointer may be null); localtime_r writes only the
    // `tm` it is given and reads `seconds`.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    if unsafe { libc::localtime_r(&seconds, &mut tm) }.is_null() {
        return None;
    }
    let field = |v: libc::c_int| u64::try_from(v).ok();
    let date = (field(tm.tm_year)? + 1900) * 10_000 + (field(tm.tm_mon)? + 1) * 100;
    let time = field(tm.tm_hour)? * 10_000 + field(tm.tm_min)? * 100 + field(tm.tm_sec)?;
    Some((date + field(tm.tm_mday)?, time, since.subsec_nanos()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_and_times_are_in_range() {
        let (date, time, nanos) = super::local_civil(std::time::SystemTime::now()).unwrap();
        assert!((20_240_101..21_000_101).contains(&date), "{date}");
        assert!(
            time < 24_00_00 && time % 100 < 61 && time / 100 % 100 < 60,
            "{time}"
        );
        assert!(nanos < 1_000_000_000);
    }
}
