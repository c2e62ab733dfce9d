//! One recorded exchange compared with the spec: which operation it is, and each thing in it
//! the spec does not say.
//!
//! A JSON Schema validator misses most drift here: the spec's objects are open (no
//! `additionalProperties: false`, so that the client keeps working when fields are added),
//! so a new field is valid and goes unnoticed. This walks the body and the schema together
//! instead, and remembers where in the spec each schema is defined, so that a fix can go
//! there (`#/components/schemas/RoomSession/properties`) rather than to each use.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::spec::escape;
use crate::traffic::Exchange;

/// The kinds of drift, in the order a report lists them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Kind {
    /// A method and path no operation has; the path is the request's, IDs read `{id}`.
    Endpoint,
    Status,
    Query,
    /// A body documented as JSON that is not JSON.
    Body,
    Property,
    Enum,
    Type,
    Format,
    Required,
    /// A finding of Redocly's that drift does not check itself, by its keyword or rule.
    Other(String),
}

/// One thing an exchange does that the spec does not say.
#[derive(Debug, Clone)]
pub(crate) struct Finding {
    /// The operationId, or `-` for an exchange no operation matches.
    pub(crate) operation: String,
    pub(crate) kind: Kind,
    /// A JSON path in the body (`data[].status`), a status, a query parameter's name...
    pub(crate) path: String,
    /// What the spec says there (`int32`, an enum's values), or a message.
    pub(crate) detail: String,
    /// What was seen.
    pub(crate) value: Value,
    /// How the spec could say it, when it can be said without a human.
    pub(crate) fix: Option<Fix>,
}

fn fix(at: impl Into<String>, change: Change) -> Option<Fix> {
    Some(Fix {
        at: at.into(),
        change,
    })
}

