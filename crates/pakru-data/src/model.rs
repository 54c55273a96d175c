//! The typed data model: what `data/*.json` holds.
//!
//! Fields whose text must be checked (dates, categories) are read as [`Parsed`] values so that a
//! bad value never aborts parsing of the whole file: the validator reports every bad value at
//! once, with its file, record and field.

use crate::date::{Date, DateError};
use serde::{Deserialize, Deserializer};

/// A value read from text, kept with the text it came from. `value` is `None` when the text was
/// invalid; a validated [`crate::Atlas`] never holds such a value.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed<T> {
    pub raw: String,
    pub value: Result<T, String>,
}

impl<T: Copy + Default> Parsed<T> {
    /// The parsed value; the default only for data that failed validation (never shown).
    pub fn get(&self) -> T {
        self.value.clone().unwrap_or_default()
    }
}

/// Types that can be read from a string in the data files.
pub trait FromRaw: Sized {
    fn from_raw(s: &str) -> Result<Self, String>;
}

impl<'de, T: FromRaw> Deserialize<'de> for Parsed<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        let value = T::from_raw(&raw);
        Ok(Parsed { raw, value })
    }
}

impl FromRaw for Date {
    fn from_raw(s: &str) -> Result<Self, String> {
        Date::parse(s).map_err(|e| match e {
            DateError::Malformed => format!("malformed date {s:?} (expected YYYY, YYYY-MM, YYYY-MM-DD or YYY0s)"),
            DateError::Impossible => format!("impossible date {s:?}"),
        })
    }
}

impl Default for Date {
    fn default() -> Self {
        Date::year(1947)
    }
}

/// What an event is about. Each has its own colour and mark shape in the views.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Category {
    #[default]
    Diplomatic,
    Alignment,
    Military,
    Economic,
    Social,
    Humanitarian,
    Crisis,
}

/// Which categories are shown, one flag per category in [`Category::ALL`] order.
pub type CategorySet = [bool; Category::COUNT];

impl Category {
    /// How many categories there are.
    pub const COUNT: usize = 7;
    pub const ALL: [Category; Category::COUNT] = [
        Category::Diplomatic,
        Category::Alignment,
        Category::Military,
        Category::Economic,
        Category::Social,
        Category::Humanitarian,
        Category::Crisis,
    ];

    /// The key used in the data files and in URLs.
    pub fn key(self) -> &'static str {
        match self {
            Category::Diplomatic => "diplomatic",
            Category::Alignment => "alignment",
            Category::Military => "military",
            Category::Economic => "economic",
            Category::Social => "social",
            Category::Humanitarian => "humanitarian",
            Category::Crisis => "crisis",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Category::Diplomatic => "Diplomatic",
            Category::Alignment => "Political alignment",
            Category::Military => "Military & defence",
            Category::Economic => "Economy & energy",
            Category::Social => "Society, culture & education",
            Category::Humanitarian => "Humanitarian aid",
            Category::Crisis => "Crisis & conflict",
        }
    }

    pub fn index(self) -> usize {
        Category::ALL.iter().position(|c| *c == self).unwrap_or(0)
    }

    pub fn from_key(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.key() == s)
    }
}

impl FromRaw for Category {
    fn from_raw(s: &str) -> Result<Self, String> {
        Category::from_key(s).ok_or_else(|| {
            let keys: Vec<&str> = Category::ALL.iter().map(|c| c.key()).collect();
            format!("unknown category {s:?} (expected one of: {})", keys.join(", "))
        })
    }
}

/// A full reference for one source document.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    /// Personal authors in the order given; empty when none is named.
    #[serde(default)]
    pub authors: Vec<String>,
    /// The organisation responsible, when no person is named (a newspaper, an agency).
    #[serde(default)]
    pub organisation: Option<String>,
    pub title: String,
    /// Journal or outlet the piece appeared in.
    #[serde(default)]
    pub container: Option<String>,
    #[serde(default)]
    pub publisher: Option<String>,
    pub published: Parsed<Date>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub licence: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

