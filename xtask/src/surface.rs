//! The public surface of generated code, read from its source with `syn`.
//!
//! One line per item, sorted, so that a spec change shows up as a short, readable diff of what
//! users get rather than as a diff of thousands of generated lines: for a client, operations,
//! their parameters and result types; types, their fields and serde names; enums and their
//! values. For typed httpmock mocks, each operation's method and path pattern, the matchers
//! of its `When` and the responses of its `Then`.
//!
//! Every line has the form `KEY: DESCRIPTION`, where `KEY` names the item (`type RoomSession
//! field fps`) and `DESCRIPTION` says what it is (`Option<FrameRate>, json "fps"`). Comparing
//! two surfaces by key tells added, removed and changed items apart.

use std::collections::BTreeMap;
use std::fmt;

use proc_macro2::{TokenStream, TokenTree};
use syn::{
    Attribute, Expr, Fields, FnArg, GenericArgument, ImplItem, ImplItemFn, Item, ItemMod, Lit,
    Meta, PathArguments, ReturnType, TraitItem, Type, TypeParamBound, WherePredicate,
};

/// The sorted lines of the public surface of a generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Surface {
    lines: Vec<String>,
}

impl Surface {
    /// Reads the surface of generated code (the content of a `generated.rs`).
    pub fn from_source(source: &str) -> Result<Self, syn::Error> {
        let file = syn::parse_file(source)?;
        Ok(Self::from_file(&file))
    }

    /// Reads the surface of a parsed generated file.
    pub fn from_file(file: &syn::File) -> Self {
        let mut lines = Vec::new();
        let builders = find_mod(&file.items, "builder").map(builder_structs);
        let mocks = mock_operations(&file.items);
        for item in &file.items {
            match item {
                Item::Mod(module) if module.ident == "types" => {
                    type_lines(module_items(module), &mut lines)
                }
                Item::Impl(block) if is_client_impl(block) => {
                    operation_lines(block, builders.as_ref(), &mut lines)
                }
                Item::Mod(module) if module.ident == "operations" => {
                    mock_lines(module_items(module), &mocks, &mut lines)
                }
                _ => {}
            }
        }
        lines.sort();
        lines.dedup();
        Self { lines }
    }

    /// The lines, sorted.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// What changed from `old` to `self`, item by item.
    pub fn changes_since(&self, old: &Surface) -> SurfaceChanges {
        let old_items = keyed(&old.lines);
        let new_items = keyed(&self.lines);
        let mut changes = SurfaceChanges::default();
        for (key, new_line) in &new_items {
            match old_items.get(key) {
                None => changes.added.push((*new_line).to_owned()),
                Some(old_line) if old_line != new_line => changes
                    .changed
                    .push(((*old_line).to_owned(), (*new_line).to_owned())),
                Some(_) => {}
            }
        }
        for (key, old_line) in &old_items {
            if !new_items.contains_key(key) {
                changes.removed.push((*old_line).to_owned());
            }
        }
        changes
    }
}

impl fmt::Display for Surface {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for line in &self.lines {
            writeln!(f, "{line}")?;
        }
        Ok(())
    }
}

/// Items added, removed and changed between two surfaces.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SurfaceChanges {
    /// Lines of items that are new.
    pub added: Vec<String>,
    /// Lines of items that are gone.
    pub removed: Vec<String>,
    /// Items whose description changed: the old line and the new one.
    pub changed: Vec<(String, String)>,
}

impl SurfaceChanges {
    /// Whether the two surfaces are the same.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

impl fmt::Display for SurfaceChanges {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "surface: {} added, {} removed, {} changed",
            self.added.len(),
            self.removed.len(),
            self.changed.len()
        )?;
        for line in &self.added {
            writeln!(f, "  + {line}")?;
        }
        for line in &self.removed {
            writeln!(f, "  - {line}")?;
        }
        for (old, new) in &self.changed {
            writeln!(f, "  ~ {new}")?;
            writeln!(f, "      was {}", description(old))?;
        }
        Ok(())
    }
}