/// A change of the spec at a JSON pointer into it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Fix {
    pub(crate) at: String,
    pub(crate) change: Change,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Change {
    /// Add this optional property to the object schema at `at`.
    Property(String),
    /// Append this value (as JSON text) to the enum array at `at`.
    Enum(String),
    /// Set the format of the schema at `at`, or drop it (`None`).
    Format(Option<&'static str>),
    Nullable,
    /// Add this status to the responses map at `at`, with this body schema `$ref` (its
    /// class's: progenitor allows no other).
    Response(String, String),
}

/// What one exchange showed.
#[derive(Debug, Default)]
pub(crate) struct Checked {
    pub(crate) findings: Vec<Finding>,
    /// The documented properties it had, by JSON path.
    pub(crate) seen: BTreeSet<String>,
    /// The documented properties of its success body's schema, by JSON path.
    pub(crate) documented: BTreeSet<String>,
}

/// An operation of the spec, as exchanges are matched with it.
#[derive(Debug)]
pub(crate) struct Operation {
    pub(crate) id: String,
    method: String,
    template: Vec<String>,
    /// Its JSON pointer in the spec (`/paths/~1room_sessions/get`).
    pointer: String,
    query: BTreeSet<String>,
}

/// The spec as drift reads it: the raw document, for pointers, and its operations.
pub(crate) struct Spec<'a> {
    raw: &'a Value,
    operations: Vec<Operation>,
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl<'a> Spec<'a> {
    pub(crate) fn new(raw: &'a Value) -> Self {
        let mut operations = Vec::new();
        let paths = raw.get("paths").and_then(Value::as_object);
        for (template, item) in paths.into_iter().flatten() {
            let pointer = format!("/paths/{}", escape(template));
            for method in METHODS {
                let Some(operation) = item.get(method) else {
                    continue;
                };
                let parameters = [item, operation]
                    .into_iter()
                    .filter_map(|o| o.get("parameters")?.as_array())
                    .flatten()
                    .map(|p| resolve_ref(raw, p));
                let query = parameters
                    .filter(|p| p.get("in").and_then(Value::as_str) == Some("query"))
                    .filter_map(|p| Some(p.get("name")?.as_str()?.to_owned()));
                operations.push(Operation {
                    id: operation["operationId"].as_str().unwrap_or("-").to_owned(),
                    method: method.to_ascii_uppercase(),
                    template: split(template),
                    pointer: format!("{pointer}/{method}"),
                    query: query.collect(),
                });
            }
        }
        Spec { raw, operations }
    }

    /// The operation of `exchange` and how many path segments come before the spec's path
    /// (the URL's base: `/api/video`, or none for a local server at its root). The shortest
    /// base wins, then the template with the most literal segments.
    fn operation(&self, exchange: &Exchange) -> Option<(&Operation, usize)> {
        let segments = &exchange.segments;
        self.operations
            .iter()
            .filter(|op| op.method == exchange.method && segments.len() >= op.template.len())
            .filter(|op| {
                let tail = &segments[segments.len() - op.template.len()..];
                op.template
                    .iter()
                    .zip(tail)
                    .all(|(t, s)| t == s || t.starts_with('{'))
            })
            .map(|op| (op, segments.len() - op.template.len()))
            .min_by_key(|(op, base)| {
                (
                    *base,
                    op.template.iter().filter(|t| t.starts_with('{')).count(),
                )
            })
    }

    /// The operation of `exchange` and its base (see [`Spec::operation`]), if any, and what the
    /// exchange showed.
    pub(crate) fn check(&self, exchange: &Exchange) -> (Option<(&Operation, usize)>, Checked) {
        let mut checked = Checked::default();
        let operation = self.operation(exchange);
        let Some((op, _)) = operation else {
            // One line for the endpoint, not one per resource: an ID reads `{id}`.
            let id = |s: &String| is_uuid(s) || s.bytes().all(|b| b.is_ascii_digit());
            let segments = exchange.segments.iter();
            let template: Vec<&str> = segments.map(|s| if id(s) { "{id}" } else { s }).collect();
            let path = format!("{} /{}", exchange.method, template.join("/"));
            let url = Value::String(exchange.url(0));
            let f = finding("-", Kind::Endpoint, path, "", url, None);
            checked.findings.push(f);
            return (operation, checked);
        };
        // A name given twice (`?x=1&x=2`) is one parameter, as Redocly counts it.
        let mut named = BTreeSet::new();
        for (name, value) in &exchange.query {
            if !op.query.contains(name) && named.insert(name) {
                let value = Value::String(value.clone());
                let f = finding(&op.id, Kind::Query, name.clone(), "", value, None);
                checked.findings.push(f);
            }
        }
        let Some(response) = &exchange.response else {
            return (operation, checked);
        };
        let status = response.status.to_string();
        let body = response.body.as_deref().unwrap_or("");
        let responses = format!("{}/responses", op.pointer);
        let range = format!("{}XX", &status[..1]);
        let documented = [
            status.as_str(),
            &range,
            &range.to_ascii_lowercase(),
            "default",
        ]
        .into_iter()
        .map(|key| format!("{responses}/{key}"))
        .find_map(|at| Some((self.raw.pointer(&at)?, at)));
        let Some((documented, at)) = documented else {
            let schema = self.class_schema(op, &status, body);
            let fix = schema.and_then(|s| fix(responses, Change::Response(status.clone(), s)));
            let value = serde_json::from_str(body).unwrap_or_else(|_| Value::String(body.into()));
            checked
                .findings
                .push(finding(&op.id, Kind::Status, status, "", value, fix));
            return (operation, checked);
        };
        let Some((schema, at)) = json_schema(self.raw, documented, at) else {
            return (operation, checked);
        };
        let Ok(body) = serde_json::from_str::<Value>(body) else {
            let value = Value::String(body.to_owned());
            let f = finding(&op.id, Kind::Body, "(body)".into(), "", value, None);
            checked.findings.push(f);
            return (operation, checked);
        };
        let mut walk = Walk {
            raw: self.raw,
            operation: &op.id,
            findings: &mut checked.findings,
            seen: &mut checked.seen,
        };
        walk.value(&body, schema, at.clone(), "");
        if status.starts_with('2') {
            self.documented(schema, at, "", &mut Vec::new(), &mut checked.documented);
        }
        (operation, checked)
    }

    /// The `$ref` of the body schema of `status`'s class (2xx successes; 4xx, 5xx and `default`
    /// errors), if `body` fits it exactly. progenitor allows one body type a class (see
    /// `spec::body_types`), so a new status can only share it: another body (an HTML page, none
    /// at all) needs a human.
    fn class_schema(&self, op: &Operation, status: &str, body: &str) -> Option<String> {
        let class = |documented: &str| match status.as_bytes()[0] {
            b'2' => documented.starts_with('2'),
            b'4' | b'5' => documented.starts_with(['4', '5']) || documented == "default",
            _ => false,
        };
        let pointer = format!("{}/responses", op.pointer);
        let (reference, schema, at) = self
            .raw
            .pointer(&pointer)?
            .as_object()?
            .iter()
            .filter(|(documented, _)| class(documented))
            .find_map(|(status, response)| {
                let at = format!("{pointer}/{}", escape(status));
                let (schema, at) = json_schema(self.raw, response, at)?;
                Some((schema.get("$ref")?.as_str()?, schema, at))
            })?;
        let body: Value = serde_json::from_str(body).ok()?;
        let (mut findings, mut seen) = (Vec::new(), BTreeSet::new());
        let mut walk = Walk {
            raw: self.raw,
            operation: &op.id,
            findings: &mut findings,
            seen: &mut seen,
        };
        walk.value(&body, schema, at, "");
        findings.is_empty().then(|| reference.to_owned())
    }

    /// Every documented property path under `schema`, each schema followed once per branch
    /// (the spec's schemas may be recursive).
    fn documented(
        &self,
        schema: &Value,
        at: String,
        path: &str,
        stack: &mut Vec<String>,
        out: &mut BTreeSet<String>,
    ) {
        let schema = Schema::resolve(self.raw, schema, at);
        let Some((first, _)) = schema.parts.first() else {
            return;
        };
        if stack.contains(first) || stack.len() > 16 {
            return;
        }
        stack.push(first.clone());
        for (name, (at, child)) in schema.properties() {
            let path = join(path, &name);
            out.insert(path.clone());
            self.documented(child, at, &path, stack, out);
        }
        if let Some((at, items)) = schema.first("items") {
            self.documented(
                items,
                format!("{at}/items"),
                &format!("{path}[]"),
                stack,
                out,
            );
        }
        stack.pop();
    }
}

/// A body, or a part of it, walked together with its schema.
struct Walk<'a> {
    raw: &'a Value,
    operation: &'a str,
    findings: &'a mut Vec<Finding>,
    seen: &'a mut BTreeSet<String>,
}

