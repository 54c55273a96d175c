//! The interface's message catalogues (`data/i18n/ui/<lang>.json`) and the language files the
//! app loads for Urdu and Russian.
//!
//! A catalogue maps a key (`"timeline.heading"`) to a text, or for a count to its plural forms
//! (`{"one": "{n} event", "other": "{n} events"}`; Russian one / few / many). `{name}` marks a
//! value the app puts in. The English catalogue defines the keys: `build.rs` turns them into
//! the app's `Msg` enum and English table; each key takes one slot, a plural key four (one,
//! few, many, other; a form a language does not use is empty).
//!
//! A language file (`lang-<lang>-<hash>.bin`) holds a language's interface texts, slot by slot,
//! and its translation of the content (from [`crate::i18n::Translation`]); its name carries a hash
//! of its bytes, so it can be cached for ever. `build.rs` (which puts the names in the app) and
//! `cargo xtask lang-files` (which writes the files) both name them with [`lang_file`].

use crate::bytes::Reader;
#[cfg(not(target_arch = "wasm32"))]
use crate::bytes::Writer;
#[cfg(not(target_arch = "wasm32"))]
use crate::i18n::Translation;
use crate::{Atlas, Chapter};
use std::collections::BTreeMap;

/// The plural forms a slot of a plural key holds, in this order.
pub const FORMS: [&str; 4] = ["one", "few", "many", "other"];

/// One message: a text, or the forms of a count.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
#[serde(untagged)]
pub enum Message {
    Text(String),
    Plural(BTreeMap<String, String>),
}

/// A catalogue: key → message, in key order.
pub type Catalogue = BTreeMap<String, Message>;

/// Parses a catalogue; the error says where the JSON is wrong.
#[cfg(not(target_arch = "wasm32"))]
pub fn parse(text: &str) -> Result<Catalogue, String> {
    serde_json::from_str(text).map_err(|e| format!("invalid JSON at line {}, column {}: {e}", e.line(), e.column()))
}

/// The forms a language's plural messages must have (see `Lang::plural` in the app).
pub fn forms_of(lang: &str) -> &'static [&'static str] {
    match lang {
        "ru" => &["one", "few", "many"],
        _ => &["one", "other"],
    }
}

/// The `{name}` placeholders of a text, sorted.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find('{') {
        let Some(j) = rest[i..].find('}') else { break };
        out.push(&rest[i + 1..i + j]);
        rest = &rest[i + j + 1..];
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The problems of catalogue `cat` (language `lang`) against the English `en`: (key, message).
/// Every English key must be there and no other; a plural stays a plural with the language's
/// forms; every text is non-empty and has the English's placeholders.
pub fn check(en: &Catalogue, lang: &str, cat: &Catalogue) -> Vec<(String, String)> {
    let mut out = Vec::new();
    fn en_holes(m: &Message) -> Vec<&str> {
        match m {
            Message::Text(t) => placeholders(t),
            Message::Plural(f) => {
                f.get("other").or_else(|| f.values().next()).map(|t| placeholders(t)).unwrap_or_default()
            }
        }
    }
    for (key, want) in en {
        let Some(have) = cat.get(key) else {
            out.push((key.clone(), "missing".into()));
            continue;
        };
        let holes = en_holes(want);
        let texts: Vec<(&str, &String)> = match (want, have) {
            (Message::Text(_), Message::Text(t)) => vec![("text", t)],
            (Message::Plural(_), Message::Plural(f)) => {
                for form in forms_of(lang) {
                    if !f.contains_key(*form) {
                        out.push((key.clone(), format!("plural form {form:?} missing")));
                    }
                }
                for form in f.keys() {
                    if !FORMS.contains(&form.as_str()) {
                        out.push((key.clone(), format!("unknown plural form {form:?}")));
                    }
                }
                f.iter().map(|(k, v)| (k.as_str(), v)).collect()
            }
            (Message::Text(_), Message::Plural(_)) => {
                out.push((key.clone(), "plural forms where the English has a text".into()));
                continue;
            }
            (Message::Plural(_), Message::Text(_)) => {
                out.push((key.clone(), "a text where the English has plural forms".into()));
                continue;
            }
        };
        for (form, text) in texts {
            if text.trim().is_empty() {
                out.push((key.clone(), format!("{form}: empty text")));
            }
            // A form may leave out the count ("one" in "одно событие"), never add a value.
            let have = placeholders(text);
            let unknown: Vec<&&str> = have.iter().filter(|h| !holes.contains(h)).collect();
            if !unknown.is_empty() {
                out.push((key.clone(), format!("{form}: placeholders {unknown:?} not in the English")));
            }
            if form != "one" && have.len() != holes.len() {
                out.push((key.clone(), format!("{form}: placeholders {have:?}, the English has {holes:?}")));
            }
        }
    }
    for key in cat.keys() {
        if !en.contains_key(key) {
            out.push((key.clone(), "not in the English catalogue".into()));
        }
    }
    out
}

