//! The README's downstream test is `tests/downstream.rs`, verbatim from its `use` lines on.

#[test]
fn readme_shows_the_downstream_test_as_it_runs() {
    let readme = include_str!("../README.md");
    let test = include_str!("downstream.rs");
    let body = &test[test.find("use ").expect("the test has use lines")..];
    assert!(
        readme.contains(&format!("```rust,no_run\n{body}```\n")),
        "README.md must show tests/downstream.rs from its first `use` line on, verbatim"
    );
}
