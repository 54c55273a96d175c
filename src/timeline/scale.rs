//! The timeline's time scale: which years are visible and where they land in pixels, pan and zoom
//! with limits, and axis ticks that adapt to the zoom.
//!
//! Two plain `Copy` values (egui's pan/zoom demo keeps its view the same way): [`TimeRange`],
//! the years shown, is what the app state and the URL hold; [`TimeScale`] is that range mapped
//! onto a frame's pixels, made inside each layout and never stored. A pan or zoom made with
//! the pointer goes through the last frame's scale and comes back as a range.
//!
//! Years are fractional (`1948.33` is about 1 May 1948), as produced by
//! [`crate::data::Date::start_year`] and friends. Pixels are CSS pixels of whatever surface the
//! scale is mapped to: `x_of(start) == left`, `x_of(end) == left + width`.

use crate::lang::Lang;

/// Bounds for panning and zooming, in fractional years.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// Earliest visible year.
    pub lo: f64,
    /// Latest visible year.
    pub hi: f64,
    /// Narrowest visible span (the most zoomed-in view).
    pub min_span: f64,
    /// Widest visible span (the most zoomed-out view); never more than `hi - lo`.
    pub max_span: f64,
}

impl Limits {
    /// 1947 to the end of 2026 (today), with a year's margin either side so that marks at the
    /// very ends are not cut off; no closer than six months.
    pub const DEFAULT: Limits = Limits { lo: 1946.0, hi: 2028.0, min_span: 0.5, max_span: 82.0 };

    /// Limits covering the default range and also every year in `(lo, hi)` (e.g.
    /// `atlas.year_range()`), with the same one-year margin.
    pub fn covering(lo: f64, hi: f64) -> Limits {
        let d = Limits::DEFAULT;
        let lo = if lo.is_finite() { (lo - 1.0).min(d.lo) } else { d.lo };
        let hi = if hi.is_finite() { (hi + 1.0).max(d.hi) } else { d.hi };
        Limits { lo, hi, min_span: d.min_span, max_span: hi - lo }
    }

    fn widest(&self) -> f64 {
        self.max_span.min(self.hi - self.lo).max(self.min_span)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// The visible years `[start, end]`, within `limits`: a domain value (no pixels).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeRange {
    pub start: f64,
    pub end: f64,
    pub limits: Limits,
}

impl TimeRange {
    /// The widest range the limits allow.
    pub fn full(limits: Limits) -> TimeRange {
        TimeRange::new(limits.lo, limits.hi, limits)
    }

    /// `[start, end]` clamped to `limits` (garbage gives the full range).
    pub fn new(start: f64, end: f64, limits: Limits) -> TimeRange {
        let mut r = TimeRange { start, end, limits };
        r.clamp();
        r
    }

    pub fn span(&self) -> f64 {
        self.end - self.start
    }

    /// The whole years the range shows, as the timeline's range line and Play say them
    /// ("Showing 1946 to 2028"): its ends rounded down, within 1900–2100.
    pub fn shown_years(&self) -> (i64, i64) {
        (self.start.max(1900.0).floor() as i64, self.end.min(2100.0).floor() as i64)
    }

    /// Whether `year` is inside the range.
    pub fn contains(&self, year: f64) -> bool {
        year >= self.start && year <= self.end
    }

    /// This range on the pixels `[left, left + width]` of a frame.
    pub fn on(self, left: f64, width: f64) -> TimeScale {
        TimeScale { start: self.start, end: self.end, left, width, limits: self.limits }
    }

    /// Shows `[start, end]` (clamped); `true` if the range changed.
    pub fn set_range(&mut self, start: f64, end: f64) -> bool {
        let before = *self;
        self.start = start;
        self.end = end;
        self.clamp();
        *self != before
    }

