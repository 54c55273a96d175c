//! The interface languages and how each writes dates, numbers and plurals: English, Urdu and
//! Russian, as Pakistani Urdu and Russian publications write them (see
//! `../shared/sources/i18n-glossary.md`, §5c months, §6 digits):
//!
//! - Russian: the month in the genitive after a day ("2 декабря 2019 г."), in the nominative
//!   with a year only ("май 1948 г."), decades "1950-е гг.", thousands grouped with a narrow
//!   no-break space and a decimal comma; plurals one / few / many.
//! - Urdu: Western digits 0–9 (the press, Urdu Wikipedia, state media, and CLDR's `ur`), day
//!   month year ("10 جنوری 1966"), decades "1950 کی دہائی", thousands grouped with ","; plurals
//!   one / other.
//!
//! A date keeps its precision in every language: a month stays a month, a decade a decade.

use crate::data::{Date, Precision};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Ur,
    Ru,
}

/// Which plural form a count takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plural {
    One,
    Few,
    Many,
    Other,
}

const RU_GENITIVE: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
const RU_NOMINATIVE: [&str; 12] = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];
const UR_MONTHS: [&str; 12] =
    ["جنوری", "فروری", "مارچ", "اپریل", "مئی", "جون", "جولائی", "اگست", "ستمبر", "اکتوبر", "نومبر", "دسمبر"];

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Ur, Lang::Ru];

    /// The `lang=` value and the `<html lang>`.
    pub fn key(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ur => "ur",
            Lang::Ru => "ru",
        }
    }

    /// The language of a `lang=` value (exactly `en`, `ur` or `ru`).
    pub fn from_key(key: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.key() == key)
    }

    /// A language tag's language, if it is one of ours: `ru-RU` is Russian, `ur-PK` Urdu.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.key() == primary)
    }

    /// The first of the visitor's preferred languages (in order) that the atlas has; English
    /// when none is.
    pub fn preferred<'a>(tags: impl IntoIterator<Item = &'a str>) -> Lang {
        tags.into_iter().find_map(Lang::from_tag).unwrap_or(Lang::En)
    }

    /// The language's own name, for the language menu.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ur => "اردو",
            Lang::Ru => "Русский",
        }
    }

    /// The writing direction of the page (`<html dir>`). Time axes stay left to right in every
    /// language (glossary §7: charts keep left-to-right for Urdu).
    pub fn dir(self) -> &'static str {
        match self {
            Lang::Ur => "rtl",
            _ => "ltr",
        }
    }

    /// The plural form of `n`: Russian one (1, 21, …; not 11), few (2–4, 22–24, …; not 12–14),
    /// many (the rest); English and Urdu one (1) or other.
    pub fn plural(self, n: u64) -> Plural {
        match self {
            Lang::Ru => match (n % 10, n % 100) {
                (1, r) if r != 11 => Plural::One,
                (2..=4, r) if !(12..=14).contains(&r) => Plural::Few,
                _ => Plural::Many,
            },
            _ if n == 1 => Plural::One,
            _ => Plural::Other,
        }
    }

    /// A whole number with the language's grouping: "1,234,567", "1 234 567" (narrow no-break
    /// spaces) in Russian. Years are not numbers to group: see [`Lang::date`].
    pub fn number(self, n: i64) -> String {
        let sep = if self == Lang::Ru { '\u{202f}' } else { ',' };
        let digits = n.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
        if n < 0 {
            out.push('-');
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
        out
    }

    /// A decade: "1950s", "1950-е гг.", "1950 کی دہائی".
    pub fn decade(self, year: i32) -> String {
        match self {
            Lang::En => format!("{year}s"),
            Lang::Ru => format!("{year}-е гг."),
            Lang::Ur => format!("{year} کی دہائی"),
        }
    }

    /// A date at its own precision.
    pub fn date(self, d: &Date) -> String {
        match (self, d.precision, formats()) {
            (_, Precision::Decade, _) => self.decade(d.year),
            (Lang::En, _, _) | (_, _, None) => d.to_string(),
            (_, _, Some(f)) => (f.date)(self, d),
        }
    }

    /// A period from `start` to `end` (when there is one), each at its precision; within one
    /// month or one year the shared parts are written once, as in each language's press.
    pub fn span(self, start: &Date, end: Option<&Date>) -> String {
        let Some(end) = end else { return self.date(start) };
        match (self, formats()) {
            (Lang::En, _) | (_, None) => crate::data::date::format_span(start, Some(end)),
            (_, Some(f)) => (f.span)(self, start, end),
        }
    }

    /// A month's name as it stands alone (a chart's or a tooltip's month): "May", "май", "مئی".
    pub fn month(self, month: u8) -> &'static str {
        match (self, formats()) {
            (Lang::En, _) | (_, None) => crate::data::date::MONTHS[(month as usize).clamp(1, 12) - 1],
            (_, Some(f)) => (f.month)(self, month),
        }
    }
}

