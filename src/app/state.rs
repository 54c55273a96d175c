//! App state: one struct of signals, shared through context, holding domain values only (years,
//! a geographic map view, indices into the data, filters). Pixels live in each frame's layout.
//! Each canvas redraws from one memo of everything it draws ([`TimelineScene`], [`MapScene`],
//! [`ChartScene`]), so an input that a view draws cannot be left out of its redraw.

use crate::data::{Atlas, Category, CategorySet, Chapter};
use crate::map::GeoView;
use crate::render::Theme;
use crate::story::StoryPos;
use crate::timeline::TimeRange;
use crate::ui::SortKey;
use crate::urlstate::{Embed, Panel};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct AppState {
    /// The validated dataset; lives as long as the page.
    pub atlas: &'static Atlas,
    /// The selected event, as an index into `atlas.events` (date order).
    pub selected: RwSignal<Option<usize>>,
    /// Categories shown; a hidden category's events are dimmed on the timeline and left out of
    /// the table.
    pub categories: RwSignal<CategorySet>,
    pub search: RwSignal<String>,
    pub sort: RwSignal<(SortKey, bool)>,
    /// Whether the dark theme is in use (from `prefers-color-scheme`).
    pub dark: RwSignal<bool>,
    /// The years the timeline shows (and the map counts events in).
    pub range: RwSignal<TimeRange>,
    /// The event under the pointer or the keyboard cursor on the timeline.
    pub hovered: RwSignal<Option<usize>>,
    /// The selected place (index into `atlas.places`): the timeline and table show only its
    /// events while it is set.
    pub place: RwSignal<Option<usize>>,
    /// The place under the pointer or the keyboard cursor on the map.
    pub map_focus: RwSignal<Option<usize>>,
    /// The border unit under the pointer on the map (index into the border file's units).
    pub hover_unit: RwSignal<Option<usize>>,
    /// The map view; `None` is the home view (every place, fitted to the canvas).
    pub map_view: RwSignal<Option<GeoView>>,
    /// An open panel.
    pub panel: RwSignal<Option<Panel>>,
    /// Embedded in another page: the compact atlas or one view alone.
    pub embed: RwSignal<Option<Embed>>,
    /// The story: its chapters (loaded when first needed) and the step shown. One signal, so
    /// the wasm carries one more signal type, not three.
    pub story: RwSignal<Story>,
    /// Bumped when the window is resized or the device pixel ratio changes, so canvases redraw.
    pub layout_epoch: RwSignal<u32>,
    /// One flag per event: does it match the category toggles, the search text and the
    /// selected place? Derived once per change of those, not on every redraw.
    mask: Memo<Vec<bool>>,
}

/// The story's part of the state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Story {
    /// The step shown, while the story is open.
    pub pos: Option<StoryPos>,
    pub data: StoryData,
    /// A step an address asked for (chapter id, step from 1) while the story was loading.
    pub wanted: Option<(String, Option<u32>)>,
}

/// Where the story's chapters are.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum StoryData {
    #[default]
    NotLoaded,
    Loading,
    Ready(&'static [Chapter]),
    /// Why the file could not be loaded or read.
    Failed(String),
}

/// Everything the timeline draws.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineScene {
    /// The canvas's CSS size, from its ResizeObserver (never read from the DOM while drawing).
    pub size: (f64, f64),
    pub range: TimeRange,
    pub mask: Vec<bool>,
    pub selected: Option<usize>,
    pub hovered: Option<usize>,
    pub dark: bool,
    pub epoch: u32,
}

/// Everything the map draws.
#[derive(Clone, Debug, PartialEq)]
pub struct MapScene {
    /// The canvas's CSS size, from its ResizeObserver (never read from the DOM while drawing).
    pub size: (f64, f64),
    pub view: Option<GeoView>,
    pub mask: Vec<bool>,
    pub range: TimeRange,
    pub selected: Option<usize>,
    pub place: Option<usize>,
    pub focus: Option<usize>,
    pub hover_unit: Option<usize>,
    pub dark: bool,
    pub epoch: u32,
}

