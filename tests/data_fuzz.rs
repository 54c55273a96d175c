//! Property tests of the data loader (`pakru_atlas::data::load`): whatever any of the six files
//! holds — arbitrary text, the real file with characters deleted, inserted or replaced, or the
//! real JSON with a node replaced, removed or duplicated — loading never panics; text that is
//! not JSON is an error naming its file; every error is located in one of the six files; and
//! whatever loads satisfies the loader's promises (references resolve, events in date order).

use pakru_atlas::data::{embedded_files, load, Atlas, DataError, FILES};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::Value;

fn real_files() -> Vec<(&'static str, String)> {
    embedded_files().iter().map(|(n, t)| (*n, t.to_string())).collect()
}

fn load_owned(files: &[(&'static str, String)]) -> Result<Atlas, Vec<DataError>> {
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    load(&borrowed)
}

/// What must hold of any result of `load`.
fn check_result(result: &Result<Atlas, Vec<DataError>>, changed: &str, text: &str) -> Result<(), TestCaseError> {
    match result {
        Ok(atlas) => {
            // The loader's promises: sorted events, references that resolve.
            for w in atlas.events.windows(2) {
                prop_assert!(w[0].start() <= w[1].start(), "events out of order: {} before {}", w[0].id, w[1].id);
            }
            for e in &atlas.events {
                for p in &e.places {
                    prop_assert!(atlas.place(p).is_some(), "event {} has dangling place {p}", e.id);
                }
                prop_assert!(!e.sources.is_empty(), "event {} has no source", e.id);
                for c in &e.sources {
                    prop_assert!(atlas.source(&c.source).is_some(), "event {} has dangling source {}", e.id, c.source);
                }
                prop_assert!(!e.title.trim().is_empty() && !e.summary.trim().is_empty());
                if let Some(end) = e.end_date() {
                    prop_assert!(end >= e.start(), "event {} ends before it starts", e.id);
                }
            }
            for p in &atlas.places {
                prop_assert!((-90.0..=90.0).contains(&p.lat) && (-180.0..=180.0).contains(&p.lon));
            }
            // Displaying the data must not panic either.
            for e in &atlas.events {
                let _ = e.date_label();
            }
            for s in &atlas.sources {
                let _ = (s.short(), s.reference());
            }
            let _ = atlas.year_range();
        }
        Err(errors) => {
            prop_assert!(!errors.is_empty(), "Err with no error");
            for e in errors {
                prop_assert!(FILES.contains(&e.file.as_str()), "error in unknown file: {e}");
                let shown = e.to_string();
                prop_assert!(
                    shown.starts_with(&format!("{}: ", e.file)),
                    "message does not start with its file: {shown}"
                );
                prop_assert!(!e.message.trim().is_empty(), "empty message: {shown}");
                // A record-level problem names the record and the field.
                prop_assert_eq!(e.id.is_some(), e.field.is_some(), "half-located error: {}", shown);
            }
        }
    }
    // Text that is not JSON at all is reported as such, against the file that holds it.
    if serde_json::from_str::<serde::de::IgnoredAny>(text).is_err() {
        let errors = result.as_ref().err();
        prop_assert!(errors.is_some(), "{changed}: invalid JSON was accepted: {text:?}");
        let named = errors.unwrap().iter().any(|e| {
            e.file == changed && e.id.is_none() && e.field.is_none() && e.message.starts_with("invalid JSON at line ")
        });
        prop_assert!(named, "no `invalid JSON` error names {changed}: {:?}", errors.unwrap());
    }
    Ok(())
}

fn with_file(file: usize, text: String) -> (Vec<(&'static str, String)>, &'static str) {
    let mut files = real_files();
    files[file].1 = text;
    (files, FILES[file])
}

/// JSON-looking text: brackets, quotes, commas, digits and the words the files use.
fn jsonish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("[".to_string()),
        Just("]".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just(",".to_string()),
        Just(":".to_string()),
        Just("\"".to_string()),
        Just("null".to_string()),
        Just("true".to_string()),
        Just("\"id\"".to_string()),
        Just("\"date\"".to_string()),
        Just("\"1966-02-30\"".to_string()),
        "-?[0-9]{1,4}(\\.[0-9]{1,3})?(e[0-9]{1,3})?",
        "\"[a-z0-9 -]{0,8}\"",
        "[ \n\t]{1,3}",
    ];
    prop::collection::vec(token, 0..40).prop_map(|t| t.concat())
}

/// Any JSON value, with the field names and values the data files use.
fn arb_json() -> impl Strategy<Value = Value> {
    let words = [
        "",
        " ",
        "1950s",
        "1965",
        "1966-01",
        "1966-02-30",
        "2019-02-29",
        "1948-05-01",
        "19x5",
        "moscow",
        "pakistan",
        "ahmed2023",
        "diplomatic",
        "crisis",
        "sport",
        "country",
        "city",
        "§4.3",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u8>().prop_map(Value::from),
        (-1000.0f64..3000.0).prop_map(Value::from),
        prop::num::f64::NORMAL.prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::String),
        prop::sample::select(words.to_vec()).prop_map(|s| Value::String(s.to_string())),
    ];
    let keys = prop_oneof![
        "[a-z_]{1,8}",
        prop::sample::select(vec![
            "id",
            "date",
            "end",
            "title",
            "summary",
            "category",
            "places",
            "sources",
            "source",
            "locator",
            "lat",
            "lon",
            "kind",
            "parent",
            "points",
            "value",
            "at",
            "row",
            "students",
            "published",
        ])
        .prop_map(str::to_string),
    ];
    leaf.prop_recursive(3, 24, 4, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(keys.clone(), inner, 0..4).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// JSON pointers of every node of `v`, root first.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| pointers(x, format!("{at}/{i}"), out)),
        Value::Object(m) => {
            m.iter().for_each(|(k, x)| pointers(x, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out))
        }
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum Edit {
    Replace(Value),
    Remove,
    Duplicate,
}

fn arb_edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => arb_json().prop_map(Edit::Replace),
        1 => Just(Edit::Remove),
        1 => Just(Edit::Duplicate),
    ]
}

/// Applies `edit` to the node at `pointer` (its parent for Remove/Duplicate).
fn apply(root: &mut Value, pointer: &str, edit: Edit) {
    if pointer.is_empty() {
        if let Edit::Replace(v) = edit {
            *root = v;
        }
        return;
    }
    let (parent, last) = pointer.rsplit_once('/').unwrap();
    let key = last.replace("~1", "/").replace("~0", "~");
    match edit {
        Edit::Replace(v) => {
            if let Some(n) = root.pointer_mut(pointer) {
                *n = v;
            }
        }
        Edit::Remove => match root.pointer_mut(parent) {
            Some(Value::Array(a)) => {
                if let Ok(i) = key.parse::<usize>() {
                    if i < a.len() {
                        a.remove(i);
                    }
                }
            }
            Some(Value::Object(m)) => {
                m.remove(&key);
            }
            _ => {}
        },
        Edit::Duplicate => {
            if let Some(Value::Array(a)) = root.pointer_mut(parent) {
                if let Ok(i) = key.parse::<usize>() {
                    if i < a.len() {
                        let x = a[i].clone();
                        a.insert(i, x);
                    }
                }
            }
        }
    }
}

#[derive(Clone, Debug)]
enum CharEdit {
    Delete(Index, usize),
    Insert(Index, String),
    Replace(Index, char),
    Truncate(Index),
}

fn arb_char_edit() -> impl Strategy<Value = CharEdit> {
    let ch = prop_oneof![
        prop::sample::select(vec!['"', '{', '}', '[', ']', ',', ':', '\\', '0', '9', '-', 'e', ' ', '\n']),
        any::<char>(),
    ];
    prop_oneof![
        (any::<Index>(), 1usize..20).prop_map(|(i, n)| CharEdit::Delete(i, n)),
        (any::<Index>(), "\\PC{1,6}|[\"{}\\[\\],:]{1,3}").prop_map(|(i, s)| CharEdit::Insert(i, s)),
        (any::<Index>(), ch).prop_map(|(i, c)| CharEdit::Replace(i, c)),
        any::<Index>().prop_map(CharEdit::Truncate),
    ]
}

fn apply_chars(text: &str, edits: &[CharEdit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for e in edits {
        if chars.is_empty() {
            break;
        }
        match e {
            CharEdit::Delete(i, n) => {
                let at = i.index(chars.len());
                let end = (at + n).min(chars.len());
                chars.drain(at..end);
            }
            CharEdit::Insert(i, s) => {
                let at = i.index(chars.len() + 1);
                chars.splice(at..at, s.chars());
            }
            CharEdit::Replace(i, c) => {
                let at = i.index(chars.len());
                chars[at] = *c;
            }
            CharEdit::Truncate(i) => {
                let at = i.index(chars.len());
                chars.truncate(at);
            }
        }
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_in_any_file_never_panics(file in 0..6usize, text in any::<String>()) {
        let (files, name) = with_file(file, text.clone());
        check_result(&load_owned(&files), name, &text)?;
    }

    #[test]
    fn json_like_text_in_any_file_never_panics(file in 0..6usize, text in jsonish()) {
        let (files, name) = with_file(file, text.clone());
        check_result(&load_owned(&files), name, &text)?;
    }

    #[test]
    fn real_files_with_characters_changed_never_panic(file in 0..6usize, edits in prop::collection::vec(arb_char_edit(), 1..4)) {
        let original = embedded_files()[file].1;
        let text = apply_chars(original, &edits);
        let (files, name) = with_file(file, text.clone());
        check_result(&load_owned(&files), name, &text)?;
    }

    #[test]
    fn real_json_with_a_node_changed_never_panics(
        file in 0..6usize,
        edits in prop::collection::vec((any::<Index>(), arb_edit()), 1..4),
    ) {
        let mut v: Value = serde_json::from_str(embedded_files()[file].1).unwrap();
        for (at, edit) in edits {
            let mut ptrs = Vec::new();
            pointers(&v, String::new(), &mut ptrs);
            apply(&mut v, &ptrs[at.index(ptrs.len())], edit);
        }
        let text = serde_json::to_string_pretty(&v).unwrap();
        let (files, name) = with_file(file, text.clone());
        check_result(&load_owned(&files), name, &text)?;
    }

    #[test]
    fn every_file_changed_at_once_never_panics(texts in prop::collection::vec(jsonish(), 6)) {
        let files: Vec<(&'static str, String)> = FILES.iter().copied().zip(texts.iter().cloned()).collect();
        let result = load_owned(&files);
        for (name, text) in &files {
            check_result(&result, name, text)?;
        }
    }
}

#[test]
fn the_real_files_load() {
    let files = real_files();
    let result = load_owned(&files);
    assert!(result.is_ok(), "{:?}", result.err());
}

/// The checks above can fail: a broken file is an error naming that file.
#[test]
fn the_property_check_rejects_a_silent_failure() {
    let (files, name) = with_file(2, "[{".into());
    let result = load_owned(&files);
    assert!(check_result(&result, name, "[{").is_ok());
    // Pretend the loader had accepted it: the property must object.
    let fake: Result<Atlas, Vec<DataError>> = Ok(Atlas::default());
    assert!(check_result(&fake, name, "[{").is_err());
    // Or blamed another file.
    let wrong = Err(vec![DataError {
        file: "eras.json".into(),
        id: None,
        field: None,
        message: "invalid JSON at line 1, column 2: x".into(),
    }]);
    assert!(check_result(&wrong, name, "[{").is_err());
}
