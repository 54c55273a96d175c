//! The timeline's layout: everything the draw function needs, in canvas pixels, computed once
//! per frame from the data, the view and the filter, so that drawing is dumb and hit-testing
//! uses exactly the geometry that was drawn.
//!
//! The canvas is divided into a lane gutter on the left (a category's mark shape, and its name
//! when there is room), a row for era names at the top, one lane per category (in
//! [`Category::ALL`] order), and the axis row with tick labels at the bottom:
//!
//! ```text
//!  ┌────────┬──────── era names ───────────────┐
//!  │ ● Dipl │   ●      ◉(3)        ●            │
//!  │ ◆ Alig │ ◆                                 │
//!  │  …     │      ▬▬▬▬▬▬▬▬■▬▬▬▬                │
//!  │        ├───────────────────────────────────┤
//!  │        │ 1950      1960      1970          │
//!  └────────┴───────────────────────────────────┘
//! ```
//!
//! Marks that would overlap in a lane are merged into a cluster drawn with its count. Events
//! that do not match the filter are laid out (and clustered) separately from those that do, so
//! a dimmed mark never swallows a matching one and counts stay honest.

use super::scale::{TimeRange, TimeScale, CHAR_W};
use crate::data::{Atlas, Category, Event};
pub use crate::geom::Rect;
use crate::i18n::{t, Msg};
use std::ops::Range;

/// Font size of lane, era and tick labels (CSS px).
pub const FONT_PX: f64 = 12.0;
/// Font size of cluster counts.
pub const COUNT_FONT_PX: f64 = 10.0;
/// Estimated width of one character of a cluster count.
pub(crate) const COUNT_CHAR_W: f64 = crate::text::char_width(COUNT_FONT_PX);
/// Height of the row holding era names, above the lanes.
pub(crate) const ERA_ROW: f64 = 18.0;
/// Height of the row holding tick labels, below the lanes.
pub(crate) const AXIS_ROW: f64 = 22.0;
pub(crate) const RIGHT_PAD: f64 = 10.0;
/// Gutter with a shape and a short name per lane, and the icon-only gutter of narrow screens.
pub(crate) const WIDE_GUTTER: f64 = 116.0;
pub(crate) const NARROW_GUTTER: f64 = 24.0;
/// Room for a lane's name in the wide gutter: from its left edge (after the shape) to the plot.
pub(crate) const LANE_LABEL_X: f64 = 24.0;
#[cfg(test)]
pub(crate) const LANE_LABEL_ROOM: f64 = WIDE_GUTTER - LANE_LABEL_X - 2.0;
/// Below this canvas width the gutter shows shapes only.
pub(crate) const WIDE_FROM: f64 = 560.0;
/// Minimum free space between two marks in a lane.
pub(crate) const MARK_GAP: f64 = 2.0;
/// Extra reach of the pointer around marks and bars (fingers are wide).
pub const HIT_SLOP: f64 = 4.0;
pub(crate) const NO_MARK: u32 = u32::MAX;

/// A label that fits where it is put, centred on `(x, y)` unless said otherwise.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub text: String,
    pub x: f64,
    pub y: f64,
}

/// One category's horizontal lane.
#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    pub category: Category,
    /// Centre line, where marks sit.
    pub y: f64,
    pub top: f64,
    pub bottom: f64,
    /// Centre of the category's shape in the gutter.
    pub icon_x: f64,
    /// Short name, left-aligned at `x` and vertically centred on the lane; `None` when the
    /// gutter or the lane is too small for text.
    pub label: Option<(&'static str, f64)>,
}

/// An era's shaded band, clipped to the plot, with its name in the top row when it fits.
#[derive(Clone, Debug, PartialEq)]
pub struct EraBand {
    pub era: usize,
    pub rect: Rect,
    /// Which of `theme.era_fill` to use (alternates by era, so colours stay put while panning).
    pub fill: usize,
    pub label: Option<Label>,
}

/// A grid line and, when it does not collide with its neighbours, its label (top-anchored).
#[derive(Clone, Debug, PartialEq)]
pub struct AxisTick {
    pub x: f64,
    pub major: bool,
    pub label: Option<Label>,
}

/// A mark in a lane: one event, or a cluster of events too close to draw apart.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub x: f64,
    pub y: f64,
    /// Radius; larger for clusters, which carry a count.
    pub r: f64,
    pub category: Category,
    /// Whether the events match the filter (else they are drawn dimmed).
    pub matching: bool,
    /// Whether the event is an agreement (for a cluster: whether any member is).
    pub agreement: bool,
    /// The events, as a range into [`TimelineLayout::members`]; sorted by x.
    pub members: Range<usize>,
    /// The earliest start and latest end of the members' dates (fractional years), for zooming
    /// into a cluster.
    pub years: (f64, f64),
}