/// How Urdu and Russian write dates and months. In the browser these come with the language's
/// module (`src/app/lang_module.rs`, which [`install`]s them), so that a page in English does
/// not carry them; until then, and natively always, [`formats`] says where they are.
#[derive(Clone, Copy, Debug)]
pub struct Formats {
    pub date: fn(Lang, &Date) -> String,
    pub span: fn(Lang, &Date, &Date) -> String,
    pub month: fn(Lang, u8) -> &'static str,
}

impl Formats {
    /// The functions below.
    pub const OTHER: Formats = Formats { date: other_date, span: other_span, month: other_month };
}

#[cfg(target_arch = "wasm32")]
static FORMATS: std::sync::OnceLock<Formats> = std::sync::OnceLock::new();

/// Makes Urdu and Russian dates available (the language's module does, before the page mounts).
pub fn install(f: Formats) {
    #[cfg(target_arch = "wasm32")]
    let _ = FORMATS.set(f);
    #[cfg(not(target_arch = "wasm32"))]
    let _ = f;
}

/// The formats of the languages other than English, if they are here (in the browser: once the
/// language's module has been loaded; an English page never loads it).
fn formats() -> Option<Formats> {
    #[cfg(target_arch = "wasm32")]
    return FORMATS.get().copied();
    #[cfg(not(target_arch = "wasm32"))]
    Some(Formats::OTHER)
}

/// [`Lang::date`] in Urdu and Russian, at a day, month or year (English as English).
fn other_date(lang: Lang, d: &Date) -> String {
    let m = (d.month as usize).clamp(1, 12) - 1;
    match (lang, d.precision) {
        (_, Precision::Decade) => lang.decade(d.year),
        (Lang::En, _) => d.to_string(),
        (Lang::Ru, Precision::Year) => format!("{} г.", d.year),
        (Lang::Ru, Precision::Month) => format!("{} {} г.", RU_NOMINATIVE[m], d.year),
        (Lang::Ru, Precision::Day) => format!("{} {} {} г.", d.day, RU_GENITIVE[m], d.year),
        (Lang::Ur, Precision::Year) => d.year.to_string(),
        (Lang::Ur, Precision::Month) => format!("{} {}", UR_MONTHS[m], d.year),
        (Lang::Ur, Precision::Day) => format!("{} {} {}", d.day, UR_MONTHS[m], d.year),
    }
}

/// [`Lang::span`] in Urdu and Russian.
fn other_span(lang: Lang, s: &Date, e: &Date) -> String {
    let day = |d: &Date| d.precision == Precision::Day;
    let year = |d: &Date| d.precision == Precision::Year;
    let m = |d: &Date| (d.month as usize).clamp(1, 12) - 1;
    match lang {
        Lang::Ru if day(s) && day(e) && s.year == e.year && s.month == e.month => {
            format!("{}–{} {} {} г.", s.day, e.day, RU_GENITIVE[m(s)], s.year)
        }
        Lang::Ru if day(s) && day(e) && s.year == e.year => {
            format!("{} {} – {} {} {} г.", s.day, RU_GENITIVE[m(s)], e.day, RU_GENITIVE[m(e)], e.year)
        }
        Lang::Ru if year(s) && year(e) => format!("{}–{} гг.", s.year, e.year),
        Lang::Ur if day(s) && day(e) && s.year == e.year && s.month == e.month => {
            format!("{}–{} {} {}", s.day, e.day, UR_MONTHS[m(s)], s.year)
        }
        Lang::Ur if day(s) && day(e) && s.year == e.year => {
            format!("{} {} – {} {} {}", s.day, UR_MONTHS[m(s)], e.day, UR_MONTHS[m(e)], e.year)
        }
        Lang::Ur if year(s) && year(e) => format!("{}–{}", s.year, e.year),
        Lang::En => crate::data::date::format_span(s, Some(e)),
        _ => format!("{} – {}", other_date(lang, s), other_date(lang, e)),
    }
}

