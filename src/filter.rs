//! Which events match the category toggles and the search text. Shared by the timeline (which
//! dims non-matching events) and the events table (which leaves them out), so both agree.

use crate::data::{Atlas, CategorySet};

/// Lower-cases and evens out dashes, enough for a plain search.
fn fold(s: &str) -> String {
    lower(s).replace(['–', '—'], "-")
}

/// Lower case by the browser's Unicode tables in the app (so the wasm carries no copy of
/// them, about 6 KB gzip), by the standard library's elsewhere.
#[cfg(target_arch = "wasm32")]
fn lower(s: &str) -> String {
    js_sys::JsString::from(s).to_lower_case().into()
}

#[cfg(not(target_arch = "wasm32"))]
fn lower(s: &str) -> String {
    s.to_lowercase()
}

/// True for each event whose category is on and whose title, summary, date (in English and in
/// the page's language), places or sources contain every word of `query` (case-insensitive).
pub fn mask(atlas: &Atlas, categories: &CategorySet, query: &str) -> Vec<bool> {
    let words: Vec<String> = fold(query).split_whitespace().map(str::to_string).collect();
    atlas
        .events
        .iter()
        .map(|e| {
            if !categories[e.category.get().index()] {
                return false;
            }
            if words.is_empty() {
                return true;
            }
            let mut hay = fold(&e.title);
            hay.push(' ');
            hay.push_str(&fold(&e.summary));
            hay.push(' ');
            hay.push_str(&fold(&e.date_label()));
            // In another language, also the date as the page writes it ("мая", "مئی").
            if crate::i18n::tr().lang != crate::lang::Lang::En {
                hay.push(' ');
                hay.push_str(&fold(&crate::export::date_label(e)));
            }
            for p in &e.places {
                if let Some(place) = atlas.place(p) {
                    hay.push(' ');
                    hay.push_str(&fold(&place.name));
                }
            }
            for c in &e.sources {
                hay.push(' ');
                hay.push_str(&fold(&c.locator));
            }
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .collect()
}

/// [`mask`], further limited to the events at `place` (index into `atlas.places`) when one is
/// chosen: what the timeline dims, the table lists and the map counts.
pub fn full_mask(atlas: &Atlas, categories: &CategorySet, query: &str, place: Option<usize>) -> Vec<bool> {
    let mut m = mask(atlas, categories, query);
    if let Some(p) = place.and_then(|i| atlas.places.get(i)) {
        for (m, e) in m.iter_mut().zip(&atlas.events) {
            *m = *m && event_at_place(atlas, e, &p.id);
        }
    }
    m
}

/// Whether an event happened at a place: the place itself, or a place inside it (a university
/// in a city, a city in a country).
pub fn event_at_place(atlas: &Atlas, e: &crate::data::Event, place: &str) -> bool {
    e.places.iter().any(|p| atlas.ancestors(p).any(|i| atlas.places[i].id == place))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::load;
    use crate::data::Category;

    fn atlas() -> Atlas {
        let sources = r#"[{"id":"s","title":"T","published":"2023","note":"no author"}]"#;
        let places = r#"[{"id":"moscow","name":"Moscow","kind":"city","lat":55.7,"lon":37.6}]"#;
        let events = r#"[
          {"id":"a","date":"1948-05-01","title":"Diplomatic relations","summary":"Ties established.","category":"diplomatic","sources":[{"source":"s","locator":"§1"}]},
          {"id":"b","date":"1966-01","title":"Tashkent Declaration","summary":"Signed after mediation.","category":"crisis","places":["moscow"],"sources":[{"source":"s","locator":"§2"}]}
        ]"#;
        load(&[
            ("sources.json", sources),
            ("places.json", places),
            ("events.json", events),
            ("eras.json", "[]"),
            ("series.json", "[]"),
            ("students.json", "[]"),
        ])
        .unwrap()
    }

    #[test]
    fn categories_and_words_filter() {
        let a = atlas();
        assert_eq!(mask(&a, &[true; Category::COUNT], ""), vec![true, true]);
        assert_eq!(mask(&a, &[true; Category::COUNT], "tashkent"), vec![false, true]);
        assert_eq!(mask(&a, &[true; Category::COUNT], "MOSCOW 1966"), vec![false, true]);
        assert_eq!(mask(&a, &[true; Category::COUNT], "1948 ties"), vec![true, false]);
        let mut cats = [true; Category::COUNT];
        cats[crate::data::Category::Crisis.index()] = false;
        assert_eq!(mask(&a, &cats, ""), vec![true, false]);
        assert_eq!(mask(&a, &[true; Category::COUNT], "nothing-like-this"), vec![false, false]);
    }
}
