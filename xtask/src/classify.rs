//! What a change of the generated surface means for the crate's version: each added, removed
//! or changed [`Item`] is breaking or compatible by Rust's rules (what code written against the
//! old surface does against the new one), not by OpenAPI's. cargo-semver-checks' lints are the
//! reference; their names are in the comments beside the rules.
//!
//! A rule that cannot tell calls the change breaking: a wrong "breaking" costs a version
//! number, a wrong "compatible" costs users a build.

use std::fmt;

use crate::surface::{Construct, Item, Surface, SurfaceChanges, TypeKind};

/// What a change means for users of the crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Class {
    /// Code written against the old surface still builds and works: a patch release (0.x)
    /// or a minor one (1.0 and above).
    Compatible,
    /// Code written against the old surface may no longer build, or may fail where it
    /// worked: a minor release (0.x) or a major one (1.0 and above).
    Breaking,
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Class::Compatible => "compatible",
            Class::Breaking => "breaking",
        })
    }
}

/// One item that was added, removed or changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Edit {
    /// A new item.
    Added(Item),
    /// An item that is gone.
    Removed(Item),
    /// An item whose description changed: the old one, then the new one.
    Changed(Item, Item),
}

/// One change of the surface, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Change {
    /// Breaking or compatible.
    pub(crate) class: Class,
    /// What changed.
    pub(crate) edit: Edit,
    /// Why it is of that class, in a few words.
    pub(crate) reason: String,
}

impl fmt::Display for Change {
    /// `breaking: ~ KEY: NEW (was OLD): REASON`; `+` for an added item, `-` for a removed one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let class = self.class;
        match &self.edit {
            Edit::Added(item) => write!(f, "{class}: + {item}")?,
            Edit::Removed(item) => write!(f, "{class}: - {item}")?,
            Edit::Changed(old, new) => write!(f, "{class}: ~ {new} (was {})", old.description())?,
        }
        write!(f, ": {}", self.reason)
    }
}

/// Every change between two surfaces, classified: breaking changes first, then compatible
/// ones, each group in the order of the items' keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Classified {
    /// Items added, removed and changed, as the surface comparison found them.
    pub(crate) changes: SurfaceChanges,
    /// The same changes, classified.
    pub(crate) classified: Vec<Change>,
}

impl Classified {
    /// Compares `old` with `new` and classifies every change.
    pub(crate) fn between(old: &Surface, new: &Surface) -> Self {
        let changes = new.changes_since(old);
        let mut classified: Vec<Change> = Vec::new();
        for item in &changes.added {
            let (class, reason) = added(item, old);
            classified.push(change(class, Edit::Added(item.clone()), reason));
        }
        for item in &changes.removed {
            let (class, reason) = removed(item);
            classified.push(change(class, Edit::Removed(item.clone()), reason));
        }
        for (old_item, new_item) in &changes.changed {
            let (class, reason) = changed(old_item, new_item);
            classified.push(change(
                class,
                Edit::Changed(old_item.clone(), new_item.clone()),
                reason,
            ));
        }
        classified.sort_by(|a, b| {
            b.class
                .cmp(&a.class)
                .then_with(|| edit_key(&a.edit).cmp(&edit_key(&b.edit)))
        });
        Self {
            changes,
            classified,
        }
    }

    /// The most severe class of change, or `None` when nothing changed.
    pub(crate) fn class(&self) -> Option<Class> {
        self.classified.iter().map(|c| c.class).max()
    }

    /// The changes of class `class`.
    pub(crate) fn of(&self, class: Class) -> impl Iterator<Item = &Change> {
        self.classified.iter().filter(move |c| c.class == class)
    }

    /// Whether the two surfaces are the same.
    pub(crate) fn is_empty(&self) -> bool {
        self.classified.is_empty()
    }
}

impl fmt::Display for Classified {
    /// `surface: A added, R removed, C changed (B breaking, P compatible)`, then one line per
    /// change; `surface: unchanged` when nothing changed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return writeln!(f, "surface: unchanged");
        }
        let changes = &self.changes;
        writeln!(
            f,
            "surface: {} added, {} removed, {} changed ({} breaking, {} compatible)",
            changes.added.len(),
            changes.removed.len(),
            changes.changed.len(),
            self.of(Class::Breaking).count(),
            self.of(Class::Compatible).count(),
        )?;
        for change in &self.classified {
            writeln!(f, "  {change}")?;
        }
        Ok(())
    }
}

