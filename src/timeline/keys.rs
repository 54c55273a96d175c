//! The keyboard order of the timeline's events: date order over the events that match the
//! filter, and bringing an event into view.

use super::layout::event_year;
use super::scale::TimeScale;
use crate::data::Atlas;

/// A direction for keyboard navigation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    Prev,
    Next,
}

/// The first matching event in date order.
pub fn first_event(mask: &[bool]) -> Option<usize> {
    mask.iter().position(|&m| m)
}

/// The last matching event in date order.
pub fn last_event(mask: &[bool]) -> Option<usize> {
    mask.iter().rposition(|&m| m)
}

/// The matching event before or after `current` in date order (events are sorted by date, so
/// by index). With no current event, the first (Next) or last (Prev) one. `None` when there is
/// nothing further that way: keep the current selection then.
pub fn next_event(mask: &[bool], current: Option<usize>, dir: Dir) -> Option<usize> {
    match (current, dir) {
        (None, Dir::Next) => first_event(mask),
        (None, Dir::Prev) => last_event(mask),
        (Some(c), Dir::Next) => mask.iter().enumerate().skip(c + 1).find(|(_, &m)| m).map(|(i, _)| i),
        (Some(c), Dir::Prev) => mask[..c.min(mask.len())].iter().rposition(|&m| m),
    }
}

/// Pans `view` (keeping its zoom) so that event `index` is on screen. Returns whether it moved.
pub fn ensure_event_visible(view: &mut TimeScale, atlas: &Atlas, index: usize) -> bool {
    atlas.events.get(index).is_some_and(|e| view.ensure_visible(event_year(e), 24.0))
}
