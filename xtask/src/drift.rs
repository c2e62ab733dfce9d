//! `cargo xtask drift FILE...`: recorded traffic compared with the spec, reported per
//! operation; findings of Redocly's `drift` merged in when it is installed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use anyhow::Result;
use serde_json::Value;

use crate::check::{self, Finding, Fix, Kind, Spec};
use crate::paths::display_path;
use crate::{overlay, redocly, spec, traffic};

/// An example value is cut to this many characters: the recorder redacts credentials, but a
/// body may hold anything.
const MAX_EXAMPLE: usize = 80;

/// At most this many distinct values are kept of one finding (an enum's new values).
const MAX_VALUES: usize = 10;

#[derive(Debug)]
pub(crate) struct DriftOptions {
    pub(crate) files: Vec<PathBuf>,
    pub(crate) spec: PathBuf,
    /// The Redocly CLI; drift runs without it when it is not there.
    pub(crate) redocly: PathBuf,
}

/// What a run found.
#[derive(Debug)]
pub(crate) struct Drift {
    /// The report, for stdout.
    pub(crate) report: String,
    /// Lines for stderr: how Redocly was (or was not) used.
    pub(crate) notes: Vec<String>,
    /// Whether anything in the traffic is not in the spec (exit status 1).
    pub(crate) drift: bool,
    /// The overlay that documents what can be documented without a human, as YAML; `None`
    /// when there is nothing of the kind.
    pub(crate) overlay: Option<String>,
}

/// All findings of one operation, kind and path (its key in [`Report::entries`]).
#[derive(Debug)]
struct Entry {
    detail: String,
    count: usize,
    /// The JSON types seen.
    types: BTreeSet<&'static str>,
    /// The distinct values seen, the first one being the report's example.
    values: Vec<Value>,
    /// Where the example was seen.
    source: String,
    /// The spec's changes that document it; `None` when a finding has none, which leaves the
    /// whole entry to a human (a null that `nullable` would fix, and a number, at one path).
    fixes: Option<BTreeSet<Fix>>,
    redocly: bool,
}

/// Per operation: the exchanges matched, the documented properties seen and those there are.
#[derive(Debug, Default)]
struct Coverage {
    exchanges: usize,
    seen: BTreeSet<String>,
    documented: BTreeSet<String>,
}

/// What the exchanges showed so far, each merged in as it is read.
#[derive(Debug, Default)]
struct Report {
    exchanges: usize,
    /// By operation, kind and path.
    entries: BTreeMap<(String, Kind, String), Entry>,
    coverage: BTreeMap<String, Coverage>,
}

/// Reads the spec and the traffic (an error for unreadable input: exit status 2), compares
/// them and writes the report.
pub(crate) fn drift(options: &DriftOptions) -> Result<Drift> {
    let (_, raw) = spec::load_raw(&options.spec)?;
    let spec = Spec::new(&raw);
    let mut report = Report::default();
    // Redocly is given the exchanges that match an operation, as they are read.
    let mut sent = match options.redocly.is_file() {
        true => Some(redocly::Traffic::new()?),
        false => None,
    };
    traffic::read(&options.files, |exchange| {
        report.exchanges += 1;
        let (operation, checked) = spec.check(&exchange);
        for finding in checked.findings {
            report.add(finding, &exchange.source, 1, false);
        }
        let Some((op, base)) = operation else {
            return Ok(());
        };
        let covered = report.coverage.entry(op.id.clone()).or_default();
        covered.exchanges += 1;
        covered.seen.extend(checked.seen);
        covered.documented.extend(checked.documented);
        let Some(sent) = &mut sent else {
            return Ok(());
        };
        let url = exchange.url(base);
        sent.push(exchange.line, &url, &exchange.source)
    })?;
    let mut notes = Vec::new();
    let redocly = match sent {
        // No exchange matched an operation: there is nothing to give Redocly.
        _ if report.coverage.is_empty() => "own checks",
        None => {
            notes.push(format!(
                "note: Redocly is not installed ({}; `npm ci` installs it): own checks only",
                display_path(&options.redocly)
            ));
            "own checks"
        }
        Some(sent) => match sent.drift(&options.redocly, &options.spec) {
            Ok(theirs) => {
                for (finding, source, count) in theirs {
                    report.add(finding, &source, count, true);
                }
                "own checks and redocly drift"
            }
            Err(e) => {
                notes.push(format!("warning: {e:#}; own checks only"));
                "own checks"
            }
        },
    };
    let files: Vec<String> = options.files.iter().map(|f| display_path(f)).collect();
    let text = format!(
        "drift of {} exchanges ({}) from {} ({redocly})\n{}",
        report.exchanges,
        files.join(", "),
        display_path(&options.spec),
        report.render(),
    );
    Ok(Drift {
        report: text,
        notes,
        drift: !report.entries.is_empty(),
        overlay: overlay::build(&raw, report.fixes()),
    })
}

