//! The public surface of generated code, read from its source with `syn`.
//!
//! One [`Item`] per line, sorted, so that a spec change shows up as a short, readable diff of
//! what users get rather than as a diff of thousands of generated lines: for a client,
//! operations, their parameters and result types; types (whether users can build them with a
//! literal or match them exhaustively, the traits they implement), their fields, methods and
//! serde names; enums and their values. For typed httpmock mocks, each operation's method and
//! path pattern, the matchers of its `When` and the responses of its `Then`.
//!
//! Every line has the form `KEY: DESCRIPTION`, where `KEY` names the item (`type RoomSession
//! field fps`) and `DESCRIPTION` says what it is (`Option<FrameRate>, json "fps"`). Comparing
//! two surfaces by key tells added, removed and changed items apart; [`crate::classify`] says
//! what each change means for the crate's version.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use proc_macro2::{TokenStream, TokenTree};
use syn::{
    Attribute, Expr, Fields, FnArg, GenericArgument, ImplItem, ImplItemFn, Item as SynItem,
    ItemMod, Lit, Meta, PathArguments, ReturnType, Signature, TraitItem, Type, TypeParamBound,
    Visibility, WherePredicate,
};

/// The public surface of a generated file: its items, sorted by line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Surface {
    items: Vec<Item>,
}

/// One public item of generated code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Item {
    /// A type of `mod types`: `type Name: ...`, or `enum Name: ...` for an enum.
    Type {
        /// Its name.
        name: String,
        /// What kind of type it is, and whether users can build or match it exhaustively.
        kind: TypeKind,
        /// The traits it implements (derived or implemented in `mod types`), sorted.
        traits: BTreeSet<String>,
    },
    /// A `pub fn` of a type's inherent impl, such as `builder()`: `type Name fn f: ...`.
    TypeFn {
        /// The type.
        owner: String,
        /// The function's name.
        name: String,
        /// Its signature, as `fn(ARGS) -> RESULT`.
        signature: String,
    },
    /// A `pub` field of a struct of `mod types`: `type Name field f: ...`.
    Field {
        /// The struct.
        owner: String,
        /// The field's Rust name.
        name: String,
        /// Its type.
        ty: String,
        /// Its name in JSON.
        json: String,
    },
    /// A variant of an enum of `mod types`: `enum Name variant V: ...`.
    Variant {
        /// The enum.
        owner: String,
        /// The variant's Rust name.
        name: String,
        /// Its fields as `(A, B) ` or `{ .. } `; empty for a unit variant.
        payload: String,
        /// Its name in JSON.
        json: String,
    },
    /// An operation: a method of `Client` that returns the operation's builder.
    Operation {
        /// The method's name.
        name: String,
        /// The request it sends, such as `GET /room_sessions/{id}`.
        request: String,
        /// The type `send()` returns on success.
        success: String,
        /// The type of the error responses.
        error: String,
    },
    /// A parameter of an operation: a setter of its builder.
    Param {
        /// The operation.
        operation: String,
        /// The setter's name.
        name: String,
        /// The parameter's type.
        ty: String,
        /// Whether `send()` fails when it is not set.
        required: bool,
    },
    /// A typed mock: a method of the `MockServerExt` trait.
    Mock {
        /// The operation it mocks.
        operation: String,
        /// The method and path pattern it matches, such as `GET ^/room_sessions$`.
        request: String,
        /// Whether the trait gives the method a body, so implementers of the trait need not.
        default_body: bool,
    },
    /// A matcher of a mock's `When`.
    Matcher {
        /// The operation.
        operation: String,
        /// The matcher's name (the parameter it matches).
        name: String,
        /// The type of its value.
        ty: String,
        /// `false` when it takes an `Option` (`None` matches the parameter's absence).
        required: bool,
    },
    /// A response of a mock's `Then`.
    Response {
        /// The operation.
        operation: String,
        /// The method's name, such as `ok` or `not_found`.
        name: String,
        /// The status it answers with: `200`, a class such as `4XX`, or `any`.
        status: String,
        /// The type of its body, or `no body`.
        body: String,
    },
}

/// What kind of type an [`Item::Type`] is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TypeKind {
    /// A struct with named fields; its `pub` fields are [`Item::Field`]s.
    Struct {
        /// Whether users can build it with a struct literal.
        construct: Construct,
    },
    /// A tuple struct, such as a newtype.
    Tuple {
        /// The types of its fields, `pub` or not.
        fields: Vec<String>,
        /// Whether users can build it with `Name(..)`.
        construct: Construct,
    },
    /// A unit struct.
    Unit,
    /// An enum; its variants are [`Item::Variant`]s.
    Enum {
        /// `false` when it is `#[non_exhaustive]`: matches outside the crate need a `_` arm.
        exhaustive: bool,
    },
    /// A type alias.
    Alias {
        /// The aliased type.
        target: String,
    },
}

/// Whether users can build a struct with a literal (`Name { .. }` or `Name(..)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Construct {
    /// Yes: every field is `pub` and the struct is not `#[non_exhaustive]`.
    Literal,
    /// No: the struct is `#[non_exhaustive]`.
    NonExhaustive,
    /// No: some field is not `pub`.
    PrivateFields,
}

