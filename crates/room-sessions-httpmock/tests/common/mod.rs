//! What several test files share: the spec's examples, decoded into the client's types.

// Each test file uses some of these.
#![allow(dead_code)]

use serde::de::DeserializeOwned;
use serde_json::Value;

/// The workspace's spec as JSON.
pub fn spec() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../openapi/room_sessions.yaml"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    serde_yaml::from_str(&text).expect("the spec is YAML")
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
