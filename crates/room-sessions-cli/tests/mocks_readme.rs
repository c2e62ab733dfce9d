//! The typed mocks' README shows `tests/downstream.rs` of this crate, verbatim from its `use`
//! lines on: this crate depends on room-sessions, which the mock crate does not.

#[test]
fn the_mocks_readme_shows_the_downstream_test_as_it_runs() {
    let readme = include_str!("../../room-sessions-httpmock/README.md");
    let test = include_str!("downstream.rs");
    let body = &test[test.find("use ").expect("the test has use lines")..];
    assert!(
        readme.contains(&format!("```rust,ignore\n{body}```\n")),
        "the mocks' README.md must show tests/downstream.rs from its first `use` line on, \
         verbatim"
    );
}
