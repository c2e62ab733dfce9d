//! Overlays (OpenAPI Overlay 1.0): the one `drift --overlay` writes, which documents what the
//! traffic showed, and `cargo xtask spec apply`, which writes an overlay into the spec.
//!
//! Applying edits the spec's YAML in place (yaml-edit's lossless syntax tree): the comments,
//! the key order and the quoting of everything the overlay does not touch stay as they were,
//! so that the change reads as a small diff that a reviewer can follow.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::str::FromStr;

use anyhow::{Context, Result, anyhow, bail};
use serde_json::Value;
use serde_json_path::{JsonPath, PathElement};
use serde_yaml::{Mapping, Value as Yaml};
use yaml_edit::{Document, YamlNode};

use crate::check::{Change, Fix};
use crate::paths::{display_path, workspace_root};
use crate::write::{self, Status};
use crate::{redocly, spec};

/// What every addition says of itself in the spec.
const OBSERVED: &str = "Observed in recorded traffic by `cargo xtask drift`, not documented";

/// The overlay that makes `fixes` (each with the JSON types seen where it applies), as YAML;
/// `None` for none. Each target is where the spec defines the thing (a schema in
/// `components`), so one action serves every operation that uses it.
pub(crate) fn build<'a>(
    raw: &Value,
    fixes: impl Iterator<Item = (&'a Fix, &'a BTreeSet<&'static str>)>,
) -> Option<String> {
    type Named<T> = BTreeMap<String, BTreeMap<String, T>>;
    let mut properties: Named<BTreeSet<&str>> = BTreeMap::new();
    let mut responses: Named<&str> = BTreeMap::new();
    let mut enums: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut formats: BTreeMap<&str, Option<&str>> = BTreeMap::new();
    let mut nullable = BTreeSet::new();
    for (fix, types) in fixes {
        let at = fix.at.as_str();
        match &fix.change {
            Change::Property(name) => {
                let named = properties.entry(at.into()).or_default();
                named.entry(name.clone()).or_default().extend(types);
            }
            Change::Enum(json) => {
                enums.entry(at).or_default().insert(json);
            }
            // Dropping the format holds every value that widening would.
            Change::Format(to) => {
                formats
                    .entry(at)
                    .and_modify(|f| *f = f.and(*to))
                    .or_insert(*to);
            }
            Change::Nullable => {
                nullable.insert(at);
            }
            Change::Response(status, schema) => {
                let named = responses.entry(at.into()).or_default();
                named.insert(status.clone(), schema);
            }
        }
    }
    let mut actions = Vec::new();
    let mut push = |at: &str, what: &str, update| actions.push(action(raw, at, what, update));
    for (at, named) in properties {
        let schemas = named
            .iter()
            .map(|(name, types)| (name.as_str().into(), property(types)));
        let schemas = Yaml::Mapping(schemas.collect());
        let what = "Properties the API sends that the spec does not document";
        match raw.pointer(&format!("{at}/properties")) {
            Some(_) => push(&format!("{at}/properties"), what, Some(schemas)),
            None => push(&at, what, Some(map([("properties", schemas)]))),
        }
    }
    for (at, json) in enums
        .iter()
        .flat_map(|(at, v)| v.iter().map(move |j| (at, j)))
    {
        let value = serde_json::from_str(json).expect("drift wrote it as JSON");
        push(at, "A value the API sends that the enum lacks", Some(value));
    }
    for (at, to) in formats {
        let format = format!("{at}/format");
        let was = raw.pointer(&format).and_then(Value::as_str).unwrap_or("?");
        match to {
            Some(to) => push(
                at,
                &format!("The API sends values past {was}"),
                Some(map([("format", to.into())])),
            ),
            None => push(
                &format,
                &format!("The API sends values that are not {was}"),
                None,
            ),
        }
    }
    for at in nullable {
        push(
            at,
            "The API sends null here",
            Some(map([("nullable", true.into())])),
        );
    }
    for (at, named) in responses {
        let added = named.into_iter().map(|(status, schema)| {
            let schema = map([("schema", map([("$ref", schema.into())]))]);
            let response = map([
                ("description", format!("{OBSERVED}.").into()),
                ("content", map([("application/json", schema)])),
            ]);
            (status.into(), response)
        });
        let what = "Statuses the API answers with that the spec lacks";
        push(&at, what, Some(Yaml::Mapping(added.collect())));
    }
    if actions.is_empty() {
        return None;
    }
    let title = "What recorded traffic showed that the spec does not say";
    let info = map([("title", title.into()), ("version", "1.0.0".into())]);
    let overlay = map([
        ("overlay", "1.0.0".into()),
        ("info", info),
        ("actions", Yaml::Sequence(actions)),
    ]);
    serde_yaml::to_string(&overlay).ok()
}

