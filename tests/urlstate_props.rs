//! Property tests of the URL state (`pakru_atlas::urlstate::UrlState`): parsing any string never
//! panics and keeps every field within its documented limits; what `to_query` writes, `parse`
//! reads back identically, whatever the order of the pairs.

use pakru_atlas::data::Category;
use pakru_atlas::lang::Lang;
use pakru_atlas::map::GeoView;
use pakru_atlas::urlstate::{percent_decode, percent_encode, Embed, Panel, UrlState};
use proptest::prelude::*;

/// The limits `parse` promises for each field.
fn check_limits(st: &UrlState) -> Result<(), TestCaseError> {
    let id_ok = |s: &str| {
        !s.is_empty() && s.len() <= 120 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if let Some(e) = &st.event {
        prop_assert!(id_ok(e), "event id {e:?}");
    }
    if let Some(p) = &st.place {
        prop_assert!(id_ok(p), "place id {p:?}");
    }
    if let Some((a, b)) = st.range {
        prop_assert!(a.is_finite() && b.is_finite() && a < b && a >= 1900.0 && b <= 2100.0, "range {a}~{b}");
    }
    if let Some(GeoView { lon, lat, zoom: z }) = st.map {
        prop_assert!(
            (-180.0..=360.0).contains(&lon) && (-90.0..=90.0).contains(&lat) && z > 0.0 && z <= 1000.0,
            "map {lon},{lat},{z}"
        );
    }
    prop_assert!(st.search.chars().count() <= 200, "search of {} chars", st.search.chars().count());
    Ok(())
}

/// Strings shaped like our queries: known and unknown keys, good and bad values, escapes.
fn query_like() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        prop::sample::select(vec!["e", "p", "t", "c", "q", "m", "panel", "embed", "", "E", "zzz", "e%3D"])
            .prop_map(str::to_string),
        "[a-z%=]{0,4}",
    ];
    let value = prop_oneof![
        "[a-z0-9_-]{0,12}",
        "-?[0-9]{1,4}(\\.[0-9]{0,6})?~-?[0-9]{1,4}(\\.[0-9]{0,6})?",
        "-?[0-9]{1,3}(\\.[0-9]{0,6})?,-?[0-9]{1,2}(\\.[0-9]{0,6})?,[0-9]{1,4}(\\.[0-9]{0,6})?",
        "((diplomatic|alignment|military|economic|social|humanitarian|crisis|x),?){0,8}",
        "(%[0-9A-Fa-f]{2}|%[^&]{0,2}|\\+|[^&=]){0,10}",
        "\\PC{0,20}",
        Just("1".to_string()),
        Just("inf~NaN".to_string()),
    ];
    let pair = (key, prop::option::of(value)).prop_map(|(k, v)| match v {
        Some(v) => format!("{k}={v}"),
        None => k,
    });
    (any::<bool>(), prop::collection::vec(pair, 0..8))
        .prop_map(|(q, pairs)| format!("{}{}", if q { "?" } else { "" }, pairs.join("&")))
}

fn arb_id() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_-]{1,120}"
}

/// Numbers as `to_query` writes them: at most 3 decimals.
fn milli(lo: i64, hi: i64) -> impl Strategy<Value = f64> {
    (lo..=hi).prop_map(|k| k as f64 / 1000.0)
}