impl Item {
    /// What names the item in both surfaces of a comparison, such as `type RoomSession field
    /// fps`.
    pub(crate) fn key(&self) -> String {
        match self {
            Item::Type { name, kind, .. } => match kind {
                TypeKind::Enum { .. } => format!("enum {name}"),
                _ => format!("type {name}"),
            },
            Item::TypeFn { owner, name, .. } => format!("type {owner} fn {name}"),
            Item::Field { owner, name, .. } => format!("type {owner} field {name}"),
            Item::Variant { owner, name, .. } => format!("enum {owner} variant {name}"),
            Item::Operation { name, .. } => format!("operation {name}"),
            Item::Param {
                operation, name, ..
            } => format!("operation {operation} param {name}"),
            Item::Mock { operation, .. } => format!("mock {operation}"),
            Item::Matcher {
                operation, name, ..
            } => format!("mock {operation} when {name}"),
            Item::Response {
                operation, name, ..
            } => format!("mock {operation} then {name}"),
        }
    }

    /// What the item is, such as `Option<FrameRate>, json "fps"`.
    pub(crate) fn description(&self) -> String {
        let requirement = |required: &bool| if *required { "required" } else { "optional" };
        match self {
            Item::Type { kind, traits, .. } => {
                let traits: Vec<&str> = traits.iter().map(String::as_str).collect();
                if traits.is_empty() {
                    kind.to_string()
                } else {
                    format!("{kind}; impl {}", traits.join(", "))
                }
            }
            Item::TypeFn { signature, .. } => signature.clone(),
            Item::Field { ty, json, .. } => format!("{ty}, json {json:?}"),
            Item::Variant { payload, json, .. } => format!("{payload}json {json:?}"),
            Item::Operation {
                request,
                success,
                error,
                ..
            } => format!("{request} -> {success}, error {error}"),
            Item::Param { ty, required, .. } | Item::Matcher { ty, required, .. } => {
                format!("{ty}, {}", requirement(required))
            }
            Item::Mock {
                request,
                default_body,
                ..
            } => {
                let body = if *default_body { "with" } else { "without" };
                format!("{request}; MockServerExt method {body} a default body")
            }
            Item::Response { status, body, .. } => format!("{status}, {body}"),
        }
    }
}

impl fmt::Display for Item {
    /// `KEY: DESCRIPTION`, one line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key(), self.description())
    }
}

impl fmt::Display for TypeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeKind::Struct { construct } => write!(f, "struct, {construct}"),
            TypeKind::Tuple { fields, construct } => {
                write!(f, "newtype of {}, {construct}", fields.join(", "))
            }
            TypeKind::Unit => f.write_str("unit struct"),
            TypeKind::Enum { exhaustive: true } => f.write_str("enum, exhaustive"),
            TypeKind::Enum { exhaustive: false } => f.write_str("enum, #[non_exhaustive]"),
            TypeKind::Alias { target } => write!(f, "alias of {target}"),
        }
    }
}

impl fmt::Display for Construct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Construct::Literal => "exhaustive, pub fields",
            Construct::NonExhaustive => "#[non_exhaustive]",
            Construct::PrivateFields => "private fields",
        })
    }
}

impl Surface {
    /// Reads the surface of generated code (the content of a `generated.rs`).
    pub(crate) fn from_source(source: &str) -> Result<Self, syn::Error> {
        let file = syn::parse_file(source)?;
        Ok(Self::from_file(&file))
    }

    /// Reads the surface of a parsed generated file.
    pub(crate) fn from_file(file: &syn::File) -> Self {
        let mut items = Vec::new();
        let builders = find_mod(&file.items, "builder").map(builder_structs);
        let mocks = mock_operations(&file.items);
        for item in &file.items {
            match item {
                SynItem::Mod(module) if module.ident == "types" => {
                    type_items(module_items(module), &mut items)
                }
                SynItem::Impl(block) if is_client_impl(block) => {
                    operation_items(block, builders.as_ref(), &mut items)
                }
                SynItem::Mod(module) if module.ident == "operations" => {
                    mock_items(module_items(module), &mocks, &mut items)
                }
                _ => {}
            }
        }
        let mut lines: Vec<(String, Item)> = items
            .into_iter()
            .map(|item| (item.to_string(), item))
            .collect();
        lines.sort_by(|a, b| a.0.cmp(&b.0));
        lines.dedup_by(|a, b| a.0 == b.0);
        Self {
            items: lines.into_iter().map(|(_, item)| item).collect(),
        }
    }

    /// The lines (`KEY: DESCRIPTION`), sorted.
    #[cfg(test)]
    pub(crate) fn lines(&self) -> Vec<String> {
        self.items.iter().map(ToString::to_string).collect()
    }

    /// The item named `key` (see [`Item::key`]), if there is one.
    pub(crate) fn get(&self, key: &str) -> Option<&Item> {
        self.items.iter().find(|item| item.key() == key)
    }