/// [`Lang::month`] in Urdu and Russian.
fn other_month(lang: Lang, month: u8) -> &'static str {
    let m = (month as usize).clamp(1, 12) - 1;
    match lang {
        Lang::En => crate::data::date::MONTHS[m],
        Lang::Ru => RU_NOMINATIVE[m],
        Lang::Ur => UR_MONTHS[m],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn dates_keep_their_precision_in_every_language() {
        let cases = [
            ("2019-12-02", ["2 December 2019", "2 دسمبر 2019", "2 декабря 2019 г."]),
            ("1948-05", ["May 1948", "مئی 1948", "май 1948 г."]),
            ("1965", ["1965", "1965", "1965 г."]),
            ("1950s", ["1950s", "1950 کی دہائی", "1950-е гг."]),
            ("1966-01-10", ["10 January 1966", "10 جنوری 1966", "10 января 1966 г."]),
        ];
        for (date, want) in cases {
            for (lang, w) in Lang::ALL.into_iter().zip(want) {
                assert_eq!(lang.date(&d(date)), w, "{date} in {lang:?}");
            }
        }
    }

    #[test]
    fn spans_write_shared_parts_once() {
        let (a, b) = (d("2016-09-24"), d("2016-10-10"));
        assert_eq!(Lang::Ru.span(&a, Some(&b)), "24 сентября – 10 октября 2016 г.");
        assert_eq!(Lang::Ur.span(&a, Some(&b)), "24 ستمبر – 10 اکتوبر 2016");
        assert_eq!(Lang::En.span(&a, Some(&b)), "24 September – 10 October 2016");
        let (a, b) = (d("2023-06-11"), d("2023-06-12"));
        assert_eq!(Lang::Ru.span(&a, Some(&b)), "11–12 июня 2023 г.");
        assert_eq!(Lang::Ur.span(&a, Some(&b)), "11–12 جون 2023");
        assert_eq!(Lang::Ru.span(&d("1958"), Some(&d("1979"))), "1958–1979 гг.");
        assert_eq!(Lang::Ru.span(&d("1965-03"), Some(&d("1966"))), "март 1965 г. – 1966 г.");
        assert_eq!(Lang::Ur.span(&d("1965"), None), "1965");
    }

    #[test]
    fn numbers_group_as_each_language_writes_them() {
        assert_eq!(Lang::En.number(1234567), "1,234,567");
        assert_eq!(Lang::Ur.number(1234567), "1,234,567");
        assert_eq!(Lang::Ru.number(1234567), "1\u{202f}234\u{202f}567");
        assert_eq!(Lang::Ru.number(520), "520");
        assert_eq!(Lang::En.number(-4500), "-4,500");
        // Urdu keeps Western digits.
        assert!(Lang::Ur.date(&d("2019-12-02")).chars().filter(|c| c.is_numeric()).all(|c| c.is_ascii_digit()));
    }

    #[test]
    fn plurals() {
        let ru: Vec<Plural> =
            [1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 0].iter().map(|&n| Lang::Ru.plural(n)).collect();
        use Plural::*;
        assert_eq!(ru, [One, Few, Few, Many, Many, Many, Many, One, Few, Many, One, Many, Many]);
        assert_eq!(Lang::Ur.plural(1), One);
        assert_eq!(Lang::Ur.plural(52), Other);
        assert_eq!(Lang::En.plural(0), Other);
    }

    #[test]
    fn the_visitors_languages_choose_the_default() {
        assert_eq!(Lang::preferred(["de-DE", "ru-RU", "en"]), Lang::Ru);
        assert_eq!(Lang::preferred(["ur-PK"]), Lang::Ur);
        assert_eq!(Lang::preferred(["fr", "de"]), Lang::En);
        assert_eq!(Lang::preferred([]), Lang::En);
        assert_eq!(Lang::from_tag("RU"), Some(Lang::Ru));
        assert_eq!(Lang::from_tag(""), None);
        assert_eq!(Lang::Ur.dir(), "rtl");
        assert_eq!(Lang::Ru.dir(), "ltr");
    }
}