/// A state `to_query` can express exactly (its numbers on the 0.001 grid; categories absent
/// rather than all shown, since both mean the same and the URL leaves them out).
fn arb_state() -> impl Strategy<Value = UrlState> {
    let range = (1_900_000i64..2_100_000, 1i64..200_000)
        .prop_filter("inside 1900..2100", |(a, d)| a + d <= 2_100_000)
        .prop_map(|(a, d)| (a as f64 / 1000.0, (a + d) as f64 / 1000.0));
    let cats = prop::array::uniform7(any::<bool>()).prop_filter("not all shown", |c| c != &[true; Category::COUNT]);
    let map = (milli(-180_000, 360_000), milli(-90_000, 90_000), milli(1, 1_000_000))
        .prop_map(|(lon, lat, zoom)| GeoView { lon, lat, zoom });
    (
        prop::option::of(arb_id()),
        prop::option::of(arb_id()),
        prop::option::of(range),
        prop::option::of(cats),
        "\\PC{0,200}",
        prop::option::of(map),
        prop::option::of(prop::sample::select(Panel::ALL.to_vec())),
        prop::option::of(prop::sample::select(Embed::ALL.to_vec())),
        // A step is written only with its chapter.
        prop::option::of((arb_id(), 1u32..100)),
        prop::option::of(prop::sample::select(Lang::ALL.to_vec())),
    )
        .prop_map(|(event, place, range, categories, search, map, panel, embed, story, lang)| UrlState {
            event,
            place,
            range,
            categories,
            search,
            map,
            panel,
            embed,
            story: story.as_ref().map(|s| s.0.clone()),
            step: story.map(|s| s.1),
            lang,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn parsing_any_string_never_panics(s in any::<String>()) {
        let st = UrlState::parse(&s);
        check_limits(&st)?;
        let _ = st.to_query();
    }

    #[test]
    fn parsing_query_like_strings_never_panics_and_stays_in_limits(s in query_like()) {
        let st = UrlState::parse(&s);
        check_limits(&st)?;
        // What the app writes back for it is itself a valid query that parses within limits,
        // and writing is stable from then on.
        let q = st.to_query();
        let again = UrlState::parse(&q);
        check_limits(&again)?;
        prop_assert_eq!(UrlState::parse(&again.to_query()), again.clone(), "{} -> {}", s, q);
    }

    #[test]
    fn to_query_round_trips(st in arb_state()) {
        let q = st.to_query();
        prop_assert!(q.is_empty() || q.starts_with('?'), "{}", q);
        prop_assert_eq!(&UrlState::parse(&q), &st, "{}", q);
        // The leading `?` is optional.
        prop_assert_eq!(&UrlState::parse(q.trim_start_matches('?')), &st, "{}", q);
        // The query is plain ASCII without spaces: safe to paste anywhere.
        prop_assert!(q.bytes().all(|b| b.is_ascii_graphic()), "{}", q);
    }

    #[test]
    fn pair_order_does_not_matter(st in arb_state(), seed in any::<u64>()) {
        let q = st.to_query();
        let mut pairs: Vec<&str> = q.trim_start_matches('?').split('&').filter(|p| !p.is_empty()).collect();
        // A deterministic shuffle.
        let mut x = seed | 1;
        for i in (1..pairs.len()).rev() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            pairs.swap(i, (x % (i as u64 + 1)) as usize);
        }
        let shuffled = format!("?{}", pairs.join("&"));
        prop_assert_eq!(UrlState::parse(&shuffled), st, "{}", shuffled);
    }

    #[test]
    fn unknown_pairs_are_ignored(st in arb_state(), junk in prop::collection::vec("[a-z]{2,6}=[^&]{0,8}", 0..4)) {
        let junk: Vec<String> = junk.into_iter().filter(|j| {
            let k = j.split('=').next().unwrap_or("");
            !["panel", "embed"].contains(&k)
        }).collect();
        let q = st.to_query();
        let extra = if junk.is_empty() { String::new() } else { format!("&{}", junk.join("&")) };
        let joined = if q.is_empty() { format!("?{}", extra.trim_start_matches('&')) } else { format!("{q}{extra}") };
        prop_assert_eq!(UrlState::parse(&joined), st, "{}", joined);
    }

    #[test]
    fn percent_encoding_round_trips(s in any::<String>()) {
        prop_assert_eq!(percent_decode(&percent_encode(&s)), s);
    }
}

#[test]
fn the_generators_reach_every_field() {
    // A state with everything set, to show the round trip covers each key.
    let st = UrlState {
        event: Some("tashkent-1966".into()),
        place: Some("moscow".into()),
        range: Some((1960.125, 1970.5)),
        categories: Some([false, true, false, false, false, false, true]),
        search: "gas & oil 100% – Ташкент".into(),
        map: Some(GeoView { lon: -12.5, lat: 45.25, zoom: 2.0 }),
        panel: Some(Panel::Embed),
        embed: Some(Embed::Atlas),
        story: Some("rq2".into()),
        step: Some(3),
        lang: Some(Lang::Ru),
    };
    let q = st.to_query();
    assert_eq!(q, "?embed=1&story=rq2&step=3&e=tashkent-1966&p=moscow&t=1960.125~1970.5&c=alignment,crisis&q=gas+%26+oil+100%25+%E2%80%93+%D0%A2%D0%B0%D1%88%D0%BA%D0%B5%D0%BD%D1%82&m=-12.5,45.25,2&panel=embed&lang=ru");
    assert_eq!(UrlState::parse(&q), st);
    assert_eq!(Category::ALL.len(), 7);
}
