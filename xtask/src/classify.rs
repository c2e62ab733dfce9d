//! What a change of the generated surface means for the crate's version: each added, removed
//! or changed [`Item`] is breaking or compatible by Rust's rules (what code written against the
//! old surface does against the new one), not by OpenAPI's. cargo-semver-checks' lints are the
//! reference; their names are in the comments beside the rules.
//!
//! The rules cover the shapes progenitor emits (see [`crate::surface`]): every struct can be
//! built with a literal (its fields are `pub`), every enum matched exhaustively, and every
//! `MockServerExt` method must be implemented by whoever implements the trait.

use std::collections::BTreeSet;
use std::fmt;

use crate::surface::{Item, Surface, TypeKind};

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
enum Edit {
    Added(Item),
    Removed(Item),
    /// The old item, then the new one.
    Changed(Item, Item),
}

/// One change of the surface, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Change {
    class: Class,
    edit: Edit,
    /// Why it is of that class, in a few words.
    reason: String,
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
/// ones, each group in the order of the items' keys (so an item comes before its fields,
/// variants, parameters or matchers).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Classified {
    changes: Vec<Change>,
}

impl Classified {
    /// Compares `old` with `new` and classifies every change.
    pub(crate) fn between(old: &Surface, new: &Surface) -> Self {
        let mut changes = Vec::new();
        for (key, item) in new.items() {
            let (class, edit, reason) = match old.get(key) {
                None => {
                    let (class, reason) = added(item, old);
                    (class, Edit::Added(item.clone()), reason.to_owned())
                }
                Some(before) if before != item => {
                    let (class, reason) = changed(before, item);
                    (class, Edit::Changed(before.clone(), item.clone()), reason)
                }
                Some(_) => continue,
            };
            changes.push(Change {
                class,
                edit,
                reason,
            });
        }
        for (key, item) in old.items() {
            if new.get(key).is_none() {
                changes.push(Change {
                    class: Breaking,
                    edit: Edit::Removed(item.clone()),
                    reason: removed(item).to_owned(),
                });
            }
        }
        let key = |change: &Change| match &change.edit {
            Edit::Added(item) | Edit::Removed(item) | Edit::Changed(_, item) => item.key(),
        };
        changes.sort_by(|a, b| b.class.cmp(&a.class).then_with(|| key(a).cmp(&key(b))));
        Self { changes }
    }

    /// The most severe class of change, or `None` when nothing changed.
    pub(crate) fn class(&self) -> Option<Class> {
        self.changes.iter().map(|c| c.class).max()
    }

    /// How many changes are of class `class`.
    pub(crate) fn count(&self, class: Class) -> usize {
        self.changes.iter().filter(|c| c.class == class).count()
    }
}

impl fmt::Display for Classified {
    /// `surface: A added, R removed, C changed (B breaking, P compatible)`, then one line per
    /// change; `surface: unchanged` when nothing changed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.changes.is_empty() {
            return writeln!(f, "surface: unchanged");
        }
        let edits = |kind: fn(&Edit) -> bool| self.changes.iter().filter(|c| kind(&c.edit)).count();
        writeln!(
            f,
            "surface: {} added, {} removed, {} changed ({} breaking, {} compatible)",
            edits(|edit| matches!(edit, Edit::Added(_))),
            edits(|edit| matches!(edit, Edit::Removed(_))),
            edits(|edit| matches!(edit, Edit::Changed(..))),
            self.count(Breaking),
            self.count(Compatible),
        )?;
        self.changes
            .iter()
            .try_for_each(|change| writeln!(f, "  {change}"))
    }
}

use Class::{Breaking, Compatible};

/// A new item, against the surface it is added to.
fn added(item: &Item, old: &Surface) -> (Class, &'static str) {
    use Item::{Field, Matcher, Mock, Operation, Param, Response, Type, TypeFn, Variant};
    let is_new = |key: String| old.get(&key).is_none();
    match item {
        Type { .. } => (Compatible, "a new type"),
        TypeFn { owner, .. }
            if is_new(format!("type {owner}")) && is_new(format!("enum {owner}")) =>
        {
            (Compatible, "a method of a new type")
        }
        TypeFn { .. } => (Compatible, "a new method"),
        Field { owner, .. } => match old.get(&format!("type {owner}")) {
            // constructible_struct_adds_field
            Some(Type {
                kind: TypeKind::Struct,
                ..
            }) => (
                Breaking,
                "a field added to a struct users can build with a struct literal",
            ),
            Some(_) => (Compatible, "a field of a type that was not a struct"),
            None => (Compatible, "a field of a new type"),
        },
        // enum_variant_added
        Variant { owner, .. } if !is_new(format!("enum {owner}")) => (
            Breaking,
            "a variant added to an exhaustive enum: matches on it no longer cover it",
        ),
        Variant { .. } => (Compatible, "a variant of a new enum"),
        Operation { .. } => (Compatible, "a new operation (method of Client)"),
        Param { operation, .. } if is_new(format!("operation {operation}")) => {
            (Compatible, "a parameter of a new operation")
        }
        Param {
            required: false, ..
        } => (Compatible, "a new optional builder setter"),
        // Not a compile error: the builder starts without it, and `send()` fails.
        Param { required: true, .. } => (
            Breaking,
            "a new required parameter: calls that do not set it fail at send()",
        ),
        // trait_method_added: MockServerExt is public and not sealed.
        Mock { .. } => (
            Breaking,
            "a method without a default body added to MockServerExt, which users may implement",
        ),
        Matcher { operation, .. } | Response { operation, .. }
            if is_new(format!("mock {operation}")) =>
        {
            (Compatible, "part of a new mock")
        }
        Matcher { .. } => (Compatible, "a new matcher"),
        Response { .. } => (Compatible, "a new response"),
    }
}