    /// Zooms by `factor` (> 1 zooms in) about the middle of the range.
    pub fn zoom_centre(&mut self, factor: f64) {
        if !(factor.is_finite() && factor > 0.0) {
            return;
        }
        let mid = (self.start + self.end) / 2.0;
        let half = self.span() / factor / 2.0;
        self.set_range(mid - half, mid + half);
    }

    /// Shows the years `lo..hi` with a margin of a tenth either side (at least the minimum
    /// span); `false` if nothing changed (already there, or at the zoom limit).
    pub fn zoom_to(&mut self, lo: f64, hi: f64) -> bool {
        let pad = (hi - lo).abs() * 0.1;
        self.set_range(lo.min(hi) - pad, lo.max(hi) + pad)
    }

    /// Puts the range back within its limits: span between `min_span` and the widest allowed,
    /// inside `[lo, hi]`; a non-finite or reversed range becomes the full range.
    pub fn clamp(&mut self) {
        let lim = self.limits;
        if !(self.start.is_finite() && self.end.is_finite()) || self.end < self.start {
            self.start = lim.lo;
            self.end = lim.hi;
        }
        let span = (self.end - self.start).clamp(lim.min_span, lim.widest());
        let centre = (self.start + self.end) / 2.0;
        let mut start = centre - span / 2.0;
        if start + span > lim.hi {
            start = lim.hi - span;
        }
        if start < lim.lo {
            start = lim.lo;
        }
        self.start = start;
        self.end = start + span;
    }
}

impl Default for TimeRange {
    fn default() -> Self {
        TimeRange::full(Limits::DEFAULT)
    }
}

/// The visible range of years `[start, end]` mapped onto the pixels `[left, left + width]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeScale {
    pub start: f64,
    pub end: f64,
    /// Pixel x of `start`.
    pub left: f64,
    /// Pixel width of the visible range (> 0).
    pub width: f64,
    pub limits: Limits,
}

/// The full default range on an 800 px wide surface; the layout sets the real pixels.
impl Default for TimeScale {
    fn default() -> Self {
        TimeScale::full(Limits::DEFAULT)
    }
}

/// An axis tick: where, what it says, and whether it starts a larger unit (a decade for year
/// ticks, a year for month ticks) and so gets a stronger grid line.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub year: f64,
    pub label: String,
    pub major: bool,
}

/// Estimated width of one character of a 12 px sans-serif label. plotters can only measure
/// text in the browser through a DOM round trip per label, so all label fitting uses this.
pub const CHAR_W: f64 = crate::text::char_width(12.0);
/// Minimum free space between two tick labels.
const TICK_LABEL_GAP: f64 = 10.0;

const MONTH_ABBR: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/// Russian month abbreviations as ICU writes them standing alone (glossary §5c).
const RU_MONTH_ABBR: [&str; 12] =
    ["янв.", "февр.", "март", "апр.", "май", "июнь", "июль", "авг.", "сент.", "окт.", "нояб.", "дек."];

/// A month tick's label (`month` 1–12): English and Russian abbreviations; Urdu has none, so
/// its months are written in full ([`Lang::month`]).
pub fn month_tick(lang: Lang, month: u8) -> &'static str {
    let m = (month as usize).clamp(1, 12) - 1;
    match lang {
        Lang::En => MONTH_ABBR[m],
        Lang::Ru => RU_MONTH_ABBR[m],
        Lang::Ur => lang.month(month),
    }
}

/// The longest tick label of `lang`, in characters: a year ("1965") or a month tick.
fn tick_label_chars(lang: Lang) -> f64 {
    (1..=12).map(|m| month_tick(lang, m).chars().count()).max().unwrap_or(0).max(4) as f64
}

/// Tick steps from fine to coarse. Month steps are counted in whole months so that ticks fall
/// exactly on month starts (`year + (month - 1) / 12`, as `Date::start_year` has it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TickStep {
    Months(u32),
    Years(u32),
}

impl TickStep {
    const ALL: [TickStep; 8] = [
        TickStep::Months(1),
        TickStep::Months(3),
        TickStep::Years(1),
        TickStep::Years(2),
        TickStep::Years(5),
        TickStep::Years(10),
        TickStep::Years(20),
        TickStep::Years(50),
    ];