impl Report {
    /// Merges in one finding seen `count` times, first at `source`: drift's own, or Redocly's
    /// where drift's checks found nothing of the kind there (those say `redocly:`).
    fn add(&mut self, finding: Finding, source: &str, count: usize, redocly: bool) {
        let key = (finding.operation, finding.kind, finding.path);
        let entry = self.entries.entry(key).or_insert_with(|| Entry {
            detail: match redocly {
                true => format!("redocly: {}", check::cut(&finding.detail, MAX_EXAMPLE)),
                false => finding.detail,
            },
            count: 0,
            types: BTreeSet::new(),
            values: Vec::new(),
            source: source.to_owned(),
            fixes: Some(BTreeSet::new()),
            redocly,
        });
        // A finding of both is counted by drift's own checks alone.
        if redocly && !entry.redocly {
            return;
        }
        entry.count += count;
        entry.types.insert(check::json_type(&finding.value));
        if !entry.values.contains(&finding.value) && entry.values.len() < MAX_VALUES {
            entry.values.push(finding.value);
        }
        match (&mut entry.fixes, finding.fix) {
            (Some(fixes), Some(fix)) => {
                fixes.insert(fix);
            }
            (fixes, _) => *fixes = None,
        }
    }

    /// The fixes of the entries that need no human, each with the JSON types its entry saw.
    fn fixes(&self) -> impl Iterator<Item = (&Fix, &BTreeSet<&'static str>)> {
        let entries = self.entries.values();
        entries.flat_map(|e| e.fixes.iter().flatten().map(move |f| (f, &e.types)))
    }

    fn render(&self) -> String {
        let mut operations: BTreeSet<&str> = self.coverage.keys().map(String::as_str).collect();
        operations.extend(self.entries.keys().map(|(op, _, _)| op.as_str()));
        let mut text = String::new();
        for op in operations {
            let covered = self.coverage.get(op);
            let exchanges = covered.map_or(0, |c| c.exchanges);
            match op {
                "-" => text.push_str("\nno operation:\n"),
                _ => text.push_str(&format!("\n{op}: {exchanges} exchange(s)\n")),
            }
            for ((_, kind, path), entry) in self.entries.iter().filter(|((o, _, _), _)| o == op) {
                text.push_str(&line(kind, path, entry));
            }
            if let Some(c) = covered {
                let never: Vec<&str> = c
                    .documented
                    .difference(&c.seen)
                    .map(String::as_str)
                    .collect();
                if !never.is_empty() {
                    let listed = wrap(&never.join(", "), 96, "      ");
                    text.push_str(&format!(
                        "  documented, never seen (not drift):\n{listed}\n"
                    ));
                }
            }
        }
        let entries = self.entries.values();
        let unfixed = entries.filter(|e| e.fixes.is_none()).count();
        let ops: BTreeSet<&str> = self.entries.keys().map(|(op, _, _)| op.as_str()).collect();
        text.push_str(&match self.entries.len() {
            0 => "\nno drift: the traffic is what the spec says\n".to_owned(),
            n => format!(
                "\ndrift: {n} finding(s) in {} operation(s); {} of them need a human (no overlay action)\n",
                ops.len(),
                unfixed
            ),
        });
        text
    }
}

fn line(kind: &Kind, path: &str, entry: &Entry) -> String {
    let label = match kind {
        Kind::Endpoint => "undocumented endpoint".to_owned(),
        Kind::Status => "undocumented status".to_owned(),
        Kind::Query => "undocumented query parameter".to_owned(),
        Kind::Body => "body not JSON".to_owned(),
        Kind::Property => "undocumented property".to_owned(),
        Kind::Enum => "undocumented enum value".to_owned(),
        Kind::Type => "value outside its type".to_owned(),
        Kind::Format => "value outside its format".to_owned(),
        Kind::Required => "required property missing".to_owned(),
        Kind::Other(what) => what.clone(),
    };
    let types: Vec<&str> = entry.types.iter().copied().collect();
    let detail = match kind {
        Kind::Property => types.join(" or "),
        Kind::Type => format!("{}, seen {}", entry.detail, types.join(" or ")),
        _ => entry.detail.clone(),
    };
    let detail = if detail.is_empty() {
        String::new()
    } else {
        format!(" ({detail})")
    };
    let example = match entry.values.first() {
        Some(Value::Null) | None => String::new(),
        Some(value) => format!(", e.g. {}", check::cut(&value.to_string(), MAX_EXAMPLE)),
    };
    let more = match entry.values.len() {
        0 | 1 => String::new(),
        n => format!(" ({n} distinct values)"),
    };
    let (count, source) = (entry.count, &entry.source);
    format!("  {label}: {path}{detail}, {count}×{example}{more} [{source}]\n")
}

/// `text` wrapped at commas to lines of at most `width` characters, each indented.
fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut lines = vec![indent.to_owned()];
    for word in text.split_inclusive(", ") {
        let last = lines.last_mut().expect("one line at least");
        if last.len() + word.len() > width && last.len() > indent.len() {
            lines.push(format!("{indent}{word}"));
        } else {
            last.push_str(word);
        }
    }
    lines
        .iter()
        .map(|l| l.trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}
