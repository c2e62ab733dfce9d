//! Running progenitor: the files it generates from one spec ([`OUTPUTS`]), its settings,
//! formatting and the header.

use std::panic::{self, AssertUnwindSafe};

use anyhow::{Context, Result, anyhow};
use openapiv3::OpenAPI;
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};

/// The command that regenerates every output; headers and messages name it.
pub(crate) const REGENERATE_COMMAND: &str = "cargo xtask codegen";

/// The progenitor version that generates the code, read from `Cargo.lock` by
/// `build.rs`; the header names it, so upgrading progenitor makes the checked-in
/// file stale until it is regenerated.
pub(crate) const PROGENITOR_VERSION: &str = env!("XTASK_PROGENITOR_VERSION");

/// Which of progenitor's generators writes an output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `Generator::generate_tokens`: the types, the `Client` and its builders.
    Client,
    /// `Generator::httpmock`: an extension trait of `httpmock::MockServer` with a typed
    /// `When`/`Then` pair per operation, over the client crate's types.
    Httpmock,
}

/// One file generated from the spec.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Output {
    /// Names it on the command line (`--<name>-out`) and in messages.
    pub(crate) name: &'static str,
    /// Where it is written by default, relative to the workspace root.
    pub(crate) path: &'static str,
    /// The generator that writes it.
    pub(crate) kind: Kind,
    /// The client crate as a Rust path from inside this file. Paths in [`REPLACEMENTS`] and
    /// [`INNER_TYPE`] are written from inside the client crate (`crate::..`); for a file in
    /// another crate they are rewritten to start with this path instead.
    pub(crate) client_crate: &'static str,
    /// Comment lines the header adds after its first line: what the file is, if the path
    /// does not say it.
    pub(crate) header_note: &'static str,
    /// The package the file belongs to: `cargo xtask semver` checks its version, against the
    /// newest `<package>-v*` tag.
    pub(crate) package: &'static str,
    /// That package's directory (where its `Cargo.toml` is), relative to the workspace root.
    pub(crate) package_dir: &'static str,
    /// The output whose types this file's public API takes and returns: a breaking change
    /// there is a breaking change here (users' values are of the other crate's types).
    pub(crate) public_dependency: Option<&'static Output>,
}

/// The generated client, `room-sessions-api`.
pub(crate) const CLIENT: Output = Output {
    name: "client",
    path: "crates/room-sessions-api/src/generated.rs",
    kind: Kind::Client,
    client_crate: "crate",
    header_note: "",
    package: "room-sessions-api",
    package_dir: "crates/room-sessions-api",
    public_dependency: None,
};

/// The typed mocks of the client, `room-sessions-httpmock`: same settings, so the mocks
/// take and return the client's own types.
pub(crate) const HTTPMOCK: Output = Output {
    name: "httpmock",
    path: "crates/room-sessions-httpmock/src/generated.rs",
    kind: Kind::Httpmock,
    client_crate: "room_sessions_api",
    header_note: "// Typed httpmock mocks of the room_sessions_api client (progenitor's httpmock generator).\n",
    package: "room-sessions-httpmock",
    package_dir: "crates/room-sessions-httpmock",
    public_dependency: Some(&CLIENT),
};

/// Every file `cargo xtask codegen` writes from the one spec, in the order it writes them.
pub(crate) const OUTPUTS: &[&Output] = &[&CLIENT, &HTTPMOCK];

/// One component schema that is not generated but mapped to a hand-written type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Replacement {
    /// The schema's name under `#/components/schemas`.
    pub(crate) schema: &'static str,
    /// The Rust path the generated code uses instead.
    pub(crate) rust_type: &'static str,
    /// The traits the hand-written type implements that typify may rely on.
    pub(crate) impls: &'static [TypeImpl],
}

/// Component schemas replaced by the tolerant hand-written types in
/// `crates/room-sessions-api/src/tolerant.rs`.
///
/// Why: the server may send values the spec does not list (SignalWire adds
/// session states, layouts and the like without a new API version). typify
/// turns a string `enum` into a strict Rust enum, and an integer `enum` into a
/// checked newtype, so a single unknown value fails the whole response with
/// `InvalidResponsePayload`; upstream declines a catch-all variant
/// (<https://github.com/oxidecomputer/typify/issues/862>). The hand-written
/// types keep unknown values instead.
///
/// `impls` tells typify which of `Display`/`FromStr`/`Default` the hand-written
/// type has. typify never emits those impls for a replaced type; it only uses
/// the list to decide whether types *wrapping* it (newtypes, untagged enums)
/// get `Display`/`FromStr` impls that delegate to it. So each trait listed here
/// must really be implemented in tolerant.rs (or the generated code may not
/// compile), and listing fewer is always safe. Independently of this list, the
/// hand-written types need what the generated types around them derive:
/// `Clone`, `Debug`, `PartialEq`, `serde::Serialize` and `serde::Deserialize`.
///
/// typify matches `schema` against component schema names converted to
/// PascalCase; a replacement that matches nothing is silently ignored by
/// typify, so [`replacement_warnings`] reports it.
pub(crate) const REPLACEMENTS: &[Replacement] = &[
    Replacement {
        schema: "SessionStatus",
        rust_type: "crate::tolerant::SessionStatus",
        impls: &[TypeImpl::Display, TypeImpl::FromStr],
    },
    // The list filter's schema is not nullable (Prism skips validating a query whose
    // parameter schema lists `null`), but users pass the same open type they read back.
    Replacement {
        schema: "SessionStatusFilter",
        rust_type: "crate::tolerant::SessionStatus",
        impls: &[TypeImpl::Display, TypeImpl::FromStr],
    },
    Replacement {
        schema: "VideoQuality",
        rust_type: "crate::tolerant::VideoQuality",
        impls: &[TypeImpl::Display, TypeImpl::FromStr],
    },
    Replacement {
        schema: "RoomLayout",
        rust_type: "crate::tolerant::RoomLayout",
        impls: &[TypeImpl::Display, TypeImpl::FromStr],
    },
    Replacement {
        schema: "FrameRate",
        rust_type: "crate::tolerant::FrameRate",
        impls: &[TypeImpl::Display],
    },
    Replacement {
        schema: "RecordingStatus",
        rust_type: "crate::tolerant::RecordingStatus",
        impls: &[TypeImpl::Display, TypeImpl::FromStr],
    },
];

