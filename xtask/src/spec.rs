//! Loading and validating the OpenAPI spec.
//!
//! progenitor checks little and reports it tersely ("duplicate operation ID: x"),
//! and some mistakes only show up as a panic deep in typify. So the spec is read
//! twice: as a plain [`serde_json::Value`], to check the version and every `$ref`
//! with exact locations, and as an [`openapiv3::OpenAPI`], which is what
//! progenitor consumes, to check operation ids and response body types by method and path.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use openapiv3::{OpenAPI, Operation, ReferenceOr, Response, StatusCode};
use serde_json::Value;

use crate::paths::display_path;

/// How many problems of one kind an error lists before it says "... and N more".
const MAX_LISTED_PROBLEMS: usize = 20;

/// Reads `path` (YAML or JSON, by its extension), parses it and runs every check of this
/// module; returns the document as progenitor consumes it.
pub(crate) fn load(path: &Path) -> Result<OpenAPI> {
    load_raw(path).map(|(openapi, _)| openapi)
}

/// [`load`], and the document as plain JSON too: `drift` follows JSON pointers into it.
pub(crate) fn load_raw(path: &Path) -> Result<(OpenAPI, Value)> {
    let shown = display_path(path);
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let yaml = match extension.as_deref() {
        Some("yaml" | "yml") => true,
        Some("json") => false,
        _ => bail!(
            "cannot tell the format of spec {shown}: expected a .yaml, .yml or .json extension"
        ),
    };
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read spec {shown}"))?;
    let format = if yaml { "YAML" } else { "JSON" };
    let raw: Value =
        parse(yaml, &text).map_err(|e| anyhow!("invalid {format} in spec {shown}{e}"))?;
    let invalid = || format!("invalid spec {shown}");
    check_version(&raw).with_context(invalid)?;
    check_refs(&raw).with_context(invalid)?;
    let openapi: OpenAPI = parse(yaml, &text)
        .map_err(|e| anyhow!("spec {shown} is not a valid OpenAPI 3.0 document{e}"))?;
    check_operations(&openapi).with_context(invalid)?;
    Ok((openapi, raw))
}

/// Parses `text`; an error reads `" at line L, column C: message"` (or `": message"` when the
/// parser knows no location).
pub(crate) fn parse<T: serde::de::DeserializeOwned>(yaml: bool, text: &str) -> Result<T, String> {
    let (location, message) = match yaml {
        true => match serde_yaml::from_str(text) {
            Ok(v) => return Ok(v),
            Err(e) => (e.location().map(|l| (l.line(), l.column())), e.to_string()),
        },
        false => match serde_json::from_str(text) {
            Ok(v) => return Ok(v),
            Err(e) => (Some((e.line(), e.column())), e.to_string()),
        },
    };
    Err(match location {
        Some((line, column)) => {
            // Both parsers put " at line L column C" into their message.
            let message = message.replacen(&format!(" at line {line} column {column}"), "", 1);
            format!(" at line {line}, column {column}: {message}")
        }
        None => format!(": {message}"),
    })
}

