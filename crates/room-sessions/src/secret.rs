//! Everything about the one secret, the API token: the type that hides it, and the redactor
//! that removes it (in every form it travels in) from text the server sends back.

use std::borrow::Cow;
use std::fmt;

use aho_corasick::{AhoCorasick, MatchKind};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// The longest piece of server text (a link, a JSON path, a parameter name, a message) that
/// an error or a log line keeps, in bytes.
pub(crate) const SERVER_TEXT_MAX: usize = 256;

/// A string that never shows in `Debug`.
#[derive(Clone)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(value: String) -> Self {
        Self(value)
    }

    /// The secret itself, for the one place that needs it: the credentials header.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// What a redacted secret is replaced with.
const MASK: &str = "***";

/// The fewest characters of the token that are taken for a part of it: a run of letters and
/// digits this long is redacted wherever it shows.
const LEAK_LEN: usize = 4;

/// Percent-encoding of everything but RFC 3986's unreserved characters, as URL components
/// are usually encoded (the stricter `NON_ALPHANUMERIC` form is registered too).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Removes the credentials from text the server sent back (an error body, a link, a JSON
/// path), in case the server or a proxy echoes them, and bounds that text.
#[derive(Clone, Default)]
pub(crate) struct Redactor {
    /// Every form of every secret, longest first (so that a secret containing another is
    /// replaced whole).
    secrets: Vec<String>,
    /// Every secret at once, leftmost and longest first: one pass over a text finds them
    /// all, where asking each of the thirty-odd forms in turn cost about 50 instructions a
    /// byte of text (a recorded exchange is redacted whole, body included).
    searcher: Option<AhoCorasick>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Redactor(***)")
    }
}