    /// What changed from `old` to `self`, item by item, each list in the order of the keys.
    pub(crate) fn changes_since(&self, old: &Surface) -> SurfaceChanges {
        let old_items = keyed(&old.items);
        let new_items = keyed(&self.items);
        let mut changes = SurfaceChanges::default();
        for (key, new_item) in &new_items {
            match old_items.get(key) {
                None => changes.added.push((*new_item).clone()),
                Some(old_item) if old_item != new_item => changes
                    .changed
                    .push(((*old_item).clone(), (*new_item).clone())),
                Some(_) => {}
            }
        }
        for (key, old_item) in &old_items {
            if !new_items.contains_key(key) {
                changes.removed.push((*old_item).clone());
            }
        }
        changes
    }
}

impl fmt::Display for Surface {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for item in &self.items {
            writeln!(f, "{item}")?;
        }
        Ok(())
    }
}

/// Items added, removed and changed between two surfaces.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SurfaceChanges {
    /// Items that are new.
    pub(crate) added: Vec<Item>,
    /// Items that are gone.
    pub(crate) removed: Vec<Item>,
    /// Items whose description changed: the old item and the new one.
    pub(crate) changed: Vec<(Item, Item)>,
}

impl SurfaceChanges {
    /// Whether the two surfaces are the same.
    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// The items by key; when two items share a key, the last one wins.
fn keyed(items: &[Item]) -> BTreeMap<String, &Item> {
    items.iter().map(|item| (item.key(), item)).collect()
}

fn find_mod<'a>(items: &'a [SynItem], name: &str) -> Option<&'a ItemMod> {
    items.iter().find_map(|item| match item {
        SynItem::Mod(module) if module.ident == name => Some(module),
        _ => None,
    })
}

fn module_items(module: &ItemMod) -> &[SynItem] {
    module.content.as_ref().map_or(&[], |(_, items)| items)
}

fn is_client_impl(block: &syn::ItemImpl) -> bool {
    block.trait_.is_none()
        && matches!(&*block.self_ty, Type::Path(path) if path.path.is_ident("Client"))
}

/// The builder structs of `mod builder`, by name: their fields are the operation parameters.
fn builder_structs(
    module: &ItemMod,
) -> BTreeMap<String, (&syn::ItemStruct, Option<&syn::ImplItemFn>)> {
    let items = module_items(module);
    let mut builders = BTreeMap::new();
    for item in items {
        if let SynItem::Struct(structure) = item {
            builders.insert(structure.ident.to_string(), (structure, None));
        }
    }
    for item in items {
        if let SynItem::Impl(block) = item
            && let Type::Path(path) = &*block.self_ty
            && let Some(segment) = path.path.segments.last()
            && let Some(entry) = builders.get_mut(&segment.ident.to_string())
        {
            entry.1 = block.items.iter().find_map(|item| match item {
                ImplItem::Fn(function) if function.sig.ident == "send" => Some(function),
                _ => None,
            });
        }
    }
    builders
}

fn operation_items(
    block: &syn::ItemImpl,
    builders: Option<&BTreeMap<String, (&syn::ItemStruct, Option<&syn::ImplItemFn>)>>,
    items: &mut Vec<Item>,
) {
    for item in &block.items {
        let ImplItem::Fn(method) = item else { continue };
        let takes_self_only = method.sig.inputs.len() == 1
            && matches!(method.sig.inputs.first(), Some(FnArg::Receiver(_)));
        let ReturnType::Type(_, returned) = &method.sig.output else {
            continue;
        };
        let Some(builder_name) = last_segment_name(returned) else {
            continue;
        };
        let Some((structure, send)) = builders.and_then(|b| b.get(&builder_name)) else {
            continue;
        };
        if !takes_self_only || !is_pub(&method.vis) {
            continue;
        }
        let operation = method.sig.ident.to_string();
        let request = send
            .and_then(|send| doc_text(&send.attrs))
            .map(|doc| {
                doc.replace("Sends a ", "")
                    .replace(" request to ", " ")
                    .replace('`', "")
            })
            .unwrap_or_default();
        let (success, error) = send
            .map(|send| result_types(&send.sig.output))
            .unwrap_or_default();
        items.push(Item::Operation {
            name: operation.clone(),
            request,
            success,
            error,
        });
        if let Fields::Named(fields) = &structure.fields {
            for field in &fields.named {
                let Some(name) = &field.ident else { continue };
                if name == "client" {
                    continue;
                }
                // Builder fields are `Result<T, String>` for required parameters and
                // `Result<Option<T>, String>` for optional ones.
                let inner = generic_args(&field.ty).into_iter().next();
                let (ty, required) = match inner.and_then(option_inner) {
                    Some(ty) => (render_type(ty), false),
                    None => (inner.map(render_type).unwrap_or_default(), true),
                };
                items.push(Item::Param {
                    operation: operation.clone(),
                    name: name.to_string(),
                    ty,
                    required,
                });
            }
        }
    }
}

/// The operations of the `MockServerExt` trait of typed httpmock mocks.
#[derive(Default)]
struct MockTrait {
    /// For the name of each `When` and `Then` type: the operation, and whether it is the
    /// `When`.
    wrappers: BTreeMap<String, (String, bool)>,
    /// For each operation: whether its method of the trait has a default body.
    default_body: BTreeMap<String, bool>,
}