    pub fn years(self) -> f64 {
        match self {
            TickStep::Months(m) => m as f64 / 12.0,
            TickStep::Years(y) => y as f64,
        }
    }
}

/// The smallest multiple of `m` (> 0) that is >= `k`.
fn round_up(k: i64, m: i64) -> i64 {
    k + (m - k.rem_euclid(m)) % m
}

impl TimeScale {
    /// The widest view the limits allow, on an 800 px surface.
    pub fn full(limits: Limits) -> TimeScale {
        let mut s = TimeScale { start: limits.lo, end: limits.hi, left: 0.0, width: 800.0, limits };
        s.clamp();
        s
    }

    /// A view of `[start, end]` (clamped to the limits) on `[left, left + width]`.
    pub fn new(start: f64, end: f64, left: f64, width: f64, limits: Limits) -> TimeScale {
        let mut s = TimeScale { start, end, left, width, limits };
        s.clamp();
        s
    }

    /// The same years mapped onto other pixels.
    pub fn with_pixels(mut self, left: f64, width: f64) -> TimeScale {
        self.left = left;
        self.width = width;
        self
    }

    pub fn span(&self) -> f64 {
        self.end - self.start
    }

    /// Pixel width, never zero, so the mappings stay finite on a hidden canvas.
    fn px(&self) -> f64 {
        if self.width.is_finite() && self.width >= 1.0 {
            self.width
        } else {
            1.0
        }
    }

    /// Pixels per year.
    pub fn px_per_year(&self) -> f64 {
        self.px() / self.span()
    }

    pub fn x_of(&self, year: f64) -> f64 {
        self.left + (year - self.start) * self.px_per_year()
    }

    pub fn year_at(&self, x: f64) -> f64 {
        self.start + (x - self.left) / self.px_per_year()
    }

    /// Whether `year` is inside the visible range.
    pub fn contains(&self, year: f64) -> bool {
        year >= self.start && year <= self.end
    }

    /// The range shown, without pixels (what the app state keeps).
    pub fn range(&self) -> TimeRange {
        TimeRange { start: self.start, end: self.end, limits: self.limits }
    }

    /// Shows `[start, end]` (clamped); `true` if the range changed.
    pub fn set_range(&mut self, start: f64, end: f64) -> bool {
        let mut r = self.range();
        let changed = r.set_range(start, end);
        (self.start, self.end) = (r.start, r.end);
        changed
    }

    /// Zooms about the pixel `x` (the pointer): the year under `x` stays under `x`. `factor > 1`
    /// zooms in (e.g. `factor = (-wheel_delta_y * 0.002).exp()`), `factor < 1` zooms out.
    ///
    /// This is translate(x) · scale(1/factor) · translate(−x) on the year axis, followed by
    /// clamping: the span to `[min_span, max_span]`, then the range into `[lo, hi]` by shifting.
    pub fn zoom_about(&mut self, x: f64, factor: f64) {
        if !(factor.is_finite() && factor > 0.0) {
            return;
        }
        let anchor = self.year_at(x);
        let span = (self.span() / factor).clamp(self.limits.min_span, self.limits.widest());
        // Fraction of the width left of the pointer; kept so the anchor stays under it.
        let t = ((x - self.left) / self.px()).clamp(0.0, 1.0);
        self.start = anchor - t * span;
        self.end = self.start + span;
        self.clamp();
    }

    /// Pans by `dx` pixels the way a drag does: positive `dx` moves the content right, showing
    /// earlier years.
    pub fn pan_px(&mut self, dx: f64) {
        if !dx.is_finite() {
            return;
        }
        let dy = dx / self.px_per_year();
        self.start -= dy;
        self.end -= dy;
        self.clamp();
    }

