//! What the map shows for the current app state, computed without the DOM: one marker per
//! city or site (universities roll up into their city), sized by its events in the visible
//! time range; Table 2 as student circles per city; links for the selected event.

use super::PlaceIndex;
use crate::data::{Atlas, Category, Event, PlaceKind};
use crate::timeline::event_years;

/// A place on the map with its events.
#[derive(Clone, Debug, PartialEq)]
pub struct PlaceMarker {
    /// The place's id (for the caller; not drawn).
    pub id: String,
    /// Drawn beside the marker when there is room (always tried first when highlighted).
    pub name: String,
    pub lon: f64,
    pub lat: f64,
    /// Events at this place under the current filter; sets the marker size.
    pub events: u32,
    /// Part of the selected event or hovered: drawn on top with a ring.
    pub highlighted: bool,
    /// Filtered out or outside the selection: drawn faint.
    pub dimmed: bool,
}

/// Pakistani students in one city (or university): a circle whose area is proportional to the
/// count.
#[derive(Clone, Debug, PartialEq)]
pub struct StudentCircle {
    pub lon: f64,
    pub lat: f64,
    pub count: u32,
}

/// A curve between two places of the selected event (geographic endpoints).
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    pub from: (f64, f64),
    pub to: (f64, f64),
    /// The selected event's category (the link is drawn in its colour).
    pub category: Category,
}

/// What to draw on top of the countries.
#[derive(Clone, Debug, PartialEq)]
pub struct MapLayers {
    pub places: Vec<PlaceMarker>,
    pub students: Vec<StudentCircle>,
    pub links: Vec<Link>,
    /// The unit under the pointer (index into [`GeoData::units`]): tinted and outlined.
    pub hover_unit: Option<usize>,
    pub graticule: bool,
    pub country_names: bool,
    /// Names of places that are not highlighted (highlighted ones are always tried).
    pub place_names: bool,
    /// Border vertices within this many pixels of the last one kept are dropped: 1 on a canvas;
    /// more for the static first view's SVG, where every vertex is bytes on the first visit.
    pub detail_px: i32,
}

impl Default for MapLayers {
    fn default() -> Self {
        MapLayers {
            places: Vec::new(),
            students: Vec::new(),
            links: Vec::new(),
            hover_unit: None,
            graticule: true,
            country_names: true,
            place_names: true,
            detail_px: 1,
        }
    }
}

impl MapLayers {
    /// The hit-testing index of these markers (rebuild it when `places` changes).
    pub fn place_index(&self) -> PlaceIndex {
        PlaceIndex::new(self.places.iter().map(|p| (p.lon, p.lat, marker_radius(p.events))))
    }
}

/// Marker radius in pixels for a number of events (area grows with the count, capped).
pub fn marker_radius(events: u32) -> f64 {
    (3.5 + 1.8 * (events as f64).sqrt()).min(14.0)
}

/// Largest student circle radius, px.
pub const STUDENT_MAX_RADIUS: f64 = 34.0;

/// Pixels per √student: fixed (1 px per √student) unless the largest circle would exceed
/// [`STUDENT_MAX_RADIUS`], so circles compare across filters.
pub fn student_scale(max_count: u32) -> f64 {
    let m = (max_count.max(1) as f64).sqrt();
    (STUDENT_MAX_RADIUS / m).min(1.0)
}

/// Student circle radius in pixels (area ∝ count).
pub fn student_radius(count: u32, scale: f64) -> f64 {
    (count as f64).sqrt() * scale
}

/// The marker a place belongs to: itself if it is a city or site, else the nearest such
/// ancestor (a university's city). Countries have no marker.
pub fn marker_place(atlas: &Atlas, id: &str) -> Option<usize> {
    let i = atlas
        .ancestors(id)
        .find(|&i| matches!(atlas.places[i].kind, PlaceKind::City | PlaceKind::Site | PlaceKind::Country))?;
    (atlas.places[i].kind != PlaceKind::Country).then_some(i)
}

/// The country a place lies in (itself for a country), as a place index.
pub fn country_of(atlas: &Atlas, id: &str) -> Option<usize> {
    atlas.ancestors(id).find(|&i| atlas.places[i].kind == PlaceKind::Country)
}