fn mock_operations(items: &[SynItem]) -> MockTrait {
    let mut operations = MockTrait::default();
    let Some(ext) = items.iter().find_map(|item| match item {
        SynItem::Trait(ext) if ext.ident == "MockServerExt" => Some(ext),
        _ => None,
    }) else {
        return operations;
    };
    for item in &ext.items {
        let TraitItem::Fn(method) = item else {
            continue;
        };
        let operation = method.sig.ident.to_string();
        operations
            .default_body
            .insert(operation.clone(), method.default.is_some());
        // `where F: FnOnce(operations::XWhen, operations::XThen)`
        let predicates = method
            .sig
            .generics
            .where_clause
            .iter()
            .flat_map(|w| &w.predicates);
        for predicate in predicates {
            let WherePredicate::Type(predicate) = predicate else {
                continue;
            };
            for bound in &predicate.bounds {
                let TypeParamBound::Trait(bound) = bound else {
                    continue;
                };
                let Some(segment) = bound.path.segments.last() else {
                    continue;
                };
                let PathArguments::Parenthesized(args) = &segment.arguments else {
                    continue;
                };
                for (index, input) in args.inputs.iter().enumerate() {
                    if let Some(name) = last_segment_name(input) {
                        operations
                            .wrappers
                            .insert(name, (operation.clone(), index == 0));
                    }
                }
            }
        }
    }
    operations
}

/// Items for the `When`/`Then` impls of the `operations` module of typed httpmock mocks.
fn mock_items(items: &[SynItem], mocks: &MockTrait, out: &mut Vec<Item>) {
    for item in items {
        let SynItem::Impl(block) = item else { continue };
        let Some((operation, is_when)) =
            last_segment_name(&block.self_ty).and_then(|name| mocks.wrappers.get(&name))
        else {
            continue;
        };
        for item in &block.items {
            let ImplItem::Fn(method) = item else { continue };
            if !is_pub(&method.vis) {
                continue;
            }
            let name = method.sig.ident.to_string();
            let operation = operation.clone();
            match (name.as_str(), is_when) {
                ("into_inner", _) | ("new", false) => {}
                ("new", true) => {
                    let tokens = body_tokens(method);
                    let http_method = ident_after(&tokens, "Method").unwrap_or_default();
                    let path = string_literals(&tokens)
                        .into_iter()
                        .next()
                        .unwrap_or_default();
                    let default_body = mocks.default_body.get(&operation).copied();
                    out.push(Item::Mock {
                        operation,
                        request: format!("{http_method} {path}"),
                        default_body: default_body.unwrap_or(false),
                    });
                }
                (_, true) => {
                    let (ty, required) = match value_type(method) {
                        Some(ty) => (render_type(ty), true),
                        None => (optional_value_type(method).unwrap_or_default(), false),
                    };
                    out.push(Item::Matcher {
                        operation,
                        name,
                        ty,
                        required,
                    });
                }
                (_, false) => {
                    let numbers = status_literals(&body_tokens(method));
                    // `status(404u16)`; a class of statuses takes the status as an argument
                    // and checks `status / 100u16 == 4`; a default response takes any.
                    let takes_status = method.sig.inputs.iter().any(
                        |input| matches!(input, FnArg::Typed(arg) if quote_pat(&arg.pat) == "status"),
                    );
                    let status = match (takes_status, numbers.as_slice()) {
                        (false, [code, ..]) => code.clone(),
                        (true, [_, class, ..]) => format!("{class}XX"),
                        _ => "any".to_owned(),
                    };
                    let body = value_type(method).map_or_else(|| "no body".to_owned(), render_type);
                    out.push(Item::Response {
                        operation,
                        name,
                        status,
                        body,
                    });
                }
            }
        }
    }
}

/// The type of a method's `value` argument, unless it is a generic `T`.
fn value_type(method: &ImplItemFn) -> Option<&Type> {
    method.sig.inputs.iter().find_map(|input| match input {
        FnArg::Typed(arg) if quote_pat(&arg.pat) == "value" => {
            let generic = last_segment_name(&arg.ty)
                .is_some_and(|name| method.sig.generics.type_params().any(|p| p.ident == name));
            (!generic).then_some(&*arg.ty)
        }
        _ => None,
    })
}

/// `X` of a `where T: Into<Option<X>>` bound: an optional matcher's value type.
fn optional_value_type(method: &ImplItemFn) -> Option<String> {
    let predicates = method
        .sig
        .generics
        .where_clause
        .iter()
        .flat_map(|w| &w.predicates);
    predicates.into_iter().find_map(|predicate| {
        let WherePredicate::Type(predicate) = predicate else {
            return None;
        };
        predicate.bounds.iter().find_map(|bound| {
            let TypeParamBound::Trait(bound) = bound else {
                return None;
            };
            let segment = bound.path.segments.last()?;
            let PathArguments::AngleBracketed(args) = &segment.arguments else {
                return None;
            };
            args.args.iter().find_map(|arg| match arg {
                GenericArgument::Type(ty) => option_inner(ty).map(render_type),
                _ => None,
            })
        })
    })
}

fn quote_pat(pat: &syn::Pat) -> String {
    use quote::ToTokens;
    pat.to_token_stream().to_string()
}

