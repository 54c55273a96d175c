//! The shareable part of the app state, as a URL query string.
//!
//! Parsing is field by field: a malformed, unknown or out-of-range value is dropped and the
//! rest still applies. Parsing never panics (property-tested below).
//!
//! Keys: `e` selected event id, `p` selected place id, `t` visible years `start~end`,
//! `c` shown categories (comma list; absent = all), `q` search text, `m` map view
//! `lon,lat,zoom`, `panel` an open panel, `embed=1` the compact embed layout, `embed=timeline` (map, trade, students, events, event) one
//! view alone, `story` and `step` a story step, `lang` the language (`en`, `ur`, `ru`).

use crate::data::{Category, CategorySet};
use crate::i18n::{t, Msg};
use crate::lang::Lang;
use crate::map::GeoView;

/// A panel that can be open over the atlas (`panel=` in the URL).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    /// The Embed dialog.
    Embed,
}

/// What an embedding page shows (`embed=` in the URL): the compact atlas, or one view alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Embed {
    /// The whole atlas in the compact layout (`embed=1`).
    Atlas,
    Timeline,
    Map,
    Trade,
    Students,
    /// The events table.
    Events,
    /// One event's card with its citations (the selected event).
    Event,
    /// A story step (`story=` and `step=`) with the views it uses.
    Story,
}

impl Embed {
    pub const ALL: [Embed; 8] = [
        Embed::Atlas,
        Embed::Timeline,
        Embed::Map,
        Embed::Trade,
        Embed::Students,
        Embed::Events,
        Embed::Event,
        Embed::Story,
    ];

    /// The value in the URL.
    pub fn key(self) -> &'static str {
        match self {
            Embed::Atlas => "1",
            Embed::Timeline => "timeline",
            Embed::Map => "map",
            Embed::Trade => "trade",
            Embed::Students => "students",
            Embed::Events => "events",
            Embed::Event => "event",
            Embed::Story => "story",
        }
    }

    /// The embed of a URL value; `true` and `atlas` also mean the compact atlas. Anything else
    /// is `None`: the page is then shown whole, not embedded.
    pub fn from_key(key: &str) -> Option<Embed> {
        match key {
            "true" | "atlas" => Some(Embed::Atlas),
            _ => Embed::ALL.into_iter().find(|e| e.key() == key),
        }
    }

    /// What it shows, for titles ("Pakistan–Russia Relations Atlas: Map"), in the page's
    /// language.
    pub fn title(self) -> &'static str {
        t(match self {
            Embed::Atlas => Msg::EmbedViewAtlas,
            Embed::Timeline => Msg::AppTimeline,
            Embed::Map => Msg::AppMap,
            Embed::Trade => Msg::EmbedViewTrade,
            Embed::Students => Msg::EmbedViewStudents,
            Embed::Events => Msg::EmbedViewEvents,
            Embed::Event => Msg::EmbedViewEvent,
            Embed::Story => Msg::AppStory,
        })
    }

    /// A height in CSS px at which the embed shows all of itself at 700 px wide (the events
    /// table scrolls inside it; the whole atlas, far taller, scrolls inside its frame): the
    /// height of the iframe-only snippet.
    pub fn fixed_height(self) -> u32 {
        match self {
            Embed::Atlas => 900,
            Embed::Timeline => 700,
            Embed::Map => 700,
            Embed::Trade => 640,
            Embed::Students => 600,
            Embed::Events => 700,
            Embed::Event => 720,
            Embed::Story => 700,
        }
    }
}

impl Panel {
    pub const ALL: [Panel; 1] = [Panel::Embed];

