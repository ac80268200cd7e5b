//! `corpuslint report`: `check` with the HTML reporter.

use super::args::{CheckArgs, ReportArgs};
use corpuslint::config::FailOn;
use corpuslint::report::html::{HtmlOptions, HtmlReport};
use std::io;
use termcolor::ColorChoice;

pub(crate) fn report(args: ReportArgs, color: ColorChoice) -> io::Result<u8> {
    let opts = HtmlOptions {
        output: args.output.clone(),
        samples: args.samples,
        worst: args.worst,
        max_boilerplate_share: None,
        inputs: args.paths.clone(),
        generated: generated_line(),
    };
    let check = CheckArgs {
        paths: args.paths,
        format: corpuslint::report::Format::Human,
        input: args.input,
        // The report is the product: findings do not fail the run.
        fail_on: Some(FailOn::Never),
        fix: false,
        unsafe_fixes: args.unsafe_fixes,
        diff: false,
        output_file: None,
        baseline: None,
        write_baseline: None,
        // The progress bar of a counting run.
        statistics: true,
        attributes_name: String::new(),
        output_dir: None,
    };
    super::check::check_with(
        check,
        color,
        Some(Box::new(move |set, config| {
            let mut opts = opts;
            opts.max_boilerplate_share = config
                .and_then(|c| c.filter.as_ref())
                .and_then(|f| f.max_boilerplate_share);
            Box::new(HtmlReport::new(opts, set.rules()))
        })),
    )
}

/// The one line of the page that differs between two runs over the same
/// input: when it was written. `SOURCE_DATE_EPOCH` fixes it, for
/// reproducible builds of a page.
fn generated_line() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        });
    format!("Generated {} UTC", utc(secs))
}

/// `secs` since 1970 as `YYYY-MM-DD HH:MM:SS` (UTC), by the civil-from-days
/// algorithm of Howard Hinnant.
fn utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rest = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn utc_dates() {
        assert_eq!(super::utc(0), "1970-01-01 00:00:00");
        assert_eq!(super::utc(951_782_400), "2000-02-29 00:00:00");
        assert_eq!(super::utc(1_796_300_000), "2026-12-03 12:13:20");
    }
}