/// Splits each line into its key and keeps the whole line as the value.
fn keyed(lines: &[String]) -> BTreeMap<&str, &str> {
    lines
        .iter()
        .map(|line| {
            (
                line.split_once(": ").map_or(line.as_str(), |(key, _)| key),
                line.as_str(),
            )
        })
        .collect()
}

fn description(line: &str) -> &str {
    line.split_once(": ").map_or("", |(_, rest)| rest)
}

fn find_mod<'a>(items: &'a [Item], name: &str) -> Option<&'a ItemMod> {
    items.iter().find_map(|item| match item {
        Item::Mod(module) if module.ident == name => Some(module),
        _ => None,
    })
}

fn module_items(module: &ItemMod) -> &[Item] {
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
        if let Item::Struct(structure) = item {
            builders.insert(structure.ident.to_string(), (structure, None));
        }
    }
    for item in items {
        if let Item::Impl(block) = item
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

fn operation_lines(
    block: &syn::ItemImpl,
    builders: Option<&BTreeMap<String, (&syn::ItemStruct, Option<&syn::ImplItemFn>)>>,
    lines: &mut Vec<String>,
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
        if !takes_self_only {
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
        lines.push(format!(
            "operation {operation}: {request} -> {success}, error {error}"
        ));
        if let Fields::Named(fields) = &structure.fields {
            for field in &fields.named {
                let Some(name) = &field.ident else { continue };
                if name == "client" {
                    continue;
                }
                // Builder fields are `Result<T, String>` for required parameters and
                // `Result<Option<T>, String>` for optional ones.
                let inner = generic_args(&field.ty).into_iter().next();
                let (ty, required) = match inner.and_then(|ty| option_inner(ty).map(|t| (t, false)))
                {
                    Some((ty, required)) => (render_type(ty), required),
                    None => (inner.map(render_type).unwrap_or_default(), true),
                };
                let requirement = if required { "required" } else { "optional" };
                lines.push(format!(
                    "operation {operation} param {name}: {ty}, {requirement}"
                ));
            }
        }
    }
}

/// The operations of the `MockServerExt` trait of typed httpmock mocks: for the name of each
/// `When` and `Then` type, the operation and whether it is the `When`.
fn mock_operations(items: &[Item]) -> BTreeMap<String, (String, bool)> {
    let mut operations = BTreeMap::new();
    let Some(ext) = items.iter().find_map(|item| match item {
        Item::Trait(ext) if ext.ident == "MockServerExt" => Some(ext),
        _ => None,
    }) else {
        return operations;
    };
    for item in &ext.items {
        let TraitItem::Fn(method) = item else {
            continue;
        };
        let operation = method.sig.ident.to_string();
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
                        operations.insert(name, (operation.clone(), index == 0));
                    }
                }
            }
        }
    }
    operations
}

