//! One-off episodes: a few entries about the same thing, all within four days, then never again.
//! They look like a cluster but are not a recurring situation (no second week).

use wisdom_model::EventType::{self, *};

/// A short episode, its steps in the order they happen.
pub(super) struct Burst {
    pub area: &'static str,
    /// Title, type and emotional charge of each step; the first and last always happen.
    pub steps: &'static [(&'static str, EventType, i64)],
}

pub(super) static BURSTS: &[Burst] = &[
    // Delayed flight and lost luggage
    Burst {
        area: "travel-adventure",
        steps: &[
            ("Flight delayed 3 hours, stuck at the gate", Setback, -2),
            ("Lost luggage at the airport, filled in a form at the desk", Setback, -3),
            ("Still no suitcase, bought a toothbrush and socks", Upset, -2),
            ("Airline finally found my suitcase!", Progress, 2),
        ],
    },
    // A heavy cold
    Burst {
        area: "physical-health",
        steps: &[
            ("Woke up with a sore throat", Setback, -1),
            ("Full-blown cold, called in sick", Setback, -3),
            ("Day on the sofa with tissues and honey lemon", Setback, -1),
            ("Cold's easing, can breathe through my nose again", Progress, 1),
        ],
    },
    // Leak through the kitchen ceiling
    Burst {
        area: "living-environment",
        steps: &[
            ("Water dripping through the kitchen ceiling!", Upset, -4),
            ("Plumber says the leak is from upstairs' pipe", Setback, -2),
            ("Dehumidifier roaring all day, big brown stain", Setback, -1),
            ("Ceiling patched and painted, kitchen usable again", Progress, 2),
        ],
    },
    // Lost wallet
    Burst {
        area: "legal-civic",
        steps: &[
            ("Lost my wallet on the bus", Upset, -3),
            ("Blocked all my cards and reported the ID missing", Setback, -2),
            ("Queued at the town hall for a replacement ID", Setback, -1),
            ("Someone handed my wallet in at the depot, cash and all!", Breakthrough, 3),
        ],
    },
];
