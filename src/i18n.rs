//! The interface's texts in the visitor's language: one message catalogue per language
//! (`data/i18n/ui/{en,ur,ru}.json`). English is compiled in (`build.rs` turns its keys into
//! [`Msg`]); Urdu and Russian arrive in a language file each, loaded on demand
//! ([`LANG_FILES`]), which also carries the content's translation.
//!
//! A table generated at build time, not an i18n crate: `fluent-bundle` 0.16 measured 63 KiB
//! gzip more wasm than this table for the same 230 messages (its parser, plural rules and
//! `core::fmt`), against the English first visit's 4 KiB allowance. Plural forms follow
//! [`Lang::plural`]; `{name}` marks a value.
//!
//! The language is chosen once, when the page starts ([`choose`]): changing it loads the page
//! again at the same address with `lang=`, so every text is in one language from the first
//! paint and nothing has to be redrawn.

use crate::data::catalogue::LangFile;
use crate::data::{Atlas, Category};
use crate::lang::{Lang, Plural};
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/msg.rs"));

/// The active language's texts.
#[derive(Debug)]
pub struct Tr {
    pub lang: Lang,
    /// Slot by slot; empty for English (the compiled-in [`EN`]).
    ui: Vec<String>,
    /// The language file, with the content's translation (English: none).
    pub content: Option<LangFile>,
    /// The address named the language (`lang=`), so it keeps naming it.
    pub in_url: bool,
    /// The language asked for whose file could not be loaded (the page is then in English).
    pub failed: Option<(Lang, String)>,
    /// Puts the content's translation in place of the English in the dataset: the language's
    /// module brings it with the file (`catalogue::apply`), so an English page has none.
    pub translate: Option<fn(&mut Atlas, &LangFile)>,
}

static TR: OnceLock<Tr> = OnceLock::new();

/// The active texts (English until [`set`]).
pub fn tr() -> &'static Tr {
    TR.get_or_init(|| Tr::english(false))
}

/// Makes `t` the active texts; only the first call counts (the language is chosen once).
pub fn set(t: Tr) {
    let _ = TR.set(t);
}

/// The text of message `m` in the active language.
pub fn t(m: Msg) -> &'static str {
    tr().get(m)
}

/// Message `m` with its `{name}` values filled in.
pub fn tf(m: Msg, args: &[(&str, &str)]) -> String {
    fill(t(m), args)
}

/// The form of plural message `m` for `n`, with `{n}` (grouped as the language writes
/// numbers) and the other values filled in.
pub fn tp(m: Msg, n: u64, args: &[(&str, &str)]) -> String {
    tr().plural(m, n, args)
}

