//! Everything about the one secret, the API token: the type that hides it, and the redactor
//! that removes it (in every form it travels in) from text the server sends back.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

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
    /// Where [`holds_secret`](Self::holds_secret) looks for them all in one pass; `None` if
    /// a secret is shorter than two bytes.
    anchors: Option<Anchors>,
}

/// A few pairs of bytes such that every secret holds one (its anchor), for
/// [`Redactor::holds_secret`]: a text without any of these pairs holds no secret.
#[derive(Clone)]
struct Anchors {
    /// The pairs, each byte repeated [`BLOCK`] times.
    pairs: Vec<[[u8; BLOCK]; 2]>,
    /// Each secret's anchor, where it first is in the secret, and the secret's index.
    secrets: Vec<([u8; 2], usize, usize)>,
}

/// The positions of a text that [`Redactor::holds_secret`] compares at once.
const BLOCK: usize = 64;
/// The same, for the end of a text (fewer than `BLOCK` bytes).
const LANES: usize = 16;

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
        let anchors = Anchors::of(&secrets);
        Self { secrets, anchors }
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
        // Nearly every text holds no secret: one pass over it says so, where asking each form
        // in turn (12 of them for the benchmark's token) cost about 50 instructions a byte of
        // text (a recorded exchange is redacted whole, body included). The replacing below is
        // unchanged.
        if !self.holds_secret(text) {
            return Cow::Borrowed(text);
        }
        let mut text = Cow::Borrowed(text);
        for secret in &self.secrets {
            if text.contains(secret.as_str()) {
                text = Cow::Owned(text.replace(secret.as_str(), MASK));
            }
        }
        text
    }

    /// Whether any secret is in `text`: `self.secrets.iter().any(|s| text.contains(s))`, in
    /// one pass over `text`.
    pub(crate) fn holds_secret(&self, text: &str) -> bool {
        let Some(anchors) = &self.anchors else {
            return self
                .secrets
                .iter()
                .any(|secret| text.contains(secret.as_str()));
        };
        let text = text.as_bytes();
        let mut at = 0;
        while let Some(window) = text.get(at..=at + BLOCK) {
            if self.anchored_within::<BLOCK>(anchors, window, text, at) {
                return true;
            }
            at += BLOCK;
        }
        // The last positions (a short text, a header value, whole), fewer at a time, from a
        // copy padded with zeros: a pair the padding makes is only a candidate, which the
        // comparison with the text turns down.
        while at + 1 < text.len() {
            let mut padded = [0; LANES + 1];
            let window = match text.get(at..=at + LANES) {
                Some(window) => window,
                None => {
                    padded[..text.len() - at].copy_from_slice(&text[at..]);
                    &padded
                }
            };
            if self.anchored_within::<LANES>(anchors, window, text, at) {
                return true;
            }
            at += LANES;
        }
        false
    }

    /// Whether a secret is anchored at one of the first `N` positions of `window`, the
    /// `N + 1` bytes of `text` from `at` (or fewer, padded): only where an anchor is can a
    /// secret be, and the few positions where one is are compared with its secrets.
    fn anchored_within<const N: usize>(
        &self,
        anchors: &Anchors,
        window: &[u8],
        text: &[u8],
        at: usize,
    ) -> bool {
        let first: &[u8; N] = window[..N].try_into().expect("N bytes");
        let second: &[u8; N] = window[1..=N].try_into().expect("N bytes");
        let apart = apart::<N>(&anchors.pairs, first, second);
        if apart.iter().fold(u8::MAX, |least, &lane| least.min(lane)) != 0 {
            return false;
        }
        // An anchor is common enough in text (`en` in `end_time`, for a token with `token`
        // in it): the positions let through are found eight at a time, as the zero bytes of
        // a word (0x80 in each: adding 0x7f to a byte's low seven bits sets its top bit unless
        // they are all zero, and never carries into the next byte).
        const HIGH: u64 = 0x8080_8080_8080_8080;
        apart.chunks_exact(8).enumerate().any(|(eight, apart)| {
            let word = u64::from_le_bytes(apart.try_into().expect("8 lanes"));
            let mut zeros = !(((word & !HIGH) + !HIGH) | word) & HIGH;
            while zeros != 0 {
                let position = at + 8 * eight + zeros.trailing_zeros() as usize / 8;
                if self.anchored_at(anchors, text, position) {
                    return true;
                }
                zeros &= zeros - 1;
            }
            false
        })
    }

    /// Whether a secret anchored at `at` of `text` is there.
    fn anchored_at(&self, anchors: &Anchors, text: &[u8], at: usize) -> bool {
        let Some(pair) = text.get(at..).and_then(<[u8]>::first_chunk::<2>) else {
            return false;
        };
        anchors.secrets.iter().any(|&(anchor, offset, index)| {
            let secret = self.secrets[index].as_bytes();
            let Some(start) = at.checked_sub(offset).map(|start| &text[start..]) else {
                return false;
            };
            // Told apart by their first two bytes, most of them, without a call to compare
            // them whole.
            anchor == *pair
                && start.first_chunk::<2>() == secret.first_chunk::<2>()
                && start.starts_with(secret)
        })
    }

    /// `text` redacted and cut to at most `max` bytes (at a character boundary, `…` marking
    /// the cut). Only a bounded prefix of `text` is ever copied.
    pub(crate) fn bounded(&self, text: &str, max: usize) -> String {
        self.cut(text, max, false)
    }

    /// The start of `body` as text: lossy UTF-8, redacted, at most `max` bytes. Only a bounded
    /// prefix of the body is looked at, never a copy of all of it.
    pub(crate) fn excerpt(&self, body: &[u8], max: usize) -> String {
        // A character may straddle the cut: look 3 bytes further, `cut` cuts it cleanly.
        let prefix = &body[..body.len().min(max + self.longest() + 3)];
        self.cut(
            &String::from_utf8_lossy(prefix),
            max,
            prefix.len() < body.len(),
        )
    }

    /// `text` (which `continues` past its end, or not) redacted, then cut to `max` bytes so
    /// that no start of a secret survives at the cut.
    fn cut(&self, text: &str, max: usize, continues: bool) -> String {
        // Redact before cutting: a secret across the cut is then whole, and removed. Looking
        // as far as the longest secret past `max` is enough to see it whole.
        let mut window = &text[..floor_char_boundary(text, max + self.longest())];
        let mut cut = continues || window.len() < text.len();
        if cut {
            // The window may end in the start of a secret that goes on past it; masks shrink
            // what comes before, which would bring that start within `max`.
            window = &window[..window.len() - self.partial_tail(window)];
        }
        let mut kept = self.redact(window);
        if kept.len() > max {
            kept.truncate(floor_char_boundary(&kept, max));
            let partial = self.partial_tail(&kept);
            kept.truncate(kept.len() - partial);
            cut = true;
        }
        if cut {
            kept.push('…');
        }
        kept
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

impl Anchors {
    /// Anchors for `secrets`, or `None` if one is shorter than two bytes.
    ///
    /// As few pairs as a greedy choice gives: the pair that most secrets not yet anchored
    /// hold, then again for the rest (the least such pair, so that the choice does not
    /// change from run to run). A token's forms share most of their pairs (its parts of four
    /// letters and more are in all the forms but base64): the benchmark's token has 12 forms
    /// starting with 6 different pairs, and 3 anchors. The pairs are what one pass over a
    /// text compares each position with, so fewer of them make it cheaper.
    fn of(secrets: &[String]) -> Option<Self> {
        if secrets.iter().any(|secret| secret.len() < 2) {
            return None;
        }
        let pair = |window: &[u8]| [window[0], window[1]];
        let mut unanchored: Vec<usize> = (0..secrets.len()).collect();
        let mut anchors = Self {
            pairs: Vec::new(),
            secrets: Vec::new(),
        };
        while !unanchored.is_empty() {
            let mut holders: BTreeMap<[u8; 2], usize> = BTreeMap::new();
            for &index in &unanchored {
                let pairs: BTreeSet<[u8; 2]> =
                    secrets[index].as_bytes().windows(2).map(pair).collect();
                for held in pairs {
                    *holders.entry(held).or_default() += 1;
                }
            }
            let (&anchor, _) = holders
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .expect("a secret of two bytes or more holds a pair");
            unanchored.retain(|&index| {
                let offset = secrets[index]
                    .as_bytes()
                    .windows(2)
                    .position(|window| pair(window) == anchor);
                if let Some(offset) = offset {
                    anchors.secrets.push((anchor, offset, index));
                }
                offset.is_none()
            });
            anchors.pairs.push([[anchor[0]; BLOCK], [anchor[1]; BLOCK]]);
        }
        Some(anchors)
    }
}

/// Zero at each of the `N` positions where one of `pairs` is, the first bytes being in
/// `first` and the second in `second`: the least over the pairs of how the position's two
/// bytes differ from the pair's (their exclusive or).
///
/// Not inlined: as element-wise operations on fixed-size arrays, with each pair's bytes
/// repeated across the lanes, the comparisons become vector instructions (16 bytes each
/// with x86-64's SSE2), about half an instruction a byte of text for each pair; inlined,
/// what the compiler made of them changed with the code around them.
#[inline(never)]
fn apart<const N: usize>(pairs: &[[[u8; BLOCK]; 2]], first: &[u8; N], second: &[u8; N]) -> [u8; N] {
    let mut apart = [u8::MAX; N];
    for [a, b] in pairs {
        let a: &[u8; N] = a[..N].try_into().expect("N bytes");
        let b: &[u8; N] = b[..N].try_into().expect("N bytes");
        for lane in 0..N {
            apart[lane] = apart[lane].min((first[lane] ^ a[lane]) | (second[lane] ^ b[lane]));
        }
    }
    apart
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

    /// The redaction as it was before [`Redactor::holds_secret`]: each secret looked for in
    /// turn.
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
    fn one_byte_secrets_are_looked_for_one_by_one() {
        let redactor = Redactor::new(["x".to_owned(), "s3cr3t".to_owned()]);
        assert!(redactor.anchors.is_none());
        assert_eq!(redactor.redact("a x and s3cr3t"), "a *** and ***");
        assert_eq!(
            redactor.redacted("nothing here"),
            Cow::Borrowed("nothing here")
        );
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