fn body_tokens(method: &ImplItemFn) -> Vec<TokenTree> {
    use quote::ToTokens;
    fn flatten(stream: TokenStream, out: &mut Vec<TokenTree>) {
        for tree in stream {
            match tree {
                TokenTree::Group(group) => flatten(group.stream(), out),
                other => out.push(other),
            }
        }
    }
    let mut out = Vec::new();
    flatten(method.block.to_token_stream(), &mut out);
    out
}

/// The identifier after `prefix ::` (`Method::GET` gives `GET`).
fn ident_after(tokens: &[TokenTree], prefix: &str) -> Option<String> {
    tokens.windows(4).find_map(|w| match w {
        [
            TokenTree::Ident(p),
            TokenTree::Punct(a),
            TokenTree::Punct(b),
            TokenTree::Ident(i),
        ] if p == prefix && a.as_char() == ':' && b.as_char() == ':' => Some(i.to_string()),
        _ => None,
    })
}

fn literals(tokens: &[TokenTree]) -> impl Iterator<Item = Lit> + '_ {
    tokens.iter().filter_map(|tree| match tree {
        TokenTree::Literal(literal) => Some(Lit::new(literal.clone())),
        _ => None,
    })
}

fn string_literals(tokens: &[TokenTree]) -> Vec<String> {
    literals(tokens)
        .filter_map(|lit| match lit {
            Lit::Str(text) => Some(text.value()),
            _ => None,
        })
        .collect()
}

/// The `u16` literals, as status codes are written (`200u16`; `self.0` holds a plain `0`).
fn status_literals(tokens: &[TokenTree]) -> Vec<String> {
    literals(tokens)
        .filter_map(|lit| match lit {
            Lit::Int(int) if int.suffix() == "u16" => Some(int.base10_digits().to_owned()),
            _ => None,
        })
        .collect()
}

/// The success and error types of `send`'s `Result<ResponseValue<T>, Error<E>>`.
fn result_types(output: &ReturnType) -> (String, String) {
    let ReturnType::Type(_, ty) = output else {
        return Default::default();
    };
    let args = generic_args(ty);
    let unwrap = |ty: Option<&Type>| {
        ty.map(|ty| {
            generic_args(ty)
                .first()
                .map_or_else(|| render_type(ty), |t| render_type(t))
        })
        .unwrap_or_default()
    };
    (unwrap(args.first().copied()), unwrap(args.get(1).copied()))
}

/// Items for the types of `mod types`: each `pub` type, its `pub` fields or its variants, the
/// `pub fn`s of its inherent impls and the traits it implements.
fn type_items(module: &[SynItem], items: &mut Vec<Item>) {
    let mut types: Vec<(String, TypeKind, &[Attribute])> = Vec::new();
    for item in module {
        match item {
            SynItem::Struct(structure) if is_pub(&structure.vis) => {
                let name = structure.ident.to_string();
                let non_exhaustive = has_attr(&structure.attrs, "non_exhaustive");
                let all_pub = structure.fields.iter().all(|field| is_pub(&field.vis));
                let construct = match (non_exhaustive, all_pub) {
                    (true, _) => Construct::NonExhaustive,
                    (false, false) => Construct::PrivateFields,
                    (false, true) => Construct::Literal,
                };
                let kind = match &structure.fields {
                    Fields::Named(fields) => {
                        for field in fields.named.iter().filter(|field| is_pub(&field.vis)) {
                            let Some(ident) = &field.ident else { continue };
                            items.push(Item::Field {
                                owner: name.clone(),
                                name: ident.to_string(),
                                ty: render_type(&field.ty),
                                json: serde_rename(&field.attrs)
                                    .unwrap_or_else(|| ident.to_string()),
                            });
                        }
                        TypeKind::Struct { construct }
                    }
                    Fields::Unnamed(fields) => TypeKind::Tuple {
                        fields: fields.unnamed.iter().map(|f| render_type(&f.ty)).collect(),
                        construct,
                    },
                    Fields::Unit => TypeKind::Unit,
                };
                types.push((name, kind, &structure.attrs));
            }
            SynItem::Enum(enumeration) if is_pub(&enumeration.vis) => {
                let name = enumeration.ident.to_string();
                for variant in &enumeration.variants {
                    items.push(Item::Variant {
                        owner: name.clone(),
                        name: variant.ident.to_string(),
                        payload: variant_payload(&variant.fields),
                        json: serde_rename(&variant.attrs)
                            .unwrap_or_else(|| variant.ident.to_string()),
                    });
                }
                let exhaustive = !has_attr(&enumeration.attrs, "non_exhaustive");
                types.push((name, TypeKind::Enum { exhaustive }, &enumeration.attrs));
            }
            SynItem::Type(alias) if is_pub(&alias.vis) => {
                let target = render_type(&alias.ty);
                types.push((
                    alias.ident.to_string(),
                    TypeKind::Alias { target },
                    &alias.attrs,
                ));
            }
            _ => {}
        }
    }
    let names: BTreeSet<&str> = types.iter().map(|(name, ..)| name.as_str()).collect();
    let mut impls = trait_impls(module, &names);
    for (name, kind, attrs) in &types {
        let mut traits = derived_traits(attrs);
        traits.extend(impls.remove(name.as_str()).unwrap_or_default());
        items.push(Item::Type {
            name: name.clone(),
            kind: kind.clone(),
            traits,
        });
    }
    for item in module {
        let SynItem::Impl(block) = item else { continue };
        let Some(owner) = last_segment_name(&block.self_ty) else {
            continue;
        };
        if block.trait_.is_some() || !names.contains(owner.as_str()) {
            continue;
        }
        for item in &block.items {
            if let ImplItem::Fn(function) = item
                && is_pub(&function.vis)
            {
                items.push(Item::TypeFn {
                    owner: owner.clone(),
                    name: function.sig.ident.to_string(),
                    signature: render_signature(&function.sig),
                });
            }
        }
    }
}