fn change(class: Class, edit: Edit, reason: impl Into<String>) -> Change {
    Change {
        class,
        edit,
        reason: reason.into(),
    }
}

/// Sorts the changes of one class by key, so that an item comes before its fields, variants,
/// parameters or matchers.
fn edit_key(edit: &Edit) -> String {
    match edit {
        Edit::Added(item) | Edit::Removed(item) | Edit::Changed(_, item) => item.key(),
    }
}

use Class::{Breaking, Compatible};

/// A new item, against the surface it is added to.
fn added(item: &Item, old: &Surface) -> (Class, &'static str) {
    match item {
        Item::Type { .. } => (Compatible, "a new type"),
        Item::TypeFn { owner, .. } if is_new_type(old, owner) => {
            (Compatible, "a method of a new type")
        }
        Item::TypeFn { .. } => (Compatible, "a new method"),
        Item::Field { owner, .. } => match old.get(&format!("type {owner}")) {
            // constructible_struct_adds_field
            Some(Item::Type {
                kind:
                    TypeKind::Struct {
                        construct: Construct::Literal,
                    },
                ..
            }) => (
                Breaking,
                "a field added to a struct users can build with a struct literal",
            ),
            Some(_) => (
                Compatible,
                "a field added to a struct users cannot build with a literal",
            ),
            None => (Compatible, "a field of a new type"),
        },
        Item::Variant { owner, .. } => match old.get(&format!("enum {owner}")) {
            // enum_variant_added
            Some(Item::Type {
                kind: TypeKind::Enum { exhaustive: true },
                ..
            }) => (
                Breaking,
                "a variant added to an exhaustive enum: matches on it no longer cover it",
            ),
            Some(_) => (Compatible, "a variant added to a #[non_exhaustive] enum"),
            None => (Compatible, "a variant of a new enum"),
        },
        Item::Operation { .. } => (Compatible, "a new operation (method of Client)"),
        Item::Param { operation, .. } if is_new_operation(old, operation) => {
            (Compatible, "a parameter of a new operation")
        }
        Item::Param {
            required: false, ..
        } => (Compatible, "a new optional builder setter"),
        // Not a compile error: the builder starts without it, and `send()` fails.
        Item::Param { required: true, .. } => (
            Breaking,
            "a new required parameter: calls that do not set it fail at send()",
        ),
        // trait_method_added: MockServerExt is public and not sealed.
        Item::Mock {
            default_body: false,
            ..
        } => (
            Breaking,
            "a method without a default body added to MockServerExt, which users may implement",
        ),
        Item::Mock {
            default_body: true, ..
        } => (Compatible, "a new MockServerExt method with a default body"),
        Item::Matcher { operation, .. } | Item::Response { operation, .. }
            if is_new_mock(old, operation) =>
        {
            (Compatible, "part of a new mock")
        }
        Item::Matcher { .. } => (Compatible, "a new matcher"),
        Item::Response { .. } => (Compatible, "a new response"),
    }
}

/// An item that is gone: whatever used it no longer builds.
fn removed(item: &Item) -> (Class, &'static str) {
    let reason = match item {
        // struct_missing, enum_missing
        Item::Type { .. } => "a type removed",
        // inherent_method_missing
        Item::TypeFn { .. } => "a method removed",
        // struct_pub_field_missing
        Item::Field { .. } => "a pub field removed",
        // enum_variant_missing
        Item::Variant { .. } => "a variant removed",
        // inherent_method_missing
        Item::Operation { .. } => "an operation (method of Client) removed",
        Item::Param { .. } => "a builder setter removed",
        // trait_method_missing
        Item::Mock { .. } => "a MockServerExt method removed",
        Item::Matcher { .. } => "a matcher removed",
        Item::Response { .. } => "a response removed",
    };
    (Breaking, reason)
}

