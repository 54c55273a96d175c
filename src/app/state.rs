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
    pub view: RwSignal<crate::scale::TimeScale>,
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
}

impl AppState {
    pub fn new(atlas: &'static Atlas) -> AppState {
        AppState {
            atlas,
            selected: RwSignal::new(None),
            categories: RwSignal::new([true; 7]),
            search: RwSignal::new(String::new()),
            sort: RwSignal::new((SortKey::Date, true)),
            dark: RwSignal::new(false),
            layout_epoch: RwSignal::new(0),
            view: RwSignal::new(full_view(atlas)),
            hovered: RwSignal::new(None),
            place: RwSignal::new(None),
            map_view: RwSignal::new(None),
            panel: RwSignal::new(None),
            embed: RwSignal::new(false),
        }
    }

    pub fn theme(&self) -> crate::render::Theme {
        if self.dark.get() {
            crate::render::Theme::dark()
        } else {
            crate::render::Theme::light()
        }
    }

    /// One flag per event: does it match the category toggles and the search text?
    pub fn filter_mask(&self) -> Vec<bool> {
        let cats = self.categories.get();
        let query = self.search.get();
        let place = self.place.get();
        let mut m = crate::filter::mask(self.atlas, &cats, &query);
        self.restrict_to_place(&mut m, place);
        m
    }
}

impl AppState {
    pub fn filter_mask_untracked(&self) -> Vec<bool> {
        let cats = self.categories.get_untracked();
        let mut m = self.search.with_untracked(|q| crate::filter::mask(self.atlas, &cats, q));
        self.restrict_to_place(&mut m, self.place.get_untracked());
        m
    }

    fn restrict_to_place(&self, mask: &mut [bool], place: Option<usize>) {
        let Some(p) = place.and_then(|i| self.atlas.places.get(i)) else { return };
        for (m, e) in mask.iter_mut().zip(&self.atlas.events) {
            *m = *m && crate::filter::event_at_place(self.atlas, e, &p.id);
        }
    }

    pub fn theme_untracked(&self) -> crate::render::Theme {
        if self.dark.get_untracked() {
            crate::render::Theme::dark()
        } else {
            crate::render::Theme::light()
        }
    }
}

pub fn use_state() -> AppState {
    expect_context::<AppState>()
}

pub fn category_on(cats: &[bool; 7], c: Category) -> bool {
    cats[c.index()]
}

/// The whole relationship: 1947 (or the earliest event) to today.
pub fn full_view(atlas: &Atlas) -> crate::scale::TimeScale {
    let (lo, hi) = atlas.year_range();
    crate::scale::TimeScale::full(crate::scale::Limits::covering(lo, hi))
}