/// Whether an event overlaps the years `[lo, hi]`.
pub fn in_range(e: &Event, range: (f64, f64)) -> bool {
    let (a, b) = event_years(e);
    b >= range.0 && a <= range.1
}

/// The places an event is drawn at: markers where it has one, else the country's point.
pub fn event_points(atlas: &Atlas, e: &Event) -> Vec<(usize, f64, f64)> {
    let mut out: Vec<(usize, f64, f64)> = Vec::new();
    for p in &e.places {
        let idx = marker_place(atlas, p).or_else(|| atlas.places.iter().position(|q| &q.id == p));
        if let Some(i) = idx {
            if !out.iter().any(|o| o.0 == i) {
                let pl = &atlas.places[i];
                out.push((i, pl.lon, pl.lat));
            }
        }
    }
    out
}

/// Inputs of [`build`].
pub struct MapInputs<'a> {
    pub mask: &'a [bool],
    pub range: (f64, f64),
    pub selected_event: Option<usize>,
    pub selected_place: Option<usize>,
    pub hovered_place: Option<usize>,
}

/// Builds the layers; `markers` (same order as `layers.places`) maps each marker back to its
/// place index.
pub fn build(atlas: &Atlas, input: &MapInputs) -> (MapLayers, Vec<usize>) {
    let mut counts = vec![0u32; atlas.places.len()];
    for (i, e) in atlas.events.iter().enumerate() {
        if !input.mask.get(i).copied().unwrap_or(true) || !in_range(e, input.range) {
            continue;
        }
        let mut seen: Vec<usize> = Vec::new();
        for p in &e.places {
            if let Some(m) = marker_place(atlas, p) {
                if !seen.contains(&m) {
                    seen.push(m);
                    counts[m] += 1;
                }
            }
        }
    }
    let selected = input.selected_event.and_then(|i| atlas.events.get(i));
    let sel_points = selected.map(|e| event_points(atlas, e)).unwrap_or_default();
    let mut layers = MapLayers::default();
    let mut markers = Vec::new();
    for (i, p) in atlas.places.iter().enumerate() {
        if !matches!(p.kind, PlaceKind::City | PlaceKind::Site) {
            continue;
        }
        let highlighted =
            sel_points.iter().any(|s| s.0 == i) || input.selected_place == Some(i) || input.hovered_place == Some(i);
        layers.places.push(PlaceMarker {
            id: p.id.clone(),
            name: p.name.clone(),
            lon: p.lon,
            lat: p.lat,
            events: counts[i],
            highlighted,
            dimmed: !highlighted && (counts[i] == 0 || input.selected_place.is_some_and(|s| s != i)),
        });
        markers.push(i);
    }
    // Table 2, summed per city.
    let mut per_city: Vec<(usize, u32)> = Vec::new();
    for r in &atlas.students {
        if let Some(c) = marker_place(atlas, &r.city) {
            match per_city.iter_mut().find(|(i, _)| *i == c) {
                Some(x) => x.1 += r.students,
                None => per_city.push((c, r.students)),
            }
        }
    }
    layers.students = per_city
        .into_iter()
        .map(|(i, count)| StudentCircle { lon: atlas.places[i].lon, lat: atlas.places[i].lat, count })
        .collect();
    // Links: from the event's Pakistani place to each other place (or in order if none).
    if let Some(e) = selected {
        let category = e.category.get();
        let pk = sel_points.iter().position(|(i, _, _)| {
            country_of(atlas, &atlas.places[*i].id).is_some_and(|c| atlas.places[c].iso_n3 == Some(586))
        });
        match pk {
            Some(k) => {
                let from = (sel_points[k].1, sel_points[k].2);
                for (j, s) in sel_points.iter().enumerate() {
                    if j != k {
                        layers.links.push(Link { from, to: (s.1, s.2), category });
                    }
                }
            }
            None => {
                for w in sel_points.windows(2) {
                    layers.links.push(Link { from: (w[0].1, w[0].2), to: (w[1].1, w[1].2), category });
                }
            }
        }
    }
    (layers, markers)
}