/// An undocumented property's schema: optional, nullable, of the one type seen (`number` for
/// integers and fractions), or of no type when several were seen.
fn property(types: &BTreeSet<&str>) -> Yaml {
    let seen: Vec<&str> = types.iter().copied().filter(|t| *t != "null").collect();
    let ty = match seen.as_slice() {
        [one] => Some(*one),
        ["integer", "number"] => Some("number"),
        _ => None,
    };
    let mut schema = Mapping::new();
    if let Some(ty) = ty {
        schema.insert("type".into(), ty.into());
        if ty == "array" {
            schema.insert("items".into(), Yaml::Mapping(Mapping::new()));
        }
        // OpenAPI 3.0's `nullable` needs a `type` beside it.
        schema.insert("nullable".into(), true.into());
    }
    let seen = types.iter().copied().collect::<Vec<_>>().join(" or ");
    schema.insert(
        "description".into(),
        format!("{OBSERVED} (seen as {seen}).").into(),
    );
    Yaml::Mapping(schema)
}

fn action(raw: &Value, at: &str, what: &str, update: Option<Yaml>) -> Yaml {
    let mut action = map([
        ("target", target(raw, at).into()),
        ("description", what.into()),
    ]);
    let action_map = action.as_mapping_mut().expect("a mapping");
    match update {
        Some(update) => action_map.insert("update".into(), update),
        None => action_map.insert("remove".into(), true.into()),
    };
    action
}

fn map<const N: usize>(pairs: [(&str, Yaml); N]) -> Yaml {
    Yaml::Mapping(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
}

/// A JSON pointer into the spec as a JSONPath (`$.components.schemas.RoomSession`, with
/// `['/room_sessions']` for names that are not identifiers and `[0]` for array items).
fn target(raw: &Value, pointer: &str) -> String {
    let mut path = String::from("$");
    let mut node = Some(raw);
    for segment in pointer.split('/').skip(1) {
        let name = spec::unescape(segment);
        let index = node
            .filter(|n| n.is_array())
            .and(name.parse::<usize>().ok());
        let identifier = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        match index {
            Some(i) => path.push_str(&format!("[{i}]")),
            None if identifier => path.push_str(&format!(".{name}")),
            None => path.push_str(&format!(
                "['{}']",
                name.replace('\\', "\\\\").replace('\'', "\\'")
            )),
        }
        node = node.and_then(|n| n.pointer(&format!("/{segment}")));
    }
    path
}

/// Why `spec apply` failed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ApplyError {
    /// The overlay or the spec cannot be read, or an action cannot be applied (exit status 2).
    #[error("{0:#}")]
    Input(anyhow::Error),
    /// The spec with the overlay applied fails the spec's checks (exit status 1).
    #[error("{0:#}")]
    Rejected(anyhow::Error),
}