impl Walk<'_> {
    fn value(&mut self, value: &Value, schema: &Value, at: String, path: &str) {
        let schema = Schema::resolve(self.raw, schema, at);
        // A union is not compared: which branch a value takes is not drift's to guess.
        let union = ["oneOf", "anyOf", "not"]
            .iter()
            .any(|k| schema.first(k).is_some());
        if schema.parts.is_empty() || union {
            return;
        }
        let ty = schema
            .first("type")
            .and_then(|(at, t)| Some((at.to_owned(), t.as_str()?)));
        let enumeration = schema
            .first("enum")
            .and_then(|(at, e)| Some((at, e.as_array()?)));
        if value.is_null() {
            let in_enum = enumeration.is_some_and(|(_, e)| e.contains(&Value::Null));
            if let Some((at, t)) = ty
                && !schema.nullable()
                && !in_enum
            {
                let fix = fix(at, Change::Nullable);
                self.push(Kind::Type, path, format!("{t}, not nullable"), value, fix);
            }
            return;
        }
        if let Some((_, t)) = &ty
            && !has_type(value, t)
        {
            self.push(Kind::Type, path, (*t).to_owned(), value, None);
            return;
        }
        if let Some((at, Value::String(format))) = schema.first("format")
            && let Some(widened) = outside(value, format)
        {
            let fix = fix(at.to_owned(), Change::Format(widened));
            self.push(Kind::Format, path, format.clone(), value, fix);
        }
        if let Some((at, values)) = enumeration
            && !values.iter().any(|v| same(v, value))
        {
            let listed: Vec<String> = values.iter().map(bare).collect();
            let name = at.strip_prefix("/components/schemas/").unwrap_or("enum");
            let detail = format!("{name} [{}]", listed.join(", "));
            let change = Change::Enum(value.to_string());
            let fix = fix(format!("{at}/enum"), change);
            self.push(Kind::Enum, path, detail, value, fix);
        }
        match value {
            Value::Object(object) => self.object(&schema, ty.is_some(), object, path),
            Value::Array(items) => {
                if let Some((at, item)) = schema.first("items") {
                    for value in items {
                        self.value(value, item, format!("{at}/items"), &format!("{path}[]"));
                    }
                }
            }
            _ => {}
        }
    }

    fn object(&mut self, schema: &Schema, typed: bool, object: &Map<String, Value>, path: &str) {
        let properties = schema.properties();
        for name in schema.required() {
            if !object.contains_key(name) {
                self.push(
                    Kind::Required,
                    &join(path, name),
                    String::new(),
                    &Value::Null,
                    None,
                );
            }
        }
        let additional = schema.first("additionalProperties");
        // No `properties`, no `type`: a free-form object, whose keys are not drift.
        let free = !typed && properties.is_empty();
        for (name, value) in object {
            let child = join(path, name);
            if let Some((at, property)) = properties.get(name) {
                self.seen.insert(child.clone());
                self.value(value, property, at.clone(), &child);
                continue;
            }
            match additional {
                Some((at, schema @ Value::Object(map))) if !map.is_empty() => {
                    let at = format!("{at}/additionalProperties");
                    self.value(value, schema, at, &join(path, "*"));
                }
                Some((_, Value::Bool(true) | Value::Object(_))) => {}
                _ if free => {}
                _ => {
                    let change = Change::Property(name.clone());
                    let fix = fix(schema.holder(), change);
                    self.push(Kind::Property, &child, String::new(), value, fix);
                }
            }
        }
    }

    fn push(&mut self, kind: Kind, path: &str, detail: String, value: &Value, fix: Option<Fix>) {
        let path = if path.is_empty() { "(body)" } else { path };
        let f = finding(
            self.operation,
            kind,
            path.to_owned(),
            &detail,
            value.clone(),
            fix,
        );
        self.findings.push(f);
    }
}

