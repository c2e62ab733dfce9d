//! Redocly's CLI (`@redocly/cli`, pinned in package.json), when `npm ci` has installed it: its
//! `drift` adds what drift's own checks leave out (parameter values, request headers...), and
//! its `lint` holds `spec apply`'s result to the spec's rules (`redocly.yaml`). Both are
//! optional, so that a machine without Node still runs drift's own checks.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::check::{Finding, Kind};
use crate::paths::absolute;
use crate::spec::unescape;

/// The CLI that `npm ci` installs, relative to the workspace root.
pub(crate) const DEFAULT_CLI: &str = "node_modules/.bin/redocly";

/// The one server every exchange is sent to Redocly under, whatever base it was recorded
/// with (`/api/video`, a local server's root): `--server` then matches the spec's paths as
/// they are, with no `servers` needed in the spec.
const SERVER: &str = "http://drift.invalid";

/// The exchanges for Redocly's `drift`, written to a scratch file as drift reads them; beside
/// it, where each was read, one a line, for the `FILE:LINE` of a problem's `exchangeIndex`.
pub(crate) struct Traffic {
    scratch: Scratch,
    lines: BufWriter<File>,
    sources: BufWriter<File>,
}

impl Traffic {
    /// No exchange yet, in a scratch directory of this process's own.
    pub(crate) fn new() -> Result<Self> {
        let scratch = Scratch::new()?;
        let create = |name| File::create(scratch.0.join(name)).map(BufWriter::new);
        let files = create("traffic.ndjson").and_then(|lines| Ok((lines, create("sources")?)));
        let (lines, sources) =
            files.with_context(|| format!("cannot write in {}", scratch.0.display()))?;
        Ok(Traffic {
            scratch,
            lines,
            sources,
        })
    }

    /// Adds the exchange `line` as read, with its URL's path from the spec's paths on (and its
    /// query) as `url`, read at `source`.
    pub(crate) fn push(&mut self, mut line: Value, url: &str, source: &str) -> Result<()> {
        line["request"]["url"] = Value::String(format!("{SERVER}{url}"));
        serde_json::to_writer(&mut self.lines, &line)?;
        writeln!(self.lines)?;
        writeln!(self.sources, "{source}")?;
        Ok(())
    }

    /// Runs `redocly drift` on the exchanges and returns its findings as drift's, each with where
    /// it was first seen and how often (Redocly reports identical problems once), less
    /// `security-baseline` (recordings never hold credentials, by design) and
    /// `undocumented-endpoint` (only exchanges that drift matched with an operation are sent).
    pub(crate) fn drift(
        mut self,
        cli: &Path,
        spec: &Path,
    ) -> Result<Vec<(Finding, String, usize)>> {
        self.lines.flush()?;
        self.sources.flush()?;
        let dir = &self.scratch.0;
        let spec = absolute(spec)?;
        // `api-version` is the header every progenitor client sends (the spec's
        // `info.version`): the client's own, not the API's drift.
        let args = "drift traffic.ndjson --ignore-headers api-version --format json -o report.json";
        let api = ["--api", &spec.to_string_lossy(), "--server", SERVER];
        let output = run(cli, dir, &args.split(' ').chain(api).collect::<Vec<_>>())?;
        let Ok(report) = std::fs::read_to_string(dir.join("report.json")) else {
            bail!("redocly drift wrote no report: {}", said(&output));
        };
        let report: Value = serde_json::from_str(&report).context("redocly drift's report")?;
        let dropped = ["security-baseline", "undocumented-endpoint"].map(Value::from);
        let problems = report["problems"].as_array().into_iter().flatten();
        let problems: Vec<&Value> = problems
            .filter(|p| !dropped.contains(&p["ruleId"]))
            .collect();
        let index = |problem: &Value| problem["exchangeIndex"].as_u64();
        // Only the sources of problems are read back: all of them would grow with the traffic.
        let mut sources: BTreeMap<u64, String> = problems
            .iter()
            .filter_map(|p| Some((index(p)?, String::new())))
            .collect();
        let lines = BufReader::new(File::open(dir.join("sources"))?).lines();
        for (line, source) in (0..).zip(lines) {
            if let Some(wanted) = sources.get_mut(&line) {
                *wanted = source?;
            }
        }
        Ok(problems
            .into_iter()
            .map(|problem| {
                let source = index(problem).and_then(|i| sources.get(&i).cloned());
                let occurrences = problem["occurrences"].as_u64().unwrap_or(1);
                let count = usize::try_from(occurrences).unwrap_or(usize::MAX);
                (finding(problem), source.unwrap_or_default(), count)
            })
            .collect())
    }
}