/// Applies `overlay` to `spec` in place and returns a report (what was checked, the diff) and
/// notes for stderr. Nothing is written unless the result passes `spec::load` (which parses it
/// as progenitor does) and, when Redocly is installed, `redocly lint` with the workspace's rules.
pub(crate) fn apply(
    overlay: &Path,
    spec: &Path,
    redocly: &Path,
) -> Result<(String, Vec<String>), ApplyError> {
    let (shown, spec_shown) = (display_path(overlay), display_path(spec));
    let input = ApplyError::Input;
    let yaml = spec.extension().is_some_and(|e| e == "yaml" || e == "yml");
    if !yaml {
        return Err(input(anyhow!(
            "spec apply edits YAML specs (.yaml, .yml), not {spec_shown}"
        )));
    }
    let text =
        std::fs::read_to_string(overlay).with_context(|| format!("cannot read overlay {shown}"));
    let overlay: Yaml = spec::parse(true, &text.map_err(input)?)
        .map_err(|e| input(anyhow!("invalid YAML in overlay {shown}{e}")))?;
    let actions = actions(&overlay).map_err(|e| input(anyhow!("overlay {shown}: {e}")))?;
    spec::load(spec).map_err(input)?;
    let before = std::fs::read_to_string(spec)
        .context("cannot read spec")
        .map_err(input)?;
    let document =
        Document::from_str(&before).map_err(|e| input(anyhow!("spec {spec_shown}: {e}")))?;
    for (number, action) in actions.iter().enumerate() {
        run(&document, action)
            .map_err(|e| input(anyhow!("overlay {shown}, action {}: {e}", number + 1)))?;
    }
    let after = document.to_string();
    let mut notes = Vec::new();
    let checks = check(spec, &after, redocly, &mut notes).map_err(ApplyError::Rejected)?;
    let diff = match write::check(spec, Some(before.as_bytes()), &after) {
        Status::Stale { diff } => diff,
        _ => {
            return Ok((
                format!("{spec_shown} already says all that {shown} adds\n"),
                notes,
            ));
        }
    };
    write::write_atomically(spec, after.as_bytes()).map_err(ApplyError::Rejected)?;
    let count = actions.len();
    Ok((
        format!("applied {count} action(s) of {shown} to {spec_shown} ({checks} pass)\n{diff}"),
        notes,
    ))
}

/// One action of an overlay, as read.
struct Action<'a> {
    target: JsonPath,
    update: Option<&'a Yaml>,
}

fn actions<'a>(overlay: &'a Yaml) -> Result<Vec<Action<'a>>> {
    let version = overlay
        .get("overlay")
        .and_then(Yaml::as_str)
        .unwrap_or_default();
    if !version.starts_with("1.0.") {
        bail!("not an OpenAPI Overlay 1.0 document (`overlay: 1.0.0`)");
    }
    let Some(actions) = overlay
        .get("actions")
        .and_then(Yaml::as_sequence)
        .filter(|a| !a.is_empty())
    else {
        bail!("no actions");
    };
    let read = |(number, action): (usize, &'a Yaml)| -> Result<Action<'a>> {
        let number = number + 1;
        let target = action.get("target").and_then(Yaml::as_str);
        let target = target.ok_or_else(|| anyhow!("action {number} has no target"))?;
        let target = JsonPath::parse(target)
            .map_err(|e| anyhow!("action {number}: target {target:?}: {e}"))?;
        let update = match action.get("remove").and_then(Yaml::as_bool) {
            Some(true) => None,
            _ => Some(action.get("update").ok_or_else(|| {
                anyhow!("action {number} has neither an update nor `remove: true`")
            })?),
        };
        Ok(Action { target, update })
    };
    actions.iter().enumerate().map(read).collect()
}