/// `text` with each `{name}` of `args` replaced; unknown names stay as written.
pub fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.find('}').and_then(|j| args.iter().find(|(k, _)| *k == &after[..j]).map(|(_, v)| (j, v))) {
            Some((j, v)) => {
                out.push_str(v);
                rest = &after[j + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text before and after placeholder `{name}` of `text` (all of it before, when it has
/// none), for a value that is markup (a name in bold). Scans for `{` as [`fill`] does: a
/// substring search would bring its own searcher into the wasm.
pub fn around<'a>(text: &'a str, name: &str) -> (&'a str, &'a str) {
    let mut from = 0;
    while let Some(i) = text[from..].find('{').map(|i| i + from) {
        let rest = &text[i + 1..];
        if rest.len() > name.len() && rest.starts_with(name) && rest.as_bytes()[name.len()] == b'}' {
            return (&text[..i], &rest[name.len() + 1..]);
        }
        from = i + 1;
    }
    (text, "")
}

impl Tr {
    pub fn english(in_url: bool) -> Tr {
        Tr { lang: Lang::En, ui: Vec::new(), content: None, in_url, failed: None, translate: None }
    }

    /// English, saying why `lang` could not be had.
    pub fn failed(lang: Lang, why: String, in_url: bool) -> Tr {
        Tr { failed: Some((lang, why)), ..Tr::english(in_url) }
    }

    /// The texts of a language file; English (saying why) if it is not one for `lang`.
    pub fn from_file(lang: Lang, file: Result<LangFile, String>, in_url: bool) -> Tr {
        match file {
            Ok(mut f) if f.lang == lang.key() && f.ui.len() == SLOTS => {
                let ui = std::mem::take(&mut f.ui);
                Tr { lang, ui, content: Some(f), in_url, failed: None, translate: Some(crate::data::catalogue::apply) }
            }
            Ok(f) => Tr::failed(
                lang,
                format!("the file is for {:?} with {} texts, not {}", f.lang, f.ui.len(), SLOTS),
                in_url,
            ),
            Err(e) => Tr::failed(lang, e, in_url),
        }
    }

    /// The `lang=` the address keeps: the language when it is not English or the address
    /// named it; a language that failed to load stays asked for, so a reload tries again.
    pub fn url_lang(&self) -> Option<Lang> {
        match &self.failed {
            Some((l, _)) => self.in_url.then_some(*l),
            None => (self.in_url || self.lang != Lang::En).then_some(self.lang),
        }
    }

    fn slot(&self, i: usize) -> &str {
        match self.ui.get(i) {
            Some(s) if !s.is_empty() => s,
            _ => EN.get(i).copied().unwrap_or(""),
        }
    }

    pub fn get(&self, m: Msg) -> &str {
        self.slot(m as usize)
    }

    pub fn plural(&self, m: Msg, n: u64, args: &[(&str, &str)]) -> String {
        let form = match self.lang.plural(n) {
            Plural::One => 0,
            Plural::Few => 1,
            Plural::Many => 2,
            Plural::Other => 3,
        };
        let base = m as usize;
        // A form the language leaves empty falls back to "other", then to "many".
        let text = [base + form, base + 3, base + 2]
            .into_iter()
            .map(|i| self.ui.get(i).map_or(EN[i.min(SLOTS - 1)], |s| s.as_str()))
            .find(|s| !s.is_empty())
            .unwrap_or("");
        let n = self.lang.number(n as i64);
        let mut all = vec![("n", n.as_str())];
        all.extend_from_slice(args);
        fill(text, &all)
    }

    /// A name on the map (a country, a disputed line) in the language; the border file's
    /// English name where there is no translation.
    pub fn region<'a>(&'a self, english: &'a str) -> &'a str {
        self.content.as_ref().and_then(|f| f.regions.field(english, 0)).unwrap_or(english)
    }

    /// The note of a map unit (`kind` "unit") or disputed line ("line") named `english`, in
    /// the language; `note` where there is no translation.
    pub fn region_note<'a>(&'a self, kind: &str, english: &str, note: &'a str) -> &'a str {
        self.content.as_ref().and_then(|f| f.regions.field(&format!("{kind}:{english}"), 0)).unwrap_or(note)
    }

    /// A category's label.
    pub fn category(&self, c: Category) -> &str {
        self.content.as_ref().and_then(|f| f.categories.field(c.key(), 0)).unwrap_or(c.label())
    }
}

/// The language a page opens in: `lang=` of its address when it is one of ours, else the one
/// the visitor chose before (`stored`), else the first of the browser's languages that the
/// atlas has, else English. Also says whether the address named it. `web/pre.js` makes the
/// same choice before the first paint.
pub fn choose(url_lang: Option<&str>, stored: Option<&str>, browser: &[String]) -> (Lang, bool) {
    if let Some(l) = url_lang.and_then(Lang::from_key) {
        return (l, true);
    }
    if let Some(l) = stored.and_then(Lang::from_key) {
        return (l, false);
    }
    (Lang::preferred(browser.iter().map(|s| s.as_str())), false)
}

/// The language file of `lang` beside the app (none for English).
pub fn file_of(lang: Lang) -> Option<&'static str> {
    LANG_FILES.iter().find(|(l, _)| *l == lang.key()).map(|(_, f)| *f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::catalogue;

    fn file(lang: &str) -> LangFile {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let (_, _, bytes) = catalogue::lang_files(&dir).unwrap().into_iter().find(|(l, _, _)| l == lang).unwrap();
        catalogue::decode(&bytes).unwrap()
    }

    #[test]
    fn english_is_compiled_in_and_other_languages_come_from_their_file() {
        let en = Tr::english(false);
        assert_eq!(en.get(Msg::AppMap), "Map");
        let ru = Tr::from_file(Lang::Ru, Ok(file("ru")), true);
        assert_eq!(ru.lang, Lang::Ru);
        assert_eq!(ru.get(Msg::AppMap), "Карта");
        assert_eq!(ru.category(Category::Humanitarian), "Гуманитарная помощь");
        let ur = Tr::from_file(Lang::Ur, Ok(file("ur")), false);
        assert_eq!(ur.get(Msg::AppMap), "نقشہ");
        assert_eq!(en.category(Category::Humanitarian), "Humanitarian aid");
    }

    #[test]
    fn plurals_pick_the_languages_form_and_group_the_count() {
        let ru = Tr::from_file(Lang::Ru, Ok(file("ru")), false);
        let p = |n| ru.plural(Msg::ErrorProblems, n, &[]);
        assert_eq!(p(1), "В данных 1 ошибка. У каждой указаны файл, запись и поле:");
        assert!(p(3).starts_with("В данных 3 ошибки."));
        assert!(p(11).starts_with("В данных 11 ошибок."));
        assert!(p(1200).starts_with("В данных 1\u{202f}200 ошибок."));
        let en = Tr::english(false);
        assert!(en.plural(Msg::ErrorProblems, 1, &[]).starts_with("Its data has 1 problem."));
        assert!(en.plural(Msg::ErrorProblems, 2, &[]).starts_with("Its data has 2 problems."));
        assert!(en.plural(Msg::AppTagline, 52, &[("first", "1947")]).contains("52 dated events"));
    }

    #[test]
    fn a_wrong_or_missing_file_leaves_english_and_says_why() {
        let t = Tr::from_file(Lang::Ur, Ok(file("ru")), true);
        assert_eq!(t.lang, Lang::En);
        assert_eq!(t.failed.as_ref().map(|f| f.0), Some(Lang::Ur));
        let t = Tr::from_file(Lang::Ru, Err("HTTP 404".into()), false);
        assert_eq!((t.lang, t.failed.unwrap().1.as_str()), (Lang::En, "HTTP 404"));
        let mut short = file("ru");
        short.ui.pop();
        assert_eq!(Tr::from_file(Lang::Ru, Ok(short), false).lang, Lang::En);
    }

    #[test]
    fn the_address_keeps_a_language_it_named_or_that_is_not_english() {
        assert_eq!(Tr::english(false).url_lang(), None);
        assert_eq!(Tr::english(true).url_lang(), Some(Lang::En));
        assert_eq!(Tr::from_file(Lang::Ru, Ok(file("ru")), false).url_lang(), Some(Lang::Ru));
        assert_eq!(Tr::from_file(Lang::Ru, Err("offline".into()), true).url_lang(), Some(Lang::Ru));
        assert_eq!(Tr::from_file(Lang::Ru, Err("offline".into()), false).url_lang(), None);
    }

    #[test]
    fn the_text_around_a_placeholder() {
        assert_eq!(around("Only at {place}, for now", "place"), ("Only at ", ", for now"));
        assert_eq!(around("{x} {place}", "place"), ("{x} ", ""));
        assert_eq!(around("no hole", "place"), ("no hole", ""));
        assert_eq!(around("{plac", "place"), ("{plac", ""));
    }

    #[test]
    fn placeholders_are_filled_and_unknown_ones_kept() {
        assert_eq!(fill("{a} and {b}, {c} {", &[("a", "1"), ("b", "2")]), "1 and 2, {c} {");
        assert_eq!(fill("no holes", &[("a", "1")]), "no holes");
        assert_eq!(fill("{a}{a}", &[("a", "x")]), "xx");
    }

    #[test]
    fn the_address_then_the_stored_choice_then_the_browser_choose() {
        let br = ["de".to_string(), "ru-RU".to_string()];
        assert_eq!(choose(Some("ur"), Some("ru"), &br), (Lang::Ur, true));
        assert_eq!(choose(Some("xx"), Some("en"), &br), (Lang::En, false));
        assert_eq!(choose(None, Some("bogus"), &br), (Lang::Ru, false));
        assert_eq!(choose(None, None, &[]), (Lang::En, false));
    }

    /// A key no code uses is a text nobody sees: every `Msg` appears in the sources.
    #[test]
    fn every_message_is_used() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut all = String::new();
        let mut stack = vec![src];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("i18n.rs") {
                    all.push_str(&std::fs::read_to_string(&p).unwrap());
                }
            }
        }
        let generated = include_str!(concat!(env!("OUT_DIR"), "/msg.rs"));
        let unused: Vec<&str> = generated
            .lines()
            .filter_map(|l| l.trim().split_once(" = ").map(|(v, _)| v))
            .filter(|v| v.chars().all(|c| c.is_ascii_alphanumeric()) && !all.contains(&format!("Msg::{v}")))
            .collect();
        assert!(unused.is_empty(), "messages no code uses: {unused:?}");
    }

    #[test]
    fn both_languages_have_a_file() {
        assert!(file_of(Lang::Ur).is_some_and(|f| f.starts_with("lang-ur-")));
        assert!(file_of(Lang::Ru).is_some_and(|f| f.starts_with("lang-ru-")));
        assert_eq!(file_of(Lang::En), None);
    }
}
