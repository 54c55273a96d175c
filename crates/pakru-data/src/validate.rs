//! Checks the data files against each other and against common sense, reporting every problem
//! at once. Used by `cargo test`, `cargo xtask check-data` and the app's loader.

use crate::model::*;
use crate::Atlas;
use std::collections::{HashMap, HashSet};
use std::fmt;

/// One problem in the data, located by file, record and field.
#[derive(Clone, Debug, PartialEq)]
pub struct DataError {
    pub file: String,
    /// The record's id; `None` for problems with the file as a whole (bad JSON).
    pub id: Option<String>,
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(id) = &self.id {
            write!(f, ": record \"{id}\"")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": field `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Collects errors for one file.
struct Report<'a> {
    file: &'static str,
    errors: &'a mut Vec<DataError>,
}

impl Report<'_> {
    fn err(&mut self, id: &str, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(DataError {
            file: self.file.to_string(),
            id: Some(id.to_string()),
            field: Some(field.into()),
            message: message.into(),
        });
    }

    fn ids<'r>(&mut self, ids: impl Iterator<Item = &'r str>) -> HashSet<String> {
        let mut seen = HashSet::new();
        for id in ids {
            if id.trim().is_empty() {
                self.err(id, "id", "empty id");
            } else if !seen.insert(id.to_string()) {
                self.err(id, "id", format!("duplicate id {id:?}"));
            }
        }
        seen
    }

    fn text(&mut self, id: &str, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.err(id, field, "empty text");
        }
    }

    fn date<T>(&mut self, id: &str, field: &str, value: &Parsed<T>) {
        if let Err(message) = &value.value {
            self.err(id, field, message.clone());
        }
    }

    fn span(&mut self, id: &str, start: &Parsed<crate::Date>, end: Option<&Parsed<crate::Date>>) {
        self.date(id, "date", start);
        if let Some(end) = end {
            self.date(id, "end", end);
            if let (Ok(s), Ok(e)) = (&start.value, &end.value) {
                if e.end_year() <= s.start_year() || e < s {
                    self.err(id, "end", format!("end {:?} is before start {:?}", end.raw, start.raw));
                }
            }
        }
    }

    fn citations(&mut self, id: &str, field: &str, cites: &[Citation], sources: &HashSet<String>) {
        if cites.is_empty() {
            self.err(id, field, "no source: every fact needs at least one citation");
        }
        for (i, c) in cites.iter().enumerate() {
            self.citation(id, &format!("{field}[{i}]"), c, sources);
        }
    }

    fn citation(&mut self, id: &str, field: &str, c: &Citation, sources: &HashSet<String>) {
        if !sources.contains(&c.source) {
            self.err(id, format!("{field}.source"), format!("unknown source id {:?}", c.source));
        }
        if c.locator.trim().is_empty() {
            self.err(id, format!("{field}.locator"), "empty locator");
        }
    }

    fn place_ref(&mut self, id: &str, field: &str, place: &str, places: &HashSet<String>) {
        if !places.contains(place) {
            self.err(id, field, format!("unknown place id {place:?}"));
        }
    }
}

/// Validates a whole parsed dataset. Returns every problem found, in file order.
pub fn validate(atlas: &Atlas) -> Vec<DataError> {
    validate_parsed(atlas, true)
}