/// Why an item that is gone breaks whatever used it.
fn removed(item: &Item) -> &'static str {
    use Item::{Field, Matcher, Mock, Operation, Param, Response, Type, TypeFn, Variant};
    match item {
        // struct_missing, enum_missing
        Type { .. } => "a type removed",
        // inherent_method_missing
        TypeFn { .. } => "a method removed",
        // struct_pub_field_missing
        Field { .. } => "a pub field removed",
        // enum_variant_missing
        Variant { .. } => "a variant removed",
        // inherent_method_missing
        Operation { .. } => "an operation (method of Client) removed",
        Param { .. } => "a builder setter removed",
        // trait_method_missing
        Mock { .. } => "a MockServerExt method removed",
        Matcher { .. } => "a matcher removed",
        Response { .. } => "a response removed",
    }
}

/// An item whose description changed (items of one key are of one kind).
fn changed(old: &Item, new: &Item) -> (Class, String) {
    use Item::{Field, Matcher, Mock, Operation, Param, Response, Type, TypeFn, Variant};
    let (class, reason) = match (old, new) {
        (
            Type { kind, traits, .. },
            Type {
                kind: new_kind,
                traits: new_traits,
                ..
            },
        ) => {
            let mut reasons: Vec<(Class, String)> = Vec::new();
            if kind != new_kind {
                let (class, reason) = kind_changed(kind, new_kind);
                reasons.push((class, reason.to_owned()));
            }
            let list = |a: &BTreeSet<String>, b| a.difference(b).cloned().collect::<Vec<_>>();
            let (lost, gained) = (list(traits, new_traits), list(new_traits, traits));
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
            return (class.unwrap_or(Breaking), text.join("; "));
        }
        (TypeFn { .. }, TypeFn { .. }) => (Breaking, "a method's signature changed"),
        (Field { ty, .. }, Field { ty: new_ty, .. }) if ty != new_ty => {
            (Breaking, "a field's type changed")
        }
        (Field { .. }, Field { .. }) => (
            Compatible,
            "only its JSON name changed; the Rust field is the same",
        ),
        (Variant { payload, .. }, Variant { payload: new, .. }) if payload != new => {
            (Breaking, "a variant's fields changed")
        }
        (Variant { .. }, Variant { .. }) => (
            Compatible,
            "only its JSON name changed; the Rust variant is the same",
        ),
        (
            Operation { success, error, .. },
            Operation {
                success: s,
                error: e,
                ..
            },
        ) if (success, error) != (s, e) => (Breaking, "what send() returns changed"),
        (Operation { .. }, Operation { .. }) => (
            Compatible,
            "it sends another request; its Rust signature is the same",
        ),
        (
            Param { ty, required, .. },
            Param {
                ty: new_ty,
                required: now,
                ..
            },
        ) => {
            match (ty == new_ty, required, now) {
                // method_parameter_count_changed and its kin: the setter takes another type.
                (false, ..) => (Breaking, "a builder setter's parameter type changed"),
                (true, false, true) => (
                    Breaking,
                    "now required: calls that do not set it fail at send()",
                ),
                (true, ..) => (Compatible, "no longer required"),
            }
        }
        (Mock { .. }, Mock { .. }) => (
            Compatible,
            "it matches another request; its Rust signature is the same",
        ),
        (Matcher { .. }, Matcher { .. }) => (Breaking, "a matcher's parameter type changed"),
        (Response { body, .. }, Response { body: new, .. }) if body != new => {
            (Breaking, "a response's body type changed")
        }
        (Response { .. }, Response { .. }) => (
            Compatible,
            "only its status changed; its Rust signature is the same",
        ),
        _ => (Breaking, "the kind of item changed"),
    };
    (class, reason.to_owned())
}

/// A type whose kind (struct, newtype) or newtype changed; an enum has a key of its own.
fn kind_changed(old: &TypeKind, new: &TypeKind) -> (Class, &'static str) {
    match (old, new) {
        (
            TypeKind::Newtype {
                inner: old_inner, ..
            },
            TypeKind::Newtype {
                inner: new_inner, ..
            },
        ) if old_inner != new_inner => (Breaking, "a newtype's inner type changed"),
        // constructible_struct_adds_private_field
        (TypeKind::Newtype { public: true, .. }, TypeKind::Newtype { .. }) => (
            Breaking,
            "a private field: users can no longer build it with a literal",
        ),
        (TypeKind::Newtype { .. }, TypeKind::Newtype { .. }) => {
            (Compatible, "users can now build it with a literal")
        }
        _ => (Breaking, "the kind of type changed (struct, newtype)"),
    }
}
