//! Ratios from one run: reads criterion's estimates of the benchmarks just run and prints, for
//! each comparison, the ratio and its target.
//!
//! Absolute times drift on a shared machine; ratios of figures measured minutes apart in the
//! same run hold much better. The figure used is criterion's typical estimate (the slope of
//! the linear regression, or the mean when sampling is flat), the one criterion prints as
//! `time:`; the ratio of the medians is printed too, as a check against outliers.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::SystemTime;

use serde::Deserialize;

/// Where criterion writes its results: `$CRITERION_HOME`, `$CARGO_TARGET_DIR/criterion`, or
/// `criterion/` in the target directory of the running benchmark executable.
pub fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(target).join("criterion");
    }
    // target/<profile>/deps/<bench>-<hash>
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.parent()?.join("criterion")))
        .unwrap_or_else(|| PathBuf::from("target/criterion"))
}

#[derive(Deserialize)]
struct Estimate {
    point_estimate: f64,
}

#[derive(Deserialize)]
struct Estimates {
    mean: Estimate,
    median: Estimate,
    slope: Option<Estimate>,
}

/// One benchmark's time per iteration, in nanoseconds.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// Criterion's typical estimate (slope, or mean).
    pub typical: f64,
    /// The median of the samples' times per iteration.
    pub median: f64,
}

/// The timing of benchmark `group/function` if it was measured since `since` (results of
/// earlier runs, or of benchmarks filtered out, are left out).
pub fn timing(group: &str, function: &str, since: SystemTime) -> Option<Timing> {
    let path = criterion_dir()
        .join(group)
        .join(function)
        .join("new")
        .join("estimates.json");
    let modified = std::fs::metadata(&path).ok()?.modified().ok()?;
    if modified < since {
        return None;
    }
    let estimates: Estimates = serde_json::from_slice(&std::fs::read(&path).ok()?).ok()?;
    Some(Timing {
        typical: estimates.slope.unwrap_or(estimates.mean).point_estimate,
        median: estimates.median.point_estimate,
    })
}

/// Nanoseconds as a short human figure.
pub fn human_time(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.3} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.3} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.3} µs", ns / 1e3)
    } else {
        format!("{ns:.1} ns")
    }
}

/// How a ratio is held against its target.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// The ratio must be at most this.
    AtMost(f64),
    /// The ratio must be below this.
    Below(f64),
    /// The ratio must be at least this.
    AtLeast(f64),
}

impl Target {
    fn met(self, ratio: f64) -> bool {
        match self {
            Target::AtMost(limit) => ratio <= limit,
            Target::Below(limit) => ratio < limit,
            Target::AtLeast(limit) => ratio >= limit,
        }
    }

    fn describe(self) -> String {
        match self {
            Target::AtMost(limit) => format!("<= {limit}"),
            Target::Below(limit) => format!("< {limit}"),
            Target::AtLeast(limit) => format!(">= {limit}"),
        }
    }
}

/// A report of ratios, printed at the end of a benchmark run and kept in
/// `<criterion dir>/<name>-summary.md`.
pub struct Report {
    name: String,
    since: SystemTime,
    text: String,
}

impl Report {
    /// A report of the benchmarks measured from now on.
    pub fn new(name: &str) -> Report {
        Report {
            name: name.to_owned(),
            since: SystemTime::now(),
            text: String::new(),
        }
    }

    /// The time the report started: results older than this are ignored.
    pub fn since(&self) -> SystemTime {
        self.since
    }

    /// Adds a line of text.
    pub fn line(&mut self, text: impl AsRef<str>) {
        self.text.push_str(text.as_ref());
        self.text.push('\n');
    }

    /// Adds the ratio `numerator / denominator` of two benchmarks' times, where `invert`
    /// reports `denominator / numerator` instead (a throughput ratio). Skipped when either
    /// was not measured in this run.
    pub fn ratio(
        &mut self,
        label: &str,
        numerator: (&str, &str),
        denominator: (&str, &str),
        invert: bool,
        target: Target,
    ) {
        let (Some(a), Some(b)) = (
            timing(numerator.0, numerator.1, self.since),
            timing(denominator.0, denominator.1, self.since),
        ) else {
            return;
        };
        let (typical, median) = if invert {
            (b.typical / a.typical, b.median / a.median)
        } else {
            (a.typical / b.typical, a.median / b.median)
        };
        let verdict = if target.met(typical) { "met" } else { "MISSED" };
        let _ = writeln!(
            self.text,
            "{label}: {typical:.3} (medians {median:.3}); target {} -> {verdict}  \
             [{}/{}: {}, {}/{}: {}]",
            target.describe(),
            numerator.0,
            numerator.1,
            human_time(a.typical),
            denominator.0,
            denominator.1,
            human_time(b.typical),
        );
    }

    /// Adds a figure measured otherwise than by time (requests per call, memory), held
    /// against its target; `detail` says what it was made of.
    pub fn figure(&mut self, label: &str, value: f64, detail: &str, target: Target) {
        let verdict = if target.met(value) { "met" } else { "MISSED" };
        let _ = writeln!(
            self.text,
            "{label}: {value:.3} ({detail}); target {} -> {verdict}",
            target.describe()
        );
    }

