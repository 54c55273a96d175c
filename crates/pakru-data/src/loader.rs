//! Parsing and validating the JSON files into an [`Atlas`].
//!
//! Also compiled into `build.rs` (by path, with the rest of the model), which loads the data
//! once at build time and embeds the result (see [`crate::codec`]).

use crate::{Chapter, DataError, Era, Event, Place, Series, Source, StoryFile, StudentRow};
use serde::de::DeserializeOwned;
use std::collections::HashMap;

/// The data file names, in the order errors are reported. All but `story.json` are required.
pub const FILES: [&str; 7] =
    ["sources.json", "places.json", "events.json", "eras.json", "series.json", "students.json", "story.json"];

/// The whole dataset. After [`load`] succeeds, every reference resolves, every date is valid and
/// events are in date order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Atlas {
    pub sources: Vec<Source>,
    pub places: Vec<Place>,
    pub events: Vec<Event>,
    pub eras: Vec<Era>,
    pub series: Vec<Series>,
    pub students: Vec<StudentRow>,
    /// The guided story's chapters, in file order.
    pub story: Vec<Chapter>,
    place_index: HashMap<String, usize>,
    source_index: HashMap<String, usize>,
}

fn parse_file<T: DeserializeOwned + Default>(name: &str, text: &str, errors: &mut Vec<DataError>) -> T {
    serde_json::from_str(text).unwrap_or_else(|e| {
        errors.push(DataError {
            file: name.to_string(),
            id: None,
            field: None,
            message: format!("invalid JSON at line {}, column {}: {}", e.line(), e.column(), strip_position(&e)),
        });
        T::default()
    })
}

/// serde_json appends " at line X column Y" to its messages; we give the position ourselves.
fn strip_position(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// Parses and validates the given files (name, contents). Missing files count as errors.
pub fn load(files: &[(&str, &str)]) -> Result<Atlas, Vec<DataError>> {
    let mut errors = Vec::new();
    let text = |name: &str, errors: &mut Vec<DataError>| -> Option<String> {
        let found = files.iter().find(|(n, _)| *n == name).map(|(_, t)| t.to_string());
        if found.is_none() {
            errors.push(DataError { file: name.to_string(), id: None, field: None, message: "file is missing".into() });
        }
        found
    };
    let mut atlas = Atlas::default();
    if let Some(t) = text("sources.json", &mut errors) {
        atlas.sources = parse_file("sources.json", &t, &mut errors);
    }
    if let Some(t) = text("places.json", &mut errors) {
        atlas.places = parse_file("places.json", &t, &mut errors);
    }
    if let Some(t) = text("events.json", &mut errors) {
        atlas.events = parse_file("events.json", &t, &mut errors);
    }
    if let Some(t) = text("eras.json", &mut errors) {
        atlas.eras = parse_file("eras.json", &t, &mut errors);
    }
    if let Some(t) = text("series.json", &mut errors) {
        atlas.series = parse_file("series.json", &t, &mut errors);
    }
    if let Some(t) = text("students.json", &mut errors) {
        atlas.students = parse_file("students.json", &t, &mut errors);
    }
    // The story is optional: a dataset without one is an atlas without the Story button.
    if let Some((_, t)) = files.iter().find(|(n, _)| *n == "story.json") {
        atlas.story = parse_file::<StoryFile>("story.json", t, &mut errors).chapters;
    }
    let parsed = errors.is_empty();
    errors.extend(crate::validate::validate_parsed(&atlas, parsed));
    if !errors.is_empty() {
        return Err(errors);
    }
    // Stable sort: events on the same date keep their file order.
    crate::order::sort_by_key(&mut atlas.events, |e| e.start().sort_key());
    crate::order::sort_by_key(&mut atlas.eras, |e| e.start.get().sort_key());
    Ok(atlas.indexed())
}

impl Atlas {
    /// A validated dataset from its parts (as [`load`] left them), with its lookup indexes.
    pub fn from_parts(
        sources: Vec<Source>,
        places: Vec<Place>,
        events: Vec<Event>,
        eras: Vec<Era>,
        series: Vec<Series>,
        students: Vec<StudentRow>,
        story: Vec<Chapter>,
    ) -> Atlas {
        Atlas { sources, places, events, eras, series, students, story, ..Atlas::default() }.indexed()
    }

    fn indexed(mut self) -> Atlas {
        self.place_index = self.places.iter().enumerate().map(|(i, p)| (p.id.clone(), i)).collect();
        self.source_index = self.sources.iter().enumerate().map(|(i, s)| (s.id.clone(), i)).collect();
        self
    }

    /// The place `id` and the places it lies in, innermost first, as indices into `places`
    /// (a university, its city, its country). Stops at a missing parent, and after a few steps
    /// (the validator rejects cycles; this never loops on bad data either).
    pub fn ancestors<'a>(&'a self, id: &'a str) -> impl Iterator<Item = usize> + 'a {
        let mut cur = Some(id);
        std::iter::from_fn(move || {
            let i = self.places.iter().position(|p| Some(p.id.as_str()) == cur)?;
            cur = self.places[i].parent.as_deref();
            Some(i)
        })
        .take(6)
    }

    pub fn place(&self, id: &str) -> Option<&Place> {
        self.place_index.get(id).map(|&i| &self.places[i])
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.source_index.get(id).map(|&i| &self.sources[i])
    }

    /// The chapter `id` of the story, as an index.
    pub fn chapter_index(&self, id: &str) -> Option<usize> {
        self.story.iter().position(|c| c.id == id)
    }

    pub fn event_index(&self, id: &str) -> Option<usize> {
        self.events.iter().position(|e| e.id == id)
    }

    /// The span of years the data covers, from the earliest start to the latest end.
    pub fn year_range(&self) -> (f64, f64) {
        let starts = self.events.iter().map(|e| e.start().start_year());
        let ends = self.events.iter().map(|e| e.end_date().unwrap_or(e.start()).end_year());
        let lo = starts.fold(f64::INFINITY, f64::min);
        let hi = ends.fold(f64::NEG_INFINITY, f64::max);
        if lo.is_finite() && hi.is_finite() {
            (lo, hi)
        } else {
            (1947.0, 2026.0)
        }
    }
}