/// Events at a place (the place itself or anything inside it), in date order.
pub fn events_at(atlas: &Atlas, place: usize) -> Vec<usize> {
    let id = &atlas.places[place].id;
    (0..atlas.events.len()).filter(|&i| crate::filter::event_at_place(atlas, &atlas.events[i], id)).collect()
}

/// Students at a city, summed over Table 2.
pub fn students_at(atlas: &Atlas, place: usize) -> u32 {
    atlas.students.iter().filter(|r| marker_place(atlas, &r.city) == Some(place)).map(|r| r.students).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::load_embedded;

    fn idx(atlas: &Atlas, id: &str) -> usize {
        atlas.places.iter().position(|p| p.id == id).unwrap_or_else(|| panic!("no place {id}"))
    }

    #[test]
    fn universities_roll_up_into_their_city() {
        let atlas = load_embedded().unwrap();
        let uni = atlas.students.iter().find(|r| r.city == "moscow").unwrap();
        assert_eq!(marker_place(&atlas, &uni.place), Some(idx(&atlas, "moscow")));
        assert_eq!(marker_place(&atlas, "pakistan"), None);
        assert_eq!(country_of(&atlas, "karachi"), Some(idx(&atlas, "pakistan")));
    }

    #[test]
    fn student_circles_sum_table_2_per_city() {
        let atlas = load_embedded().unwrap();
        let mask = vec![true; atlas.events.len()];
        let input = MapInputs {
            mask: &mask,
            range: (1900.0, 2100.0),
            selected_event: None,
            selected_place: None,
            hovered_place: None,
        };
        let (layers, _) = build(&atlas, &input);
        let total: u32 = layers.students.iter().map(|s| s.count).sum();
        assert_eq!(total, 452);
        assert_eq!(students_at(&atlas, idx(&atlas, "moscow")), 52 + 42 + 85 + 97 + 32);
    }

    #[test]
    fn visible_range_and_filter_change_marker_counts() {
        let atlas = load_embedded().unwrap();
        let mask = vec![true; atlas.events.len()];
        let all = MapInputs {
            mask: &mask,
            range: (1900.0, 2100.0),
            selected_event: None,
            selected_place: None,
            hovered_place: None,
        };
        let (layers, markers) = build(&atlas, &all);
        let karachi = markers.iter().position(|&m| m == idx(&atlas, "karachi")).unwrap();
        let n_all = layers.places[karachi].events;
        assert!(n_all >= 3, "{n_all}");
        let early = MapInputs { range: (1947.0, 1960.0), ..all };
        let (layers_early, _) = build(&atlas, &early);
        assert!(layers_early.places[karachi].events < n_all);
        let none = vec![false; atlas.events.len()];
        let filtered = MapInputs {
            mask: &none,
            range: (1900.0, 2100.0),
            selected_event: None,
            selected_place: None,
            hovered_place: None,
        };
        let (layers_none, _) = build(&atlas, &filtered);
        assert!(layers_none.places.iter().all(|p| p.events == 0 && p.dimmed));
    }

    #[test]
    fn selected_event_is_highlighted_and_linked() {
        let atlas = load_embedded().unwrap();
        let mask = vec![true; atlas.events.len()];
        // An event with a Pakistani and a non-Pakistani place.
        let (ei, e) = atlas
            .events
            .iter()
            .enumerate()
            .find(|(_, e)| {
                let pts = event_points(&atlas, e);
                pts.len() >= 2
                    && pts.iter().any(|p| atlas.places[p.0].kind == PlaceKind::City)
                    && pts.iter().any(|p| {
                        country_of(&atlas, &atlas.places[p.0].id).is_some_and(|c| atlas.places[c].iso_n3 == Some(586))
                    })
            })
            .expect("an event linking Pakistan to elsewhere");
        let input = MapInputs {
            mask: &mask,
            range: (1900.0, 2100.0),
            selected_event: Some(ei),
            selected_place: None,
            hovered_place: None,
        };
        let (layers, _) = build(&atlas, &input);
        assert_eq!(layers.links.len(), event_points(&atlas, e).len() - 1);
        let city_points =
            event_points(&atlas, e).iter().filter(|p| marker_place(&atlas, &atlas.places[p.0].id).is_some()).count();
        assert_eq!(layers.places.iter().filter(|p| p.highlighted).count(), city_points);
    }
}
