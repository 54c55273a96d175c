//! Disputed areas: Crimea taken out of Russia as a unit of its own, the Siachen unit flagged, and
//! the de facto lines in Kashmir and Crimea grouped as disputed lines (the rules are in the
//! `geodata` module docs, under "Disputed areas").

use super::topology::{contains, ring_points, SrcUnit, Topo};

/// Latitude where the Kashmir lines begin.
const KASHMIR_SOUTH: f64 = 32.5;

/// One group of disputed lines, by source arc index.
pub(super) struct Disputed {
    pub(super) name: &'static str,
    pub(super) note: &'static str,
    pub(super) arcs: Vec<usize>,
}

/// Marks Crimea, the Siachen unit and the Kashmir lines (see the `geodata` module docs).
pub(super) fn mark_disputed(t: &mut Topo) -> Result<Vec<Disputed>, String> {
    let pk = t.unit("Pakistan")?;
    let ind = t.unit("India")?;
    let cn = t.unit("China")?;
    let ru = t.unit("Russia")?;
    let ua = t.unit("Ukraine")?;
    let sia = t.unit("Siachen Glacier")?;

    // Crimea: the Russian polygon around Simferopol becomes a unit of its own.
    let simferopol = (34.10, 44.95);
    let k = t.units[ru]
        .polys
        .iter()
        .position(|p| contains(&ring_points(&t.arcs, &p[0]), simferopol))
        .ok_or("input: no Crimea polygon in Russia")?;
    let crimea_poly = t.units[ru].polys.remove(k);
    t.units.push(SrcUnit {
        id: None,
        name: "Crimea".into(),
        disputed: true,
        note: Some(
            "Annexed by Russia in 2014; internationally recognised as part of Ukraine (UN General \
             Assembly resolution 68/262). Natural Earth draws it inside Russia; shown here hatched, \
             as disputed."
                .into(),
        ),
        polys: vec![crimea_poly],
    });
    let crimea = t.units.len() - 1;

    t.units[sia].disputed = true;
    t.units[sia].note = Some(
        "Natural Earth's unit for the Siachen Glacier area, held by India since 1984 and claimed by \
         Pakistan; shown hatched, as disputed."
            .into(),
    );

    let mut loc = Vec::new();
    for a in t.shared(pk, ind) {
        loc.extend(t.split_at_lat(a, KASHMIR_SOUTH).0);
    }
    let mut lac_west = Vec::new();
    let mut lac_east = Vec::new();
    for a in t.shared(ind, cn) {
        let max_lon = t.arcs[a].iter().map(|p| p.0).fold(f64::MIN, f64::max);
        let min_lon = t.arcs[a].iter().map(|p| p.0).fold(f64::MAX, f64::min);
        if max_lon <= 81.5 {
            lac_west.extend(t.split_at_lat(a, KASHMIR_SOUTH).0);
        } else if min_lon >= 91.5 {
            lac_east.push(a);
        }
    }
    let siachen: Vec<usize> = [pk, ind, cn].iter().flat_map(|&u| t.shared(sia, u)).collect();
    let groups = vec![
        Disputed {
            name: "Line of Control (Pakistan–India)",
            note: "De facto line between Pakistani- and Indian-administered Kashmir, as Natural Earth \
                   draws it north of 32.5° N (with the Working Boundary at its southern end). The status \
                   of Jammu and Kashmir is disputed.",
            arcs: loc,
        },
        Disputed {
            name: "Siachen Glacier",
            note: "Edges of Natural Earth's Siachen Glacier unit, held by India and claimed by Pakistan.",
            arcs: siachen,
        },
        Disputed {
            name: "Pakistan–China boundary in Kashmir",
            note: "The boundary of the 1963 Pakistan–China agreement between Gilgit-Baltistan and \
                   Xinjiang; India does not recognise it.",
            arcs: t.shared(pk, cn),
        },
        Disputed {
            name: "Line of Actual Control (India–China), western sector",
            note: "De facto line between Indian-administered Ladakh and Chinese-administered Aksai Chin, \
                   as Natural Earth draws it north of 32.5° N.",
            arcs: lac_west,
        },
        Disputed {
            name: "Line of Actual Control (India–China), eastern sector",
            note: "De facto line between Arunachal Pradesh, administered by India, and Tibet; China \
                   claims Arunachal Pradesh.",
            arcs: lac_east,
        },
        Disputed {
            name: "Crimea",
            note: "Line between Crimea, annexed by Russia in 2014, and mainland Ukraine.",
            arcs: t.shared(crimea, ua),
        },
    ];
    for d in &groups {
        if d.arcs.is_empty() {
            return Err(format!("input: found no arcs for {:?}", d.name));
        }
    }
    Ok(groups)
}
