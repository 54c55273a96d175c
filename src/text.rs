//! Text helpers shared by every view: the one estimate of a label's width (no text
//! measurement: in the browser that forces a page layout per label) and the one way a label is
//! cut to fit.

use crate::i18n::tr;

/// The `dir` of an element whose text is written in Latin script as its source writes it
/// (citations, references): `ltr` on a right-to-left page, so that its punctuation and
/// numbers stay in place among the Urdu; none on a left-to-right page.
pub fn latin_dir() -> Option<&'static str> {
    (tr().lang.dir() == "rtl").then_some("ltr")
}

/// The `lang` of an element holding English as its source writes it (a reference) on a page
/// in another language: `en`, so that screen readers and fonts treat it as English.
pub fn latin_lang() -> Option<&'static str> {
    (tr().lang != crate::lang::Lang::En).then_some("en")
}

/// `s`, Latin text as its source writes it (a spelling, a listed title or date), set apart as a
/// left-to-right run (U+2066 … U+2069) for a sentence of a right-to-left page; unchanged on a
/// left-to-right page.
pub fn latin(s: &str) -> String {
    match latin_dir() {
        Some(_) => format!("\u{2066}{s}\u{2069}"),
        None => s.to_string(),
    }
}

/// Width of one character as a share of the font size: 7 px at 12 px, enough for the Latin
/// labels the views draw.
pub const CHAR_EM: f64 = 7.0 / 12.0;

/// Estimated width of one character at a font size of `size` px.
pub const fn char_width(size: f64) -> f64 {
    size * CHAR_EM
}

/// Estimated width of `text` in CSS pixels at a font size of `size` px.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * char_width(size)
}

/// How many characters at `size` px fit in `avail` px.
pub fn chars_in(avail: f64, size: f64) -> usize {
    (avail / char_width(size)).floor().max(0.0) as usize
}

/// `text` if it has at most `max` characters, else its first `max - 1` (trailing spaces
/// dropped) and an ellipsis.
pub fn ellipsize(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_and_cuts() {
        assert_eq!(char_width(12.0), 7.0);
        assert_eq!(text_width("Moscow", 12.0), 42.0);
        assert_eq!(chars_in(42.0, 12.0), 6);
        assert_eq!(chars_in(-5.0, 12.0), 0);
        assert_eq!(ellipsize("Cold War", 8), "Cold War");
        assert_eq!(ellipsize("Cold War", 6), "Cold…");
        assert_eq!(ellipsize("Cold War", 5), "Cold…");
        assert_eq!(ellipsize("Кабул", 3), "Ка…");
        // English (the tests' language) is left to right: nothing to set apart.
        assert_eq!(latin("23-Oct-17"), "23-Oct-17");
        assert_eq!(latin_dir(), None);
    }
}