/// A schema with its `$ref`s followed and its `allOf` flattened: its parts, each with the
/// JSON pointer where it is defined.
struct Schema<'a> {
    parts: Vec<(String, &'a Map<String, Value>)>,
}

impl<'a> Schema<'a> {
    fn resolve(raw: &'a Value, schema: &'a Value, at: String) -> Self {
        let mut parts = Vec::new();
        collect(raw, schema, at, &mut parts, 0);
        Schema { parts }
    }

    /// The first part's value of `key`, and where that part is.
    fn first(&self, key: &str) -> Option<(&str, &'a Value)> {
        self.parts
            .iter()
            .find_map(|(at, part)| Some((at.as_str(), part.get(key)?)))
    }

    fn nullable(&self) -> bool {
        self.parts
            .iter()
            .any(|(_, part)| part.get("nullable") == Some(&Value::Bool(true)))
    }

    /// Every part's properties (the first part wins a name), each with where it is defined.
    fn properties(&self) -> BTreeMap<String, (String, &'a Value)> {
        let mut properties = BTreeMap::new();
        for (at, part) in &self.parts {
            let Some(map) = part.get("properties").and_then(Value::as_object) else {
                continue;
            };
            for (name, schema) in map {
                let at = format!("{at}/properties/{}", escape(name));
                properties.entry(name.clone()).or_insert((at, schema));
            }
        }
        properties
    }

    fn required(&self) -> BTreeSet<&'a str> {
        let names = self
            .parts
            .iter()
            .filter_map(|(_, p)| p.get("required")?.as_array());
        names.flatten().filter_map(Value::as_str).collect()
    }

    /// Where a new property goes: the last part with `properties` (in an `allOf`, the most
    /// specific one, not a base shared with other schemas), else the first typed part.
    fn holder(&self) -> String {
        let with = |key| self.parts.iter().rev().find(|(_, p)| p.contains_key(key));
        let part = with("properties")
            .or_else(|| with("type"))
            .or(self.parts.first());
        part.map(|(at, _)| at.clone()).unwrap_or_default()
    }
}