impl Mark {
    pub fn count(&self) -> usize {
        self.members.len()
    }
    pub fn is_cluster(&self) -> bool {
        self.members.len() > 1
    }
}

/// The bar of an event with an end date, or several overlapping ones merged; clipped to the plot.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub x0: f64,
    pub x1: f64,
    /// Centre line and thickness.
    pub y: f64,
    pub h: f64,
    pub category: Category,
    pub matching: bool,
    /// The events, as a range into [`TimelineLayout::bar_members`].
    pub members: Range<usize>,
    pub years: (f64, f64),
}

/// Everything needed to draw one frame and to answer pointer questions about it.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineLayout {
    pub width: f64,
    pub height: f64,
    /// The area of the lanes (the axis row lies below it, the era-name row above).
    pub plot: Rect,
    /// The range mapped onto the plot's pixels. Pan and zoom this one (pointer x in canvas
    /// pixels) and store its [`TimeScale::range`] in the app state.
    pub view: TimeScale,
    /// Base radius of a single mark.
    pub radius: f64,
    pub lanes: Vec<Lane>,
    pub eras: Vec<EraBand>,
    pub ticks: Vec<AxisTick>,
    /// Bars in drawing order: dimmed before matching, then by lane, then by x.
    pub bars: Vec<Bar>,
    /// Marks in drawing order: dimmed before matching, then by lane, then by x.
    pub marks: Vec<Mark>,
    /// Event indices referred to by [`Mark::members`].
    pub members: Vec<usize>,
    /// Event indices referred to by [`Bar::members`].
    pub bar_members: Vec<usize>,
    /// For each event with a visible bar: (event, x0, x1, y), sorted by event.
    pub spans: Vec<(usize, f64, f64, f64)>,
    /// `marks` index per event (`NO_MARK` when off screen).
    pub(crate) mark_of: Vec<u32>,
    /// `marks` / `bars` ranges per lane and group (0 dimmed, 1 matching), each sorted by x.
    pub(crate) mark_groups: [[Range<usize>; 2]; 7],
    pub(crate) bar_groups: [[Range<usize>; 2]; 7],
}

/// A short lane name for the wide gutter, in the active language.
pub fn short_label(c: Category) -> &'static str {
    t(lane_msg(c))
}

/// The message of a lane's short name (each language's must fit [`LANE_LABEL_ROOM`]).
pub(crate) fn lane_msg(c: Category) -> Msg {
    match c {
        Category::Diplomatic => Msg::TimelineLaneDiplomatic,
        Category::Alignment => Msg::TimelineLaneAlignment,
        Category::Military => Msg::TimelineLaneMilitary,
        Category::Economic => Msg::TimelineLaneEconomic,
        Category::Social => Msg::TimelineLaneSocial,
        Category::Humanitarian => Msg::TimelineLaneHumanitarian,
        Category::Crisis => Msg::TimelineLaneCrisis,
    }
}

/// Where an event's mark sits: the middle of the period its start date covers (so "1965" is
/// drawn at mid-1965, not on 1 January).
pub fn event_year(e: &Event) -> f64 {
    e.start().mid_year()
}

/// The years an event covers, from the start of its start date to the end of its end date.
pub fn event_years(e: &Event) -> (f64, f64) {
    let start = e.start();
    (start.start_year(), e.end_date().unwrap_or(start).end_year())
}

/// `text` if it fits in `avail` px, else cut with an ellipsis, else `None` (fewer than three
/// characters would be left).
pub(crate) fn fit(text: &str, avail: f64) -> Option<String> {
    let n = text.chars().count();
    if n as f64 * CHAR_W <= avail {
        return Some(text.to_string());
    }
    let keep = (avail / CHAR_W).floor() as usize;
    (keep >= 4).then(|| crate::text::ellipsize(text, keep))
}

/// Characters in a cluster's count label (see [`count_label`]); arithmetic, as clustering asks
/// for it on every comparison.
pub fn count_label_chars(n: usize) -> usize {
    let digits = |mut v: usize| {
        let mut d = 1;
        while v >= 10 {
            v /= 10;
            d += 1;
        }
        d
    };
    if n < 1000 {
        digits(n)
    } else {
        digits(n / 1000) + 2
    }
}

/// Writes a cluster's count label into `buf` without allocating: "7", "999", "3k+", "12k+".
pub fn count_label(n: usize, buf: &mut [u8; 8]) -> &str {
    use std::io::Write;
    let mut cursor = std::io::Cursor::new(&mut buf[..]);
    let _ = if n < 1000 { write!(cursor, "{n}") } else { write!(cursor, "{}k+", n / 1000) };
    let len = cursor.position() as usize;
    std::str::from_utf8(&buf[..len]).unwrap_or("")
}

