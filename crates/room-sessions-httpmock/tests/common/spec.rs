//! The spec, read in one place for every test that checks something against it: these tests
//! and the wrapper's contract test (which includes this file by its path).

// Each test file uses some of these.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde_json::Value;

/// The workspace's spec.
pub fn spec_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi/room_sessions.yaml")
}

/// The workspace's spec as JSON.
pub fn spec() -> Value {
    spec_at(&spec_path())
}

/// The spec at `path` as JSON.
pub fn spec_at(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{} is not YAML: {e}", path.display()))
}

/// `node`, or what it refers to if it is a local `$ref` (`#/components/...`), followed to
/// the end.
pub fn resolve<'a>(spec: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("only local $refs are supported: {reference}"));
            let target = spec
                .pointer(pointer)
                .unwrap_or_else(|| panic!("unresolved $ref {reference}"));
            resolve(spec, target)
        }
        None => node,
    }
}

/// The value at `pointer` (a JSON pointer into the spec) decoded as `T`.
pub fn example<T: DeserializeOwned>(pointer: &str) -> T {
    let spec = spec();
    let value = spec
        .pointer(pointer)
        .unwrap_or_else(|| panic!("the spec has nothing at {pointer}"));
    serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("the example at {pointer} does not decode: {e}"))
}

/// The JSON pointer of the 200 example of the operation at `path` (`~1` for `/`), or of its
/// named example.
pub fn ok_example(path: &str, name: Option<&str>) -> String {
    let media = format!("/paths/{path}/get/responses/200/content/application~1json");
    match name {
        Some(name) => format!("{media}/examples/{name}/value"),
        None => format!("{media}/example"),
    }
}

/// The example body of the shared response `name` (`NotFound`, ...).
pub fn error_example(name: &str) -> String {
    format!("/components/responses/{name}/content/application~1json/example")
}