    /// Prints the report and, in a benchmark run, writes it next to criterion's results (the
    /// single pass of `cargo test --benches`, of a debug build, leaves the last run's figures
    /// in place).
    pub fn finish(self) {
        if self.text.is_empty() {
            return;
        }
        println!("\n===== {} summary (ratios from this run) =====", self.name);
        print!("{}", self.text);
        if !bench_mode() {
            return;
        }
        let dir = criterion_dir();
        let path = dir.join(format!("{}-summary.md", self.name));
        if std::fs::create_dir_all(&dir).is_ok() && std::fs::write(&path, &self.text).is_ok() {
            println!("(written to {})", path.display());
        }
    }
}

/// Whether this is a benchmark run (`cargo bench` passes `--bench`), rather than the single
/// pass of `cargo test --benches`.
pub fn bench_mode() -> bool {
    std::env::args().any(|arg| arg == "--bench")
}

/// Whether the benchmark `name` is selected by the filter given on the command line (the
/// first argument that is not an option), as criterion's own filter selects by substring.
pub fn selected(name: &str) -> bool {
    std::env::args()
        .skip(1)
        .find(|arg| !arg.starts_with('-'))
        .is_none_or(|filter| name.contains(&filter))
}

/// The CPU time this process's live threads have used (user and kernel), from
/// `/proc/self/task/*/schedstat`, with nanosecond resolution; `None` where that is not
/// available.
pub fn cpu_time() -> Option<std::time::Duration> {
    let mut total = 0u64;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let Ok(task) = task else { continue };
        // A thread may end between listing and reading.
        let Ok(stat) = std::fs::read_to_string(task.path().join("schedstat")) else {
            continue;
        };
        total += stat.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(std::time::Duration::from_nanos(total))
}

/// The spread of the ratio of two alternately timed routines.
#[derive(Debug, Clone, Copy)]
pub struct Interleaved {
    /// The median of the rounds' ratios of wall-clock time.
    pub median: f64,
    /// The first quartile.
    pub q1: f64,
    /// The third quartile.
    pub q3: f64,
    /// The ratio of the CPU time (all threads of this process, the local server's included)
    /// used by all the rounds of each routine, if it could be read.
    pub cpu: Option<f64>,
    /// The rounds run.
    pub rounds: usize,
}

/// Times `a` and `b` alternately for `rounds` rounds (each routine runs one batch and returns
/// the wall-clock time it took; the order within a round alternates too) and returns the
/// distribution of the ratios `time(a) / time(b)` of the rounds, and the ratio of the CPU
/// time the process used in all the rounds of each.
///
/// This is the check against the drift of a shared machine: a burst of load from elsewhere
/// hits one round of both routines, not minutes of one benchmark only. The CPU time moves
/// even less with the load of other processes, as waiting for a core is not counted.
pub fn interleave(
    rounds: usize,
    mut a: impl FnMut() -> std::time::Duration,
    mut b: impl FnMut() -> std::time::Duration,
) -> Interleaved {
    use std::time::Duration;

    // One round of each to warm up (connections, caches).
    a();
    b();
    let mut cpu = [Some(Duration::ZERO); 2];
    let mut timed = |which: usize, routine: &mut dyn FnMut() -> Duration| {
        let before = cpu_time();
        let wall = routine();
        let used = cpu_time().zip(before).map(|(after, before)| after - before);
        cpu[which] = cpu[which].zip(used).map(|(sum, used)| sum + used);
        wall
    };
    let mut ratios: Vec<f64> = (0..rounds)
        .map(|round| {
            let (ta, tb) = if round % 2 == 0 {
                let ta = timed(0, &mut a);
                (ta, timed(1, &mut b))
            } else {
                let tb = timed(1, &mut b);
                (timed(0, &mut a), tb)
            };
            ta.as_secs_f64() / tb.as_secs_f64()
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    let at = |q: f64| ratios[((ratios.len() - 1) as f64 * q).round() as usize];
    Interleaved {
        median: at(0.5),
        q1: at(0.25),
        q3: at(0.75),
        cpu: match cpu {
            [Some(a), Some(b)] if !b.is_zero() => Some(a.as_secs_f64() / b.as_secs_f64()),
            _ => None,
        },
        rounds,
    }
}

impl Report {
    /// Adds the ratio of an interleaved measurement (`time(a) / time(b)`, or its inverse, a
    /// throughput ratio, when `invert`).
    pub fn interleaved(&mut self, label: &str, result: Interleaved, invert: bool, target: Target) {
        let (median, low, high) = if invert {
            (1.0 / result.median, 1.0 / result.q3, 1.0 / result.q1)
        } else {
            (result.median, result.q1, result.q3)
        };
        let verdict = if target.met(median) { "met" } else { "MISSED" };
        let cpu = match result.cpu {
            Some(cpu) => {
                let cpu = if invert { 1.0 / cpu } else { cpu };
                let verdict = if target.met(cpu) { "met" } else { "MISSED" };
                format!("; by CPU time {cpu:.3} -> {verdict}")
            }
            None => String::new(),
        };
        let _ = writeln!(
            self.text,
            "{label}: {median:.3} (interquartile {low:.3}..{high:.3}, {} interleaved rounds); \
             target {} -> {verdict}{cpu}",
            result.rounds,
            target.describe(),
        );
    }
}
