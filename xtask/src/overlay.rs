//! The overlay (OpenAPI Overlay 1.0) that `drift --overlay` writes: it documents what the
//! traffic showed, each thing where the spec defines it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use serde_yaml::{Mapping, Value as Yaml};

use crate::check::Change;
use crate::drift::Entry;

/// What every addition says of itself in the spec.
const OBSERVED: &str = "Observed in recorded traffic by `cargo xtask drift`, not documented";

/// The overlay that documents the fixable findings of `entries`, as YAML; `None` when none is
/// fixable. Each target is where the spec defines the thing (a schema in `components`), so one
/// action serves every operation that uses it.
pub(crate) fn build(raw: &Value, entries: &[Entry]) -> Option<String> {
    type Named<T> = BTreeMap<String, BTreeMap<String, T>>;
    let mut properties: Named<BTreeSet<&str>> = BTreeMap::new();
    let mut responses: Named<Option<String>> = BTreeMap::new();
    let mut enums: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut formats: BTreeMap<&str, Option<&str>> = BTreeMap::new();
    let mut nullable = BTreeSet::new();
    for (entry, fix) in entries
        .iter()
        .flat_map(|e| e.fixes.iter().map(move |f| (e, f)))
    {
        let at = fix.at.as_str();
        match &fix.change {
            Change::Property(name) => {
                let named = properties.entry(at.into()).or_default();
                named.entry(name.clone()).or_default().extend(&entry.types);
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
                let kept = named
                    .entry(status.clone())
                    .or_insert_with(|| schema.clone());
                // Some bodies fit the error schema and some do not: no schema.
                if kept != schema {
                    *kept = None;
                }
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
            let mut response = Mapping::new();
            response.insert("description".into(), format!("{OBSERVED}.").into());
            if let Some(schema) = schema {
                let schema = map([("schema", map([("$ref", schema.into())]))]);
                response.insert("content".into(), map([("application/json", schema)]));
            }
            (status.into(), Yaml::Mapping(response))
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
        let name = segment.replace("~1", "/").replace("~0", "~");
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