/// Checks that the document declares OpenAPI 3.0.x, the only version
/// progenitor 0.15 accepts.
fn check_version(raw: &Value) -> Result<()> {
    let Some(object) = raw.as_object() else {
        bail!("the document is {}, not an OpenAPI object", json_kind(raw));
    };
    match object.get("openapi") {
        Some(Value::String(version)) if version.trim().starts_with("3.0.") => Ok(()),
        Some(Value::String(version)) => bail!(
            "unsupported OpenAPI version {version:?}: progenitor only supports 3.0.x \
             (e.g. \"3.0.3\")"
        ),
        Some(Value::Number(version)) => bail!(
            "`openapi` must be a string such as \"3.0.3\", found the number {version} \
             (quote it in YAML)"
        ),
        Some(other) => bail!(
            "`openapi` must be a string such as \"3.0.3\", found {}",
            json_kind(other)
        ),
        None => match object.get("swagger") {
            Some(version) => bail!(
                "found `swagger: {}`: Swagger 2.0 documents are not supported, \
                 progenitor only supports OpenAPI 3.0.x",
                version
                    .as_str()
                    .map_or_else(|| version.to_string(), str::to_owned)
            ),
            None => bail!("the document has no `openapi` field; expected e.g. `openapi: 3.0.3`"),
        },
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Checks that every `$ref` in the document is a local JSON pointer
/// (`#/...`) that resolves inside the document.
///
/// Values that are free-form data rather than OpenAPI structure (`example`,
/// `default`, `enum`, an Example Object's `value`, and `x-` extensions) are
/// not searched, except where those words are names (e.g. a property called
/// `example`).
fn check_refs(raw: &Value) -> Result<()> {
    let mut problems = Vec::new();
    let mut pointer = String::from("#");
    walk_refs(raw, raw, None, &mut pointer, &mut problems);
    problems_result("$ref", problems)
}

/// Keys whose values map names to objects, so any key inside them is a name.
const NAME_MAPS: &[&str] = &[
    "properties",
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "paths",
    "content",
    "encoding",
    "variables",
];

/// Keys whose values are free-form data, not OpenAPI structure.
fn is_free_form(key: &str) -> bool {
    matches!(key, "example" | "default" | "enum" | "value") || key.starts_with("x-")
}

fn walk_refs(
    root: &Value,
    value: &Value,
    parent_key: Option<&str>,
    pointer: &mut String,
    problems: &mut Vec<String>,
) {
    match value {
        Value::Object(object) => {
            if let Some(target) = object.get("$ref")
                && let Some(problem) = ref_problem(root, target)
            {
                problems.push(format!("{problem} at {pointer}/$ref"));
            }
            let is_name_map = parent_key.is_some_and(|k| NAME_MAPS.contains(&k));
            for (key, child) in object {
                if key == "$ref" || (!is_name_map && is_free_form(key)) {
                    continue;
                }
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&escape(key));
                walk_refs(root, child, Some(key), pointer, problems);
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push_str(&format!("/{index}"));
                walk_refs(root, child, None, pointer, problems);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

fn ref_problem(root: &Value, target: &Value) -> Option<String> {
    let Some(target) = target.as_str() else {
        return Some(format!("$ref that is {}, not a string,", json_kind(target)));
    };
    if let Some(json_pointer) = target.strip_prefix('#') {
        if !json_pointer.is_empty() && !json_pointer.starts_with('/') {
            Some(format!(
                "unsupported $ref `{target}` (only JSON pointers like \
                 `#/components/schemas/Name` are supported)"
            ))
        } else if root.pointer(json_pointer).is_none() {
            Some(format!("unresolved $ref `{target}`"))
        } else {
            None
        }
    } else {
        Some(format!(
            "external $ref `{target}` (only references into the same document, `#/...`, \
             are supported)"
        ))
    }
}

/// Checks that every operation has an `operationId` and that no two share one
/// (progenitor names the client's methods after them), that its success responses have one
/// body type and its error responses one (progenitor asserts so, and would panic), and that
/// no path item is itself a `$ref` (progenitor does not support that).
fn check_operations(openapi: &OpenAPI) -> Result<()> {
    let mut problems = Vec::new();
    let mut seen: HashMap<&str, String> = HashMap::new();
    for (path, item) in &openapi.paths.paths {
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => {
                problems.push(format!(
                    "path item {path} is a $ref (`{reference}`), which progenitor does not support"
                ));
                continue;
            }
        };
        for (method, operation) in item.iter() {
            let here = format!("{} {path}", method.to_ascii_uppercase());
            match operation.operation_id.as_deref() {
                None => problems.push(format!("{here} has no operationId")),
                Some(id) => match seen.get(id) {
                    Some(first) => problems.push(format!(
                        "duplicate operationId `{id}`: used by {first} and by {here}"
                    )),
                    None => {
                        seen.insert(id, here.clone());
                    }
                },
            }
            for (class, types) in body_types(openapi, operation) {
                if types.len() > 1 {
                    let listed: Vec<String> = types
                        .iter()
                        .map(|(body, status)| format!("{status}: {body}"))
                        .collect();
                    problems.push(format!(
                        "{here} has {class} responses of {} body types ({}); progenitor \
                         supports one",
                        types.len(),
                        listed.join(", ")
                    ));
                }
            }
        }
    }
    problems_result("operation", problems)
}

/// The body types of an operation's success responses and of its error responses, each with
/// the first status that has it, as progenitor sorts them: `default` is both a success and an
/// error, unless a `2XX` range covers the successes.
fn body_types(
    openapi: &OpenAPI,
    operation: &Operation,
) -> [(&'static str, BTreeMap<String, String>); 2] {
    let responses = &operation.responses;
    let has_2xx = responses.responses.contains_key(&StatusCode::Range(2));
    let all = responses
        .responses
        .iter()
        .map(|(status, response)| (status.to_string(), response))
        .chain(responses.default.iter().map(|r| ("default".to_owned(), r)));
    let (mut success, mut error) = (BTreeMap::new(), BTreeMap::new());
    for (status, response) in all {
        let body = body_type(openapi, response);
        let default = status == "default";
        if status == "101" || status.starts_with('2') || (default && !has_2xx) {
            success.entry(body.clone()).or_insert(status.clone());
        }
        if default || status.starts_with(['4', '5']) {
            error.entry(body).or_insert(status);
        }
    }
    [("success", success), ("error", error)]
}

/// What progenitor makes of a response's body: the JSON schema's type, or no type.
fn body_type(openapi: &OpenAPI, response: &ReferenceOr<Response>) -> String {
    let response = match response {
        ReferenceOr::Item(response) => Some(response),
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/responses/")
            .and_then(|name| openapi.components.as_ref()?.responses.get(name)?.as_item()),
    };
    let Some(response) = response else {
        return "a response that is a $ref to a $ref".to_owned();
    };
    let json = response.content.iter().find_map(|(media_type, content)| {
        (media_type == "application/json" || media_type.starts_with("application/json;"))
            .then_some(&content.schema)
    });
    match json {
        Some(Some(ReferenceOr::Reference { reference })) => format!("`{reference}`"),
        Some(Some(ReferenceOr::Item(schema))) => format!(
            "the inline schema {}",
            serde_json::to_string(schema).unwrap_or_default()
        ),
        Some(None) => "JSON without a schema".to_owned(),
        None if response.content.is_empty() => "no body".to_owned(),
        None => "a body that is not JSON".to_owned(),
    }
}

/// A name as one segment of a JSON pointer (RFC 6901): `~` and `/` escaped.
pub(crate) fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// A segment of a JSON pointer as the name it stands for.
pub(crate) fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// `Ok` for no problems, else one error listing them (one per line if several).
fn problems_result(kind: &str, problems: Vec<String>) -> Result<()> {
    match problems.as_slice() {
        [] => Ok(()),
        [one] => Err(anyhow!("{one}")),
        many => {
            let mut message = format!("{} {kind} problems:", many.len());
            for problem in many.iter().take(MAX_LISTED_PROBLEMS) {
                message.push_str("\n  - ");
                message.push_str(problem);
            }
            if many.len() > MAX_LISTED_PROBLEMS {
                message.push_str(&format!(
                    "\n  ... and {} more",
                    many.len() - MAX_LISTED_PROBLEMS
                ));
            }
            Err(anyhow!(message))
        }
    }
}