/// A mark being built by the clustering pass.
pub(crate) struct Acc {
    sum_x: f64,
    first: usize,
    n: usize,
    years: (f64, f64),
    agreement: bool,
}

impl Acc {
    fn x(&self) -> f64 {
        self.sum_x / self.n as f64
    }
}

/// Lays out the timeline on a `width` × `height` canvas (CSS px) for `range` (mapped onto the
/// plot's pixels here, the one place they are decided), dimming the events whose `mask` entry is false (a short or empty
/// mask counts as all-matching).
pub fn layout(atlas: &Atlas, range: &TimeRange, width: f64, height: f64, mask: &[bool]) -> TimelineLayout {
    let width = if width.is_finite() { width.max(1.0) } else { 1.0 };
    let height = if height.is_finite() { height.max(1.0) } else { 1.0 };
    let wide = width >= WIDE_FROM;
    let gutter = if wide { WIDE_GUTTER } else { NARROW_GUTTER };
    let plot = Rect {
        x0: gutter,
        y0: ERA_ROW,
        x1: (width - RIGHT_PAD).max(gutter + 1.0),
        y1: (height - AXIS_ROW).max(ERA_ROW + 7.0),
    };
    let view = range.on(plot.x0, plot.width());
    let lane_h = (plot.y1 - plot.y0) / Category::ALL.len() as f64;
    let radius = (lane_h * 0.28).clamp(3.0, 6.0);
    // A cluster's radius grows with its count label but stays inside the lane.
    let max_r = (lane_h / 2.0 - 1.0).max(radius);
    let cluster_r = |n: usize| -> f64 {
        if n == 1 {
            radius
        } else {
            (count_label_chars(n) as f64 * COUNT_CHAR_W / 2.0 + 3.0).max(radius + 2.0).min(max_r)
        }
    };

    let lanes: Vec<Lane> = Category::ALL
        .iter()
        .enumerate()
        .map(|(i, &category)| {
            let top = plot.y0 + i as f64 * lane_h;
            let label = (wide && lane_h >= FONT_PX + 2.0).then_some((short_label(category), LANE_LABEL_X));
            Lane { category, y: top + lane_h / 2.0, top, bottom: top + lane_h, icon_x: 12.0, label }
        })
        .collect();

    let eras = layout_eras(atlas, &view, &plot);
    let ticks = layout_ticks(&view, &plot, width);

    // Candidates per lane and group (0 dimmed, 1 matching): marks as (x, event), bars as
    // (x0, x1, event). Events are few enough per frame that one pass over all of them is cheap;
    // a bar starting before the view can still reach into it, so no binary search here.
    let n = atlas.events.len();
    let mut mark_cands: [[Vec<(f64, usize)>; 2]; 7] = Default::default();
    let mut bar_cands: [[Vec<(f64, f64, usize)>; 2]; 7] = Default::default();
    let mut spans = Vec::new();
    let bar_h = (radius * 0.9).max(3.0);
    for (i, e) in atlas.events.iter().enumerate() {
        let lane = e.category.get().index();
        let group = usize::from(mask.get(i).copied().unwrap_or(true));
        let start = e.start();
        if let Some(end) = e.end_date() {
            let (x0, x1) = (view.x_of(start.start_year()), view.x_of(end.end_year()));
            if x1 >= plot.x0 && x0 <= plot.x1 {
                let (x0, x1) = (x0.max(plot.x0), x1.min(plot.x1));
                bar_cands[lane][group].push((x0, x1, i));
                spans.push((i, x0, x1, lanes[lane].y));
            }
        }
        let x = view.x_of(start.mid_year());
        if x >= plot.x0 && x <= plot.x1 {
            mark_cands[lane][group].push((x, i));
        }
    }

    let mut marks = Vec::new();
    let mut members = Vec::with_capacity(n.min(4096));
    let mut bars: Vec<Bar> = Vec::new();
    let mut bar_members = Vec::new();
    let mut mark_groups: [[Range<usize>; 2]; 7] = Default::default();
    let mut bar_groups: [[Range<usize>; 2]; 7] = Default::default();
    let mut stack: Vec<Acc> = Vec::new();
    for group in 0..2 {
        for (lane, cands) in mark_cands.iter_mut().enumerate() {
            let category = Category::ALL[lane];
            let y = lanes[lane].y;

            // Bars: sorted by start, overlapping ones merged into one.
            let bc = &mut bar_cands[lane][group];
            crate::order::sort_by_key(bc, |b| crate::order::f64_key(b.0));
            let first_bar = bars.len();
            for &(x0, x1, i) in bc.iter() {
                let years = event_years(&atlas.events[i]);
                bar_members.push(i);
                // Only a bar of this lane and group (pushed since `first_bar`) may absorb it.
                if bars.len() > first_bar {
                    let b = bars.last_mut().expect("non-empty");
                    if x0 <= b.x1 + 1.0 {
                        b.x1 = b.x1.max(x1);
                        b.years = (b.years.0.min(years.0), b.years.1.max(years.1));
                        b.members.end += 1;
                        continue;
                    }
                }
                let k = bar_members.len() - 1;
                bars.push(Bar { x0, x1, y, h: bar_h, category, matching: group == 1, members: k..k + 1, years });
            }
            bar_groups[lane][group] = first_bar..bars.len();

            // Marks: greedy left to right. Each new mark is pushed on a stack; while the top two
            // would overlap they merge into one cluster at their members' mean x. The mean lies
            // between the two, so order is kept, and the merged mark is checked again against
            // the one below it. No two marks left on the stack overlap; amortised linear time.
            let mc = &mut cands[group];
            // Nearly sorted already (events are in date order), so this is cheap.
            crate::order::sort_by_key(mc, |m| crate::order::f64_key(m.0));
            stack.clear();
            for &(x, i) in mc.iter() {
                let e = &atlas.events[i];
                stack.push(Acc {
                    sum_x: x,
                    first: members.len(),
                    n: 1,
                    years: event_years(e),
                    agreement: e.is_agreement(),
                });
                members.push(i);
                while stack.len() >= 2 {
                    let (a, b) = (&stack[stack.len() - 2], &stack[stack.len() - 1]);
                    if b.x() - a.x() >= cluster_r(a.n) + cluster_r(b.n) + MARK_GAP {
                        break;
                    }
                    let b = stack.pop().expect("two on the stack");
                    let a = stack.last_mut().expect("two on the stack");
                    a.sum_x += b.sum_x;
                    a.n += b.n;
                    a.years = (a.years.0.min(b.years.0), a.years.1.max(b.years.1));
                    a.agreement |= b.agreement;
                }
            }
            let first_mark = marks.len();
            marks.extend(stack.drain(..).map(|a| Mark {
                x: a.x(),
                y,
                r: cluster_r(a.n),
                category,
                matching: group == 1,
                agreement: a.agreement,
                members: a.first..a.first + a.n,
                years: a.years,
            }));
            mark_groups[lane][group] = first_mark..marks.len();
        }
    }

    let mut mark_of = vec![NO_MARK; n];
    for (k, m) in marks.iter().enumerate() {
        for &i in &members[m.members.clone()] {
            mark_of[i] = k as u32;
        }
    }

    TimelineLayout {
        width,
        height,
        plot,
        view,
        radius,
        lanes,
        eras,
        ticks,
        bars,
        marks,
        members,
        bar_members,
        spans,
        mark_of,
        mark_groups,
        bar_groups,
    }
}