    /// See [`TimeRange::zoom_to`].
    pub fn zoom_to(&mut self, lo: f64, hi: f64) -> bool {
        let mut r = self.range();
        let changed = r.zoom_to(lo, hi);
        (self.start, self.end) = (r.start, r.end);
        changed
    }

    /// Pans (keeping the zoom) so that `year` is on screen with `margin_px` to spare, centring
    /// it when it was off screen or in the margin. Returns whether the view changed.
    pub fn ensure_visible(&mut self, year: f64, margin_px: f64) -> bool {
        let margin = (margin_px / self.px_per_year()).min(self.span() / 2.0);
        if year >= self.start + margin && year <= self.end - margin {
            return false;
        }
        let half = self.span() / 2.0;
        self.set_range(year - half, year + half)
    }

    /// See [`TimeRange::clamp`].
    pub fn clamp(&mut self) {
        let mut r = self.range();
        r.clamp();
        (self.start, self.end) = (r.start, r.end);
    }

    /// The finest tick step whose labels fit side by side at this width, in the active
    /// language.
    pub fn tick_step(&self) -> TickStep {
        self.tick_step_in(crate::i18n::tr().lang)
    }

    /// The finest tick step whose labels in `lang` fit side by side at this width.
    pub fn tick_step_in(&self, lang: Lang) -> TickStep {
        let need = tick_label_chars(lang) * CHAR_W + TICK_LABEL_GAP;
        let ppy = self.px_per_year();
        TickStep::ALL.into_iter().find(|s| s.years() * ppy >= need).unwrap_or(TickStep::Years(50))
    }

    /// Ticks inside the visible range, labelled in the active language (see [`Self::ticks_in`]).
    pub fn ticks(&self) -> Vec<Tick> {
        self.ticks_in(crate::i18n::tr().lang)
    }

    /// Ticks inside the visible range: decades down to months as the span shrinks, spaced so
    /// that their labels in `lang` (years, and months as [`month_tick`] writes them, ≈
    /// [`CHAR_W`] px a character) never touch. Years are plain digits in every language.
    pub fn ticks_in(&self, lang: Lang) -> Vec<Tick> {
        let mut out = Vec::new();
        match self.tick_step_in(lang) {
            TickStep::Months(m) => {
                let m = m as i64;
                // Month index k counts months since year 0: k = 12 * year + (month - 1).
                let first = round_up((self.start * 12.0 - 1e-9).ceil() as i64, m);
                let last = (self.end * 12.0 + 1e-9).floor() as i64;
                let mut k = first;
                while k <= last {
                    let (year, month) = (k.div_euclid(12), k.rem_euclid(12) as usize);
                    let major = month == 0;
                    let label = if major { year.to_string() } else { month_tick(lang, month as u8 + 1).to_string() };
                    out.push(Tick { year: k as f64 / 12.0, label, major });
                    k += m;
                }
            }
            TickStep::Years(step) => {
                let step = step as i64;
                let first = round_up((self.start - 1e-9).ceil() as i64, step);
                let last = (self.end + 1e-9).floor() as i64;
                let mut y = first;
                while y <= last {
                    let major = step >= 10 || y % 10 == 0;
                    out.push(Tick { year: y as f64, label: y.to_string(), major });
                    y += step;
                }
            }
        }
        out
    }
}

