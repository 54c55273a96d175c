//! Hit-testing and lookups on a drawn layout: data-space answers (which event, which cluster)
//! for a pointer position, from exactly the geometry that was drawn.

use super::layout::*;

/// What the pointer is over.
#[derive(Clone, Debug, PartialEq)]
pub enum Hit {
    /// An event, as an index into `atlas.events`.
    Event(usize),
    /// Several events drawn as one mark (or overlapping bars), in date order, and the years they
    /// cover: zoom there with [`TimeScale::zoom_to`], or list them if it returns `false`.
    Cluster { events: Vec<usize>, years: (f64, f64) },
}

impl TimelineLayout {
    /// The mark an event is drawn in (its own or a cluster's); `None` when off screen.
    pub fn mark_of(&self, event: usize) -> Option<&Mark> {
        self.mark_of.get(event).filter(|&&k| k != NO_MARK).map(|&k| &self.marks[k as usize])
    }

    /// The events of a mark, in x order.
    pub fn members_of(&self, mark: &Mark) -> &[usize] {
        &self.members[mark.members.clone()]
    }

    /// The events of a bar.
    pub fn bar_members_of(&self, bar: &Bar) -> &[usize] {
        &self.bar_members[bar.members.clone()]
    }

    /// An event's own bar (x0, x1, y), when it has one on screen.
    pub fn span_of(&self, event: usize) -> Option<(f64, f64, f64)> {
        let k = self.spans.binary_search_by_key(&event, |s| s.0).ok()?;
        let (_, x0, x1, y) = self.spans[k];
        Some((x0, x1, y))
    }

    /// The lane under `y`, if any.
    pub fn lane_at(&self, y: f64) -> Option<usize> {
        self.lanes.iter().position(|l| y >= l.top && y < l.bottom)
    }

    /// The marks of one lane and group (`matching` or not), sorted by x.
    pub fn lane_marks(&self, lane: usize, matching: bool) -> &[Mark] {
        &self.marks[self.mark_groups[lane][usize::from(matching)].clone()]
    }

    /// The bars of one lane and group, sorted by x and not overlapping.
    pub fn lane_bars(&self, lane: usize, matching: bool) -> &[Bar] {
        &self.bars[self.bar_groups[lane][usize::from(matching)].clone()]
    }

    fn hit_from_members(&self, members: &[usize], years: (f64, f64)) -> Hit {
        match members {
            [one] => Hit::Event(*one),
            _ => {
                let mut events = members.to_vec();
                crate::order::sort_by_key(&mut events, |&e| e as i64);
                Hit::Cluster { events, years }
            }
        }
    }

    /// What is under the canvas point `(x, y)`: the topmost mark or bar within
    /// [`HIT_SLOP`] px, in drawing order reversed (matching above dimmed, marks above bars).
    /// O(log n) per call: a binary search in the lane's marks sorted by x.
    pub fn hit(&self, x: f64, y: f64) -> Option<Hit> {
        let lane = self.lane_at(y)?;
        if x < self.plot.x0 - HIT_SLOP || x > self.plot.x1 + HIT_SLOP {
            return None;
        }
        // No mark reaches further from its centre than half a lane.
        let reach = (self.lanes[lane].bottom - self.lanes[lane].top) / 2.0 + HIT_SLOP;
        for matching in [true, false] {
            let marks = self.lane_marks(lane, matching);
            let from = marks.partition_point(|m| m.x < x - reach);
            let best = marks[from..]
                .iter()
                .take_while(|m| m.x <= x + reach)
                .map(|m| (m, (m.x - x).hypot(m.y - y)))
                .filter(|(m, d)| *d <= m.r + HIT_SLOP)
                .min_by(|a, b| a.1.total_cmp(&b.1));
            if let Some((m, _)) = best {
                return Some(self.hit_from_members(self.members_of(m), m.years));
            }
            let bars = self.lane_bars(lane, matching);
            let from = bars.partition_point(|b| b.x1 < x - HIT_SLOP);
            if let Some(b) = bars.get(from) {
                if x >= b.x0 - HIT_SLOP && (y - b.y).abs() <= b.h / 2.0 + HIT_SLOP {
                    return Some(self.hit_from_members(self.bar_members_of(b), b.years));
                }
            }
        }
        None
    }
}