/// The generated `Client`'s "inner type" (progenitor's `with_inner_type`),
/// hand-written in `crates/room-sessions-api/src/hooks.rs`: the headers
/// (credentials) the request hooks add to every request. It travels with the
/// client because a caller-supplied `reqwest::Client` cannot take default
/// headers afterwards. `Client::new` and `Client::new_with_client` take it as
/// their last argument.
pub(crate) const INNER_TYPE: &str = "crate::hooks::ClientOptions";

/// The progenitor settings for the room-sessions client, with the hand-written types it
/// names reached through `client_crate` (see [`Output::client_crate`]).
pub(crate) fn settings(client_crate: &str) -> GenerationSettings {
    let from_client_crate = |path: &str| match path.strip_prefix("crate::") {
        Some(rest) => format!("{client_crate}::{rest}"),
        None => path.to_owned(),
    };
    let inner_type: proc_macro2::TokenStream = from_client_crate(INNER_TYPE)
        .parse()
        .expect("INNER_TYPE is a Rust type path");
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_derive("PartialEq")
        .with_inner_type(inner_type)
        // The crate's hand-written hooks.rs implements `ClientHooks` for
        // `Client`; `Expected` emits no default impl for `&Client` and instead
        // asserts that one exists, so a missing impl is one clear compile error
        // rather than progenitor's do-nothing default being used silently.
        .with_hooks(HooksMode::Expected);
    for replacement in REPLACEMENTS {
        settings.with_replacement(
            replacement.schema,
            from_client_crate(replacement.rust_type),
            replacement.impls.iter().copied(),
        );
    }
    settings
}

/// Warnings for entries of [`REPLACEMENTS`] that name no component schema of
/// `openapi` (typify ignores them, so the strict generated type would be used
/// if the schema was renamed).
pub(crate) fn replacement_warnings(openapi: &OpenAPI) -> Vec<String> {
    let schemas: Vec<&String> = openapi
        .components
        .iter()
        .flat_map(|c| c.schemas.keys())
        .collect();
    REPLACEMENTS
        .iter()
        .filter(|r| !schemas.iter().any(|s| s.as_str() == r.schema))
        .map(|r| {
            format!(
                "replacement {} -> {} matches no schema in #/components/schemas",
                r.schema, r.rust_type
            )
        })
        .collect()
}

/// The comment block at the top of a generated file. `spec_label` must not
/// depend on the machine (see [`crate::paths::header_spec_label`]).
pub(crate) fn header(output: &Output, spec_label: &str) -> String {
    let note = output.header_note;
    format!(
        "// This file is generated. Do not edit it by hand.\n\
         {note}//\n\
         // Generated by `{REGENERATE_COMMAND}` from {spec_label}\n\
         // with progenitor {PROGENITOR_VERSION}. To change it, edit the spec (or the settings in\n\
         // xtask/src/generate.rs) and run `{REGENERATE_COMMAND}` again;\n\
         // `{REGENERATE_COMMAND} --check` and `cargo test -p xtask` fail while it is stale.\n\
         //\n\
         // @generated\n\
         \n"
    )
}

/// Generates the complete file of `output` for `openapi`: header plus formatted code.
///
/// `spec_shown` names the spec in error messages; `spec_label` names it in the
/// header. A progenitor error or panic becomes an `Err`.
pub(crate) fn generate(
    openapi: &OpenAPI,
    output: &Output,
    spec_shown: &str,
    spec_label: &str,
) -> Result<String> {
    let name = output.name;
    let settings = settings(output.client_crate);
    let mut generator = Generator::new(&settings);
    // progenitor asserts and `todo!`s on some specs; `spec::load` rejects the ones known. Any
    // other panic is caught here, after Rust has printed its message, so that nothing is
    // written.
    let tokens = panic::catch_unwind(AssertUnwindSafe(|| match output.kind {
        Kind::Client => generator.generate_tokens(openapi),
        Kind::Httpmock => generator.httpmock(openapi, output.client_crate),
    }))
    .map_err(|_| {
        anyhow!(
            "progenitor panicked while generating the {name} from {spec_shown} (its message is \
             above)"
        )
    })?
    .map_err(|error| {
        anyhow!("progenitor failed to generate the {name} from {spec_shown}: {error}")
    })?;
    let file = syn::parse2::<syn::File>(tokens).with_context(|| {
        format!("progenitor generated {name} code from {spec_shown} that does not parse as Rust")
    })?;
    Ok(header(output, spec_label) + &prettyplease::unparse(&file))
}