impl Source {
    /// Author–date label: "Ahmed, Baloch & Abbas 2023", "Dawn 2016", or the title when no one
    /// is named.
    pub fn short(&self) -> String {
        let surname = |n: &String| n.split_whitespace().last().unwrap_or(n).to_string();
        let who = match self.authors.len() {
            0 => self.organisation.clone().unwrap_or_else(|| format!("\u{201c}{}\u{201d}", self.title)),
            1 => surname(&self.authors[0]),
            2 => format!("{} & {}", surname(&self.authors[0]), surname(&self.authors[1])),
            n => {
                let head: Vec<String> = self.authors[..n - 1].iter().map(surname).collect();
                format!("{} & {}", head.join(", "), surname(&self.authors[n - 1]))
            }
        };
        format!("{who} {}", self.published.get().year)
    }

    /// A full reference in one line.
    pub fn reference(&self) -> String {
        let mut out = String::new();
        if !self.authors.is_empty() {
            out.push_str(&self.authors.join(", "));
        } else if let Some(org) = &self.organisation {
            out.push_str(org);
        }
        if !out.is_empty() {
            out.push_str(". ");
        }
        out.push_str(&format!("({}). {}.", self.published.raw, self.title));
        if let Some(c) = &self.container {
            out.push_str(&format!(" {c}."));
        }
        if let Some(p) = &self.publisher {
            out.push_str(&format!(" {p}."));
        }
        if let Some(u) = &self.url {
            out.push_str(&format!(" {u}"));
        }
        out
    }
}

/// A pointer into a source: which document and where in it.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    pub source: String,
    /// "§4.3", "Table 1, row 17", "§2".
    pub locator: String,
    /// The secondary work the source itself cites for the fact ("Owais, 2007").
    #[serde(default)]
    pub cited_in: Option<String>,
}

impl Citation {
    /// The citation as text: `who`, `sep`, the locator, and "(citing …)" when the source cites
    /// another work for the fact. The one format every view and download uses.
    pub fn format(&self, who: &str, sep: &str) -> String {
        match &self.cited_in {
            Some(x) => format!("{who}{sep}{} (citing {x})", self.locator),
            None => format!("{who}{sep}{}", self.locator),
        }
    }
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum PlaceKind {
    Country,
    City,
    Site,
    University,
    Organisation,
}

impl PlaceKind {
    pub const ALL: [PlaceKind; 5] =
        [PlaceKind::Country, PlaceKind::City, PlaceKind::Site, PlaceKind::University, PlaceKind::Organisation];

    /// The key used in the data files.
    pub fn key(self) -> &'static str {
        match self {
            PlaceKind::Country => "country",
            PlaceKind::City => "city",
            PlaceKind::Site => "site",
            PlaceKind::University => "university",
            PlaceKind::Organisation => "organisation",
        }
    }
}

/// A point on the map.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Place {
    pub id: String,
    /// Normalised name.
    pub name: String,
    /// The source's own spelling, when it differs ("Varunish").
    #[serde(default)]
    pub name_as_written: Option<String>,
    pub kind: PlaceKind,
    /// The place this one lies in (a university's city, a city's country).
    #[serde(default)]
    pub parent: Option<String>,
    /// ISO 3166-1 numeric code, for countries.
    #[serde(default)]
    pub iso_n3: Option<u16>,
    pub lat: f64,
    pub lon: f64,
    /// Coordinates are rounded gazetteer values or a city's centre.
    #[serde(default)]
    pub approximate: bool,
    #[serde(default)]
    pub note: Option<String>,
}

/// How Table 1 of `ahmed2023` lists an agreement.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AgreementRow {
    pub row: u8,
    pub title_as_written: String,
    pub date_as_written: String,
}