/// The slots of a catalogue, in the order of the English keys: a plural key's four forms, or
/// its one text (a missing form is empty).
pub fn slots(en: &Catalogue, cat: &Catalogue) -> Vec<String> {
    let mut out = Vec::new();
    for (key, m) in en {
        match (m, cat.get(key)) {
            (Message::Plural(_), Some(Message::Plural(f))) => {
                out.extend(FORMS.iter().map(|form| f.get(*form).cloned().unwrap_or_default()))
            }
            (Message::Plural(_), _) => out.extend(FORMS.iter().map(|_| String::new())),
            (Message::Text(_), Some(Message::Text(t))) => out.push(t.clone()),
            (Message::Text(_), _) => out.push(String::new()),
        }
    }
    out
}

/// Translated texts by record: (id, its fields). A list, looked up by id: the app decodes one
/// such type instead of a map per kind of record (a map of each type cost 17 KB of wasm).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Texts(pub Vec<(String, Vec<String>)>);

impl Texts {
    pub fn get(&self, id: &str) -> Option<&[String]> {
        self.0.iter().find(|(k, _)| k == id).map(|(_, v)| v.as_slice())
    }

    /// Field `i` of record `id`, if it is there and not empty.
    pub fn field(&self, id: &str, i: usize) -> Option<&str> {
        self.get(id).and_then(|f| f.get(i)).map(|s| s.as_str()).filter(|s| !s.is_empty())
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn of<'a, V: 'a>(m: &'a BTreeMap<String, V>, fields: impl Fn(&'a V) -> Vec<String>) -> Texts {
        Texts(m.iter().map(|(k, v)| (k.clone(), fields(v))).collect())
    }
}

/// A language file: the interface's slots and the content's translation, as tables of
/// [`Texts`]: categories (by key: label), events and eras (title, summary), places (name),
/// series (title, unit, basis), students (university), story chapters (title, then each
/// step's heading and text) and the map's names (by English name: name) and notes (by
/// `unit:` or `line:` and the English name: note).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LangFile {
    pub lang: String,
    pub ui: Vec<String>,
    pub categories: Texts,
    pub events: Texts,
    pub eras: Texts,
    pub places: Texts,
    pub series: Texts,
    pub students: Texts,
    pub story: Texts,
    pub regions: Texts,
}

const MAGIC: &[u8] = b"PKLANG2";

pub use crate::bytes::hash;

/// The file name of language file `bytes`: `lang-ru-0123456789abcdef.bin`.
pub fn file_name(lang: &str, bytes: &[u8]) -> String {
    format!("lang-{lang}-{:016x}.bin", hash(bytes))
}

