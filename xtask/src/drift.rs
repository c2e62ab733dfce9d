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

/// All findings of one operation, kind and path.
#[derive(Debug)]
pub(crate) struct Entry {
    pub(crate) operation: String,
    pub(crate) kind: Kind,
    pub(crate) path: String,
    detail: String,
    count: usize,
    /// The JSON types seen.
    pub(crate) types: BTreeSet<&'static str>,
    /// The distinct values seen, the first one being the report's example.
    values: Vec<Value>,
    /// Where the example was seen.
    source: String,
    pub(crate) fixes: BTreeSet<Fix>,
    redocly: bool,
}

/// Per operation: the exchanges matched, the documented properties seen and those there are.
#[derive(Debug, Default)]
struct Coverage {
    exchanges: usize,
    seen: BTreeSet<String>,
    documented: BTreeSet<String>,
}

/// Reads the spec and the traffic (an error for unreadable input: exit status 2), compares
/// them and writes the report.
pub(crate) fn drift(options: &DriftOptions) -> Result<Drift> {
    let (_, raw) = spec::load_raw(&options.spec)?;
    let exchanges = traffic::read(&options.files)?;
    let spec = Spec::new(&raw);
    let mut coverage: BTreeMap<String, Coverage> = BTreeMap::new();
    let mut findings = Vec::new();
    let mut matched = Vec::new();
    for exchange in &exchanges {
        let checked = spec.check(exchange);
        let source = || exchange.source.clone();
        findings.extend(checked.findings.into_iter().map(|f| Finding {
            source: source(),
            ..f
        }));
        let Some((op, base)) = spec.operation(exchange) else {
            continue;
        };
        let covered = coverage.entry(op.id.clone()).or_default();
        covered.exchanges += 1;
        covered.seen.extend(checked.seen);
        covered.documented.extend(checked.documented);
        let query = exchange.raw_query.as_ref().map(|q| format!("?{q}"));
        let path = exchange.segments[base..].join("/");
        let url = format!("/{path}{}", query.unwrap_or_default());
        matched.push((exchange.line.clone(), url, exchange.source.clone()));
    }
    let mut notes = Vec::new();
    let mut theirs = Vec::new();
    let redocly = if matched.is_empty() {
        "own checks"
    } else if !options.redocly.is_file() {
        notes.push(format!(
            "note: Redocly is not installed ({}; `npm ci` installs it): own checks only",
            display_path(&options.redocly)
        ));
        "own checks"
    } else {
        match redocly::drift(&options.redocly, &options.spec, &matched) {
            Ok(found) => {
                theirs = found;
                "own checks and redocly drift"
            }
            Err(e) => {
                notes.push(format!("warning: {e:#}; own checks only"));
                "own checks"
            }
        }
    };
    let entries = merge(findings, theirs);
    let files: Vec<String> = options.files.iter().map(|f| display_path(f)).collect();
    let mut report = format!(
        "drift of {} exchanges ({}) from {} ({redocly})\n",
        exchanges.len(),
        files.join(", "),
        display_path(&options.spec),
    );
    report.push_str(&render(&entries, &coverage));
    Ok(Drift {
        report,
        notes,
        drift: !entries.is_empty(),
        overlay: overlay::build(&raw, &entries),
    })
}

/// Findings merged by operation, kind and path: drift's own, then Redocly's where drift's
/// checks found nothing of the kind there (those say `redocly:`).
fn merge(own: Vec<Finding>, theirs: Vec<Finding>) -> Vec<Entry> {
    let mut entries: BTreeMap<(String, Kind, String), Entry> = BTreeMap::new();
    let all = own.into_iter().map(|f| (f, false));
    for (finding, redocly) in all.chain(theirs.into_iter().map(|f| (f, true))) {
        let key = (
            finding.operation.clone(),
            finding.kind.clone(),
            finding.path.clone(),
        );
        let entry = entries.entry(key).or_insert_with(|| Entry {
            operation: finding.operation.clone(),
            kind: finding.kind.clone(),
            path: finding.path.clone(),
            detail: match redocly {
                true => format!("redocly: {}", check::cut(&finding.detail, MAX_EXAMPLE)),
                false => finding.detail.clone(),
            },
            count: 0,
            types: BTreeSet::new(),
            values: Vec::new(),
            source: finding.source.clone(),
            fixes: BTreeSet::new(),
            redocly,
        });
        // A finding of both is counted by drift's own checks alone.
        if redocly && !entry.redocly {
            continue;
        }
        entry.count += 1;
        entry.types.insert(check::json_type(&finding.value));
        if !entry.values.contains(&finding.value) && entry.values.len() < MAX_VALUES {
            entry.values.push(finding.value);
        }
        entry.fixes.extend(finding.fix);
    }
    entries.into_values().collect()
}

fn render(entries: &[Entry], coverage: &BTreeMap<String, Coverage>) -> String {
    let mut operations: BTreeSet<&str> = coverage.keys().map(String::as_str).collect();
    operations.extend(entries.iter().map(|e| e.operation.as_str()));
    let mut text = String::new();
    for op in operations {
        let covered = coverage.get(op);
        let exchanges = covered.map_or(0, |c| c.exchanges);
        match op {
            "-" => text.push_str("\nno operation:\n"),
            _ => text.push_str(&format!("\n{op}: {exchanges} exchange(s)\n")),
        }
        for entry in entries.iter().filter(|e| e.operation == op) {
            text.push_str(&line(entry));
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
    let unfixed = entries.iter().filter(|e| e.fixes.is_empty()).count();
    let ops: BTreeSet<&str> = entries.iter().map(|e| e.operation.as_str()).collect();
    text.push_str(&match entries.len() {
        0 => "\nno drift: the traffic is what the spec says\n".to_owned(),
        n => format!(
            "\ndrift: {n} finding(s) in {} operation(s); {} of them need a human (no overlay action)\n",
            ops.len(),
            unfixed
        ),
    });
    text
}

fn line(entry: &Entry) -> String {
    let label = match &entry.kind {
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
    let detail = match entry.kind {
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
    let (path, count, source) = (&entry.path, entry.count, &entry.source);
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