/// [`validate`], told whether every file parsed: the story's references into the other files
/// are checked only when those files parsed and passed, so that one broken file is reported
/// once, not again as every story step that points into it.
pub fn validate_parsed(atlas: &Atlas, all_parsed: bool) -> Vec<DataError> {
    let mut errors = Vec::new();

    let source_ids = {
        let mut r = Report { file: "sources.json", errors: &mut errors };
        let ids = r.ids(atlas.sources.iter().map(|s| s.id.as_str()));
        for s in &atlas.sources {
            r.text(&s.id, "title", &s.title);
            r.date(&s.id, "published", &s.published);
            if s.authors.is_empty() && s.organisation.is_none() && s.note.is_none() {
                r.err(&s.id, "authors", "a source needs authors, an organisation, or a note saying none is named");
            }
        }
        ids
    };

    let place_ids = {
        let mut r = Report { file: "places.json", errors: &mut errors };
        let ids = r.ids(atlas.places.iter().map(|p| p.id.as_str()));
        for p in &atlas.places {
            r.text(&p.id, "name", &p.name);
            if !(p.lat.is_finite() && (-90.0..=90.0).contains(&p.lat)) {
                r.err(&p.id, "lat", format!("latitude {} out of range -90..90", p.lat));
            }
            if !(p.lon.is_finite() && (-180.0..=180.0).contains(&p.lon)) {
                r.err(&p.id, "lon", format!("longitude {} out of range -180..180", p.lon));
            }
            if let Some(parent) = &p.parent {
                if parent == &p.id {
                    r.err(&p.id, "parent", "a place cannot lie in itself");
                } else if !ids.contains(parent) {
                    r.err(&p.id, "parent", format!("unknown place id {parent:?}"));
                }
            }
        }
        ids
    };

    {
        let mut r = Report { file: "events.json", errors: &mut errors };
        r.ids(atlas.events.iter().map(|e| e.id.as_str()));
        let mut rows: HashMap<u8, &str> = HashMap::new();
        for e in &atlas.events {
            r.span(&e.id, &e.date, e.end.as_ref());
            r.text(&e.id, "title", &e.title);
            r.text(&e.id, "summary", &e.summary);
            if e.end_planned && e.end.is_none() {
                r.err(&e.id, "end_planned", "a planned end needs an end date");
            }
            if let Some(w) = &e.as_written {
                r.text(&e.id, "as_written", w);
            }
            if let Err(m) = &e.category.value {
                r.err(&e.id, "category", m.clone());
            }
            for (i, p) in e.places.iter().enumerate() {
                r.place_ref(&e.id, &format!("places[{i}]"), p, &place_ids);
            }
            r.citations(&e.id, "sources", &e.sources, &source_ids);
            if let Some(a) = &e.agreement {
                if let Some(other) = rows.insert(a.row, &e.id) {
                    r.err(&e.id, "agreement.row", format!("Table 1 row {} is also event {other:?}", a.row));
                }
                r.text(&e.id, "agreement.title_as_written", &a.title_as_written);
            }
        }
    }

    {
        let mut r = Report { file: "eras.json", errors: &mut errors };
        r.ids(atlas.eras.iter().map(|e| e.id.as_str()));
        for e in &atlas.eras {
            r.span(&e.id, &e.start, e.end.as_ref());
            r.text(&e.id, "title", &e.title);
            r.text(&e.id, "summary", &e.summary);
            r.citations(&e.id, "sources", &e.sources, &source_ids);
        }
    }

    {
        let mut r = Report { file: "series.json", errors: &mut errors };
        r.ids(atlas.series.iter().map(|s| s.id.as_str()));
        for s in &atlas.series {
            r.text(&s.id, "title", &s.title);
            r.text(&s.id, "unit", &s.unit);
            if s.points.is_empty() {
                r.err(&s.id, "points", "a series needs at least one point");
            }
            for (i, p) in s.points.iter().enumerate() {
                if !p.value.is_finite() {
                    r.err(&s.id, format!("points[{i}].value"), "value is not a finite number");
                }
                if p.at.is_some_and(|a| !a.is_finite() || !(1900.0..=2100.0).contains(&a)) {
                    r.err(&s.id, format!("points[{i}].at"), "time position out of range 1900..2100");
                }
                r.citation(&s.id, &format!("points[{i}].source"), &p.source, &source_ids);
            }
        }
    }

    {
        let mut r = Report { file: "students.json", errors: &mut errors };
        r.ids(atlas.students.iter().map(|s| s.id.as_str()));
        for s in &atlas.students {
            r.text(&s.id, "university_as_written", &s.university_as_written);
            r.place_ref(&s.id, "place", &s.place, &place_ids);
            r.place_ref(&s.id, "city", &s.city, &place_ids);
            r.citation(&s.id, "source", &s.source, &source_ids);
        }
    }

    {
        let cross = all_parsed && errors.is_empty();
        let mut r = Report { file: "story.json", errors: &mut errors };
        for (rec, field, message) in crate::story::check(atlas, &atlas.story, cross) {
            r.err(&rec, field, message);
        }
    }

    errors
}