/// Everything a chart draws (its data is fixed).
#[derive(Clone, Debug, PartialEq)]
pub struct ChartScene {
    /// The canvas's CSS size, from its ResizeObserver.
    pub size: (f64, f64),
    pub dark: bool,
    pub epoch: u32,
    /// Series and Table 2 rows that the story step highlights (empty: none).
    pub series: Vec<String>,
    pub students: Vec<String>,
}

impl AppState {
    pub fn new(atlas: &'static Atlas) -> AppState {
        let categories = RwSignal::new([true; Category::COUNT]);
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
            range: RwSignal::new(full_range(atlas)),
            hovered: RwSignal::new(None),
            place,
            map_focus: RwSignal::new(None),
            hover_unit: RwSignal::new(None),
            map_view: RwSignal::new(None),
            panel: RwSignal::new(None),
            embed: RwSignal::new(None),
            story: RwSignal::new(Story::default()),
            mask,
        }
    }

    /// The story's chapters, tracked; empty until they are loaded.
    pub fn chapters(&self) -> &'static [Chapter] {
        self.story.with(|s| match s.data {
            StoryData::Ready(c) => c,
            _ => &[],
        })
    }

    /// The story step shown, tracked.
    pub fn story_pos(&self) -> Option<StoryPos> {
        self.story.with(|s| s.pos)
    }

    pub fn story_pos_untracked(&self) -> Option<StoryPos> {
        self.story.with_untracked(|s| s.pos)
    }

    pub fn set_story_pos(&self, pos: Option<StoryPos>) {
        self.story.update(|s| s.pos = pos);
    }

    /// [`AppState::chapters`], untracked.
    pub fn chapters_untracked(&self) -> &'static [Chapter] {
        self.story.with_untracked(|s| match s.data {
            StoryData::Ready(c) => c,
            _ => &[],
        })
    }

    pub fn theme(&self) -> Theme {
        theme_of(self.dark.get())
    }

    /// The filter flags (see `mask`), tracked.
    pub fn filter_mask(&self) -> Vec<bool> {
        self.mask.get()
    }

    /// The timeline's scene on a canvas of `size`, tracking every signal it reads.
    pub fn timeline_scene(&self, size: (f64, f64)) -> TimelineScene {
        TimelineScene {
            size,
            range: self.range.get(),
            mask: self.mask.get(),
            selected: self.selected.get(),
            hovered: self.hovered.get(),
            dark: self.dark.get(),
            epoch: self.layout_epoch.get(),
        }
    }

    /// The map's scene, tracking every signal it reads.
    pub fn map_scene(&self, size: (f64, f64)) -> MapScene {
        MapScene {
            size,
            view: self.map_view.get(),
            mask: self.mask.get(),
            range: self.range.get(),
            selected: self.selected.get(),
            place: self.place.get(),
            focus: self.map_focus.get(),
            hover_unit: self.hover_unit.get(),
            dark: self.dark.get(),
            epoch: self.layout_epoch.get(),
        }
    }

    /// A chart's scene, tracking every signal it reads.
    pub fn chart_scene(&self, size: (f64, f64)) -> ChartScene {
        let chapters = self.chapters();
        let (series, students) = self
            .story_pos()
            .and_then(|p| p.step(chapters))
            .map(|s| (s.state.series.clone(), s.state.students.clone()))
            .unwrap_or_default();
        ChartScene { size, dark: self.dark.get(), epoch: self.layout_epoch.get(), series, students }
    }
}

/// The theme for the dark flag.
pub fn theme_of(dark: bool) -> Theme {
    if dark {
        Theme::dark()
    } else {
        Theme::light()
    }
}

/// The filter flags of `atlas`'s events, recomputed when the toggles, search or place change.
fn mask_memo(
    atlas: &'static Atlas,
    categories: RwSignal<CategorySet>,
    search: RwSignal<String>,
    place: RwSignal<Option<usize>>,
) -> Memo<Vec<bool>> {
    Memo::new(move |_| {
        let cats = categories.get();
        let place = place.get();
        search.with(|q| crate::filter::full_mask(atlas, &cats, q, place))
    })
}

pub fn use_state() -> AppState {
    expect_context::<AppState>()
}

pub use crate::timeline::full_range;
