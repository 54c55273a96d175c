//! The data validator, rule by rule: a small valid dataset is broken in one place at a time and
//! the loader must report exactly the expected message, located by file, record id and field.
//! (The fixture is made up for the tests; it is not the atlas's data.)

use pakru_atlas::data::{load, DataError, FILES};
use serde_json::{json, Value};

/// A minimal dataset that passes every check: one of everything.
fn fixture() -> Vec<(&'static str, Value)> {
    let cite = json!({ "source": "src-a", "locator": "§1" });
    vec![
        (
            "sources.json",
            json!([
                { "id": "src-a", "authors": ["Ann Author"], "title": "A test source", "published": "2020-05-01" },
                { "id": "src-b", "organisation": "Test Agency", "title": "Another test source", "published": "2021" }
            ]),
        ),
        (
            "places.json",
            json!([
                { "id": "country-x", "name": "Country X", "kind": "country", "iso_n3": 586, "lat": 30.0, "lon": 70.0 },
                { "id": "city-y", "name": "City Y", "kind": "city", "parent": "country-x", "lat": 31.5, "lon": 74.3 },
                { "id": "uni-z", "name": "University Z", "kind": "university", "parent": "city-y", "lat": 31.6, "lon": 74.4 }
            ]),
        ),
        (
            "events.json",
            json!([
                {
                    "id": "ev-one", "date": "1966-01-10", "title": "First test event",
                    "summary": "Something happened.", "category": "diplomatic",
                    "places": ["city-y"], "sources": [cite.clone()]
                },
                {
                    "id": "ev-two", "date": "1970", "end": "1975", "title": "Second test event",
                    "summary": "Something lasted.", "category": "economic",
                    "places": ["country-x"], "sources": [cite.clone(), { "source": "src-b", "locator": "p. 2" }]
                }
            ]),
        ),
        (
            "eras.json",
            json!([
                { "id": "era-one", "title": "A test era", "start": "1947", "end": "1958", "summary": "A period.", "sources": [cite.clone()] }
            ]),
        ),
        (
            "series.json",
            json!([
                {
                    "id": "ser-one", "title": "Test trade", "unit": "USD million", "basis": "test basis",
                    "points": [{ "label": "1998", "at": 1998.5, "value": 50, "source": cite.clone() }]
                }
            ]),
        ),
        (
            "students.json",
            json!([
                {
                    "id": "stu-one", "row": 1, "university_as_written": "Univ. Z", "place": "uni-z",
                    "city": "city-y", "students": 12, "source": cite.clone()
                }
            ]),
        ),
        (
            "story.json",
            json!({ "chapters": [
                {
                    "id": "rq1", "title": "A test chapter", "question": "What happened?",
                    "question_source": { "source": "src-a", "locator": "§2" },
                    "steps": [
                        {
                            "heading": "First step", "text": "Something happened [1]. It lasted [2].",
                            "sources": [cite.clone(), { "source": "src-b", "locator": "p. 2" }],
                            "views": ["timeline", "map"],
                            "state": { "range": [1960, 1980], "event": "ev-one", "place": "city-y",
                                       "map": { "lon": 74.0, "lat": 31.0, "zoom": 3 } }
                        },
                        {
                            "heading": "Second step", "text": "Students came [1].", "sources": [cite.clone()],
                            "views": ["trade", "students"],
                            "state": { "series": ["ser-one"], "students": ["stu-one"], "categories": ["economic"] }
                        }
                    ]
                }
            ]}),
        ),
    ]
}

