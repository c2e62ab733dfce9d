//! The public surface of generated code, read from its syntax with `syn`.
//!
//! One [`Item`] per line, sorted, so that a spec change shows up as a short, readable diff of
//! what users get rather than as a diff of thousands of generated lines: for a client,
//! operations (the request each sends, read from the code of its `send()`), their parameters
//! and result types; types (the traits they implement), their fields, methods and serde names;
//! enums and their variants. For typed httpmock mocks, each operation's method and path pattern,
//! the matchers of its `When` and the responses of its `Then`.
//!
//! Every line has the form `KEY: DESCRIPTION`, where `KEY` names the item (`type RoomSession
//! field fps`) and `DESCRIPTION` says what it is (`Option<FrameRate>, json "fps"`). Comparing
//! two surfaces by key tells added, removed and changed items apart; [`crate::classify`] says
//! what each change means for the crate's version.
//!
//! Only the shapes progenitor 0.15 emits are read: in `mod types`, structs whose fields are all
//! `pub`, newtypes and enums, none `#[non_exhaustive]`; `MockServerExt` methods without a body.
//! Anything else is an error that names it, so that a new shape gets its rules instead of a
//! guess.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use anyhow::{Context, Result, bail};
use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::{
    Attribute, Block, Expr, ExprMethodCall, Fields, FnArg, GenericArgument, ImplItem, ImplItemFn,
    Item as SynItem, ItemImpl, ItemMod, Lit, Member, Pat, PathArguments, ReturnType, Signature,
    Stmt, TraitItem, Type, TypeParamBound, Visibility, WherePredicate,
};

/// The public surface of a generated file: its items by key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Surface {
    items: BTreeMap<String, Item>,
}

/// One public item of generated code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Item {
    /// A type of `mod types`: `type Name: ...`, or `enum Name: ...` for an enum.
    Type {
        name: String,
        kind: TypeKind,
        /// The traits it implements (derived or implemented in `mod types`), sorted.
        traits: BTreeSet<String>,
    },
    /// A `pub fn` of a type's inherent impl, such as `builder()`: `type Name fn f: ...`.
    TypeFn {
        owner: String,
        name: String,
        /// As `fn(ARGS) -> RESULT`.
        signature: String,
    },
    /// A field of a struct of `mod types`: `type Name field f: ...`.
    Field {
        owner: String,
        name: String,
        ty: String,
        /// Its name in JSON.
        json: String,
    },
    /// A variant of an enum of `mod types`: `enum Name variant V: ...`.
    Variant {
        owner: String,
        name: String,
        /// Its fields as `(A, B) ` or `{ a: A } `; empty for a unit variant.
        payload: String,
        /// Its name in JSON.
        json: String,
    },
    /// An operation: a method of `Client` that returns the operation's builder.
    Operation {
        name: String,
        /// The request it sends, such as `GET /room_sessions/{id}`.
        request: String,
        /// The type `send()` returns on success, and the type of the error responses.
        success: String,
        error: String,
    },
    /// A parameter of an operation: a setter of its builder.
    Param {
        operation: String,
        name: String,
        ty: String,
        /// Whether `send()` fails when it is not set.
        required: bool,
    },
    /// A typed mock: a method of the `MockServerExt` trait, which has no default body.
    Mock {
        operation: String,
        /// The method and path pattern it matches, such as `GET ^/room_sessions$`.
        request: String,
    },
    /// A matcher of a mock's `When`.
    Matcher {
        operation: String,
        name: String,
        ty: String,
        /// `false` when it takes an `Option` (`None` matches the parameter's absence).
        required: bool,
    },
    /// A response of a mock's `Then`.
    Response {
        operation: String,
        name: String,
        /// The status it answers with: `200`, a class such as `4XX`, or `any`.
        status: String,
        /// The type of its body, or `no body`.
        body: String,
    },
}

