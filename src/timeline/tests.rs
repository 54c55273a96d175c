//! Tests of the timeline's layout, hit-testing and keyboard order.

use super::*;
use crate::data::{load, Atlas, Category};

/// One event for [`atlas`]: (id, date, optional end, category, agreement?).
pub(crate) type Ev<'a> = (&'a str, &'a str, Option<&'a str>, &'a str, bool);

/// A validated atlas from a few events and eras (id, title, start, end), built through the
/// real loader so that events are sorted as in the app.
pub(crate) fn atlas(events: &[Ev], eras: &[(&str, &str, &str, Option<&str>)]) -> Atlas {
    let sources = r#"[{"id":"s","title":"T","published":"2023","note":"no author"}]"#;
    let ev: Vec<String> = events
            .iter()
            .enumerate()
            .map(|(k, (id, date, end, cat, agreement))| {
                let end = end.map(|e| format!(r#","end":"{e}""#)).unwrap_or_default();
                let ag = if *agreement {
                    format!(r#","agreement":{{"row":{},"title_as_written":"A","date_as_written":"D"}}"#, k % 250 + 1)
                } else {
                    String::new()
                };
                format!(
                    r#"{{"id":"{id}","date":"{date}"{end},"title":"T {id}","summary":"S","category":"{cat}","sources":[{{"source":"s","locator":"§1"}}]{ag}}}"#
                )
            })
            .collect();
    let er: Vec<String> = eras
            .iter()
            .map(|(id, title, start, end)| {
                let end = end.map(|e| format!(r#","end":"{e}""#)).unwrap_or_default();
                format!(
                    r#"{{"id":"{id}","title":"{title}","start":"{start}"{end},"summary":"S","sources":[{{"source":"s","locator":"§1"}}]}}"#
                )
            })
            .collect();
    let events = format!("[{}]", ev.join(","));
    let eras = format!("[{}]", er.join(","));
    load(&[
        ("sources.json", sources),
        ("places.json", "[]"),
        ("events.json", &events),
        ("eras.json", &eras),
        ("series.json", "[]"),
        ("students.json", "[]"),
    ])
    .unwrap_or_else(|e| panic!("test atlas invalid: {e:?}"))
}

/// `n` events spread over 1947–2026 in all categories, some spans and agreements, with
/// bursts of same-day events.
pub(crate) fn generated(n: usize) -> Atlas {
    let cats = Category::ALL.map(|c| c.key());
    let owned: Vec<(String, String, Option<String>, &str, bool)> = (0..n)
        .map(|k| {
            // A cheap deterministic scramble so dates are not monotone in k.
            let h = (k as u64).wrapping_mul(2654435761) % 1_000_000;
            let year = 1947 + (h % 80) as i32;
            let month = 1 + (h / 80 % 12) as u8;
            let day = 1 + (h / 960 % 28) as u8;
            let burst = k % 50 < 3;
            let year = if burst { 1971 } else { year };
            let date = if burst { "1971-12-03".to_string() } else { format!("{year:04}-{month:02}-{day:02}") };
            let end = (k % 40 == 0 && year < 2020).then(|| format!("{:04}", year + 1 + (k % 5) as i32));
            (format!("e{k}"), date, end, cats[k % 7], k % 97 == 0)
        })
        .collect();
    let evs: Vec<Ev> = owned.iter().map(|(i, d, e, c, a)| (i.as_str(), d.as_str(), e.as_deref(), *c, *a)).collect();
    atlas(&evs, &[("cold", "Cold War", "1947", Some("1991")), ("now", "Rapprochement", "1992", None)])
}

fn view(start: f64, end: f64) -> TimeRange {
    TimeRange::new(start, end, Limits::DEFAULT)
}

#[test]
fn marks_sit_at_their_dates() {
    let a = atlas(&[("a", "1948-05-01", None, "diplomatic", false), ("b", "1965", None, "crisis", false)], &[]);
    // 800 px wide canvas: the plot runs from the wide gutter to the right padding.
    let l = layout(&a, &view(1947.0, 2027.0), 800.0, 300.0, &[]);
    assert_eq!((l.plot.x0, l.plot.x1), (WIDE_GUTTER, 790.0));
    let ppy = (790.0 - WIDE_GUTTER) / 80.0;
    let may = 1948.0 + (121.0 + 0.5) / 366.0; // the middle of 1 May 1948
    let m = l.mark_of(0).unwrap();
    assert!((m.x - (WIDE_GUTTER + (may - 1947.0) * ppy)).abs() < 1e-6, "x = {}", m.x);
    assert_eq!(m.y, l.lanes[Category::Diplomatic.index()].y);
    let m = l.mark_of(1).unwrap();
    assert!((m.x - (WIDE_GUTTER + 18.5 * ppy)).abs() < 1e-6);
    assert_eq!(m.y, l.lanes[Category::Crisis.index()].y);
    assert!(l.lanes.windows(2).all(|w| w[0].y < w[1].y));
    // Zoomed away from 1948, its mark is not laid out.
    let l = layout(&a, &view(1960.0, 1970.0), 800.0, 300.0, &[]);
    assert!(l.mark_of(0).is_none() && l.mark_of(1).is_some());
}

#[test]
fn same_day_events_cluster_with_a_count() {
    let a = atlas(
        &[
            ("a", "1971-12-03", None, "crisis", false),
            ("b", "1971-12-03", None, "crisis", true),
            ("c", "1971-12-03", None, "crisis", false),
            ("d", "1971-12-03", None, "diplomatic", false),
            ("e", "1990", None, "crisis", false),
        ],
        &[],
    );
    let l = layout(&a, &view(1946.0, 2028.0), 800.0, 300.0, &[]);
    let crisis = l.lane_marks(Category::Crisis.index(), true);
    assert_eq!(crisis.len(), 2);
    assert_eq!(crisis[0].count(), 3);
    assert!(crisis[0].agreement && crisis[0].r > l.radius);
    assert_eq!(l.members_of(&crisis[0]).len(), 3);
    assert_eq!(crisis[1].count(), 1);
    // Another lane's event on the same day is not swallowed.
    assert_eq!(l.lane_marks(Category::Diplomatic.index(), true).len(), 1);
    assert_eq!(l.mark_of(0), l.mark_of(2));
    // Zoomed in, they are still one day: still one cluster.
    let l = layout(&a, &view(1971.5, 1972.0), 800.0, 300.0, &[]);
    assert_eq!(l.lane_marks(Category::Crisis.index(), true)[0].count(), 3);
}

#[test]
fn dimmed_events_cluster_apart_from_matching_ones() {
    let a = atlas(&[("a", "1971-12-03", None, "crisis", false), ("b", "1971-12-03", None, "crisis", false)], &[]);
    let l = layout(&a, &view(1946.0, 2028.0), 800.0, 300.0, &[true, false]);
    let lane = Category::Crisis.index();
    assert_eq!(l.lane_marks(lane, true).len(), 1);
    assert_eq!(l.lane_marks(lane, false).len(), 1);
    assert!(!l.marks[0].matching && l.marks[1].matching, "dimmed marks are drawn first");
    // The matching mark wins the hit test.
    let m = &l.lane_marks(lane, true)[0];
    assert_eq!(l.hit(m.x, m.y), Some(Hit::Event(0)));
}

#[test]
fn marks_in_a_lane_never_overlap() {
    let a = generated(3000);
    for (s, e) in [(1946.0, 2028.0), (1965.0, 1975.0), (1971.5, 1972.2)] {
        let l = layout(&a, &view(s, e), 1000.0, 400.0, &[]);
        for lane in 0..7 {
            for m in [true, false] {
                for w in l.lane_marks(lane, m).windows(2) {
                    assert!(w[1].x - w[0].x >= w[0].r + w[1].r + MARK_GAP - 1e-9, "overlap in lane {lane}");
                }
            }
        }
        // Every visible event is in exactly one mark.
        let total: usize = l.marks.iter().map(Mark::count).sum();
        let visible = a.events.iter().filter(|e| {
            let x = l.view.x_of(event_year(e));
            x >= l.plot.x0 && x <= l.plot.x1
        });
        assert_eq!(total, visible.count());
    }
}

#[test]
fn ten_thousand_events_stay_bounded() {
    let a = generated(10_000);
    for w in [360.0, 1920.0] {
        let l = layout(&a, &TimeRange::default(), w, 420.0, &[]);
        let plot_w = l.plot.width();
        for lane in 0..7 {
            let k = l.lane_marks(lane, true).len();
            // Marks cannot overlap, so a lane holds at most one per mark diameter.
            assert!(k as f64 <= plot_w / (2.0 * l.radius) + 1.0, "lane {lane}: {k} marks at {w} px");
            let b = l.lane_bars(lane, true).len();
            assert!(b as f64 <= plot_w / 2.0 + 1.0);
        }
        assert_eq!(l.marks.iter().map(Mark::count).sum::<usize>(), a.events.len());
    }
}

#[test]
fn spans_are_bars_and_overlapping_bars_merge() {
    let a = atlas(
        &[
            ("war", "1979-12", Some("1989-02"), "crisis", false),
            ("talks", "1982", Some("1988"), "crisis", false),
            ("late", "2001", Some("2003"), "crisis", false),
        ],
        &[],
    );
    let l = layout(&a, &view(1946.0, 2028.0), 800.0, 300.0, &[]);
    let bars = l.lane_bars(Category::Crisis.index(), true);
    assert_eq!(bars.len(), 2);
    assert_eq!(l.bar_members_of(&bars[0]).len(), 2);
    let (x0, x1, _) = l.span_of(0).unwrap();
    assert!((x0 - l.view.x_of(1979.0 + 11.0 / 12.0)).abs() < 1e-9);
    assert!((x1 - l.view.x_of(1989.0 + 2.0 / 12.0)).abs() < 1e-9);
    // A point on the merged bar, away from the marks, is a cluster of both spans.
    let y = bars[0].y;
    assert!(matches!(l.hit(l.view.x_of(1986.0), y), Some(Hit::Cluster { ref events, .. }) if events == &[0, 1]));
    assert_eq!(l.hit(l.view.x_of(2002.5), y), Some(Hit::Event(2)));
    // A span that started before the view still shows its bar.
    let l = layout(&a, &view(1985.0, 1987.0), 800.0, 300.0, &[]);
    assert!(l.span_of(0).is_some() && l.mark_of(0).is_none());
}

#[test]
fn hit_test_finds_the_mark_under_the_pointer() {
    let a = atlas(
        &[
            ("a", "1950", None, "diplomatic", false),
            ("b", "1960", None, "diplomatic", false),
            ("c", "1960", None, "military", false),
            ("d", "1999-05-28", None, "military", false),
            ("e", "1999-05-28", None, "military", false),
        ],
        &[],
    );
    let l = layout(&a, &TimeRange::default(), 800.0, 300.0, &[]);
    let b = l.mark_of(1).unwrap();
    assert_eq!(l.hit(b.x, b.y), Some(Hit::Event(1)));
    assert_eq!(l.hit(b.x + b.r, b.y - 1.0), Some(Hit::Event(1)));
    // Same x, other lane.
    let c = l.mark_of(2).unwrap();
    assert_eq!(l.hit(c.x, c.y), Some(Hit::Event(2)));
    // Off any mark.
    assert_eq!(l.hit(b.x + 30.0, b.y), None);
    assert_eq!(l.hit(b.x, 2.0), None);
    assert_eq!(l.hit(5.0, b.y), None);
    // A cluster gives its events and their years.
    let d = l.mark_of(3).unwrap();
    match l.hit(d.x, d.y) {
        Some(Hit::Cluster { events, years }) => {
            assert_eq!(events, vec![3, 4]);
            assert!(years.0 > 1999.4 && years.1 < 1999.42);
        }
        other => panic!("expected a cluster, got {other:?}"),
    }
}

#[test]
fn keyboard_walks_matching_events_in_date_order() {
    let mask = [false, true, true, false, true, false];
    assert_eq!(first_event(&mask), Some(1));
    assert_eq!(last_event(&mask), Some(4));
    assert_eq!(next_event(&mask, None, Dir::Next), Some(1));
    assert_eq!(next_event(&mask, None, Dir::Prev), Some(4));
    assert_eq!(next_event(&mask, Some(1), Dir::Next), Some(2));
    assert_eq!(next_event(&mask, Some(2), Dir::Next), Some(4));
    assert_eq!(next_event(&mask, Some(4), Dir::Next), None);
    assert_eq!(next_event(&mask, Some(4), Dir::Prev), Some(2));
    assert_eq!(next_event(&mask, Some(1), Dir::Prev), None);
    // From a dimmed event, the nearest matching one that way.
    assert_eq!(next_event(&mask, Some(3), Dir::Next), Some(4));
    assert_eq!(next_event(&mask, Some(3), Dir::Prev), Some(2));
    assert_eq!(next_event(&[false; 3], None, Dir::Next), None);

    let a = atlas(&[("a", "1950", None, "social", false), ("b", "2010", None, "social", false)], &[]);
    let mut v = TimeScale::new(1948.0, 1958.0, 0.0, 800.0, Limits::DEFAULT);
    assert!(!ensure_event_visible(&mut v, &a, 0));
    assert!(ensure_event_visible(&mut v, &a, 1));
    assert!(v.contains(2010.5) && (v.span() - 10.0).abs() < 1e-9);
}

#[test]
fn era_labels_fit_or_are_cut_or_dropped() {
    let a = atlas(
        &[],
        &[
            ("e1", "Early years", "1947", Some("1957")),
            ("e2", "A very long era name that cannot possibly fit", "1958", Some("1965")),
            ("e3", "Tiny", "1966", Some("1966")),
            ("e4", "Today", "2000", None),
        ],
    );
    let l = layout(&a, &TimeRange::default(), 800.0, 300.0, &[]);
    let names: Vec<Option<&str>> = l.eras.iter().map(|e| e.label.as_ref().map(|l| l.text.as_str())).collect();
    assert_eq!(names[0], Some("Early years"));
    assert!(names[1].unwrap().ends_with('…'));
    assert_eq!(names[2], None);
    assert_eq!(names[3], Some("Today"));
    assert_eq!(l.eras[3].rect.x1, l.plot.x1, "an open era runs to the end");
    assert_eq!(l.eras.iter().map(|e| e.fill).collect::<Vec<_>>(), [0, 1, 0, 1]);
    for e in &l.eras {
        if let Some(lb) = &e.label {
            let w = lb.text.chars().count() as f64 * CHAR_W;
            assert!(lb.x - w / 2.0 >= e.rect.x0 && lb.x + w / 2.0 <= e.rect.x1);
        }
    }
}

#[test]
fn tick_labels_stay_apart_and_on_the_canvas() {
    let a = atlas(&[], &[]);
    for w in [360.0, 1920.0] {
        let mut v = TimeScale::default();
        for _ in 0..40 {
            let l = layout(&a, &v.range(), w, 300.0, &[]);
            let labels: Vec<&Label> = l.ticks.iter().filter_map(|t| t.label.as_ref()).collect();
            assert!(labels.len() >= 2);
            for lb in &labels {
                let half = lb.text.chars().count() as f64 * CHAR_W / 2.0;
                assert!(lb.x - half >= 0.0 && lb.x + half <= w);
            }
            for p in labels.windows(2) {
                let right = p[0].x + p[0].text.chars().count() as f64 * CHAR_W / 2.0;
                let left = p[1].x - p[1].text.chars().count() as f64 * CHAR_W / 2.0;
                assert!(right < left, "{:?} / {:?}", p[0].text, p[1].text);
            }
            v = l.view;
            v.zoom_about(l.plot.x0 + 0.6 * l.plot.width(), 1.25);
        }
    }
}

#[test]
fn narrow_screens_get_an_icon_gutter() {
    let a = atlas(&[], &[]);
    let l = layout(&a, &TimeRange::default(), 360.0, 300.0, &[]);
    assert_eq!(l.plot.x0, NARROW_GUTTER);
    assert!(l.lanes.iter().all(|lane| lane.label.is_none()));
    let l = layout(&a, &TimeRange::default(), 800.0, 300.0, &[]);
    assert!(l.lanes.iter().all(|lane| lane.label.is_some()));
}

#[test]
fn count_labels() {
    let mut buf = [0u8; 8];
    assert_eq!(count_label(3, &mut buf), "3");
    assert_eq!(count_label(999, &mut buf), "999");
    assert_eq!(count_label(3400, &mut buf), "3k+");
    assert_eq!(count_label(12000, &mut buf), "12k+");
    for n in [0, 1, 9, 10, 999, 1000, 9999, 12000, 123_456] {
        assert_eq!(count_label(n, &mut buf).len(), count_label_chars(n));
    }
    assert_eq!(fit("Cold War", 100.0).as_deref(), Some("Cold War"));
    assert_eq!(fit("Cold War", 35.0).as_deref(), Some("Cold…"));
    assert_eq!(fit("Cold War", 20.0), None);
}

/// The interface texts of `lang` as the app loads them (its language file, made from
/// `data/i18n`), for checking natively that translated labels fit where they are drawn.
pub(crate) fn texts_in(lang: crate::lang::Lang) -> crate::i18n::Tr {
    use crate::data::catalogue;
    if lang == crate::lang::Lang::En {
        return crate::i18n::Tr::english(false);
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let files = catalogue::lang_files(&dir).expect("the language files can be made");
    let (_, _, bytes) = files.into_iter().find(|(l, _, _)| l == lang.key()).expect("a file per language");
    let t = crate::i18n::Tr::from_file(lang, catalogue::decode(&bytes), false);
    assert_eq!(t.lang, lang, "{:?}", t.failed);
    t
}

#[test]
fn lane_names_fit_the_gutter_in_every_language() {
    for lang in crate::lang::Lang::ALL {
        let tr = texts_in(lang);
        for c in Category::ALL {
            let name = tr.get(lane_msg(c));
            let w = crate::text::text_width(name, FONT_PX);
            assert!(w <= LANE_LABEL_ROOM, "{lang:?}: {name:?} is {w} px, the gutter has {LANE_LABEL_ROOM}");
        }
    }
}

mod real_data_tests {
    use super::*;

    /// Regression: eras that meet in a year overlap by that year, and the name of the Afghan-war
    /// era used to be dropped at 1280 px because the previous (centred) name reached into it.
    #[test]
    fn every_era_is_named_at_desktop_width() {
        let atlas = crate::data::load_embedded().unwrap();
        let (lo, hi) = atlas.year_range();
        let view = TimeRange::full(Limits::covering(lo, hi));
        let l = layout(&atlas, &view, 1180.0, 380.0, &vec![true; atlas.events.len()]);
        let named = l.eras.iter().filter(|e| e.label.is_some()).count();
        assert_eq!(
            named,
            atlas.eras.len(),
            "{:?}",
            l.eras.iter().map(|e| e.label.as_ref().map(|l| l.text.clone())).collect::<Vec<_>>()
        );
    }
}