fn texts(files: &[(&'static str, Value)]) -> Vec<(&'static str, String)> {
    files.iter().map(|(n, v)| (*n, serde_json::to_string_pretty(v).unwrap())).collect()
}

fn load_files(files: &[(&'static str, String)]) -> Result<pakru_atlas::data::Atlas, Vec<DataError>> {
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    load(&borrowed)
}

/// Loads the fixture after `edit` changed file `file`; returns the error messages as shown.
fn errors_after(file: &str, edit: impl FnOnce(&mut Value)) -> Vec<String> {
    let mut files = fixture();
    let v = &mut files.iter_mut().find(|(n, _)| *n == file).expect("a fixture file").1;
    edit(v);
    match load_files(&texts(&files)) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.iter().map(|e| e.to_string()).collect(),
    }
}

fn structured_errors_after(file: &str, edit: impl FnOnce(&mut Value)) -> Vec<DataError> {
    let mut files = fixture();
    edit(&mut files.iter_mut().find(|(n, _)| *n == file).unwrap().1);
    load_files(&texts(&files)).err().unwrap_or_default()
}

fn event(v: &mut Value, i: usize) -> &mut serde_json::Map<String, Value> {
    v[i].as_object_mut().unwrap()
}

#[test]
fn the_fixture_is_valid() {
    let atlas = load_files(&texts(&fixture())).unwrap_or_else(|e| panic!("fixture invalid: {e:?}"));
    assert_eq!(atlas.events.len(), 2);
    assert_eq!(atlas.places.len(), 3);
    assert_eq!(atlas.story.len(), 1);
    assert_eq!(atlas.story[0].steps.len(), 2);
    assert_eq!(FILES.len(), fixture().len());
}

fn step(v: &mut Value, chapter: usize, step: usize) -> &mut serde_json::Map<String, Value> {
    v["chapters"][chapter]["steps"][step].as_object_mut().unwrap()
}

#[test]
fn story_step_naming_an_unknown_event() {
    assert_eq!(
        errors_after("story.json", |v| {
            step(v, 0, 0)["state"]["event"] = json!("ev-nowhere");
        }),
        vec![r#"story.json: record "rq1, step 1": field `state.event`: unknown event id "ev-nowhere""#]
    );
}

#[test]
fn story_steps_name_what_exists() {
    let errors = errors_after("story.json", |v| {
        let s = step(v, 0, 1);
        s["state"]["series"] = json!(["ser-none"]);
        s["state"]["students"] = json!(["stu-none"]);
        s["state"]["place"] = json!("atlantis");
        s["state"]["categories"] = json!(["economic", "gossip"]);
        s["views"] = json!(["map", "timeline", "radar"]);
        s["sources"][0]["source"] = json!("src-none");
    });
    for want in [
        r#"story.json: record "rq1, step 2": field `state.series`: unknown series id "ser-none""#,
        r#"story.json: record "rq1, step 2": field `state.students`: unknown Table 2 row id "stu-none""#,
        r#"story.json: record "rq1, step 2": field `state.place`: unknown place id "atlantis""#,
        r#"story.json: record "rq1, step 2": field `state.categories`: unknown category "gossip""#,
        r#"story.json: record "rq1, step 2": field `views`: "timeline" repeated or out of order (timeline, map, trade, students)"#,
        r#"story.json: record "rq1, step 2": field `views`: unknown view "radar" (one of timeline, map, trade, students)"#,
        r#"story.json: record "rq1, step 2": field `sources[0]`: unknown source id "src-none""#,
    ] {
        assert!(errors.iter().any(|e| e == want), "missing {want}\n in {errors:#?}");
    }
}

#[test]
fn story_claims_are_cited_and_short() {
    let errors = errors_after("story.json", |v| {
        step(v, 0, 0)["text"] = json!("Uncited words [3].");
        step(v, 0, 1)["text"] = json!(vec!["word"; 91].join(" ") + " [1]");
    });
    assert_eq!(
        errors,
        vec![
            r#"story.json: record "rq1, step 1": field `text`: marker [3] has no source (the step lists 2)"#,
            r#"story.json: record "rq1, step 1": field `sources[0]`: source [1] is cited by no marker in the text"#,
            r#"story.json: record "rq1, step 1": field `sources[1]`: source [2] is cited by no marker in the text"#,
            r#"story.json: record "rq1, step 2": field `text`: 91 words: at most 90"#,
        ]
    );
}

#[test]
fn story_selected_event_must_be_visible() {
    let errors = errors_after("story.json", |v| {
        let s = step(v, 0, 0);
        s["state"]["range"] = json!([1990, 2000]);
        s["state"]["categories"] = json!(["economic"]);
        s["state"]["place"] = json!("uni-z");
    });
    assert_eq!(
        errors,
        vec![
            r#"story.json: record "rq1, step 1": field `state.event`: event "ev-one" lies outside the step's years 1990–2000"#,
            r#"story.json: record "rq1, step 1": field `state.event`: event "ev-one" is in category "diplomatic", which the step hides"#,
            r#"story.json: record "rq1, step 1": field `state.event`: event "ev-one" is not at place "uni-z", which the step selects"#,
        ]
    );
}

#[test]
fn story_chapters_and_ranges() {
    let errors = errors_after("story.json", |v| {
        v["chapters"][0]["steps"] = json!([]);
        v["chapters"].as_array_mut().unwrap().push(json!({ "id": "rq1", "title": "x", "question": "q", "steps": [] }));
    });
    assert_eq!(
        errors,
        vec![
            r#"story.json: record "rq1": field `steps`: 0 steps: a chapter has 1 to 8"#,
            r#"story.json: record "rq1": field `id`: duplicate chapter id "rq1""#,
            r#"story.json: record "rq1": field `question_source`: a quoted question needs its source"#,
            r#"story.json: record "rq1": field `steps`: 0 steps: a chapter has 1 to 8"#,
        ]
    );
    let errors = errors_after("story.json", |v| {
        step(v, 0, 1)["state"]["range"] = json!([2000, 1990]);
        step(v, 0, 1)["state"]["map"] = json!({ "lon": 74.0, "lat": 31.0, "zoom": 40 });
    });
    assert_eq!(
        errors,
        vec![
            r#"story.json: record "rq1, step 2": field `state.range`: [2000, 1990] is not a span of years within 1900..2100"#,
            r#"story.json: record "rq1, step 2": field `state.map`: lon 74, lat 31, zoom 40: out of range"#,
        ]
    );
}

#[test]
fn story_file_with_an_unknown_field_is_a_json_error() {
    let errors = errors_after("story.json", |v| {
        step(v, 0, 0)["state"]["colour"] = json!("red");
    });
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("story.json: invalid JSON at line"), "{}", errors[0]);
    assert!(errors[0].contains("unknown field `colour`"), "{}", errors[0]);
}

#[test]
fn unknown_category() {
    assert_eq!(
        errors_after("events.json", |v| {
            event(v, 0).insert("category".into(), json!("trade"));
        }),
        vec![
            r#"events.json: record "ev-one": field `category`: unknown category "trade" (expected one of: diplomatic, alignment, military, economic, social, humanitarian, crisis)"#
        ]
    );
}

#[test]
fn malformed_date() {
    assert_eq!(
        errors_after("events.json", |v| {
            event(v, 0).insert("date".into(), json!("10/01/1966"));
        }),
        vec![
            r#"events.json: record "ev-one": field `date`: malformed date "10/01/1966" (expected YYYY, YYYY-MM, YYYY-MM-DD or YYY0s)"#
        ]
    );
    // In the other files that hold dates too.
    assert_eq!(
        errors_after("sources.json", |v| {
            v[1]["published"] = json!("2021-1");
        }),
        vec![
            r#"sources.json: record "src-b": field `published`: malformed date "2021-1" (expected YYYY, YYYY-MM, YYYY-MM-DD or YYY0s)"#
        ]
    );
    assert_eq!(
        errors_after("eras.json", |v| {
            v[0]["end"] = json!("late 1950s");
        }),
        vec![
            r#"eras.json: record "era-one": field `end`: malformed date "late 1950s" (expected YYYY, YYYY-MM, YYYY-MM-DD or YYY0s)"#
        ]
    );
}

#[test]
fn impossible_date() {
    assert_eq!(
        errors_after("events.json", |v| {
            event(v, 0).insert("date".into(), json!("1966-02-30"));
        }),
        vec![r#"events.json: record "ev-one": field `date`: impossible date "1966-02-30""#]
    );
    assert_eq!(
        errors_after("events.json", |v| {
            event(v, 1).insert("end".into(), json!("1975-13"));
        }),
        vec![r#"events.json: record "ev-two": field `end`: impossible date "1975-13""#]
    );
    assert_eq!(
        errors_after("events.json", |v| {
            event(v, 0).insert("date".into(), json!("2019-02-29"));
        }),
        vec![r#"events.json: record "ev-one": field `date`: impossible date "2019-02-29""#]
    );
}

#[test]
fn end_before_start() {
    assert_eq!(
        errors_after("events.json", |v| {
            event(v, 1).insert("end".into(), json!("1969"));
        }),
        vec![r#"events.json: record "ev-two": field `end`: end "1969" is before start "1970""#]
    );
    assert_eq!(
        errors_after("eras.json", |v| {
            v[0]["end"] = json!("1946-12");
        }),
        vec![r#"eras.json: record "era-one": field `end`: end "1946-12" is before start "1947""#]
    );
}

#[test]
fn duplicate_id() {
    assert_eq!(
        errors_after("events.json", |v| {
            event(v, 1).insert("id".into(), json!("ev-one"));
        }),
        vec![r#"events.json: record "ev-one": field `id`: duplicate id "ev-one""#]
    );
    assert_eq!(
        errors_after("students.json", |v| {
            let row = v[0].clone();
            v.as_array_mut().unwrap().push(row);
        }),
        vec![r#"students.json: record "stu-one": field `id`: duplicate id "stu-one""#]
    );
}

#[test]
fn dangling_place_id() {
    assert_eq!(
        errors_after("events.json", |v| {
            event(v, 0).insert("places".into(), json!(["city-y", "atlantis"]));
        }),
        vec![r#"events.json: record "ev-one": field `places[1]`: unknown place id "atlantis""#]
    );
    assert_eq!(
        errors_after("students.json", |v| {
            v[0]["city"] = json!("nowhere");
        }),
        vec![r#"students.json: record "stu-one": field `city`: unknown place id "nowhere""#]
    );
    assert_eq!(
        errors_after("places.json", |v| {
            v[1]["parent"] = json!("country-q");
        }),
        vec![r#"places.json: record "city-y": field `parent`: unknown place id "country-q""#]
    );
}

#[test]
fn dangling_source_id() {
    assert_eq!(
        errors_after("events.json", |v| {
            v[1]["sources"][1]["source"] = json!("nobody2020");
        }),
        vec![r#"events.json: record "ev-two": field `sources[1].source`: unknown source id "nobody2020""#]
    );
    assert_eq!(
        errors_after("series.json", |v| {
            v[0]["points"][0]["source"]["source"] = json!("ghost");
        }),
        vec![r#"series.json: record "ser-one": field `points[0].source.source`: unknown source id "ghost""#]
    );
}

#[test]
fn latitude_and_longitude_out_of_range() {
    assert_eq!(
        errors_after("places.json", |v| {
            v[1]["lat"] = json!(91.5);
        }),
        vec![r#"places.json: record "city-y": field `lat`: latitude 91.5 out of range -90..90"#]
    );
    assert_eq!(
        errors_after("places.json", |v| {
            v[1]["lon"] = json!(-180.25);
        }),
        vec![r#"places.json: record "city-y": field `lon`: longitude -180.25 out of range -180..180"#]
    );
    // The limits themselves are allowed.
    assert_eq!(
        errors_after("places.json", |v| {
            v[1]["lat"] = json!(-90.0);
            v[1]["lon"] = json!(180.0);
        }),
        Vec::<String>::new()
    );
}

#[test]
fn empty_title_and_summary() {
    assert_eq!(
        errors_after("events.json", |v| {
            event(v, 0).insert("title".into(), json!("   "));
        }),
        vec![r#"events.json: record "ev-one": field `title`: empty text"#]
    );
    assert_eq!(
        errors_after("events.json", |v| {
            event(v, 1).insert("summary".into(), json!(""));
        }),
        vec![r#"events.json: record "ev-two": field `summary`: empty text"#]
    );
    assert_eq!(
        errors_after("eras.json", |v| {
            v[0]["title"] = json!("");
        }),
        vec![r#"eras.json: record "era-one": field `title`: empty text"#]
    );
}

#[test]
fn event_with_no_source() {
    assert_eq!(
        errors_after("events.json", |v| {
            event(v, 0).insert("sources".into(), json!([]));
        }),
        vec![r#"events.json: record "ev-one": field `sources`: no source: every fact needs at least one citation"#]
    );
}

#[test]
fn invalid_json() {
    // Cut off in the middle of the array.
    let mut files = texts(&fixture());
    files[2].1 = "[{\"id\": \"ev-one\",".into();
    let errors = load_files(&files).unwrap_err();
    let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(shown, vec!["events.json: invalid JSON at line 1, column 17: EOF while parsing a value"]);
    assert_eq!(
        (errors[0].file.as_str(), errors[0].id.as_deref(), errors[0].field.as_deref()),
        ("events.json", None, None)
    );

    // A syntax error on a later line gives that line.
    let mut files = texts(&fixture());
    files[0].1 = "[\n  {\"id\": \"src-a\",\n  \"title\" \"x\"}\n]".into();
    let shown: Vec<String> = load_files(&files).unwrap_err().iter().map(|e| e.to_string()).collect();
    assert_eq!(shown[0], "sources.json: invalid JSON at line 3, column 11: expected `:`");
    // Sources are gone, so the citations elsewhere dangle: reported too, after the JSON error.
    assert!(shown.iter().skip(1).all(|s| s.contains("unknown source id")), "{shown:#?}");

    // Well-formed JSON of the wrong shape is reported the same way, naming the file.
    let mut files = texts(&fixture());
    files[5].1 = "{\"rows\": []}".into();
    let shown: Vec<String> = load_files(&files).unwrap_err().iter().map(|e| e.to_string()).collect();
    assert_eq!(shown, vec!["students.json: invalid JSON at line 1, column 0: invalid type: map, expected a sequence"]);

    // An unknown field is refused (deny_unknown_fields), naming it.
    let mut files = fixture();
    files[1].1[0]["population"] = json!(1);
    let shown: Vec<String> = load_files(&texts(&files)).unwrap_err().iter().map(|e| e.to_string()).collect();
    assert!(shown[0].starts_with("places.json: invalid JSON at line "), "{}", shown[0]);
    assert!(shown[0].contains("unknown field `population`"), "{}", shown[0]);
    // Without the places, every place reference dangles, and says so.
    assert!(shown.len() > 1 && shown.iter().skip(1).all(|s| s.contains("unknown place id")), "{shown:#?}");
}

#[test]
fn a_missing_file_is_named() {
    let files: Vec<(&'static str, String)> = texts(&fixture()).into_iter().filter(|(n, _)| *n != "eras.json").collect();
    let shown: Vec<String> = load_files(&files).unwrap_err().iter().map(|e| e.to_string()).collect();
    assert_eq!(shown, vec!["eras.json: file is missing"]);
}

#[test]
fn every_error_is_reported_at_once_with_file_record_and_field() {
    let mut files = fixture();
    for (name, v) in files.iter_mut() {
        match *name {
            "places.json" => {
                v[2]["lat"] = json!(123.0);
                v[1]["lon"] = json!(200.0);
            }
            "events.json" => {
                v[0]["category"] = json!("sport");
                v[0]["date"] = json!("1966-02-30");
                v[0]["places"] = json!(["atlantis"]);
                v[1]["id"] = json!("ev-one");
                v[1]["summary"] = json!("");
                v[1]["sources"] = json!([]);
                v[1]["end"] = json!("1960");
            }
            "eras.json" => v[0]["sources"][0]["source"] = json!("nobody"),
            "students.json" => v[0]["place"] = json!("uni-q"),
            _ => {}
        }
    }
    let errors = load_files(&texts(&files)).unwrap_err();
    let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        shown,
        vec![
            r#"places.json: record "city-y": field `lon`: longitude 200 out of range -180..180"#,
            r#"places.json: record "uni-z": field `lat`: latitude 123 out of range -90..90"#,
            r#"events.json: record "ev-one": field `id`: duplicate id "ev-one""#,
            r#"events.json: record "ev-one": field `date`: impossible date "1966-02-30""#,
            r#"events.json: record "ev-one": field `category`: unknown category "sport" (expected one of: diplomatic, alignment, military, economic, social, humanitarian, crisis)"#,
            r#"events.json: record "ev-one": field `places[0]`: unknown place id "atlantis""#,
            r#"events.json: record "ev-one": field `end`: end "1960" is before start "1970""#,
            r#"events.json: record "ev-one": field `summary`: empty text"#,
            r#"events.json: record "ev-one": field `sources`: no source: every fact needs at least one citation"#,
            r#"eras.json: record "era-one": field `sources[0].source`: unknown source id "nobody""#,
            r#"students.json: record "stu-one": field `place`: unknown place id "uni-q""#,
        ]
    );
    // Every one is located: file, record id and field.
    for e in &errors {
        assert!(FILES.contains(&e.file.as_str()), "{e}");
        assert!(e.id.is_some() && e.field.is_some(), "{e}");
    }
}

#[test]
fn errors_carry_the_structured_location() {
    let errors = structured_errors_after("series.json", |v| {
        v[0]["points"][0]["at"] = json!(2200.0);
        v[0]["unit"] = json!(" ");
    });
    assert_eq!(
        errors,
        vec![
            DataError {
                file: "series.json".into(),
                id: Some("ser-one".into()),
                field: Some("unit".into()),
                message: "empty text".into()
            },
            DataError {
                file: "series.json".into(),
                id: Some("ser-one".into()),
                field: Some("points[0].at".into()),
                message: "time position out of range 1900..2100".into()
            },
        ]
    );
}