/// The trait impls of `mod types`, by the type of `names` they concern: its own impls
/// (`FromStr`), and impls for other types that name it (`From<Name> for String`).
fn trait_impls<'a>(
    module: &[SynItem],
    names: &BTreeSet<&'a str>,
) -> BTreeMap<&'a str, BTreeSet<String>> {
    let mut impls: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for item in module {
        let SynItem::Impl(block) = item else { continue };
        let Some((None, path, _)) = &block.trait_ else {
            continue;
        };
        let Some(segment) = path.segments.last() else {
            continue;
        };
        let trait_args: Vec<&Type> = match &segment.arguments {
            PathArguments::AngleBracketed(args) => args
                .args
                .iter()
                .filter_map(|arg| match arg {
                    GenericArgument::Type(ty) => Some(ty),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let rendered = if trait_args.is_empty() {
            segment.ident.to_string()
        } else {
            let args: Vec<String> = trait_args.iter().map(|ty| render_type(ty)).collect();
            format!("{}<{}>", segment.ident, args.join(", "))
        };
        let self_name = last_segment_name(&block.self_ty);
        if let Some(name) = self_name.as_deref().and_then(|n| names.get(n)) {
            impls.entry(name).or_default().insert(rendered);
        } else if let Some(name) = trait_args.iter().find_map(|ty| {
            last_segment_name(strip_reference(ty)).and_then(|n| names.get(n.as_str()).copied())
        }) {
            let for_type = render_type(&block.self_ty);
            impls
                .entry(name)
                .or_default()
                .insert(format!("{rendered} for {for_type}"));
        }
    }
    impls
}

/// The traits of a `#[derive(...)]`, by their last path segment (`::serde::Serialize` gives
/// `Serialize`).
fn derived_traits(attrs: &[Attribute]) -> BTreeSet<String> {
    let mut traits = BTreeSet::new();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("derive")) {
        // Attributes the generator emits always parse; one that does not derives nothing here.
        let _ = attr.parse_nested_meta(|meta| {
            if let Some(segment) = meta.path.segments.last() {
                traits.insert(segment.ident.to_string());
            }
            Ok(())
        });
    }
    traits
}

fn variant_payload(fields: &Fields) -> String {
    match fields {
        Fields::Unit => String::new(),
        Fields::Unnamed(fields) => {
            let types: Vec<String> = fields.unnamed.iter().map(|f| render_type(&f.ty)).collect();
            format!("({}) ", types.join(", "))
        }
        Fields::Named(fields) => {
            let fields: Vec<String> = fields
                .named
                .iter()
                .filter_map(|f| Some(format!("{}: {}", f.ident.as_ref()?, render_type(&f.ty))))
                .collect();
            format!("{{ {} }} ", fields.join(", "))
        }
    }
}

/// `fn(ARGS) -> RESULT`, with the receiver as `self`, `&self` or `&mut self`.
fn render_signature(signature: &Signature) -> String {
    let inputs: Vec<String> = signature
        .inputs
        .iter()
        .map(|input| match input {
            FnArg::Receiver(receiver) => match (&receiver.reference, &receiver.mutability) {
                (Some(_), Some(_)) => "&mut self".to_owned(),
                (Some(_), None) => "&self".to_owned(),
                (None, _) => "self".to_owned(),
            },
            FnArg::Typed(arg) => render_type(&arg.ty),
        })
        .collect();
    let output = match &signature.output {
        ReturnType::Default => String::new(),
        ReturnType::Type(_, ty) => format!(" -> {}", render_type(ty)),
    };
    format!("fn({}){output}", inputs.join(", "))
}

fn is_pub(visibility: &Visibility) -> bool {
    matches!(visibility, Visibility::Public(_))
}

fn has_attr(attrs: &[Attribute], name: &str) -> bool {
    attrs.iter().any(|attr| attr.path().is_ident(name))
}

fn strip_reference(ty: &Type) -> &Type {
    match ty {
        Type::Reference(reference) => &reference.elem,
        other => other,
    }
}

/// The `rename = "..."` of a `#[serde(...)]` attribute, if any.
fn serde_rename(attrs: &[Attribute]) -> Option<String> {
    let mut rename = None;
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
        // Attributes the generator emits always parse; one that does not simply has no rename.
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                rename = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    rename
}

/// The text of the first line of the doc comments, if any.
fn doc_text(attrs: &[Attribute]) -> Option<String> {
    attrs.iter().find_map(|attr| match &attr.meta {
        Meta::NameValue(pair) if pair.path.is_ident("doc") => match &pair.value {
            Expr::Lit(syn::ExprLit {
                lit: Lit::Str(text),
                ..
            }) => text
                .value()
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .map(str::to_owned),
            _ => None,
        },
        _ => None,
    })
}

fn last_segment_name(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The type arguments of the last path segment (`Result<A, B>` gives `[A, B]`).
fn generic_args(ty: &Type) -> Vec<&Type> {
    let Type::Path(path) = ty else {
        return Vec::new();
    };
    let Some(segment) = path.path.segments.last() else {
        return Vec::new();
    };
    let PathArguments::AngleBracketed(args) = &segment.arguments else {
        return Vec::new();
    };
    args.args
        .iter()
        .filter_map(|arg| match arg {
            GenericArgument::Type(ty) => Some(ty),
            _ => None,
        })
        .collect()
}

fn option_inner(ty: &Type) -> Option<&Type> {
    (last_segment_name(ty).as_deref() == Some("Option"))
        .then(|| generic_args(ty).into_iter().next())
        .flatten()
}

/// Renders a type by the last segment of each path (`::std::option::Option<::uuid::Uuid>` gives
/// `Option<Uuid>`): short, and what a user writes after the usual imports.
fn render_type(ty: &Type) -> String {
    match ty {
        Type::Path(path) => {
            let Some(segment) = path.path.segments.last() else {
                return String::new();
            };
            // `builder::Name` is not the type `Name`: keep the module of a type builder.
            let module = match path.path.segments.len() {
                2.. => path.path.segments.iter().rev().nth(1),
                _ => None,
            };
            let name = match module {
                Some(module) if module.ident == "builder" => format!("builder::{}", segment.ident),
                _ => segment.ident.to_string(),
            };
            let args = generic_args(ty);
            if args.is_empty() {
                name
            } else {
                let args: Vec<_> = args.into_iter().map(render_type).collect();
                format!("{name}<{}>", args.join(", "))
            }
        }
        Type::Reference(reference) => format!("&{}", render_type(&reference.elem)),
        Type::Slice(slice) => format!("[{}]", render_type(&slice.elem)),
        Type::Tuple(tuple) => format!(
            "({})",
            tuple
                .elems
                .iter()
                .map(render_type)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => quote_type(other),
    }
}

fn quote_type(ty: &Type) -> String {
    use quote::ToTokens;
    ty.to_token_stream().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The public surface of the committed generated files, guarded by snapshots: a spec change
    /// that adds, removes, renames or retypes an operation, parameter, field or enum value
    /// changes `tests/snapshots/surface__generated_surface.snap` (the client) or
    /// `surface__httpmock_surface.snap` (the typed mocks), and `cargo test` fails until the
    /// change is reviewed (`cargo insta review`) and accepted.
    #[test]
    fn committed_surfaces() {
        use crate::generate::{CLIENT, HTTPMOCK};
        for (output, snapshot) in [
            (&CLIENT, "surface__generated_surface"),
            (&HTTPMOCK, "surface__httpmock_surface"),
        ] {
            let path = crate::paths::workspace_root().join(output.path);
            let source = std::fs::read_to_string(&path).unwrap();
            let surface = Surface::from_source(&source).unwrap().to_string();
            insta::with_settings!({
                snapshot_path => "../tests/snapshots",
                prepend_module_to_snapshot => false,
            }, {
                insta::assert_snapshot!(snapshot, surface);
            });
        }
    }

    const SOURCE: &str = r#"
        pub mod types {
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
            pub struct Thing {
                pub id: ::uuid::Uuid,
                #[serde(rename = "type", skip_serializing_if = "::std::option::Option::is_none")]
                pub type_: ::std::option::Option<::std::string::String>,
            }
            impl Thing {
                pub fn builder() -> builder::Thing { Default::default() }
                fn helper(&self) {}
            }
            #[derive(Clone, Debug)]
            #[non_exhaustive]
            pub struct Sealed { pub size: i64 }
            pub struct Name(::std::string::String);
            impl ::std::str::FromStr for Name {
                type Err = self::error::ConversionError;
                fn from_str(value: &str) -> Result<Self, Self::Err> { todo!() }
            }
            impl ::std::convert::From<Name> for ::std::string::String {
                fn from(value: Name) -> Self { value.0 }
            }
            #[derive(Clone, Copy)]
            pub enum Colour {
                #[serde(rename = "dark-red")]
                DarkRed,
                Blue,
                Mixed { red: u8, blue: u8 },
            }
            pub type Tags = ::std::vec::Vec<::std::string::String>;
            struct Private { pub x: i64 }
            pub mod builder {
                pub struct Thing { id: Result<::uuid::Uuid, String> }
            }
        }
        pub struct Client;
        impl Client {
            pub fn get_thing(&self) -> builder::GetThing<'_> { builder::GetThing::new(self) }
        }
        pub mod builder {
            pub struct GetThing<'a> {
                client: &'a super::Client,
                id: Result<::uuid::Uuid, String>,
                limit: Result<Option<::std::num::NonZeroU32>, String>,
            }
            impl<'a> GetThing<'a> {
                ///Sends a `GET` request to `/things/{id}`
                pub async fn send(self) -> Result<ResponseValue<types::Thing>, Error<types::Problem>> { todo!() }
            }
        }
    "#;

    #[test]
    fn reads_operations_parameters_types_fields_and_enum_values() {
        let surface = Surface::from_source(SOURCE).unwrap();
        assert_eq!(
            surface.lines(),
            [
                "enum Colour variant Blue: json \"Blue\"",
                "enum Colour variant DarkRed: json \"dark-red\"",
                "enum Colour variant Mixed: { red: u8, blue: u8 } json \"Mixed\"",
                "enum Colour: enum, exhaustive; impl Clone, Copy",
                "operation get_thing param id: Uuid, required",
                "operation get_thing param limit: NonZeroU32, optional",
                "operation get_thing: GET /things/{id} -> Thing, error Problem",
                "type Name: newtype of String, private fields; impl From<Name> for String, FromStr",
                "type Sealed field size: i64, json \"size\"",
                "type Sealed: struct, #[non_exhaustive]; impl Clone, Debug",
                "type Tags: alias of Vec<String>",
                "type Thing field id: Uuid, json \"id\"",
                "type Thing field type_: Option<String>, json \"type\"",
                "type Thing fn builder: fn() -> builder::Thing",
                "type Thing: struct, exhaustive, pub fields; impl Clone, Debug, Deserialize, PartialEq, Serialize",
            ]
        );
        let thing = surface.get("type Thing").unwrap();
        assert_eq!(
            *thing,
            Item::Type {
                name: "Thing".to_owned(),
                kind: TypeKind::Struct {
                    construct: Construct::Literal
                },
                traits: ["Clone", "Debug", "Deserialize", "PartialEq", "Serialize"]
                    .map(String::from)
                    .into()
            }
        );
        assert_eq!(surface.get("type Private"), None, "not pub");
    }

    #[test]
    fn changes_tell_added_removed_and_changed_items_apart() {
        let old = Surface::from_source(SOURCE).unwrap();
        let new_source = SOURCE
            .replace(
                "pub id: ::uuid::Uuid,",
                "pub id: ::std::string::String, pub size: i64,",
            )
            .replace("Blue,", "");
        let new = Surface::from_source(&new_source).unwrap();
        let changes = new.changes_since(&old);
        let lines = |items: &[Item]| items.iter().map(ToString::to_string).collect::<Vec<_>>();
        assert_eq!(
            lines(&changes.added),
            ["type Thing field size: i64, json \"size\""]
        );
        assert_eq!(
            lines(&changes.removed),
            ["enum Colour variant Blue: json \"Blue\""]
        );
        let changed: Vec<(String, String)> = changes
            .changed
            .iter()
            .map(|(old, new)| (old.to_string(), new.to_string()))
            .collect();
        assert_eq!(
            changed,
            [(
                "type Thing field id: Uuid, json \"id\"".to_owned(),
                "type Thing field id: String, json \"id\"".to_owned()
            )]
        );
        assert!(!changes.is_empty());
        assert!(new.changes_since(&new).is_empty());
    }

    const MOCKS: &str = r#"
        pub mod operations {
            use api::*;
            pub struct GetThingWhen(::httpmock::When);
            impl GetThingWhen {
                pub fn new(inner: ::httpmock::When) -> Self {
                    Self(inner.method(::httpmock::Method::GET).path_matches(regex::Regex::new("^/things/[^/]*$").unwrap()))
                }
                pub fn into_inner(self) -> ::httpmock::When { self.0 }
                pub fn id(self, value: &::uuid::Uuid) -> Self { todo!() }
                pub fn tag<'a, T>(self, value: T) -> Self where T: Into<Option<&'a str>> { todo!() }
            }
            pub struct GetThingThen(::httpmock::Then);
            impl GetThingThen {
                pub fn new(inner: ::httpmock::Then) -> Self { Self(inner) }
                pub fn into_inner(self) -> ::httpmock::Then { self.0 }
                pub fn ok(self, value: &types::Thing) -> Self { Self(self.0.status(200u16).json_body_obj(value)) }
                pub fn no_content(self) -> Self { Self(self.0.status(204u16)) }
                pub fn client_error(self, status: u16, value: &types::Problem) -> Self {
                    assert_eq!(status / 100u16, 4u16);
                    Self(self.0.status(status).json_body_obj(value))
                }
                pub fn default_response(self, status: u16, value: &types::Problem) -> Self {
                    Self(self.0.status(status).json_body_obj(value))
                }
            }
        }
        pub trait MockServerExt {
            fn get_thing<F>(&self, config_fn: F) -> ::httpmock::Mock<'_>
            where
                F: FnOnce(operations::GetThingWhen, operations::GetThingThen);
        }
    "#;

    #[test]
    fn reads_each_mocked_operations_path_matchers_and_responses() {
        let surface = Surface::from_source(MOCKS).unwrap();
        assert_eq!(
            surface.lines(),
            [
                "mock get_thing then client_error: 4XX, &Problem",
                "mock get_thing then default_response: any, &Problem",
                "mock get_thing then no_content: 204, no body",
                "mock get_thing then ok: 200, &Thing",
                "mock get_thing when id: &Uuid, required",
                "mock get_thing when tag: &str, optional",
                "mock get_thing: GET ^/things/[^/]*$; MockServerExt method without a default body",
            ]
        );
    }
}