/// The whole relationship: 1947 (or the earliest event) to today.
pub fn full_range(atlas: &crate::data::Atlas) -> TimeRange {
    let (lo, hi) = atlas.year_range();
    TimeRange::full(Limits::covering(lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn maps_years_to_pixels_and_back() {
        let s = TimeScale::new(1947.0, 2027.0, 0.0, 800.0, Limits::DEFAULT);
        assert!(close(s.x_of(1947.0), 0.0));
        assert!(close(s.x_of(2027.0), 800.0));
        // 1 May 1948: 121 days into a leap year.
        let may = crate::data::Date::ymd(1948, 5, 1).start_year();
        assert!(close(s.x_of(may), 10.0 + 10.0 * 121.0 / 366.0));
        let shifted = s.with_pixels(100.0, 400.0);
        assert!(close(shifted.x_of(1987.0), 300.0));
        for x in [0.0, 13.5, 799.0] {
            assert!(close(s.x_of(s.year_at(x)), x));
        }
    }

    #[test]
    fn zoom_keeps_the_year_under_the_pointer() {
        let mut s = TimeScale::new(1950.0, 2000.0, 50.0, 500.0, Limits::DEFAULT);
        let x = 300.0;
        let before = s.year_at(x);
        s.zoom_about(x, 2.0);
        assert!(close(s.span(), 25.0));
        assert!(close(s.year_at(x), before));
        s.zoom_about(x, 0.5);
        assert!(close(s.span(), 50.0));
        assert!(close(s.year_at(x), before));
    }

    #[test]
    fn zoom_and_pan_are_clamped() {
        let lim = Limits::DEFAULT;
        let mut s = TimeScale::full(lim);
        // Cannot zoom out beyond the data range.
        s.zoom_about(400.0, 0.01);
        assert_eq!((s.start, s.end), (lim.lo, lim.hi));
        // Cannot zoom in past the minimum span, however often we try.
        for _ in 0..100 {
            s.zoom_about(123.0, 3.0);
        }
        assert!(close(s.span(), lim.min_span));
        // Panning stops at either end and keeps the span.
        s.pan_px(1e9);
        assert!(close(s.start, lim.lo) && close(s.span(), lim.min_span));
        s.pan_px(-1e9);
        assert!(close(s.end, lim.hi) && close(s.span(), lim.min_span));
        // Zooming out at the right edge shifts rather than spills past `hi`.
        s.zoom_about(799.0, 0.1);
        assert!(s.end <= lim.hi + 1e-9 && s.start >= lim.lo - 1e-9);
        // Garbage in: the view resets to the full range instead of going NaN.
        assert!(s.set_range(f64::NAN, 3.0));
        assert_eq!((s.start, s.end), (lim.lo, lim.hi));
        s.zoom_about(10.0, f64::INFINITY);
        assert_eq!((s.start, s.end), (lim.lo, lim.hi));
    }

    #[test]
    fn pan_follows_the_drag() {
        let mut s = TimeScale::new(1960.0, 1970.0, 0.0, 1000.0, Limits::DEFAULT);
        s.pan_px(100.0); // content moves right by one year's worth of pixels
        assert!(close(s.start, 1959.0) && close(s.end, 1969.0));
    }

    #[test]
    fn covering_limits_extend_to_the_data() {
        let l = Limits::covering(1940.5, 2030.0);
        assert_eq!((l.lo, l.hi), (1939.5, 2031.0));
        assert_eq!(Limits::covering(1950.0, 2000.0), Limits::DEFAULT);
    }

    #[test]
    fn ensure_visible_and_zoom_to() {
        let mut s = TimeScale::new(1960.0, 1970.0, 0.0, 1000.0, Limits::DEFAULT);
        assert!(!s.ensure_visible(1965.0, 20.0));
        assert!(s.ensure_visible(1990.0, 20.0));
        assert!(close(s.start, 1985.0) && close(s.span(), 10.0));
        assert!(s.ensure_visible(1960.1, 20.0)); // inside the range, but in the margin
        assert!(s.zoom_to(1971.0, 1973.0));
        assert!(close(s.start, 1970.8) && close(s.end, 1973.2));
        // Three events on one day: the view narrows to the minimum once, then cannot change.
        let day = 1971.5;
        assert!(s.zoom_to(day, day));
        assert!(close(s.span(), Limits::DEFAULT.min_span));
        assert!(!s.zoom_to(day, day));
    }

    /// Labels estimated at CHAR_W per character, centred on their tick, must not overlap.
    fn assert_spaced(ticks: &[Tick], s: &TimeScale) {
        for w in ticks.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            let right_a = s.x_of(a.year) + a.label.chars().count() as f64 * CHAR_W / 2.0;
            let left_b = s.x_of(b.year) - b.label.chars().count() as f64 * CHAR_W / 2.0;
            assert!(right_a < left_b, "{} and {} collide at span {}", a.label, b.label, s.span());
        }
    }

    #[test]
    fn ticks_adapt_to_the_zoom() {
        let lim = Limits::DEFAULT;
        let at = |start: f64, end: f64, w: f64| TimeScale::new(start, end, 0.0, w, lim);

        let full = at(lim.lo, lim.hi, 800.0);
        assert_eq!(full.tick_step(), TickStep::Years(5));
        let narrow = at(lim.lo, lim.hi, 360.0);
        assert_eq!(narrow.tick_step(), TickStep::Years(10));
        let decades: Vec<String> = narrow.ticks().into_iter().map(|t| t.label).collect();
        assert_eq!(decades, ["1950", "1960", "1970", "1980", "1990", "2000", "2010", "2020"]);

        let years = at(1960.0, 1970.0, 800.0);
        assert_eq!(years.tick_step(), TickStep::Years(1));
        let t = years.ticks();
        assert_eq!(t.len(), 11);
        assert!(t[0].major && !t[1].major);

        let months = at(1965.0, 1966.0, 800.0);
        assert_eq!(months.tick_step(), TickStep::Months(1));
        let labels: Vec<String> = months.ticks().into_iter().map(|t| t.label).collect();
        assert_eq!(labels[..3], ["1965", "Feb", "Mar"]);
        assert_eq!(labels.last().unwrap(), "1966");
        assert!(close(months.ticks()[4].year, 1965.0 + 4.0 / 12.0));

        let quarters = at(1965.0, 1967.0, 640.0);
        assert_eq!(quarters.tick_step(), TickStep::Months(3));
        let labels: Vec<String> = quarters.ticks().into_iter().map(|t| t.label).collect();
        assert_eq!(labels[..4], ["1965", "Apr", "Jul", "Oct"]);
    }

    #[test]
    fn tick_labels_never_overlap() {
        for lang in Lang::ALL {
            for w in [360.0, 1920.0] {
                let mut s = TimeScale::full(Limits::DEFAULT).with_pixels(0.0, w);
                // Zoom in step by step from everything to the minimum span, at an odd pointer.
                loop {
                    let ticks = s.ticks_in(lang);
                    assert!(ticks.len() >= 2, "too few ticks at span {} width {w} in {lang:?}", s.span());
                    assert!(ticks.iter().all(|t| s.contains(t.year)));
                    assert_spaced(&ticks, &s);
                    if s.span() <= Limits::DEFAULT.min_span + 1e-9 {
                        break;
                    }
                    s.zoom_about(w * 0.37, 1.3);
                }
            }
        }
    }

    #[test]
    fn month_ticks_are_in_the_language() {
        let months = TimeScale::new(1965.0, 1966.0, 0.0, 1200.0, Limits::DEFAULT);
        let labels = |lang| -> Vec<String> { months.ticks_in(lang).into_iter().map(|t| t.label).collect() };
        assert_eq!(labels(Lang::Ru)[..4], ["1965", "февр.", "март", "апр."]);
        assert_eq!(labels(Lang::Ur)[..3], ["1965", "فروری", "مارچ"]);
        // Longer month names need more room: at 500 px Russian and Urdu fall back to quarters.
        let narrower = months.with_pixels(0.0, 500.0);
        assert_eq!(narrower.tick_step_in(Lang::En), TickStep::Months(1));
        assert_eq!(narrower.tick_step_in(Lang::Ru), TickStep::Months(3));
        assert_eq!(narrower.tick_step_in(Lang::Ur), TickStep::Months(3));
        assert_eq!(month_tick(Lang::Ru, 9), "сент.");
        assert_eq!(month_tick(Lang::Ur, 7), "جولائی");
    }
}