    /// The key in the URL.
    pub fn key(self) -> &'static str {
        match self {
            Panel::Embed => "embed",
        }
    }

    /// The panel of a URL key; unknown keys are `None` (no panel), never an error.
    pub fn from_key(key: &str) -> Option<Panel> {
        Panel::ALL.into_iter().find(|p| p.key() == key)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct UrlState {
    pub event: Option<String>,
    pub place: Option<String>,
    pub range: Option<(f64, f64)>,
    /// `None` means all categories are shown.
    pub categories: Option<CategorySet>,
    pub search: String,
    pub map: Option<GeoView>,
    pub panel: Option<Panel>,
    pub embed: Option<Embed>,
    /// A story chapter's id (`story=`): the story is open at `step` of it.
    pub story: Option<String>,
    /// The step, from 1 (`step=`); absent or unreadable: the first.
    pub step: Option<u32>,
    /// The language (`lang=`); absent or unknown: the visitor's (see [`crate::i18n::choose`]).
    pub lang: Option<Lang>,
}

/// Decodes `%XX` escapes and `+` as space; invalid escapes are kept literally, invalid UTF-8 is
/// replaced.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = |c: u8| (c as char).to_digit(16);
                match (hex(b[i + 1]), hex(b[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Encodes everything but unreserved characters.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else if b == b' ' {
            out.push('+');
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn id_like(s: &str) -> Option<String> {
    let ok = !s.is_empty() && s.len() <= 120 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    ok.then(|| s.to_string())
}

fn num(s: &str) -> Option<f64> {
    decimal(s.trim())
}

/// A plain decimal number, `-12`, `1960.5`, `.25`, `+3.`: up to 15 significant digits (what the
/// app writes has at most 3 decimals). Exactly the value `str::parse::<f64>` gives for such
/// text: the digits as a whole number divided by a power of ten, both exact in `f64`, is one
/// correctly rounded division. Written out because the standard parser brings a 10 KB table
/// into the wasm. No exponents, no `inf` or `NaN`.
pub fn decimal(s: &str) -> Option<f64> {
    let (neg, digits) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if (int.is_empty() && frac.is_empty()) || frac.len() > 22 {
        return None;
    }
    let mut m: i64 = 0;
    let mut significant = 0;
    for b in int.bytes().chain(frac.bytes()) {
        if !b.is_ascii_digit() {
            return None;
        }
        if m > 0 || b != b'0' {
            significant += 1;
        }
        if significant > 15 {
            return None;
        }
        m = m * 10 + i64::from(b - b'0');
    }
    let v = m as f64 / 10f64.powi(frac.len() as i32);
    Some(if neg { -v } else { v })
}

/// Trims a float for the URL: rounded to 3 decimals, no trailing zeros, never "-0". Whole-number
/// arithmetic, so the wasm carries no fixed-precision float formatting.
pub fn short(v: f64) -> String {
    let m = (v * 1000.0).round();
    if m.is_nan() || m.abs() >= 9e15 {
        // Not finite or too large for the whole-number path (never a view value).
        return v.to_string();
    }
    let m = m as i64;
    let (int, frac) = (m.unsigned_abs() / 1000, m.unsigned_abs() % 1000);
    let mut s = if m < 0 { format!("-{int}") } else { int.to_string() };
    if frac > 0 {
        s.push('.');
        s.push_str(format!("{frac:03}").trim_end_matches('0'));
    }
    s
}

impl UrlState {
    /// Parses a query string, with or without the leading `?`.
    pub fn parse(query: &str) -> UrlState {
        let mut st = UrlState::default();
        let query = query.strip_prefix('?').unwrap_or(query);
        for pair in query.split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let v = percent_decode(v);
            match k {
                "e" => st.event = id_like(&v),
                "p" => st.place = id_like(&v),
                "t" => {
                    st.range = v.split_once('~').and_then(|(a, b)| {
                        let (a, b) = (num(a)?, num(b)?);
                        (a < b && a >= 1900.0 && b <= 2100.0).then_some((a, b))
                    })
                }
                "c" => {
                    let mut cats = [false; Category::COUNT];
                    let mut any = false;
                    for key in v.split(',') {
                        if let Some(c) = Category::from_key(key.trim()) {
                            cats[c.index()] = true;
                            any = true;
                        }
                    }
                    // "c=" (none shown) is meaningful; garbage only is ignored.
                    st.categories = if any || v.is_empty() { Some(cats) } else { None };
                }
                "q" => st.search = v.chars().take(200).collect(),
                "m" => {
                    let parts: Vec<Option<f64>> = v.split(',').map(num).collect();
                    if let [Some(lon), Some(lat), Some(z)] = parts[..] {
                        if (-180.0..=360.0).contains(&lon) && (-90.0..=90.0).contains(&lat) && z > 0.0 && z <= 1000.0 {
                            st.map = Some(GeoView { lon, lat, zoom: z });
                        }
                    }
                }
                "panel" => st.panel = Panel::from_key(&v),
                "embed" => st.embed = Embed::from_key(&v),
                "story" => st.story = id_like(&v),
                "step" => st.step = v.trim().parse::<u32>().ok().filter(|&n| n >= 1),
                "lang" => st.lang = Lang::from_key(&v),
                _ => {}
            }
        }
        st
    }

    /// The query string (with `?`, or empty) in a fixed key order.
    pub fn to_query(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(e) = self.embed {
            parts.push(format!("embed={}", e.key()));
        }
        if let Some(s) = &self.story {
            parts.push(format!("story={}", percent_encode(s)));
            parts.push(format!("step={}", self.step.unwrap_or(1)));
        }
        if let Some(e) = &self.event {
            parts.push(format!("e={}", percent_encode(e)));
        }
        if let Some(p) = &self.place {
            parts.push(format!("p={}", percent_encode(p)));
        }
        if let Some((a, b)) = self.range {
            parts.push(format!("t={}~{}", short(a), short(b)));
        }
        if let Some(cats) = self.categories {
            if cats != [true; Category::COUNT] {
                let keys: Vec<&str> = Category::ALL.iter().filter(|c| cats[c.index()]).map(|c| c.key()).collect();
                parts.push(format!("c={}", keys.join(",")));
            }
        }
        if !self.search.is_empty() {
            parts.push(format!("q={}", percent_encode(&self.search)));
        }
        if let Some(m) = self.map {
            parts.push(format!("m={},{},{}", short(m.lon), short(m.lat), short(m.zoom)));
        }
        if let Some(p) = &self.panel {
            parts.push(format!("panel={}", p.key()));
        }
        if let Some(l) = self.lang {
            parts.push(format!("lang={}", l.key()));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_parse_as_the_standard_parser_does() {
        for t in ["0", "-0", "1960.5", "-12.346", ".25", "3.", "+7", "007.100", "123456789012345", "0.000000000000001"]
        {
            assert_eq!(decimal(t), Some(t.parse::<f64>().unwrap()), "{t}");
        }
        for t in ["", "-", ".", "1e3", "inf", "NaN", "1.2.3", "12a", " 1", "--1", "1234567890123456", "0x10"] {
            assert_eq!(decimal(t), None, "{t:?}");
        }
        // Every value the app writes reads back to the same text.
        for k in -200_000..200_000 {
            let v = k as f64 * 0.013;
            let text = short(v);
            assert_eq!(decimal(&text), Some(text.parse::<f64>().unwrap()), "{text}");
        }
    }

    #[test]
    fn short_numbers() {
        for (v, want) in [
            (1960.5, "1960.5"),
            (1970.25, "1970.25"),
            (2000.0, "2000"),
            (-0.0004, "0"),
            (-0.5, "-0.5"),
            (-12.3456, "-12.346"),
            (0.001, "0.001"),
            (69.99999, "70"),
            (1e300, "1000…"),
        ] {
            if want.ends_with('…') {
                assert!(short(v).starts_with("1000"), "{v}: {}", short(v));
            } else {
                assert_eq!(short(v), want, "{v}");
            }
        }
        // The same value as three-decimal formatting, away from halfway cases (which may round
        // either way, a ten-thousandth of a year or degree).
        for k in -5000..5000 {
            let v = k as f64 * 0.7311 + 0.0001;
            if ((v * 1000.0).fract().abs() - 0.5).abs() < 1e-6 {
                continue;
            }
            let std = format!("{v:.3}");
            let std = std.trim_end_matches('0').trim_end_matches('.');
            assert_eq!(short(v), if std == "-0" { "0" } else { std }, "{v}");
        }
    }

    #[test]
    fn round_trip() {
        let mut cats = [true; Category::COUNT];
        cats[2] = false;
        let st = UrlState {
            event: Some("tashkent-declaration-1966".into()),
            place: Some("moscow".into()),
            range: Some((1960.5, 1970.25)),
            categories: Some(cats),
            search: "gas & oil 100%".into(),
            map: Some(GeoView { lon: 70.0, lat: 40.5, zoom: 2.0 }),
            panel: Some(Panel::Embed),
            embed: Some(Embed::Map),
            story: Some("rq2".into()),
            step: Some(3),
            lang: Some(Lang::Ur),
        };
        let q = st.to_query();
        assert_eq!(UrlState::parse(&q), st, "{q}");
        assert_eq!(UrlState::default().to_query(), "");
    }

    #[test]
    fn bad_fields_are_dropped_one_by_one() {
        let st = UrlState::parse("?e=ok-id&t=2000~1990&m=1,2&c=nope&q=%E2%80%93&p=<script>&zzz=1&embed=2");
        assert_eq!(st.event.as_deref(), Some("ok-id"));
        assert_eq!(st.range, None);
        assert_eq!(st.map, None);
        assert_eq!(st.categories, None);
        assert_eq!(st.search, "–");
        assert_eq!(st.place, None);
        assert_eq!(st.embed, None);
        let st = UrlState::parse("t=1950~1960&m=70,30,NaN&c=military,crisis,foo");
        assert_eq!(st.range, Some((1950.0, 1960.0)));
        assert_eq!(st.map, None);
        let cats = st.categories.unwrap();
        assert!(cats[Category::Military.index()] && cats[Category::Crisis.index()]);
        assert!(!cats[Category::Diplomatic.index()]);
        assert_eq!(UrlState::parse("t=inf~nan").range, None);
        assert_eq!(UrlState::parse("panel=nope").panel, None);
        assert_eq!(UrlState::parse("panel=embed").panel, Some(Panel::Embed));
        assert_eq!(UrlState::parse("embed=1").embed, Some(Embed::Atlas));
        assert_eq!(UrlState::parse("embed=event").embed, Some(Embed::Event));
        assert_eq!(UrlState::parse("embed=Map").embed, None);
        for e in Embed::ALL {
            assert_eq!(Embed::from_key(e.key()), Some(e));
        }
        assert_eq!(UrlState::parse("%").search, "");
        let st = UrlState::parse("story=rq2&step=3");
        assert_eq!((st.story.as_deref(), st.step), (Some("rq2"), Some(3)));
        for bad in ["step=0", "step=-1", "step=x", "step=3.5", "step=99999999999"] {
            assert_eq!(UrlState::parse(&format!("story=rq2&{bad}")).step, None, "{bad}");
        }
        assert_eq!(UrlState::parse("story=<x>").story, None);
        assert_eq!(UrlState::parse("embed=story").embed, Some(Embed::Story));
        for (q, want) in [("lang=ru", Some(Lang::Ru)), ("lang=ur", Some(Lang::Ur)), ("lang=en", Some(Lang::En))] {
            assert_eq!(UrlState::parse(q).lang, want, "{q}");
        }
        for bad in ["lang=de", "lang=RU", "lang=", "lang=ru-RU", "lang=%00"] {
            assert_eq!(UrlState::parse(bad).lang, None, "{bad}");
        }
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%41%"), "A%");
    }

    #[test]
    fn arbitrary_input_never_panics() {
        // A small deterministic fuzzer (xorshift) over bytes that matter to the parser.
        let alphabet = b"?&=~,%+.-0123456789aefcpqmtz\xc3\xa9 embedpanel";
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            let mut s = Vec::new();
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 40) as usize;
            for _ in 0..len {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                s.push(alphabet[(x % alphabet.len() as u64) as usize]);
            }
            let q = String::from_utf8_lossy(&s);
            let st = UrlState::parse(&q);
            // What we write, we read back identically.
            assert_eq!(UrlState::parse(&st.to_query()), st, "{q}");
        }
    }
}