impl LangFile {
    /// The file of a language's interface slots and content translation.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn new(lang: &str, ui: Vec<String>, t: &Translation) -> LangFile {
        LangFile {
            lang: lang.to_string(),
            ui,
            categories: Texts::of(&t.categories, |v| vec![v.clone()]),
            events: Texts::of(&t.events, |v| vec![v.title.clone(), v.summary.clone()]),
            eras: Texts::of(&t.eras, |v| vec![v.title.clone(), v.summary.clone()]),
            places: Texts::of(&t.places, |v| vec![v.name.clone()]),
            series: Texts::of(&t.series, |v| vec![v.title.clone(), v.unit.clone(), v.basis.clone()]),
            students: Texts::of(&t.students, |v| vec![v.university.clone()]),
            story: Texts::of(&t.story, |c| {
                std::iter::once(c.title.clone())
                    .chain(c.steps.iter().flat_map(|s| [s.heading.clone(), s.text.clone()]))
                    .collect()
            }),
            regions: Texts(
                t.regions.iter().chain(&t.region_notes).map(|(k, v)| (k.clone(), vec![v.clone()])).collect(),
            ),
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn tables(&self) -> [&Texts; 8] {
        [
            &self.categories,
            &self.events,
            &self.eras,
            &self.places,
            &self.series,
            &self.students,
            &self.story,
            &self.regions,
        ]
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub fn encode(f: &LangFile) -> Vec<u8> {
    let mut w = Writer::new(MAGIC);
    w.string(&f.lang);
    w.u(f.ui.len() as u64);
    f.ui.iter().for_each(|s| w.string(s));
    for t in f.tables() {
        w.u(t.0.len() as u64);
        for (id, fields) in &t.0 {
            w.string(id);
            w.u(fields.len() as u64);
            fields.iter().for_each(|s| w.string(s));
        }
    }
    w.0
}

pub fn decode(bytes: &[u8]) -> Result<LangFile, String> {
    let mut r = Reader::new(bytes, MAGIC, "language file")?;
    let lang = r.string()?;
    let strings = |r: &mut Reader| -> Result<Vec<String>, String> { (0..r.count()?).map(|_| r.string()).collect() };
    let ui = strings(&mut r)?;
    let mut tables = Vec::with_capacity(8);
    for _ in 0..8 {
        let n = r.count()?;
        let mut t = Vec::with_capacity(n);
        for _ in 0..n {
            let id = r.string()?;
            t.push((id, strings(&mut r)?));
        }
        tables.push(Texts(t));
    }
    r.finish()?;
    let mut t = tables.into_iter();
    let mut next = || t.next().unwrap_or_default();
    Ok(LangFile {
        lang,
        ui,
        categories: next(),
        events: next(),
        eras: next(),
        places: next(),
        series: next(),
        students: next(),
        story: next(),
        regions: next(),
    })
}

/// Puts the translation's texts in place of the English in `atlas` (its story too, if loaded):
/// titles, summaries, names, series titles and bases and universities' normal forms. Quotations, titles
/// as written, sources and locators are not translated and stay. A record without a
/// translation keeps its English.
pub fn apply(atlas: &mut Atlas, f: &LangFile) {
    let put = |to: &mut String, from: Option<&str>| {
        if let Some(s) = from {
            *to = s.to_string();
        }
    };
    for e in &mut atlas.events {
        put(&mut e.title, f.events.field(&e.id, 0));
        put(&mut e.summary, f.events.field(&e.id, 1));
    }
    for e in &mut atlas.eras {
        put(&mut e.title, f.eras.field(&e.id, 0));
        put(&mut e.summary, f.eras.field(&e.id, 1));
    }
    for p in &mut atlas.places {
        put(&mut p.name, f.places.field(&p.id, 0));
    }
    // A series' unit stays: the charts choose their series by it ("USD million"), and draw
    // its label from the interface's catalogue.
    for s in &mut atlas.series {
        put(&mut s.title, f.series.field(&s.id, 0));
        put(&mut s.basis, f.series.field(&s.id, 2));
    }
    for r in &mut atlas.students {
        if let Some(u) = r.university.as_mut() {
            put(u, f.students.field(&r.id, 0));
        }
    }
    apply_story(&mut atlas.story, f);
}

/// The story's part of [`apply`] (the chapters arrive in a file of their own).
pub fn apply_story(chapters: &mut [Chapter], f: &LangFile) {
    for c in chapters {
        let Some(v) = f.story.get(&c.id) else { continue };
        if let Some(t) = v.first().filter(|t| !t.is_empty()) {
            c.title.clone_from(t);
        }
        for (s, hv) in c.steps.iter_mut().zip(v[1.min(v.len())..].chunks(2)) {
            if let [h, t] = hv {
                s.heading.clone_from(h);
                s.text.clone_from(t);
            }
        }
    }
}

/// The language files of data directory `dir` (`i18n/ui/*.json`, `i18n/<lang>.json`):
/// (language, file name, bytes) for each language other than English, or what is wrong.
#[cfg(not(target_arch = "wasm32"))]
pub fn lang_files(dir: &std::path::Path) -> Result<Vec<(String, String, Vec<u8>)>, String> {
    let read = |p: std::path::PathBuf| std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()));
    let en = parse(&read(dir.join("i18n/ui/en.json"))?).map_err(|e| format!("i18n/ui/en.json: {e}"))?;
    let mut out = Vec::new();
    for lang in crate::i18n::LANGS {
        let cat =
            parse(&read(dir.join(format!("i18n/ui/{lang}.json")))?).map_err(|e| format!("i18n/ui/{lang}.json: {e}"))?;
        let content = crate::i18n::parse(&read(dir.join(format!("i18n/{lang}.json")))?)
            .map_err(|e| format!("i18n/{lang}.json: {e}"))?;
        let file = LangFile::new(lang, slots(&en, &cat), &content);
        let bytes = encode(&file);
        out.push((lang.to_string(), file_name(lang, &bytes), bytes));
    }
    Ok(out)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn repo() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data")
    }