fn collect<'a>(
    raw: &'a Value,
    schema: &'a Value,
    at: String,
    parts: &mut Vec<(String, &'a Map<String, Value>)>,
    depth: usize,
) {
    let Some(map) = schema.as_object() else {
        return;
    };
    if depth > 32 {
        return;
    }
    if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
        if let Some(pointer) = reference.strip_prefix('#')
            && let Some(target) = raw.pointer(pointer)
        {
            collect(raw, target, pointer.to_owned(), parts, depth + 1);
        }
        return;
    }
    parts.push((at.clone(), map));
    for (i, part) in map
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        collect(raw, part, format!("{at}/allOf/{i}"), parts, depth + 1);
    }
}

/// A response's (or parameter's) `$ref` followed, once: the spec puts them in components.
fn resolve_ref<'a>(raw: &'a Value, value: &'a Value) -> &'a Value {
    value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| raw.pointer(r.strip_prefix('#')?))
        .unwrap_or(value)
}

/// A response's JSON body schema, and its pointer; `at` is the response's.
fn json_schema<'a>(raw: &'a Value, response: &'a Value, at: String) -> Option<(&'a Value, String)> {
    let at = match response.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference.strip_prefix('#')?.to_owned(),
        None => at,
    };
    let response = resolve_ref(raw, response);
    let content = response.get("content")?.as_object()?;
    let (media, body) = content
        .iter()
        .find(|(media, _)| media.starts_with("application/json") || media.ends_with("+json"))?;
    let schema = body.get("schema")?;
    Some((schema, format!("{at}/content/{}/schema", escape(media))))
}

pub(crate) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(n) if n.as_f64().is_some_and(|f| f.fract() == 0.0) => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn has_type(value: &Value, ty: &str) -> bool {
    match (ty, json_type(value)) {
        ("number", "integer") => true,
        ("integer" | "number" | "string" | "boolean" | "array" | "object", seen) => seen == ty,
        _ => true,
    }
}

/// `Some(widened)` when `value` is outside `format`: the format that would hold it, or `None`
/// to drop the format. Formats that say nothing checkable (`double`, a URL...) are never so.
fn outside(value: &Value, format: &str) -> Option<Option<&'static str>> {
    let (number, text) = (value.as_f64(), value.as_str());
    let fits = match format {
        "int32" => number.is_none_or(|n| (f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&n)),
        "int64" => {
            value.is_i64() || number.is_none_or(|n| !value.is_u64() && n.abs() < 2f64.powi(63))
        }
        "date-time" => text.is_none_or(|t| chrono::DateTime::parse_from_rfc3339(t).is_ok()),
        "date" => text.is_none_or(|t| chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").is_ok()),
        "uuid" => text.is_none_or(is_uuid),
        _ => true,
    };
    match (fits, format) {
        (true, _) => None,
        (false, "int32") => Some(Some("int64")),
        (false, _) => Some(None),
    }
}

/// The canonical textual form, as JSON Schema's `uuid` format (RFC 4122) has it.
fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// JSON equality, numbers by value (`30.0` is the enum's `30`).
fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// An enum value as the spec's YAML shows it: a string without quotes.
fn bare(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        _ => value.to_string(),
    }
}

/// `text` cut to `max` characters, `…` marking the cut.
pub(crate) fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max.saturating_sub(1)) {
        Some((end, _)) if text[end..].chars().nth(1).is_some() => format!("{}…", &text[..end]),
        _ => text.to_owned(),
    }
}

fn finding(
    op: &str,
    kind: Kind,
    path: String,
    detail: &str,
    value: Value,
    fix: Option<Fix>,
) -> Finding {
    Finding {
        operation: op.to_owned(),
        kind,
        path,
        detail: detail.to_owned(),
        value,
        fix,
    }
}

fn join(path: &str, name: &str) -> String {
    match path {
        "" => name.to_owned(),
        _ => format!("{path}.{name}"),
    }
}

fn split(template: &str) -> Vec<String> {
    template
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}