impl Redactor {
    /// Redacts each of `secrets` as given (empty ones are ignored).
    pub(crate) fn new(secrets: impl IntoIterator<Item = String>) -> Self {
        let mut secrets: Vec<String> = secrets.into_iter().filter(|s| !s.is_empty()).collect();
        secrets.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        secrets.dedup();
        let searcher = (!secrets.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&secrets)
                .expect("a few short secrets make a small automaton")
        });
        Self { secrets, searcher }
    }

    /// Redacts the credentials of HTTP Basic auth in every form they travel in: the token,
    /// `project_id:token`, its base64 (standard and URL-safe, padded or not), and the
    /// percent-encoded form of each (upper- and lower-case hex, strict and component-style);
    /// and each of these as JSON and Rust's `Debug` escape them, for text that a library
    /// formats before it reaches the redactor (serde's messages quote the values they refuse).
    /// Also each run of four or more letters and digits of the token, which percent-encoding
    /// (once, twice, ...) and escaping leave as they are.
    pub(crate) fn for_credentials(project_id: &str, token: &str) -> Self {
        let credentials = format!("{project_id}:{token}");
        let runs = token
            .split(|c: char| !c.is_alphanumeric())
            .filter(|run| run.chars().count() >= LEAK_LEN)
            .map(str::to_owned);
        let mut plain: Vec<String> = runs.collect();
        plain.extend([token.to_owned(), credentials.clone()]);
        for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
            plain.push(engine.encode(&credentials));
        }
        let mut forms = Vec::new();
        for text in plain {
            for set in [NON_ALPHANUMERIC, COMPONENT] {
                let encoded = utf8_percent_encode(&text, set).to_string();
                forms.push(lower_hex(&encoded));
                forms.push(encoded);
            }
            forms.push(unquoted(format!("{text:?}")));
            if let Ok(json) = serde_json::to_string(&text) {
                forms.push(unquoted(json));
            }
            forms.push(text);
        }
        Self::new(forms)
    }

    /// The byte length of the longest secret.
    fn longest(&self) -> usize {
        self.secrets.first().map_or(0, String::len)
    }

    /// `text` with every secret replaced by `***`.
    pub(crate) fn redact(&self, text: &str) -> String {
        self.redacted(text).into_owned()
    }

    /// [`redact`](Self::redact), without a copy when there is nothing to redact.
    pub(crate) fn redacted<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let Some(searcher) = self.searcher.as_ref().filter(|s| s.is_match(text)) else {
            return Cow::Borrowed(text);
        };
        let mut redacted = String::with_capacity(text.len());
        searcher.replace_all_with(text, &mut redacted, |_, _, out| {
            out.push_str(MASK);
            true
        });
        Cow::Owned(redacted)
    }

    /// Whether any secret is in `text`.
    pub(crate) fn holds_secret(&self, text: &str) -> bool {
        self.searcher.as_ref().is_some_and(|s| s.is_match(text))
    }

    /// Server text for an error or a log line (a link, a JSON path, a parameter name, a
    /// cause): redacted and cut to [`SERVER_TEXT_MAX`].
    pub(crate) fn server_text(&self, text: &str) -> String {
        self.bounded(text, SERVER_TEXT_MAX)
    }

    /// `text` redacted and cut to at most `max` bytes (at a character boundary, `…` marking
    /// the cut). Only a bounded prefix of `text` is ever copied.
    pub(crate) fn bounded(&self, text: &str, max: usize) -> String {
        self.cut(text, max, false)
    }

    /// The start of `body` as text: lossy UTF-8, redacted, at most `max` bytes. Only a bounded
    /// prefix of the body is looked at, never a copy of all of it.
    pub(crate) fn excerpt(&self, body: &[u8], max: usize) -> String {
        // Far enough past the cut to see whole any secret that crosses it (and a character
        // that straddles the end: `cut` cuts it cleanly).
        let prefix = &body[..body.len().min(max + 2 * self.longest() + 3)];
        self.cut(
            &String::from_utf8_lossy(prefix),
            max,
            prefix.len() < body.len(),
        )
    }

    /// `text` (which `continues` past its end, or not) redacted, then cut to `max` bytes so
    /// that no part of a secret survives at the cut.
    fn cut(&self, text: &str, max: usize, continues: bool) -> String {
        // Redact before cutting, on a window that holds whole every secret it touches: one
        // cut in half would be neither masked whole nor dropped.
        // Overlapping secrets could carry the window on: it stops a secret's length further.
        let limit = floor_char_boundary(text, max + 2 * self.longest());
        let end = self.past_secrets(text, floor_char_boundary(text, max + self.longest()));
        let end = end.min(limit);
        let mut window = &text[..end];
        let mut cut = continues || end < text.len();
        if (continues && end == text.len()) || (end == limit && end < text.len()) {
            // What follows is not looked at: the window may end in the start of a secret.
            window = &window[..window.len() - self.partial_tail(window)];
        }
        let mut kept = self.redact(window);
        if kept.len() > max {
            kept.truncate(floor_char_boundary(&kept, max));
            // Masks never end in a secret's start, but the text before them might, by chance.
            let partial = self.partial_tail(&kept);
            kept.truncate(kept.len() - partial);
            cut = true;
        }
        if cut {
            kept.push('…');
        }
        kept
    }

    /// `end`, or the end of the furthest secret in `text` that starts before it and ends after
    /// it (and so on, for secrets that overlap).
    fn past_secrets(&self, text: &str, mut end: usize) -> usize {
        loop {
            let furthest = self
                .secrets
                .iter()
                .filter_map(|secret| {
                    (end.saturating_sub(secret.len() - 1)..end)
                        .filter(|&start| text.is_char_boundary(start))
                        .find(|&start| text[start..].starts_with(secret.as_str()))
                        .map(|start| start + secret.len())
                })
                .max()
                .unwrap_or(end);
            if furthest <= end {
                return end;
            }
            end = furthest;
        }
    }

    /// The length of the longest end of `text` that is the start of a secret.
    fn partial_tail(&self, text: &str) -> usize {
        self.secrets
            .iter()
            .filter_map(|secret| {
                (1..secret.len())
                    .rev()
                    .filter(|&n| secret.is_char_boundary(n))
                    .find(|&n| text.ends_with(&secret[..n]))
            })
            .max()
            .unwrap_or(0)
    }
}