pub(crate) fn layout_eras(atlas: &Atlas, view: &TimeScale, plot: &Rect) -> Vec<EraBand> {
    let mut out = Vec::new();
    let mut last_right = f64::NEG_INFINITY;
    for (k, era) in atlas.eras.iter().enumerate() {
        let start = era.start.get().start_year();
        // An era that continues today runs to the end of the data range.
        let end = era.end.as_ref().map_or(view.limits.hi, |e| e.get().end_year());
        let (x0, x1) = (view.x_of(start).max(plot.x0), view.x_of(end).min(plot.x1));
        if x1 <= x0 {
            continue;
        }
        // The name is centred in the part of the band that the previous name leaves free (eras
        // that meet in a year overlap by that year), cut with an ellipsis or dropped if it
        // cannot fit.
        let left = (x0 + 4.0).max(last_right + 6.0);
        let avail = x1 - 4.0 - left;
        let label = fit(&era.title, avail).map(|text| {
            let w = crate::text::text_width(&text, FONT_PX);
            let x = left + avail / 2.0;
            last_right = x + w / 2.0;
            Label { text, x, y: ERA_ROW / 2.0 }
        });
        out.push(EraBand { era: k, rect: Rect { x0, y0: 0.0, x1, y1: plot.y1 }, fill: k % 2, label });
    }
    out
}

pub(crate) fn layout_ticks(view: &TimeScale, plot: &Rect, width: f64) -> Vec<AxisTick> {
    let mut last_right = f64::NEG_INFINITY;
    view.ticks()
        .into_iter()
        .map(|t| {
            let x = view.x_of(t.year);
            let w = crate::text::text_width(&t.label, FONT_PX);
            // Labels near the ends shift inwards to stay on the canvas; one that would then
            // touch its neighbour is dropped (its grid line stays).
            let lx = x.clamp(w / 2.0 + 1.0, (width - w / 2.0 - 1.0).max(w / 2.0 + 1.0));
            let label = (lx - w / 2.0 >= last_right + 4.0).then(|| {
                last_right = lx + w / 2.0;
                Label { text: t.label, x: lx, y: plot.y1 + 5.0 }
            });
            AxisTick { x, major: t.major, label }
        })
        .collect()
}