    fn catalogue(lang: &str) -> Catalogue {
        let p = repo().join(format!("i18n/ui/{lang}.json"));
        parse(&std::fs::read_to_string(&p).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    /// Every key of the English catalogue is in every catalogue, with its plural forms and
    /// placeholders, or the test lists what is missing, language by language.
    #[test]
    fn every_key_is_in_every_catalogue() {
        let en = catalogue("en");
        let mut report = Vec::new();
        for (k, m) in &en {
            if let Message::Plural(f) = m {
                if !f.contains_key("one") || !f.contains_key("other") {
                    report.push(format!("en.json: {k}: plural needs one and other"));
                }
            }
        }
        for lang in crate::i18n::LANGS {
            for (k, msg) in check(&en, lang, &catalogue(lang)) {
                report.push(format!("{lang}.json: {k}: {msg}"));
            }
        }
        assert!(report.is_empty(), "{} problem(s):\n{}", report.len(), report.join("\n"));
        assert!(en.len() > 100, "the English catalogue has {} keys", en.len());
    }

    #[test]
    fn the_check_finds_missing_extra_and_wrong_messages() {
        let mut en = Catalogue::new();
        en.insert("a".into(), Message::Text("Shown {n} of {total}".into()));
        en.insert(
            "b".into(),
            Message::Plural(
                [("one", "{n} event"), ("other", "{n} events")].map(|(k, v)| (k.to_string(), v.to_string())).into(),
            ),
        );
        en.insert("c".into(), Message::Text("Map".into()));
        let mut ru = Catalogue::new();
        ru.insert("a".into(), Message::Text("Показано {n} из {all}".into()));
        ru.insert(
            "b".into(),
            Message::Plural(
                [("one", "{n} событие"), ("few", "{n} события")].map(|(k, v)| (k.to_string(), v.to_string())).into(),
            ),
        );
        ru.insert("z".into(), Message::Text("Лишнее".into()));
        let p = check(&en, "ru", &ru);
        let has = |k: &str, m: &str| p.iter().any(|(a, b)| a == k && b.contains(m));
        assert!(has("a", "placeholders [\"all\"] not in the English"), "{p:?}");
        assert!(has("b", "plural form \"many\" missing"), "{p:?}");
        assert!(has("c", "missing"));
        assert!(has("z", "not in the English catalogue"));
        assert_eq!(p.len(), 4, "{p:?}");
        assert_eq!(placeholders("{n} из {total}, {n}"), ["n", "total"]);
    }

    #[test]
    fn language_files_round_trip_and_are_named_by_their_bytes() {
        let files = lang_files(&repo()).unwrap();
        assert_eq!(files.len(), 2);
        let en = catalogue("en");
        let n_slots = slots(&en, &en).len();
        for (lang, name, bytes) in &files {
            let f = decode(bytes).unwrap();
            assert_eq!(&f.lang, lang);
            assert_eq!(f.ui.len(), n_slots);
            assert_eq!(encode(&f), *bytes);
            assert_eq!(*name, file_name(lang, bytes));
            assert!(name.starts_with(&format!("lang-{lang}-")) && name.ends_with(".bin"));
            // Any cut is an error, never a panic.
            for cut in [0, 7, bytes.len() / 2, bytes.len() - 1] {
                assert!(decode(&bytes[..cut]).is_err());
            }
        }
        assert_ne!(files[0].1, files[1].1);
    }

    #[test]
    fn applying_a_translation_keeps_what_is_quoted() {
        let files = crate::repo_files();
        let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
        let mut atlas = crate::load(&refs).unwrap();
        let before = atlas.clone();
        let t = crate::i18n::parse(&std::fs::read_to_string(repo().join("i18n/ru.json")).unwrap()).unwrap();
        apply(&mut atlas, &LangFile::new("ru", Vec::new(), &t));
        // The charts choose their series by unit: it stays English.
        assert!(atlas.series.iter().zip(&before.series).all(|(a, b)| a.unit == b.unit));
        let karachi = atlas.places.iter().find(|p| p.id == "karachi").unwrap();
        assert_eq!(karachi.name, "Карачи");
        for (a, b) in atlas.events.iter().zip(&before.events) {
            assert_ne!(a.title, b.title, "{} is translated", a.id);
            assert_eq!(a.as_written, b.as_written);
            assert_eq!(a.sources, b.sources);
            assert_eq!(a.agreement, b.agreement);
        }
        assert_eq!(atlas.sources, before.sources);
        assert_eq!(atlas.story[0].steps[0].sources, before.story[0].steps[0].sources);
        assert_ne!(atlas.story[0].steps[0].text, before.story[0].steps[0].text);
    }
}