/// An item whose description changed.
fn changed(old: &Item, new: &Item) -> (Class, String) {
    let breaking = |reason: &str| (Breaking, reason.to_owned());
    let compatible = |reason: &str| (Compatible, reason.to_owned());
    match (old, new) {
        (
            Item::Type {
                kind: old_kind,
                traits: old_traits,
                ..
            },
            Item::Type {
                kind: new_kind,
                traits: new_traits,
                ..
            },
        ) => {
            let mut reasons: Vec<(Class, String)> = Vec::new();
            if old_kind != new_kind {
                reasons.push(kind_changed(old_kind, new_kind));
            }
            let lost: Vec<&str> = old_traits
                .difference(new_traits)
                .map(String::as_str)
                .collect();
            let gained: Vec<&str> = new_traits
                .difference(old_traits)
                .map(String::as_str)
                .collect();
            // derive_trait_impl_removed
            if !lost.is_empty() {
                reasons.push((
                    Breaking,
                    format!("no longer implements {}", lost.join(", ")),
                ));
            }
            if !gained.is_empty() {
                reasons.push((Compatible, format!("now implements {}", gained.join(", "))));
            }
            let class = reasons.iter().map(|(class, _)| *class).max();
            let text: Vec<String> = reasons.into_iter().map(|(_, reason)| reason).collect();
            (class.unwrap_or(Breaking), text.join("; "))
        }
        (Item::TypeFn { .. }, Item::TypeFn { .. }) => breaking("a method's signature changed"),
        (Item::Field { ty: old_ty, .. }, Item::Field { ty: new_ty, .. }) if old_ty != new_ty => {
            breaking("a field's type changed")
        }
        (Item::Field { .. }, Item::Field { .. }) => {
            compatible("only its JSON name changed; the Rust field is the same")
        }
        (
            Item::Variant {
                payload: old_payload,
                ..
            },
            Item::Variant {
                payload: new_payload,
                ..
            },
        ) if old_payload != new_payload => breaking("a variant's fields changed"),
        (Item::Variant { .. }, Item::Variant { .. }) => {
            compatible("only its JSON name changed; the Rust variant is the same")
        }
        (
            Item::Operation {
                success: old_success,
                error: old_error,
                ..
            },
            Item::Operation {
                success: new_success,
                error: new_error,
                ..
            },
        ) if old_success != new_success || old_error != new_error => {
            breaking("what send() returns changed")
        }
        (Item::Operation { .. }, Item::Operation { .. }) => {
            compatible("it sends another request; its Rust signature is the same")
        }
        (
            Item::Param {
                ty: old_ty,
                required: old_required,
                ..
            },
            Item::Param {
                ty: new_ty,
                required: new_required,
                ..
            },
        ) => match (old_ty == new_ty, old_required, new_required) {
            // method_parameter_count_changed and its kin: the setter takes another type.
            (false, ..) => breaking("a builder setter's parameter type changed"),
            (true, false, true) => {
                breaking("now required: calls that do not set it fail at send()")
            }
            (true, ..) => compatible("no longer required"),
        },
        (
            Item::Mock {
                default_body: true, ..
            },
            Item::Mock {
                default_body: false,
                ..
            },
        ) => {
            // trait_method_default_impl_removed
            breaking("a MockServerExt method lost its default body")
        }
        (Item::Mock { .. }, Item::Mock { .. }) => {
            compatible("it matches another request; its Rust signature is the same")
        }
        (Item::Matcher { .. }, Item::Matcher { .. }) => {
            breaking("a matcher's parameter type changed")
        }
        (Item::Response { body: old_body, .. }, Item::Response { body: new_body, .. })
            if old_body != new_body =>
        {
            breaking("a response's body type changed")
        }
        (Item::Response { .. }, Item::Response { .. }) => {
            compatible("only its status changed; its Rust signature is the same")
        }
        _ => breaking("the kind of item changed"),
    }
}

/// A type whose kind (struct, newtype, enum, alias) or shape changed.
fn kind_changed(old: &TypeKind, new: &TypeKind) -> (Class, String) {
    let (class, reason) = match (old, new) {
        (
            TypeKind::Tuple {
                fields: old_fields, ..
            },
            TypeKind::Tuple {
                fields: new_fields, ..
            },
        ) if old_fields != new_fields => (Breaking, "a newtype's inner type changed"),
        (TypeKind::Struct { construct: old }, TypeKind::Struct { construct: new })
        | (TypeKind::Tuple { construct: old, .. }, TypeKind::Tuple { construct: new, .. }) => {
            construct_changed(*old, *new)
        }
        // enum_marked_non_exhaustive
        (TypeKind::Enum { exhaustive: true }, TypeKind::Enum { exhaustive: false }) => (
            Breaking,
            "marked #[non_exhaustive]: matches on it need a `_` arm",
        ),
        (TypeKind::Enum { .. }, TypeKind::Enum { .. }) => {
            (Compatible, "no longer #[non_exhaustive]")
        }
        (TypeKind::Alias { .. }, TypeKind::Alias { .. }) => {
            (Breaking, "the type it aliases changed")
        }
        _ => (
            Breaking,
            "the kind of type changed (struct, newtype, unit struct, enum, alias)",
        ),
    };
    (class, reason.to_owned())
}

