//! App state: one struct of signals, shared through context. The views read it and write it;
//! nothing else holds state that another view needs.

use crate::data::{Atlas, Category};
use leptos::prelude::*;

/// Which column the events table is sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    Date,
    Category,
}

#[derive(Clone, Copy)]
pub struct AppState {
    /// The validated dataset; lives as long as the page.
    pub atlas: &'static Atlas,
    /// The selected event, as an index into `atlas.events` (date order).
    pub selected: RwSignal<Option<usize>>,
    /// Categories shown; a hidden category's events are dimmed on the timeline and left out of
    /// the table.
    pub categories: RwSignal<[bool; 7]>,
    pub search: RwSignal<String>,
    pub sort: RwSignal<(SortKey, bool)>,
    /// Whether the dark theme is in use (from `prefers-color-scheme`).
    pub dark: RwSignal<bool>,
    /// The timeline's visible range (pixel fields are set by each layout).
    pub view: RwSignal<crate::timeline::TimeScale>,
    /// The event under the pointer or the keyboard cursor on the timeline.
    pub hovered: RwSignal<Option<usize>>,
    /// The selected place (index into `atlas.places`): the timeline and table show only its
    /// events while it is set.
    pub place: RwSignal<Option<usize>>,
    /// The map view as (longitude, latitude, zoom), when moved from the default.
    pub map_view: RwSignal<Option<(f64, f64, f64)>>,
    /// An open panel (e.g. "embed").
    pub panel: RwSignal<Option<String>>,
    /// The compact layout for embedding in other pages.
    pub embed: RwSignal<bool>,
    /// Bumped when the window is resized or the device pixel ratio changes, so canvases redraw.
    pub layout_epoch: RwSignal<u32>,
    /// One flag per event: does it match the category toggles, the search text and the
    /// selected place? Derived once per change of those, not on every redraw.
    mask: Memo<Vec<bool>>,
}

impl AppState {
    pub fn new(atlas: &'static Atlas) -> AppState {
        let categories = RwSignal::new([true; 7]);
        let search = RwSignal::new(String::new());
        let place: RwSignal<Option<usize>> = RwSignal::new(None);
        let mask = mask_memo(atlas, categories, search, place);
        AppState {
            atlas,
            selected: RwSignal::new(None),
            categories,
            search,
            sort: RwSignal::new((SortKey::Date, true)),
            dark: RwSignal::new(false),
            layout_epoch: RwSignal::new(0),
            view: RwSignal::new(full_view(atlas)),
            hovered: RwSignal::new(None),
            place,
            map_view: RwSignal::new(None),
            panel: RwSignal::new(None),
            embed: RwSignal::new(false),
            mask,
        }
    }

    pub fn theme(&self) -> crate::render::Theme {
        if self.dark.get() {
            crate::render::Theme::dark()
        } else {
            crate::render::Theme::light()
        }
    }

    /// The same signals over another dataset (the benchmark's generated one), with its mask.
    pub fn with_atlas(&self, atlas: &'static Atlas) -> AppState {
        AppState { atlas, mask: mask_memo(atlas, self.categories, self.search, self.place), ..*self }
    }

    /// The filter flags (see `mask`), tracked.
    pub fn filter_mask(&self) -> Vec<bool> {
        self.mask.get()
    }

    /// The filter flags, for drawing code that runs outside the reactive graph.
    pub fn filter_mask_untracked(&self) -> Vec<bool> {
        self.mask.get_untracked()
    }

    pub fn theme_untracked(&self) -> crate::render::Theme {
        if self.dark.get_untracked() {
            crate::render::Theme::dark()
        } else {
            crate::render::Theme::light()
        }
    }
}

/// The filter flags of `atlas`'s events, recomputed when the toggles, search or place change.
fn mask_memo(
    atlas: &'static Atlas,
    categories: RwSignal<[bool; 7]>,
    search: RwSignal<String>,
    place: RwSignal<Option<usize>>,
) -> Memo<Vec<bool>> {
    Memo::new(move |_| {
        let cats = categories.get();
        let mut m = search.with(|q| crate::filter::mask(atlas, &cats, q));
        if let Some(p) = place.get().and_then(|i| atlas.places.get(i)) {
            for (m, e) in m.iter_mut().zip(&atlas.events) {
                *m = *m && crate::filter::event_at_place(atlas, e, &p.id);
            }
        }
        m
    })
}

pub fn use_state() -> AppState {
    expect_context::<AppState>()
}

pub fn category_on(cats: &[bool; 7], c: Category) -> bool {
    cats[c.index()]
}

/// The whole relationship: 1947 (or the earliest event) to today.
pub fn full_view(atlas: &Atlas) -> crate::timeline::TimeScale {
    let (lo, hi) = atlas.year_range();
    crate::timeline::TimeScale::full(crate::timeline::Limits::covering(lo, hi))
}