/// A quoted string without its quotes.
fn unquoted(quoted: String) -> String {
    match quoted
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    {
        Some(inner) => inner.to_owned(),
        None => quoted,
    }
}

/// `text` with the hex digits of its percent-escapes in lower case.
fn lower_hex(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut escape = 0;
    for c in text.chars() {
        if c == '%' {
            escape = 2;
            out.push(c);
        } else if escape > 0 {
            escape -= 1;
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The largest index at most `index` that is a character boundary of `text`.
fn floor_char_boundary(text: &str, index: usize) -> usize {
    if index >= text.len() {
        return text.len();
    }
    let mut end = index;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROJECT: &str = "b3877c40-da60-4998-90ad-b792e98472af";
    // Characters that base64 and percent-encoding treat specially, to make every form differ.
    const TOKEN: &str = "PT+s3cr3t/t0ken?>~";

    #[test]
    fn every_form_of_the_credentials_is_redacted() {
        let redactor = Redactor::for_credentials(PROJECT, TOKEN);
        let credentials = format!("{PROJECT}:{TOKEN}");
        let mut forms = vec![TOKEN.to_owned(), credentials.clone()];
        for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
            forms.push(engine.encode(&credentials));
        }
        forms.push(utf8_percent_encode(TOKEN, NON_ALPHANUMERIC).to_string());
        forms.push(lower_hex(
            &utf8_percent_encode(&credentials, COMPONENT).to_string(),
        ));
        forms.push(utf8_percent_encode(&STANDARD.encode(&credentials), COMPONENT).to_string());
        for form in forms {
            let text = format!("echo [{form}] end");
            assert_eq!(redactor.redact(&text), "echo [***] end", "{form}");
        }
    }

    #[test]
    fn bounded_text_is_cut_at_a_character_and_marked() {
        let redactor = Redactor::new(["s3cr3t".to_owned()]);
        assert_eq!(redactor.bounded("short", 10), "short");
        let text = "é".repeat(600);
        let cut = redactor.bounded(&text, 512);
        assert!(cut.len() <= 512 + "…".len());
        assert!(cut.ends_with('…'));
        assert!(cut.trim_end_matches('…').chars().all(|c| c == 'é'));
        // A secret across the cut is redacted, not left half.
        let text = format!("{}s3cr3t and more", "a".repeat(8));
        assert_eq!(redactor.bounded(&text, 10), "aaaaaaaa**…");
        assert_eq!(redactor.bounded("token=s3cr3t!", 64), "token=***!");
    }

    #[test]
    fn excerpts_read_a_bounded_prefix() {
        let redactor = Redactor::new(["s3cr3t".to_owned()]);
        assert_eq!(redactor.excerpt(b"token=s3cr3t!", 512), "token=***!");
        assert_eq!(redactor.excerpt(&[0xff, b'a'], 512), "\u{fffd}a");
        let body = vec![b'x'; 10 * 1024 * 1024];
        let excerpt = redactor.excerpt(&body, 512);
        assert_eq!(excerpt.len(), 512 + "…".len());
        assert!(excerpt.ends_with('…'));
    }

    #[test]
    fn debug_shows_no_secret() {
        assert_eq!(format!("{:?}", Secret::new(TOKEN.to_owned())), "***");
        let redactor = Redactor::for_credentials(PROJECT, TOKEN);
        assert!(!format!("{redactor:?}").contains("s3cr3t"));
    }

    /// Every run of `LEAK_LEN` characters of `secret` that shows in `text`.
    fn parts_shown(secret: &str, text: &str) -> Vec<String> {
        let chars: Vec<char> = secret.chars().collect();
        chars
            .windows(LEAK_LEN)
            .map(String::from_iter)
            .filter(|part| text.contains(part.as_str()))
            .collect()
    }

    /// The redaction as it was first: each secret looked for in turn, longest first.
    fn redacted_one_by_one(redactor: &Redactor, text: &str) -> String {
        let mut text = text.to_owned();
        for secret in &redactor.secrets {
            if text.contains(secret.as_str()) {
                text = text.replace(secret.as_str(), MASK);
            }
        }
        text
    }

    #[test]
    fn a_secret_that_ends_the_window_is_masked_whole_not_cut_by_another_s_start() {
        // Cases the property test below found. In the first, the window ends where a form
        // ends, with the first letter of a run of the token (`l`, of `laaA0a0A`): dropping it
        // as a partial left `a0aA0a` of the token unmasked.
        for (token, form, repeats, noise, max) in [
            (r#"PTAaAa0A~0A0AA"laaA0a0A+a0aA0al"#, 12, 5, 210, 256),
            (r#"PTAAAAAa~aaaaA00"aaA0aaAA-q0Aq"#, 6, 7, 88, 418),
        ] {
            let redactor = Redactor::for_credentials(PROJECT, token);
            let form = &redactor.secrets[form];
            let text = format!("{}{}", "#".repeat(noise), form.repeat(repeats));
            for kept in [
                redactor.bounded(&text, max),
                redactor.excerpt(text.as_bytes(), max),
            ] {
                assert_eq!(parts_shown(token, &kept), Vec::<String>::new(), "{kept}");
            }
        }
    }

    proptest::proptest! {
        /// Whatever the text, and wherever a form of the credentials is in it (any of the
        /// positions of a block the one pass compares at once, across two blocks, in the last
        /// bytes), the text is redacted as looking for each form in turn redacts it; and not
        /// copied when it holds none.
        #[test]
        fn one_pass_finds_what_each_form_in_turn_finds(
            token in r#"PT[A-Za-z0-9]{4,8}([-+/?~"\\ ][A-Za-z0-9]{4,8}){1,4}"#,
            noise in r#"[ -~é"\\]{0,200}"#,
            form in 0usize..64,
            at in 0usize..250,
            cut in 0usize..8,
        ) {
            let redactor = Redactor::for_credentials(PROJECT, &token);
            let form = &redactor.secrets[form % redactor.secrets.len()];
            let mut at = at.min(noise.len());
            while !noise.is_char_boundary(at) {
                at -= 1;
            }
            // The form whole, or all but its last `cut` bytes (then perhaps no secret at all).
            let end = (form.len() - cut.min(form.len() - 1)..=form.len())
                .find(|&end| form.is_char_boundary(end))
                .unwrap_or(form.len());
            let text = format!("{}{}{}", &noise[..at], &form[..end], &noise[at..]);
            let expected = redacted_one_by_one(&redactor, &text);
            let redacted = redactor.redacted(&text);
            proptest::prop_assert_eq!(&redacted, &expected);
            proptest::prop_assert_eq!(
                matches!(redacted, Cow::Borrowed(_)),
                expected == text,
                "copied only when there is something to redact"
            );
        }

        /// A secret repeated, after any length of noise, and cut anywhere: no part of it is
        /// left, whichever form it takes.
        #[test]
        fn no_part_of_a_repeated_secret_survives_a_cut(
            token in r#"PT[A-Za-z0-9]{4,8}([-+/?~"\\ ][A-Za-z0-9]{4,8}){1,4}"#,
            form in 0usize..64,
            repeats in 1usize..40,
            noise in 0usize..600,
            max in 8usize..600,
        ) {
            let redactor = Redactor::for_credentials(PROJECT, &token);
            let form = &redactor.secrets[form % redactor.secrets.len()];
            let text = format!("{}{}", "#".repeat(noise), form.repeat(repeats));
            for kept in [redactor.bounded(&text, max), redactor.excerpt(text.as_bytes(), max)] {
                proptest::prop_assert!(kept.len() <= max + "…".len(), "{}", kept.len());
                proptest::prop_assert_eq!(parts_shown(&token, &kept), Vec::<String>::new());
                proptest::prop_assert_eq!(parts_shown(form, &kept), Vec::<String>::new());
            }
        }
    }
}