/// Whether users can build a struct with a literal, before and after.
fn construct_changed(old: Construct, new: Construct) -> (Class, &'static str) {
    match (old, new) {
        // struct_marked_non_exhaustive
        (Construct::Literal, Construct::NonExhaustive) => (
            Breaking,
            "marked #[non_exhaustive]: users can no longer build it with a literal",
        ),
        // constructible_struct_adds_private_field
        (Construct::Literal, Construct::PrivateFields) => (
            Breaking,
            "a private field: users can no longer build it with a literal",
        ),
        (_, Construct::Literal) => (Compatible, "users can now build it with a literal"),
        _ => (Compatible, "users still cannot build it with a literal"),
    }
}

fn is_new_type(old: &Surface, name: &str) -> bool {
    old.get(&format!("type {name}")).is_none() && old.get(&format!("enum {name}")).is_none()
}

fn is_new_operation(old: &Surface, operation: &str) -> bool {
    old.get(&format!("operation {operation}")).is_none()
}

fn is_new_mock(old: &Surface, operation: &str) -> bool {
    old.get(&format!("mock {operation}")).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rules that code generated from a spec does not reach today (progenitor marks nothing
    /// `#[non_exhaustive]` and gives MockServerExt methods no bodies), on hand-written sources.
    #[test]
    fn rules_for_shapes_the_generator_does_not_emit_today() {
        let cases: &[(&str, &str, &str, &[&str])] = &[
            (
                "a field added to a #[non_exhaustive] struct",
                "pub mod types { #[non_exhaustive] pub struct A { pub x: i64 } }",
                "pub mod types { #[non_exhaustive] pub struct A { pub x: i64, pub y: i64 } }",
                &[
                    "compatible: + type A field y: a field added to a struct users cannot build with a literal",
                ],
            ),
            (
                "a struct marked #[non_exhaustive]",
                "pub mod types { pub struct A { pub x: i64 } }",
                "pub mod types { #[non_exhaustive] pub struct A { pub x: i64 } }",
                &[
                    "breaking: ~ type A: marked #[non_exhaustive]: users can no longer build it with a literal",
                ],
            ),
            (
                "a private field added",
                "pub mod types { pub struct A { pub x: i64 } }",
                "pub mod types { pub struct A { pub x: i64, y: i64 } }",
                &[
                    "breaking: ~ type A: a private field: users can no longer build it with a literal",
                ],
            ),
            (
                "the last private field made pub",
                "pub mod types { pub struct A { pub x: i64, y: i64 } }",
                "pub mod types { pub struct A { pub x: i64, pub y: i64 } }",
                &[
                    "compatible: ~ type A: users can now build it with a literal",
                    "compatible: + type A field y: a field added to a struct users cannot build with a literal",
                ],
            ),
            (
                "a variant added to a #[non_exhaustive] enum",
                "pub mod types { #[non_exhaustive] pub enum E { A } }",
                "pub mod types { #[non_exhaustive] pub enum E { A, B } }",
                &["compatible: + enum E variant B: a variant added to a #[non_exhaustive] enum"],
            ),
            (
                "an enum marked #[non_exhaustive]",
                "pub mod types { pub enum E { A } }",
                "pub mod types { #[non_exhaustive] pub enum E { A } }",
                &["breaking: ~ enum E: marked #[non_exhaustive]: matches on it need a `_` arm"],
            ),
            (
                "a variant's fields changed",
                "pub mod types { pub enum E { A(i64) } }",
                "pub mod types { pub enum E { A(String) } }",
                &["breaking: ~ enum E variant A: a variant's fields changed"],
            ),
            (
                "a variant's JSON name changed",
                "pub mod types { pub enum E { #[serde(rename = \"a\")] A } }",
                "pub mod types { pub enum E { #[serde(rename = \"A\")] A } }",
                &[
                    "compatible: ~ enum E variant A: only its JSON name changed; the Rust variant is the same",
                ],
            ),
            (
                "a field's JSON name changed",
                "pub mod types { pub struct A { #[serde(rename = \"x-y\")] pub x_y: i64 } }",
                "pub mod types { pub struct A { #[serde(rename = \"x_y\")] pub x_y: i64 } }",
                &[
                    "compatible: ~ type A field x_y: only its JSON name changed; the Rust field is the same",
                ],
            ),
            (
                "a newtype's inner type changed",
                "pub mod types { pub struct N(pub i64); }",
                "pub mod types { pub struct N(pub String); }",
                &["breaking: ~ type N: a newtype's inner type changed"],
            ),
            (
                "an alias changed",
                "pub mod types { pub type T = Vec<i64>; }",
                "pub mod types { pub type T = Vec<String>; }",
                &["breaking: ~ type T: the type it aliases changed"],
            ),
            (
                "a struct became a newtype",
                "pub mod types { pub struct A { pub x: i64 } }",
                "pub mod types { pub struct A(pub i64); }",
                &[
                    "breaking: ~ type A: the kind of type changed (struct, newtype, unit struct, enum, alias)",
                    "breaking: - type A field x: a pub field removed",
                ],
            ),
            (
                "a struct became an enum",
                "pub mod types { pub struct A; }",
                "pub mod types { pub enum A { X } }",
                &[
                    "breaking: - type A: a type removed",
                    "compatible: + enum A: a new type",
                    "compatible: + enum A variant X: a variant of a new enum",
                ],
            ),
            (
                "a trait gained and one lost",
                "pub mod types { #[derive(Clone, Default)] pub struct A; }",
                "pub mod types { #[derive(Clone, Copy)] pub struct A; }",
                &["breaking: ~ type A: no longer implements Default; now implements Copy"],
            ),
            (
                "a trait gained",
                "pub mod types { #[derive(Clone)] pub struct A; }",
                "pub mod types { #[derive(Clone, Copy)] pub struct A; }",
                &["compatible: ~ type A: now implements Copy"],
            ),
            (
                "a method's signature changed",
                "pub mod types { pub struct A; impl A { pub fn f(&self) -> i64 { 0 } } }",
                "pub mod types { pub struct A; impl A { pub fn f(&self, x: i64) -> i64 { x } } }",
                &["breaking: ~ type A fn f: a method's signature changed"],
            ),
        ];
        for (name, old, new, expected) in cases {
            let old = Surface::from_source(old).unwrap();
            let new = Surface::from_source(new).unwrap();
            let classified = Classified::between(&old, &new);
            let lines: Vec<String> = classified
                .classified
                .iter()
                .map(|change| {
                    let (sign, item) = match &change.edit {
                        Edit::Added(item) => ('+', item),
                        Edit::Removed(item) => ('-', item),
                        Edit::Changed(_, item) => ('~', item),
                    };
                    format!("{}: {sign} {}: {}", change.class, item.key(), change.reason)
                })
                .collect();
            assert_eq!(lines, *expected, "{name}\n{classified}");
        }
    }

    const MOCK_TRAIT: &str = r#"
        pub mod operations {
            pub struct AWhen(::httpmock::When);
            impl AWhen {
                pub fn new(inner: ::httpmock::When) -> Self {
                    Self(inner.method(::httpmock::Method::GET).path_matches(regex::Regex::new("^/a$").unwrap()))
                }
            }
            pub struct AThen(::httpmock::Then);
        }
        pub trait MockServerExt {
            fn a<F>(&self, config_fn: F) -> ::httpmock::Mock<'_>
            where
                F: FnOnce(operations::AWhen, operations::AThen) BODY
        }
    "#;

    #[test]
    fn a_mock_method_is_breaking_to_add_unless_it_has_a_default_body() {
        let without = Surface::from_source(&MOCK_TRAIT.replace(" BODY", ";")).unwrap();
        let with = Surface::from_source(&MOCK_TRAIT.replace(" BODY", " { todo!() }")).unwrap();
        let empty = Surface::from_source("").unwrap();
        for (old, new, class, reason) in [
            (
                &empty,
                &without,
                Breaking,
                "a method without a default body added to MockServerExt, which users may implement",
            ),
            (
                &empty,
                &with,
                Compatible,
                "a new MockServerExt method with a default body",
            ),
            (
                &with,
                &without,
                Breaking,
                "a MockServerExt method lost its default body",
            ),
        ] {
            let classified = Classified::between(old, new);
            assert_eq!(classified.classified.len(), 1, "{classified}");
            assert_eq!(classified.classified[0].class, class, "{classified}");
            assert_eq!(classified.classified[0].reason, reason);
            assert_eq!(classified.class(), Some(class));
        }
        assert_eq!(Classified::between(&with, &with).class(), None);
    }
}