/// Runs `redocly lint` on `spec` with the rules of `config`; an error holds what it said.
pub(crate) fn lint(cli: &Path, spec: &Path, config: &Path) -> Result<()> {
    let (spec, config) = (absolute(spec)?, absolute(config)?);
    let dir = spec.parent().unwrap_or(Path::new("."));
    let (spec, config) = (spec.to_string_lossy(), config.to_string_lossy());
    let output = run(cli, dir, &["lint", &spec, "--config", &config])?;
    match output.status.success() {
        true => Ok(()),
        false => bail!("redocly lint fails:\n{}", said(&output)),
    }
}

fn run(cli: &Path, dir: &Path, args: &[&str]) -> Result<Output> {
    Command::new(cli)
        .args(args)
        .current_dir(dir)
        .env("REDOCLY_TELEMETRY", "off")
        .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
        .output()
        .with_context(|| format!("cannot run {}", cli.display()))
}

/// What Redocly printed, less its banners (a boxed notice that Node 20 support is ending), cut
/// to this many lines.
const MAX_LINES: usize = 40;

fn said(output: &Output) -> String {
    let text = [&output.stdout, &output.stderr].map(|b| String::from_utf8_lossy(b).into_owned());
    let lines = text.iter().flat_map(|t| t.lines()).map(str::trim_end);
    let kept: Vec<&str> = lines
        .filter(|l| !l.trim().is_empty() && !l.contains(['║', '╔', '╚']))
        .collect();
    match kept.len() {
        n if n > MAX_LINES => format!(
            "{}\n... {} more lines",
            kept[..MAX_LINES].join("\n"),
            n - MAX_LINES
        ),
        _ => kept.join("\n"),
    }
}

/// One of Redocly's problems as a finding of drift's, so that the two merge by operation,
/// kind and path.
fn finding(problem: &Value) -> Finding {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let message = text(&problem["message"]);
    let details = &problem["details"];
    let keyword = details["keyword"].as_str();
    // Redocly names a parameter or header in quotes: `... in traffic: "brand_new_param"`.
    let quoted = message.split('"').nth(1).unwrap_or_default().to_owned();
    let (kind, path) = if message.starts_with("Undocumented query parameter") {
        (Kind::Query, quoted)
    } else if message.starts_with("Undocumented header") {
        (Kind::Other("undocumented header".into()), quoted)
    } else if message.starts_with("Response body is not valid JSON") {
        (Kind::Body, "(body)".into())
    } else if problem["target"] == "request" {
        (
            Kind::Other("request value outside its schema".into()),
            quoted,
        )
    } else {
        let kind = match keyword {
            Some("enum") => Kind::Enum,
            Some("format") => Kind::Format,
            Some("type") => Kind::Type,
            Some("required") => Kind::Required,
            Some(_) => Kind::Other("value outside its schema".into()),
            None => Kind::Other(text(&problem["ruleId"])),
        };
        (
            kind,
            json_path(problem["dataPath"].as_str().unwrap_or_default()),
        )
    };
    let actual = text(&details["actual"]);
    Finding {
        operation: problem["operationId"].as_str().unwrap_or("-").to_owned(),
        kind,
        path,
        detail: message,
        value: match actual.as_str() {
            "" => Value::Null,
            _ => serde_json::from_str(&actual).unwrap_or(Value::String(actual)),
        },
        fix: None,
    }
}

/// A JSON pointer into a body as drift writes paths: `/data/0/status` is `data[].status`.
fn json_path(pointer: &str) -> String {
    let mut path = String::new();
    for segment in pointer.split('/').skip(1) {
        if segment.parse::<usize>().is_ok() {
            path.push_str("[]");
        } else {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&unescape(segment));
        }
    }
    if path.is_empty() {
        "(body)".into()
    } else {
        path
    }
}

/// A directory of this process's own under the system's temp dir, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Self> {
        let dir = std::env::temp_dir().join(format!("xtask-redocly-{}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