/// One dated fact.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub id: String,
    pub date: Parsed<Date>,
    #[serde(default)]
    pub end: Option<Parsed<Date>>,
    /// The end date is the planned end that the source announces, not a reported one.
    #[serde(default)]
    pub end_planned: bool,
    pub title: String,
    /// The name as the source spells it, where that differs from the title's normal form
    /// ("Druzhbha-2016").
    #[serde(default)]
    pub as_written: Option<String>,
    pub summary: String,
    pub category: Parsed<Category>,
    #[serde(default)]
    pub places: Vec<String>,
    pub sources: Vec<Citation>,
    /// Set for the agreements of Table 1.
    #[serde(default)]
    pub agreement: Option<AgreementRow>,
    /// Inconsistencies in the source, or how a date was resolved.
    #[serde(default)]
    pub note: Option<String>,
}

impl Event {
    pub fn start(&self) -> Date {
        self.date.get()
    }
    pub fn end_date(&self) -> Option<Date> {
        self.end.as_ref().map(|e| e.get())
    }
    pub fn is_agreement(&self) -> bool {
        self.agreement.is_some()
    }
    /// The period shown, at the date's real precision; a planned end says so.
    pub fn date_label(&self) -> String {
        let span = crate::date::format_span(&self.start(), self.end_date().as_ref());
        if self.end_planned && self.end.is_some() {
            format!("{span} (end as planned)")
        } else {
            span
        }
    }
}

/// A period of the relationship, drawn as a shaded band.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Era {
    pub id: String,
    pub title: String,
    pub start: Parsed<Date>,
    /// `None` for an era that continues today.
    #[serde(default)]
    pub end: Option<Parsed<Date>>,
    pub summary: String,
    pub sources: Vec<Citation>,
}

/// One figure of a series.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SeriesPoint {
    /// The period as the source gives it: "1998", "FY 2022-23".
    pub label: String,
    /// Position on a time axis in fractional years (the middle of the period), for time series.
    #[serde(default)]
    pub at: Option<f64>,
    pub value: f64,
    /// The source gives only a lower bound ("more than 1,000").
    #[serde(default)]
    pub lower_bound: bool,
    pub source: Citation,
    #[serde(default)]
    pub note: Option<String>,
}

/// Figures from the sources: a time series (trade by year) or a set of labelled values.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Series {
    pub id: String,
    pub title: String,
    pub unit: String,
    /// How the figures were counted; points of different bases are never joined.
    pub basis: String,
    pub points: Vec<SeriesPoint>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A row of Table 2: Pakistani students at a Russian university.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StudentRow {
    pub id: String,
    pub row: u8,
    pub university_as_written: String,
    /// Only where the normal form is certain.
    #[serde(default)]
    pub university: Option<String>,
    /// The university as a place.
    pub place: String,
    /// The university's city.
    pub city: String,
    pub students: u32,
    pub source: Citation,
}

/// Calls macro `$m` with every record type and its fields in declaration order: the one list
/// behind the binary form ([`crate::codec`]) and the JSON download (`crate::export`). A field
/// left out here does not compile (the binary decoder builds each record as a struct literal).
#[macro_export]
#[doc(hidden)]
macro_rules! with_records {
    ($m:ident) => {
        $m! {
            Source { id, authors, organisation, title, container, publisher, published, url, licence, note }
            Citation { source, locator, cited_in }
            Place { id, name, name_as_written, kind, parent, iso_n3, lat, lon, approximate, note }
            AgreementRow { row, title_as_written, date_as_written }
            Event { id, date, end, end_planned, title, as_written, summary, category, places, sources, agreement, note }
            Era { id, title, start, end, summary, sources }
            SeriesPoint { label, at, value, lower_bound, source, note }
            Series { id, title, unit, basis, points, note }
            StudentRow { id, row, university_as_written, university, place, city, students, source }
            Chapter { id, title, question, question_source, steps }
            Step { heading, text, sources, views, state }
            StepState { range, event, categories, place, map, series, students }
            YearSpan { start, end }
            MapPos { lon, lat, zoom }
        }
    };
}
pub use with_records;
