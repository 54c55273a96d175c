//! Label points: where a unit's name goes, the pole of inaccessibility of its largest polygon in
//! plane kilometres, found with `polylabel`; with the tests of that choice.

use super::Pt;
use geo::{LineString, Polygon};

/// How close to the true pole of inaccessibility a label point is, km (stored labels are
/// rounded to a hundredth of a degree, about 1 km).
const LABEL_PRECISION_KM: f64 = 0.1;

/// Where a polygon's label goes: its pole of inaccessibility, the inside point farthest from
/// every edge (holes included), in plane kilometres: `polylabel`, to within [`LABEL_PRECISION_KM`].
pub(super) fn label_point(rings: &[Vec<Pt>]) -> Result<Pt, String> {
    let ring = |r: &Vec<Pt>| LineString::from(r.clone());
    let polygon = Polygon::new(ring(&rings[0]), rings[1..].iter().map(ring).collect());
    let p = polylabel::polylabel(&polygon, &LABEL_PRECISION_KM).map_err(|e| format!("label point: {e}"))?;
    Ok((p.x(), p.y()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Contains, Distance, Euclidean, Point};

    /// The distance from `p` to the nearest edge of `rings`.
    fn edge_distance(rings: &[Vec<Pt>], p: Pt) -> f64 {
        rings.iter().map(|r| Euclidean.distance(&Point::from(p), &LineString::from(r.clone()))).fold(f64::MAX, f64::min)
    }

    #[test]
    fn labels_go_where_there_is_most_room() {
        // A rectangle: its centre.
        let rect = vec![vec![(0.0, 0.0), (40.0, 0.0), (40.0, 10.0), (0.0, 10.0)]];
        let (x, y) = label_point(&rect).unwrap();
        assert!((y - 5.0).abs() <= LABEL_PRECISION_KM && (5.0..=35.0).contains(&x), "({x}, {y})");

        // A C shape, whose centroid is outside it: the label is in its widest part.
        let c = vec![vec![
            (0.0, 0.0),
            (100.0, 0.0),
            (100.0, 20.0),
            (30.0, 20.0),
            (30.0, 80.0),
            (100.0, 80.0),
            (100.0, 100.0),
            (0.0, 100.0),
        ]];
        let p = label_point(&c).unwrap();
        let poly = Polygon::new(LineString::from(c[0].clone()), vec![]);
        assert!(poly.contains(&Point::from(p)), "{p:?} inside");
        assert!(edge_distance(&c, p) >= 15.0 - LABEL_PRECISION_KM, "{p:?}: {}", edge_distance(&c, p));

        // A square with a hole in the middle: never in the hole, and 10 km from every edge.
        let holed = vec![
            vec![(0.0, 0.0), (60.0, 0.0), (60.0, 60.0), (0.0, 60.0)],
            vec![(20.0, 20.0), (40.0, 20.0), (40.0, 40.0), (20.0, 40.0)],
        ];
        let p = label_point(&holed).unwrap();
        assert!(!(20.0..=40.0).contains(&p.0) || !(20.0..=40.0).contains(&p.1), "{p:?} in the hole");
        assert!(edge_distance(&holed, p) >= 10.0 - LABEL_PRECISION_KM, "{p:?}: {}", edge_distance(&holed, p));
    }
}