/// Applies one action to the document, at every node its target selects (none is an error:
/// an overlay that no longer fits the spec says so rather than doing nothing).
fn run(document: &Document, action: &Action) -> Result<()> {
    let current: Value = serde_yaml::from_str(&document.to_string()).context("the spec so far")?;
    let located = action.target.query_located(&current);
    if located.is_empty() {
        bail!("target {} selects nothing in the spec", action.target);
    }
    // Last first: removing an array item must not shift the items still to be removed.
    for node in located.iter().rev() {
        let path: Vec<PathElement> = node.location().iter().cloned().collect();
        let Some(update) = action.update else {
            let (last, parent) = path
                .split_last()
                .ok_or_else(|| anyhow!("cannot remove the document"))?;
            match (node_at(document, parent), last) {
                (Some(YamlNode::Mapping(m)), PathElement::Name(name)) => drop(m.remove(*name)),
                (Some(YamlNode::Sequence(s)), PathElement::Index(i)) => drop(s.remove(*i)),
                _ => bail!("cannot remove {}", node.location()),
            }
            continue;
        };
        match (node_at(document, &path), update) {
            // Appending a value the enum already has would make the spec invalid.
            (Some(YamlNode::Sequence(s)), value) => {
                let json: Value = serde_json::to_value(value)?;
                if !node.node().as_array().is_some_and(|a| a.contains(&json)) {
                    s.push(yaml_node(value)?);
                }
            }
            (Some(YamlNode::Mapping(m)), Yaml::Mapping(update)) => merge(&m, update)?,
            _ => bail!("{} is not an object or an array to update", node.location()),
        }
    }
    Ok(())
}

fn node_at(document: &Document, path: &[PathElement]) -> Option<YamlNode> {
    let mut node = YamlNode::Mapping(document.as_mapping()?);
    for element in path {
        node = match element {
            PathElement::Name(name) => node.get(*name)?,
            PathElement::Index(index) => node.get_item(*index)?,
        };
    }
    Some(node)
}

/// Merges `update` into `mapping`, objects recursively, any other value replaced.
fn merge(mapping: &yaml_edit::Mapping, update: &Mapping) -> Result<()> {
    for (key, value) in update {
        let key = match key {
            Yaml::String(key) => key.clone(),
            Yaml::Number(n) => n.to_string(),
            other => bail!("a key that is not a string or a number: {other:?}"),
        };
        match (mapping.get(&key), value) {
            (Some(YamlNode::Mapping(inner)), Yaml::Mapping(update)) => merge(&inner, update)?,
            _ => mapping.set(&key, yaml_node(value)?),
        }
    }
    Ok(())
}

/// A value as a node of yaml-edit's tree, written by serde_yaml (which quotes what needs it).
fn yaml_node(value: &Yaml) -> Result<YamlNode> {
    let document =
        Document::from_str(&serde_yaml::to_string(value)?).map_err(|e| anyhow!("{e}"))?;
    let node = document.as_mapping().map(YamlNode::Mapping);
    let node = node.or_else(|| document.as_sequence().map(YamlNode::Sequence));
    node.or_else(|| document.as_scalar().map(YamlNode::Scalar))
        .ok_or_else(|| anyhow!("an empty value"))
}

/// Checks `text` as the new spec in a temporary file beside `spec`; what passed, for the report.
fn check(spec: &Path, text: &str, redocly: &Path, notes: &mut Vec<String>) -> Result<&'static str> {
    let name = spec.file_name().unwrap_or_default().to_string_lossy();
    let temp_name = format!(".{name}.apply-{}.yaml", std::process::id());
    let temp = spec.with_file_name(&temp_name);
    std::fs::write(&temp, text).with_context(|| format!("cannot write {}", temp.display()))?;
    let result = (|| {
        spec::load(&temp)?;
        if !redocly.is_file() {
            notes
                .push("note: Redocly is not installed (`npm ci`): the result is not linted".into());
            return Ok("spec checks");
        }
        redocly::lint(redocly, &temp, &workspace_root().join("redocly.yaml"))?;
        Ok("spec checks and redocly lint")
    })();
    let _ = std::fs::remove_file(&temp);
    // The temporary file's name means nothing to the reader; its line numbers are the result's.
    result.map_err(|e: anyhow::Error| {
        let text = format!("{e:#}").replace(&display_path(&temp), &temp_name);
        anyhow!(
            "with the overlay applied, the spec fails its checks: {}",
            text.replace(&temp_name, "the result")
        )
    })
}