/// Lines for the `When`/`Then` impls of the `operations` module of typed httpmock mocks.
fn mock_lines(
    items: &[Item],
    operations: &BTreeMap<String, (String, bool)>,
    lines: &mut Vec<String>,
) {
    for item in items {
        let Item::Impl(block) = item else { continue };
        let Some((operation, is_when)) =
            last_segment_name(&block.self_ty).and_then(|name| operations.get(&name))
        else {
            continue;
        };
        for item in &block.items {
            let ImplItem::Fn(method) = item else { continue };
            let name = method.sig.ident.to_string();
            match (name.as_str(), is_when) {
                ("into_inner", _) | ("new", false) => {}
                ("new", true) => {
                    let tokens = body_tokens(method);
                    let http_method = ident_after(&tokens, "Method").unwrap_or_default();
                    let path = string_literals(&tokens)
                        .into_iter()
                        .next()
                        .unwrap_or_default();
                    lines.push(format!("mock {operation}: {http_method} {path}"));
                }
                (_, true) => {
                    let (ty, required) = match value_type(method) {
                        Some(ty) => (render_type(ty), true),
                        None => (optional_value_type(method).unwrap_or_default(), false),
                    };
                    let requirement = if required { "required" } else { "optional" };
                    lines.push(format!("mock {operation} when {name}: {ty}, {requirement}"));
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
                    lines.push(format!("mock {operation} then {name}: {status}, {body}"));
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

fn type_lines(items: &[Item], lines: &mut Vec<String>) {
    for item in items {
        match item {
            Item::Struct(structure) => {
                let name = structure.ident.to_string();
                match &structure.fields {
                    Fields::Named(fields) => {
                        lines.push(format!("type {name}: struct"));
                        for field in &fields.named {
                            let Some(ident) = &field.ident else { continue };
                            let json =
                                serde_rename(&field.attrs).unwrap_or_else(|| ident.to_string());
                            lines.push(format!(
                                "type {name} field {ident}: {}, json {json:?}",
                                render_type(&field.ty)
                            ));
                        }
                    }
                    Fields::Unnamed(fields) => {
                        let inner: Vec<_> =
                            fields.unnamed.iter().map(|f| render_type(&f.ty)).collect();
                        lines.push(format!("type {name}: newtype of {}", inner.join(", ")));
                    }
                    Fields::Unit => lines.push(format!("type {name}: unit struct")),
                }
            }
            Item::Enum(enumeration) => {
                let name = enumeration.ident.to_string();
                lines.push(format!("enum {name}: enum"));
                for variant in &enumeration.variants {
                    let json =
                        serde_rename(&variant.attrs).unwrap_or_else(|| variant.ident.to_string());
                    let payload = match &variant.fields {
                        Fields::Unit => String::new(),
                        Fields::Unnamed(fields) => format!(
                            "({}) ",
                            fields
                                .unnamed
                                .iter()
                                .map(|f| render_type(&f.ty))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        Fields::Named(_) => "{ .. } ".to_owned(),
                    };
                    lines.push(format!(
                        "enum {name} variant {}: {payload}json {json:?}",
                        variant.ident
                    ));
                }
            }
            Item::Type(alias) => lines.push(format!(
                "type {}: alias of {}",
                alias.ident,
                render_type(&alias.ty)
            )),
            _ => {}
        }
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
            let args = generic_args(ty);
            if args.is_empty() {
                segment.ident.to_string()
            } else {
                let args: Vec<_> = args.into_iter().map(render_type).collect();
                format!("{}<{}>", segment.ident, args.join(", "))
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

    const SOURCE: &str = r#"
        pub mod types {
            pub struct Thing {
                pub id: ::uuid::Uuid,
                #[serde(rename = "type", skip_serializing_if = "::std::option::Option::is_none")]
                pub type_: ::std::option::Option<::std::string::String>,
            }
            pub enum Colour {
                #[serde(rename = "dark-red")]
                DarkRed,
                Blue,
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
                "enum Colour: enum",
                "operation get_thing param id: Uuid, required",
                "operation get_thing param limit: NonZeroU32, optional",
                "operation get_thing: GET /things/{id} -> Thing, error Problem",
                "type Thing field id: Uuid, json \"id\"",
                "type Thing field type_: Option<String>, json \"type\"",
                "type Thing: struct",
            ]
        );
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
        assert_eq!(changes.added, ["type Thing field size: i64, json \"size\""]);
        assert_eq!(changes.removed, ["enum Colour variant Blue: json \"Blue\""]);
        assert_eq!(
            changes.changed,
            [(
                "type Thing field id: Uuid, json \"id\"".to_owned(),
                "type Thing field id: String, json \"id\"".to_owned()
            )]
        );
        assert!(new.changes_since(&new).is_empty());
        let text = changes.to_string();
        assert!(
            text.starts_with("surface: 1 added, 1 removed, 1 changed\n"),
            "{text}"
        );
        assert!(
            text.contains(
                "  ~ type Thing field id: String, json \"id\"\n      was Uuid, json \"id\"\n"
            ),
            "{text}"
        );
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
                "mock get_thing: GET ^/things/[^/]*$",
            ]
        );
    }
}