/// What kind of type an [`Item::Type`] is. Users can build each struct with a literal and
/// match each enum exhaustively: progenitor marks nothing `#[non_exhaustive]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TypeKind {
    /// A struct with named fields, all `pub`; its fields are [`Item::Field`]s.
    Struct,
    /// A tuple struct of one field: `Name(inner)`, which users can build when it is `pub`.
    Newtype { inner: String, public: bool },
    /// An enum; its variants are [`Item::Variant`]s.
    Enum,
}

impl Item {
    /// What names the item in both surfaces of a comparison, such as `type RoomSession field
    /// fps`.
    pub(crate) fn key(&self) -> String {
        match self {
            Item::Type {
                name,
                kind: TypeKind::Enum,
                ..
            } => format!("enum {name}"),
            Item::Type { name, .. } => format!("type {name}"),
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
                let kind = match kind {
                    TypeKind::Struct => "struct, exhaustive, pub fields".to_owned(),
                    TypeKind::Newtype {
                        inner,
                        public: true,
                    } => format!("newtype of {inner}, exhaustive, pub fields"),
                    TypeKind::Newtype { inner, .. } => {
                        format!("newtype of {inner}, private fields")
                    }
                    TypeKind::Enum => "enum, exhaustive".to_owned(),
                };
                let traits: Vec<&str> = traits.iter().map(String::as_str).collect();
                match traits.as_slice() {
                    [] => kind,
                    _ => format!("{kind}; impl {}", traits.join(", ")),
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
            Item::Mock { request, .. } => {
                format!("{request}; MockServerExt method without a default body")
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

impl Surface {
    /// Reads the surface of generated code (the content of a `generated.rs`).
    pub(crate) fn from_source(source: &str) -> Result<Self> {
        let file = syn::parse_file(source).context("it does not parse as Rust")?;
        let mut items = Vec::new();
        let builders = file
            .items
            .iter()
            .find_map(|item| named_mod(item, "builder"));
        let mocks = mock_wrappers(&file.items)?;
        for item in &file.items {
            if let Some(types) = named_mod(item, "types") {
                type_items(types, &mut items)?;
            } else if let Some(operations) = named_mod(item, "operations") {
                mock_items(operations, &mocks, &mut items)?;
            } else if let SynItem::Impl(block) = item
                && block.trait_.is_none()
                && type_name(&block.self_ty).as_deref() == Some("Client")
            {
                operation_items(block, builders.unwrap_or_default(), &mut items)?;
            }
        }
        let items = items.into_iter().map(|item| (item.key(), item)).collect();
        Ok(Self { items })
    }

    /// The item named `key` (see [`Item::key`]), if there is one.
    pub(crate) fn get(&self, key: &str) -> Option<&Item> {
        self.items.get(key)
    }

    /// The items by key.
    pub(crate) fn items(&self) -> &BTreeMap<String, Item> {
        &self.items
    }
}

impl fmt::Display for Surface {
    /// One line per item, sorted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut lines: Vec<String> = self.items.values().map(ToString::to_string).collect();
        lines.sort();
        lines.iter().try_for_each(|line| writeln!(f, "{line}"))
    }
}

/// The items of `item` if it is the module `name` with a body.
fn named_mod<'a>(item: &'a SynItem, name: &str) -> Option<&'a [SynItem]> {
    match item {
        SynItem::Mod(ItemMod {
            ident,
            content: Some((_, items)),
            ..
        }) if ident == name => Some(items),
        _ => None,
    }
}

/// The operations: each `pub fn` of `impl Client` that returns a builder of `mod builder`,
/// whose fields are the parameters and whose `send()` makes the request.
fn operation_items(block: &ItemImpl, builders: &[SynItem], items: &mut Vec<Item>) -> Result<()> {
    for method in impl_fns(&block.items).filter(|method| is_pub(&method.vis)) {
        let ReturnType::Type(_, returned) = &method.sig.output else {
            continue;
        };
        let Some(builder) = type_name(returned) else {
            continue;
        };
        let Some(structure) = builders.iter().find_map(|item| match item {
            SynItem::Struct(structure) if structure.ident == builder => Some(structure),
            _ => None,
        }) else {
            continue;
        };
        let operation = method.sig.ident.to_string();
        let send = builders
            .iter()
            .filter_map(|item| match item {
                SynItem::Impl(block) if type_name(&block.self_ty).as_ref() == Some(&builder) => {
                    Some(impl_fns(&block.items))
                }
                _ => None,
            })
            .flatten()
            .find(|method| method.sig.ident == "send")
            .with_context(|| format!("unknown shape: builder::{builder} has no send()"))?;
        let request = request(&send.block)
            .with_context(|| format!("unknown shape: {builder}::send() makes no request"))?;
        // `Result<ResponseValue<T>, Error<E>>`
        let [success, error] = match &send.sig.output {
            ReturnType::Type(_, ty) => match generic_args(ty).as_slice() {
                [success, error] => [success, error].map(|ty| match generic_args(ty).first() {
                    Some(inner) => render_type(inner),
                    None => render_type(ty),
                }),
                _ => bail!("unknown shape: {builder}::send() does not return a Result"),
            },
            ReturnType::Default => bail!("unknown shape: {builder}::send() returns nothing"),
        };
        for field in &structure.fields {
            let Some(name) = field.ident.as_ref().filter(|name| *name != "client") else {
                continue;
            };
            // `Result<T, String>` for a required parameter, `Result<Option<T>, String>` for an
            // optional one.
            let value = generic_args(&field.ty).into_iter().next();
            let (ty, required) = match value.and_then(option_inner) {
                Some(ty) => (render_type(ty), false),
                None => (value.map(render_type).unwrap_or_default(), true),
            };
            items.push(Item::Param {
                operation: operation.clone(),
                name: name.to_string(),
                ty,
                required,
            });
        }
        items.push(Item::Operation {
            name: operation,
            request,
            success,
            error,
        });
    }
    Ok(())
}

/// The request a `send()` makes: `client.client.get(url)`, where `let url = format!("{}/a/{}",
/// client.baseurl, encode_path(&id.to_string()))`, gives `GET /a/{id}`.
fn request(send: &Block) -> Option<String> {
    let method = body_calls(send).into_iter().find(|call| {
        matches!(&*call.receiver, Expr::Field(field)
            if matches!(&field.member, Member::Named(name) if name == "client"))
    })?;
    let url = send.stmts.iter().find_map(|stmt| match stmt {
        Stmt::Local(local) => match &*local.init.as_ref()?.expr {
            Expr::Macro(format) if format.mac.path.is_ident("format") => Some(&format.mac),
            _ => None,
        },
        _ => None,
    })?;
    let args = url
        .parse_body_with(Punctuated::<Expr, syn::Token![,]>::parse_terminated)
        .ok()?;
    let mut args = args.iter();
    let template = string_literal(args.next()?)?;
    // The first `{}` is the base URL; each other one a path parameter.
    let mut pieces = template.strip_prefix("{}")?.split("{}");
    let mut path = pieces.next()?.to_owned();
    args.next()?;
    for piece in pieces {
        path.push_str(&format!("{{{}}}{piece}", variable(args.next()?)?));
    }
    Some(format!(
        "{} {path}",
        method.method.to_string().to_uppercase()
    ))
}

/// The wrappers of the `MockServerExt` trait of typed httpmock mocks: for each `When` and
/// `Then` type, the operation, and whether it is the `When`.
fn mock_wrappers(items: &[SynItem]) -> Result<BTreeMap<String, (String, bool)>> {
    let mut wrappers = BTreeMap::new();
    let methods = items.iter().flat_map(|item| match item {
        SynItem::Trait(ext) if ext.ident == "MockServerExt" => ext.items.iter(),
        _ => [].iter(),
    });
    for method in methods {
        let TraitItem::Fn(method) = method else {
            continue;
        };
        let operation = method.sig.ident.to_string();
        if method.default.is_some() {
            bail!("unknown shape: MockServerExt::{operation} has a default body");
        }
        // `where F: FnOnce(operations::XWhen, operations::XThen)`
        for bound in where_bounds(&method.sig) {
            if let PathArguments::Parenthesized(args) = &bound.arguments {
                for (index, input) in args.inputs.iter().enumerate() {
                    if let Some(name) = type_name(input) {
                        wrappers.insert(name, (operation.clone(), index == 0));
                    }
                }
            }
        }
    }
    Ok(wrappers)
}

/// Items for the `When`/`Then` impls of the `operations` module of typed httpmock mocks.
fn mock_items(
    module: &[SynItem],
    wrappers: &BTreeMap<String, (String, bool)>,
    out: &mut Vec<Item>,
) -> Result<()> {
    for item in module {
        let SynItem::Impl(block) = item else { continue };
        let Some((operation, is_when)) = type_name(&block.self_ty).and_then(|n| wrappers.get(&n))
        else {
            continue;
        };
        for method in impl_fns(&block.items).filter(|method| is_pub(&method.vis)) {
            let name = method.sig.ident.to_string();
            let operation = operation.clone();
            let calls = body_calls(&method.block);
            let argument = |of: &str| {
                let call = calls.iter().find(|call| call.method == of);
                call.and_then(|call| call.args.first())
            };
            match (name.as_str(), is_when) {
                ("into_inner", _) | ("new", false) => {}
                // `Self(inner.method(::httpmock::Method::GET).path_matches(Regex::new("^/a$")..))`
                ("new", true) => {
                    let http_method = match argument("method") {
                        Some(Expr::Path(path)) => path.path.segments.last().map(|s| &s.ident),
                        _ => None,
                    };
                    let path = argument("path_matches").and_then(string_literal);
                    let (Some(http_method), Some(path)) = (http_method, path) else {
                        bail!(
                            "unknown shape: {operation}'s When::new() matches no method and path"
                        );
                    };
                    out.push(Item::Mock {
                        operation,
                        request: format!("{http_method} {path}"),
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
                // `status(404u16)`; a class of statuses takes the status as an argument after
                // `assert_eq!(status / 100u16, 4u16)`; a default response takes any.
                (_, false) => {
                    let status = match argument("status") {
                        Some(Expr::Lit(literal)) => match &literal.lit {
                            Lit::Int(code) => code.base10_digits().to_owned(),
                            _ => bail!("unknown shape: {operation}'s Then::{name}() status"),
                        },
                        Some(_) => status_class(&method.block).unwrap_or_else(|| "any".to_owned()),
                        None => bail!("unknown shape: {operation}'s Then::{name}() sets no status"),
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
    Ok(())
}

/// `4XX` for a body that begins with `assert_eq!(status / 100u16, 4u16)`.
fn status_class(block: &Block) -> Option<String> {
    block.stmts.iter().find_map(|stmt| match stmt {
        Stmt::Macro(assert) if assert.mac.path.is_ident("assert_eq") => {
            let args = assert
                .mac
                .parse_body_with(Punctuated::<Expr, syn::Token![,]>::parse_terminated)
                .ok()?;
            match args.iter().nth(1)? {
                Expr::Lit(syn::ExprLit {
                    lit: Lit::Int(class),
                    ..
                }) => Some(format!("{}XX", class.base10_digits())),
                _ => None,
            }
        }
        _ => None,
    })
}

/// The method calls of a body's statements, each chain innermost first:
/// `Self(inner.method(m).path_matches(p))` gives `method`, then `path_matches`.
fn body_calls(block: &Block) -> Vec<&ExprMethodCall> {
    fn chain(expr: &Expr) -> Vec<&ExprMethodCall> {
        match expr {
            Expr::MethodCall(call) => {
                let mut calls = chain(&call.receiver);
                calls.push(call);
                calls
            }
            Expr::Try(inner) => chain(&inner.expr),
            Expr::Call(call) => call.args.iter().flat_map(chain).collect(),
            _ => Vec::new(),
        }
    }
    let exprs = block.stmts.iter().filter_map(|stmt| match stmt {
        Stmt::Local(local) => local.init.as_ref().map(|init| &*init.expr),
        Stmt::Expr(expr, _) => Some(expr),
        _ => None,
    });
    exprs.flat_map(chain).collect()
}

/// The first string literal in `expr`: `Regex::new("^/a$").unwrap()` gives `^/a$`.
fn string_literal(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(text),
            ..
        }) => Some(text.value()),
        Expr::MethodCall(call) => string_literal(&call.receiver),
        Expr::Call(call) => call.args.iter().find_map(string_literal),
        _ => None,
    }
}

/// The variable `expr` is made of: `encode_path(&id.to_string())` gives `id`.
fn variable(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Path(path) => path.path.get_ident().map(ToString::to_string),
        Expr::MethodCall(call) => variable(&call.receiver),
        Expr::Call(call) => call.args.iter().find_map(variable),
        Expr::Reference(reference) => variable(&reference.expr),
        _ => None,
    }
}

/// The type of a method's `value` argument, unless it is a generic `T`.
fn value_type(method: &ImplItemFn) -> Option<&Type> {
    method.sig.inputs.iter().find_map(|input| match input {
        FnArg::Typed(arg) if matches!(&*arg.pat, Pat::Ident(pat) if pat.ident == "value") => {
            let generic = type_name(&arg.ty)
                .is_some_and(|name| method.sig.generics.type_params().any(|p| p.ident == name));
            (!generic).then_some(&*arg.ty)
        }
        _ => None,
    })
}

/// `X` of a `where T: Into<Option<X>>` bound: an optional matcher's value type.
fn optional_value_type(method: &ImplItemFn) -> Option<String> {
    where_bounds(&method.sig).find_map(|bound| match &bound.arguments {
        PathArguments::AngleBracketed(args) => args.args.iter().find_map(|arg| match arg {
            GenericArgument::Type(ty) => option_inner(ty).map(render_type),
            _ => None,
        }),
        _ => None,
    })
}

/// The last path segment of each trait bound of a `where` clause.
fn where_bounds(signature: &Signature) -> impl Iterator<Item = &syn::PathSegment> {
    let predicates = signature.generics.where_clause.iter();
    predicates
        .flat_map(|clause| &clause.predicates)
        .filter_map(|predicate| match predicate {
            WherePredicate::Type(predicate) => Some(&predicate.bounds),
            _ => None,
        })
        .flatten()
        .filter_map(|bound| match bound {
            TypeParamBound::Trait(bound) => bound.path.segments.last(),
            _ => None,
        })
}

/// Items for the types of `mod types`: each `pub` type, its fields or its variants, the `pub
/// fn`s of its inherent impls and the traits it implements.
fn type_items(module: &[SynItem], items: &mut Vec<Item>) -> Result<()> {
    let mut types: Vec<(String, TypeKind, &[Attribute])> = Vec::new();
    for item in module {
        match item {
            SynItem::Struct(structure) if is_pub(&structure.vis) => {
                let name = structure.ident.to_string();
                if has_attr(&structure.attrs, "non_exhaustive") {
                    bail!("unknown shape: struct {name} is #[non_exhaustive]");
                }
                let kind = match &structure.fields {
                    Fields::Named(fields) => {
                        for field in &fields.named {
                            let Some(ident) = field.ident.as_ref().filter(|_| is_pub(&field.vis))
                            else {
                                bail!("unknown shape: struct {name} has a private field");
                            };
                            items.push(Item::Field {
                                owner: name.clone(),
                                name: ident.to_string(),
                                ty: render_type(&field.ty),
                                json: serde_rename(&field.attrs)
                                    .unwrap_or_else(|| ident.to_string()),
                            });
                        }
                        TypeKind::Struct
                    }
                    Fields::Unnamed(fields) if fields.unnamed.len() == 1 => TypeKind::Newtype {
                        inner: render_type(&fields.unnamed[0].ty),
                        public: is_pub(&fields.unnamed[0].vis),
                    },
                    _ => bail!(
                        "unknown shape: struct {name} is neither a newtype nor has named fields"
                    ),
                };
                types.push((name, kind, &structure.attrs));
            }
            SynItem::Enum(enumeration) if is_pub(&enumeration.vis) => {
                let name = enumeration.ident.to_string();
                if has_attr(&enumeration.attrs, "non_exhaustive") {
                    bail!("unknown shape: enum {name} is #[non_exhaustive]");
                }
                for variant in &enumeration.variants {
                    items.push(Item::Variant {
                        owner: name.clone(),
                        name: variant.ident.to_string(),
                        payload: variant_payload(&variant.fields),
                        json: serde_rename(&variant.attrs)
                            .unwrap_or_else(|| variant.ident.to_string()),
                    });
                }
                types.push((name, TypeKind::Enum, &enumeration.attrs));
            }
            SynItem::Type(alias) if is_pub(&alias.vis) => {
                bail!("unknown shape: type {} is an alias", alias.ident);
            }
            _ => {}
        }
    }
    let names: BTreeSet<&str> = types.iter().map(|(name, ..)| name.as_str()).collect();
    let mut impls = trait_impls(module, &names);
    for (name, kind, attrs) in &types {
        let mut traits = derived_traits(attrs);
        traits.extend(impls.remove(name.as_str()).unwrap_or_default());
        let (name, kind) = (name.clone(), kind.clone());
        items.push(Item::Type { name, kind, traits });
    }
    for item in module {
        let SynItem::Impl(block) = item else { continue };
        let Some(owner) = type_name(&block.self_ty).filter(|owner| names.contains(owner.as_str()))
        else {
            continue;
        };
        if block.trait_.is_none() {
            for function in impl_fns(&block.items).filter(|function| is_pub(&function.vis)) {
                items.push(Item::TypeFn {
                    owner: owner.clone(),
                    name: function.sig.ident.to_string(),
                    signature: render_signature(&function.sig),
                });
            }
        }
    }
    Ok(())
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
        let rendered = match trait_args.as_slice() {
            [] => segment.ident.to_string(),
            args => {
                let args: Vec<String> = args.iter().map(|ty| render_type(ty)).collect();
                format!("{}<{}>", segment.ident, args.join(", "))
            }
        };
        let name_of = |ty: &Type| type_name(ty).and_then(|n| names.get(n.as_str()).copied());
        if let Some(name) = name_of(&block.self_ty) {
            impls.entry(name).or_default().insert(rendered);
        } else if let Some(name) = trait_args
            .iter()
            .find_map(|ty| name_of(strip_reference(ty)))
        {
            let for_type = render_type(&block.self_ty);
            let rendered = format!("{rendered} for {for_type}");
            impls.entry(name).or_default().insert(rendered);
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

fn impl_fns(items: &[ImplItem]) -> impl Iterator<Item = &ImplItemFn> {
    items.iter().filter_map(|item| match item {
        ImplItem::Fn(function) => Some(function),
        _ => None,
    })
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

/// The last segment of a path type: `builder::GetThing<'_>` gives `GetThing`.
fn type_name(ty: &Type) -> Option<String> {
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
    let Some(PathArguments::AngleBracketed(args)) = path.path.segments.last().map(|s| &s.arguments)
    else {
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
    (type_name(ty).as_deref() == Some("Option"))
        .then(|| generic_args(ty).into_iter().next())
        .flatten()
}

/// Renders a type by the last segment of each path (`::std::option::Option<::uuid::Uuid>` gives
/// `Option<Uuid>`): short, and what a user writes after the usual imports.
fn render_type(ty: &Type) -> String {
    match ty {
        Type::Path(path) => {
            let segments = &path.path.segments;
            let Some(segment) = segments.last() else {
                return String::new();
            };
            // `builder::Name` is not the type `Name`: keep the module of a type builder.
            let in_builder = segments.len() >= 2 && segments[segments.len() - 2].ident == "builder";
            let name = match in_builder {
                true => format!("builder::{}", segment.ident),
                false => segment.ident.to_string(),
            };
            let args: Vec<String> = generic_args(ty).into_iter().map(render_type).collect();
            match args.as_slice() {
                [] => name,
                _ => format!("{name}<{}>", args.join(", ")),
            }
        }
        Type::Reference(reference) => format!("&{}", render_type(&reference.elem)),
        Type::Slice(slice) => format!("[{}]", render_type(&slice.elem)),
        Type::Tuple(tuple) => {
            let elems: Vec<String> = tuple.elems.iter().map(render_type).collect();
            format!("({})", elems.join(", "))
        }
        other => other.to_token_stream().to_string(),
    }
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

    /// What the shapes progenitor emits read as is checked on generated code (the snapshots
    /// above, `tests/classify.rs`); these are shapes it does not emit, written by hand.
    #[test]
    fn a_shape_progenitor_does_not_emit_is_an_error_that_names_it() {
        let mock = |when: &str, then: &str, method: &str| {
            format!(
                "pub mod operations {{ pub struct AWhen(When); impl AWhen {{ {when} }} \
                 pub struct AThen(Then); impl AThen {{ {then} }} }} pub trait MockServerExt {{ \
                 fn a<F>(&self, config_fn: F) -> Mock<'_> where F: FnOnce(operations::AWhen, \
                 operations::AThen){method} }}"
            )
        };
        let new = "pub fn new(inner: When) -> Self { Self(inner.method(Method::GET)) }";
        for (source, error) in [
            (
                "pub mod types { #[non_exhaustive] pub struct A { pub x: i64 } }",
                "unknown shape: struct A is #[non_exhaustive]",
            ),
            (
                "pub mod types { #[non_exhaustive] pub enum E { A } }",
                "unknown shape: enum E is #[non_exhaustive]",
            ),
            (
                "pub mod types { pub struct A { pub x: i64, y: i64 } }",
                "unknown shape: struct A has a private field",
            ),
            (
                "pub mod types { pub struct A; }",
                "unknown shape: struct A is neither a newtype nor has named fields",
            ),
            (
                "pub mod types { pub struct A(pub i64, pub i64); }",
                "unknown shape: struct A is neither a newtype nor has named fields",
            ),
            (
                "pub mod types { pub type T = Vec<i64>; }",
                "unknown shape: type T is an alias",
            ),
            (
                &mock("", "", " { todo!() }"),
                "unknown shape: MockServerExt::a has a default body",
            ),
            (
                &mock(new, "", ";"),
                "unknown shape: a's When::new() matches no method and path",
            ),
            (
                &mock("", "pub fn ok(self) -> Self { Self(self.0) }", ";"),
                "unknown shape: a's Then::ok() sets no status",
            ),
            (
                "pub struct Client; impl Client { pub fn a(&self) -> builder::A<'_> { todo!() } } \
                 pub mod builder { pub struct A<'a> { client: &'a Client } impl A<'_> { \
                 pub async fn send(self) -> Result<ResponseValue<()>, Error<()>> { todo!() } } }",
                "unknown shape: A::send() makes no request",
            ),
            ("fn (", "it does not parse as Rust"),
        ] {
            let found = Surface::from_source(source).unwrap_err();
            assert_eq!(found.to_string(), error, "{source}");
        }
    }
}
