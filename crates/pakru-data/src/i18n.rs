//! Translations of the content (`data/i18n/<lang>.json`): titles, summaries, names and story
//! texts in Urdu and Russian, each translated from the English of the data and marked so.
//! Quotations, titles as written, sources and locators are not translated (they are not here).
//!
//! [`check`] compares a translation with the dataset: every record of the content has its
//! texts, no id is unknown, no text is empty, and each story step keeps the English's citation
//! markers in the same order.

use crate::story::segments;
use crate::Atlas;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The languages the content is translated into (English is the data itself).
pub const LANGS: [&str; 2] = ["ur", "ru"];

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Translation {
    pub lang: String,
    /// The language translated from: always `en`, the data's own.
    pub translated_from: String,
    pub categories: BTreeMap<String, String>,
    pub events: BTreeMap<String, TitleSummary>,
    pub eras: BTreeMap<String, TitleSummary>,
    pub places: BTreeMap<String, Name>,
    pub series: BTreeMap<String, SeriesText>,
    pub students: BTreeMap<String, University>,
    pub story: BTreeMap<String, ChapterText>,
    /// The map's names (`data/geo/region.json`: countries and other units, disputed lines):
    /// the border file's English name → this language's, as CLDR or the press writes it.
    #[serde(default)]
    pub regions: BTreeMap<String, String>,
    /// The border file's notes: `unit:<English name>` for a unit's, `line:<English name>` for
    /// a disputed line's.
    #[serde(default)]
    pub region_notes: BTreeMap<String, String>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TitleSummary {
    pub title: String,
    pub summary: String,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Name {
    pub name: String,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SeriesText {
    pub title: String,
    pub unit: String,
    pub basis: String,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct University {
    pub university: String,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ChapterText {
    pub title: String,
    pub steps: Vec<StepText>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StepText {
    pub heading: String,
    pub text: String,
}

/// Parses a translation file; the error says where the JSON is wrong.
pub fn parse(text: &str) -> Result<Translation, String> {
    serde_json::from_str(text).map_err(|e| format!("invalid JSON at line {}, column {}: {e}", e.line(), e.column()))
}

/// One problem: (record, field, message); "missing" problems list what has no translation.
pub type Problem = (String, String, String);

/// The problems of translation `t` (file `lang.json`) against `atlas` (loaded with its story).
pub fn check(atlas: &Atlas, lang: &str, t: &Translation) -> Vec<Problem> {
    let mut out: Vec<Problem> = Vec::new();
    let mut err = |rec: &str, field: &str, msg: String| out.push((rec.to_string(), field.to_string(), msg));
    if t.lang != lang {
        err("", "lang", format!("{:?} in the file named {lang}.json", t.lang));
    }
    if t.translated_from != "en" {
        err(
            "",
            "translated_from",
            format!("{:?}: the content is translated from the English (\"en\")", t.translated_from),
        );
    }
    let texts = |kind: &str,
                 ids: Vec<&str>,
                 have: Vec<(&String, Vec<(&str, &String)>)>,
                 err: &mut dyn FnMut(&str, &str, String)| {
        for id in &ids {
            if !have.iter().any(|(k, _)| k.as_str() == *id) {
                err(id, kind, "no translation".into());
            }
        }
        for (k, fields) in &have {
            if !ids.contains(&k.as_str()) {
                err(k, kind, format!("unknown {kind} id"));
            }
            for (f, v) in fields {
                if v.trim().is_empty() {
                    err(k, &format!("{kind}.{f}"), "empty text".into());
                }
            }
        }
    };
    let cats: Vec<&str> = crate::Category::ALL.iter().map(|c| c.key()).collect();
    texts("categories", cats, t.categories.iter().map(|(k, v)| (k, vec![("label", v)])).collect(), &mut err);
    texts(
        "events",
        atlas.events.iter().map(|e| e.id.as_str()).collect(),
        t.events.iter().map(|(k, v)| (k, vec![("title", &v.title), ("summary", &v.summary)])).collect(),
        &mut err,
    );
    texts(
        "eras",
        atlas.eras.iter().map(|e| e.id.as_str()).collect(),
        t.eras.iter().map(|(k, v)| (k, vec![("title", &v.title), ("summary", &v.summary)])).collect(),
        &mut err,
    );
    texts(
        "places",
        atlas.places.iter().map(|p| p.id.as_str()).collect(),
        t.places.iter().map(|(k, v)| (k, vec![("name", &v.name)])).collect(),
        &mut err,
    );
    texts(
        "series",
        atlas.series.iter().map(|s| s.id.as_str()).collect(),
        t.series.iter().map(|(k, v)| (k, vec![("title", &v.title), ("unit", &v.unit), ("basis", &v.basis)])).collect(),
        &mut err,
    );
    // Only rows with a normal form have one to translate; the others stay as written.
    texts(
        "students",
        atlas.students.iter().filter(|r| r.university.is_some()).map(|r| r.id.as_str()).collect(),
        t.students.iter().map(|(k, v)| (k, vec![("university", &v.university)])).collect(),
        &mut err,
    );
    texts(
        "story",
        atlas.story.iter().map(|c| c.id.as_str()).collect(),
        t.story.iter().map(|(k, v)| (k, vec![("title", &v.title)])).collect(),
        &mut err,
    );
    for ch in &atlas.story {
        let Some(tc) = t.story.get(&ch.id) else { continue };
        if tc.steps.len() != ch.steps.len() {
            err(&ch.id, "story.steps", format!("{} steps, the English has {}", tc.steps.len(), ch.steps.len()));
        }
        for (i, (en, tr)) in ch.steps.iter().zip(&tc.steps).enumerate() {
            let rec = format!("{}, step {}", ch.id, i + 1);
            let markers = |s: &str| segments(s).into_iter().filter_map(|(_, m)| m).collect::<Vec<_>>();
            if markers(&en.text) != markers(&tr.text) {
                err(
                    &rec,
                    "story.text",
                    format!("markers {:?}, the English has {:?}", markers(&tr.text), markers(&en.text)),
                );
            }
            for (f, v) in [("heading", &tr.heading), ("text", &tr.text)] {
                if v.trim().is_empty() {
                    err(&rec, &format!("story.{f}"), "empty text".into());
                }
            }
        }
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn repo() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data")
    }

    /// Every record of the content has its texts in every language, or the test lists what is
    /// missing, language by language.
    #[test]
    fn every_content_record_is_in_every_language() {
        let files = crate::repo_files();
        let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
        let atlas = crate::load(&refs).expect("data/ is valid");
        let mut report = Vec::new();
        for lang in LANGS {
            let path = repo().join("i18n").join(format!("{lang}.json"));
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let t = parse(&text).unwrap_or_else(|e| panic!("{lang}.json: {e}"));
            for (rec, field, msg) in check(&atlas, lang, &t) {
                report.push(format!("{lang}.json: {rec}: {field}: {msg}"));
            }
        }
        assert!(report.is_empty(), "{} problem(s):\n{}", report.len(), report.join("\n"));
    }

    /// Every name on the map (the border file's units and disputed lines) has its
    /// translation, or the test lists what is missing.
    #[test]
    fn every_map_name_is_in_every_language() {
        let geo = std::fs::read_to_string(repo().join("geo/region.json")).unwrap();
        let geo: crate::geo_codec::RawGeo = serde_json::from_str(&geo).unwrap();
        let names: Vec<&str> =
            geo.units.iter().map(|u| u.name.as_str()).chain(geo.disputed.iter().map(|d| d.name.as_str())).collect();
        let notes: Vec<String> = geo
            .units
            .iter()
            .filter(|u| u.note.is_some())
            .map(|u| format!("unit:{}", u.name))
            .chain(geo.disputed.iter().filter(|d| !d.note.is_empty()).map(|d| format!("line:{}", d.name)))
            .collect();
        let mut report = Vec::new();
        for lang in LANGS {
            let t = parse(&std::fs::read_to_string(repo().join(format!("i18n/{lang}.json"))).unwrap()).unwrap();
            report.extend(names.iter().filter(|n| !t.regions.contains_key(**n)).map(|n| format!("{lang}: {n}")));
            report.extend(
                t.regions
                    .iter()
                    .filter(|(k, v)| !names.contains(&k.as_str()) || v.trim().is_empty())
                    .map(|(k, _)| format!("{lang}: {k}: not on the map, or empty")),
            );
            report
                .extend(notes.iter().filter(|n| !t.region_notes.contains_key(*n)).map(|n| format!("{lang}: note {n}")));
            report.extend(
                t.region_notes
                    .iter()
                    .filter(|(k, v)| !notes.contains(k) || v.trim().is_empty())
                    .map(|(k, _)| format!("{lang}: note {k}: not on the map, or empty")),
            );
        }
        assert!(report.is_empty(), "{} map name(s) without a translation:\n{}", report.len(), report.join("\n"));
    }

    #[test]
    fn missing_unknown_and_moved_markers_are_found() {
        let files = crate::repo_files();
        let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
        let atlas = crate::load(&refs).unwrap();
        let mut t = Translation { lang: "ru".into(), translated_from: "en".into(), ..Translation::default() };
        t.events.insert("no-such-event".into(), TitleSummary { title: "x".into(), summary: " ".into() });
        let ch = &atlas.story[0];
        let mut steps: Vec<StepText> =
            ch.steps.iter().map(|s| StepText { heading: s.heading.clone(), text: s.text.clone() }).collect();
        steps[0].text = "Без ссылок.".into();
        t.story.insert(ch.id.clone(), ChapterText { title: "Глава".into(), steps });
        let problems = check(&atlas, "ru", &t);
        let has = |rec: &str, field: &str, msg: &str| {
            problems.iter().any(|p| p.0 == rec && p.1 == field && p.2.starts_with(msg))
        };
        assert!(has(&atlas.events[0].id, "events", "no translation"), "{problems:?}");
        assert!(has("no-such-event", "events", "unknown events id"));
        assert!(has("no-such-event", "events.summary", "empty text"));
        assert!(has(&format!("{}, step 1", ch.id), "story.text", "markers []"));
        assert!(has("diplomatic", "categories", "no translation"));
        assert!(!has(&ch.id, "story", "no translation"));
        assert!(check(&atlas, "ur", &t).iter().any(|p| p.1 == "lang"));
    }
}
