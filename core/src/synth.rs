//! Synthetic journals for tests and benchmarks: seeded and reproducible, with realistic text
//! lengths, tags and areas, and optionally recurring themes planted among unrelated events so the
//! pattern engine's precision and recall can be measured.

use chrono::{DateTime, Duration, Utc};
use wisdom_model::{areas, EventTone, EventType, NewEvent, LIFE_AREAS};

/// SplitMix64: small, fast, and the same sequence on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next_u64() % ((hi - lo + 1).max(1) as u64)) as i64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() as f64 / u64::MAX as f64) < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Everyday words for unrelated entries. None of them is a theme word below.
const FILLER: &[&str] = &[
    "morning",
    "coffee",
    "walked",
    "train",
    "called",
    "friend",
    "lunch",
    "kitchen",
    "garden",
    "emails",
    "meeting",
    "project",
    "weekend",
    "dinner",
    "cooked",
    "pasta",
    "rain",
    "sunny",
    "park",
    "book",
    "chapter",
    "podcast",
    "music",
    "guitar",
    "practice",
    "shopping",
    "groceries",
    "market",
    "bike",
    "ride",
    "neighbour",
    "letter",
    "package",
    "painted",
    "fence",
    "movie",
    "cinema",
    "tickets",
    "museum",
    "visited",
    "cousin",
    "birthday",
    "cake",
    "laundry",
    "cleaned",
    "apartment",
    "plants",
    "watered",
    "recipe",
    "soup",
    "bread",
    "bakery",
    "library",
    "borrowed",
    "notes",
    "sketch",
    "drawing",
    "photos",
    "camera",
    "beach",
    "swim",
    "pool",
    "yoga",
    "stretching",
    "tea",
    "journal",
    "planner",
    "calendar",
    "errands",
    "bank",
    "post",
    "office",
    "printer",
    "laptop",
    "update",
    "phone",
    "charger",
    "bus",
    "station",
    "platform",
    "delay",
    "ticket",
    "umbrella",
    "jacket",
    "shoes",
    "repair",
    "hardware",
    "store",
    "paint",
    "brush",
    "canvas",
    "gallery",
    "concert",
    "choir",
    "rehearsal",
    "piano",
    "lesson",
    "teacher",
    "class",
    "homework",
    "essay",
    "draft",
    "edited",
    "published",
    "blog",
    "article",
    "newsletter",
    "subscribed",
    "video",
    "documentary",
    "history",
    "river",
    "bridge",
    "hill",
    "trail",
    "picnic",
    "sandwich",
    "salad",
    "fruit",
    "apples",
    "cherries",
    "harvest",
    "tomatoes",
    "seeds",
    "compost",
    "balcony",
    "window",
    "curtains",
    "sofa",
    "chair",
    "desk",
    "lamp",
    "candles",
    "evening",
    "sunset",
    "stars",
    "moon",
    "quiet",
    "street",
    "festival",
    "parade",
    "crowd",
    "volunteer",
    "shelter",
    "donation",
    "clothes",
    "wardrobe",
    "sorted",
    "boxes",
    "attic",
    "cellar",
    "bicycle",
    "tyre",
    "pump",
    "helmet",
    "map",
    "route",
    "village",
    "cafe",
    "croissant",
    "waiter",
    "menu",
    "tasted",
    "wine",
    "cheese",
    "olives",
    "spices",
    "curry",
    "noodles",
    "dumplings",
    "tacos",
    "pizza",
    "oven",
    "kettle",
    "fridge",
];

/// Tags people sprinkle on everyday entries.
const FILLER_TAGS: &[&str] = &[
    "home",
    "food",
    "friends",
    "music",
    "reading",
    "outdoors",
    "errands",
    "family-time",
    "learning",
    "creative",
    "weekend",
    "travel",
    "money",
    "health",
    "chores",
    "ideas",
    "gratitude",
    "routine",
    "city",
    "nature-walk",
];

/// A recurring theme: its area, the words it is written in, its tag and its emotional shape.
pub struct Theme {
    pub name: &'static str,
    pub area: &'static str,
    pub words: &'static [&'static str],
    pub tag: &'static str,
    pub kind: EventType,
    pub charge: (i64, i64),
}

pub const THEMES: &[Theme] = &[
    Theme {
        name: "overwork",
        area: "work",
        words: &["overtime", "deadline", "exhausted", "boss", "late-night"],
        tag: "overwork",
        kind: EventType::Upset,
        charge: (-4, -2),
    },
    Theme {
        name: "insomnia",
        area: "physical-health",
        words: &["insomnia", "awake", "sleepless", "3am", "tossing"],
        tag: "sleep",
        kind: EventType::Setback,
        charge: (-3, -1),
    },
    Theme {
        name: "sibling conflict",
        area: "family",
        words: &["brother", "argument", "shouting", "resentment", "holidays"],
        tag: "conflict",
        kind: EventType::Upset,
        charge: (-4, -2),
    },
    Theme {
        name: "running",
        area: "physical-health",
        words: &["run", "5k", "pace", "marathon", "training"],
        tag: "running",
        kind: EventType::Progress,
        charge: (2, 4),
    },
    Theme {
        name: "overspending",
        area: "finance",
        words: &["overspent", "credit", "impulse", "purchase", "budget"],
        tag: "spending",
        kind: EventType::Setback,
        charge: (-3, -1),
    },
    Theme {
        name: "meditation",
        area: "spirituality",
        words: &["meditation", "breath", "stillness", "retreat", "mantra"],
        tag: "meditation",
        kind: EventType::Learning,
        charge: (1, 3),
    },
    Theme {
        name: "loneliness",
        area: "friendships",
        words: &["lonely", "isolated", "cancelled", "nobody", "weekend-alone"],
        tag: "lonely",
        kind: EventType::Upset,
        charge: (-4, -2),
    },
    Theme {
        name: "spanish",
        area: "learning-education",
        words: &["spanish", "vocabulary", "duolingo", "conjugation", "tutor"],
        tag: "language",
        kind: EventType::Progress,
        charge: (1, 3),
    },
    Theme {
        name: "anxiety",
        area: "mental-health",
        words: &["anxiety", "panic", "racing", "heartbeat", "dread"],
        tag: "anxiety",
        kind: EventType::Upset,
        charge: (-5, -3),
    },
    Theme {
        name: "pottery",
        area: "creative-expression",
        words: &["pottery", "clay", "wheel", "glaze", "kiln"],
        tag: "ceramics",
        kind: EventType::Progress,
        charge: (2, 4),
    },
    Theme {
        name: "date nights",
        area: "romantic-intimacy",
        words: &["partner", "date", "candlelit", "romantic", "anniversary"],
        tag: "us",
        kind: EventType::Milestone,
        charge: (3, 5),
    },
    Theme {
        name: "procrastination",
        area: "time-energy",
        words: &["procrastinated", "scrolling", "avoided", "wasted", "distracted"],
        tag: "focus",
        kind: EventType::Setback,
        charge: (-3, -1),
    },
    Theme {
        name: "mentoring",
        area: "contribution",
        words: &["mentee", "mentoring", "advice", "coached", "junior"],
        tag: "mentoring",
        kind: EventType::Progress,
        charge: (2, 4),
    },
    Theme {
        name: "landlord",
        area: "living-environment",
        words: &["landlord", "leak", "mould", "rent", "heating"],
        tag: "housing",
        kind: EventType::Upset,
        charge: (-3, -1),
    },
    Theme {
        name: "hiking",
        area: "nature",
        words: &["hike", "summit", "mountain", "forest", "wildflowers"],
        tag: "hiking",
        kind: EventType::Breakthrough,
        charge: (3, 5),
    },
    Theme {
        name: "networking",
        area: "professional-network",
        words: &["conference", "linkedin", "recruiter", "networking", "introductions"],
        tag: "career",
        kind: EventType::Progress,
        charge: (1, 3),
    },
];

/// What a generated journal should look like.
#[derive(Debug, Clone)]
pub struct JournalSpec {
    pub seed: u64,
    /// Unrelated everyday events.
    pub noise_events: usize,
    /// How many of [`THEMES`] to plant (0 for none).
    pub themes: usize,
    /// Events per planted theme (inclusive range).
    pub per_theme: (usize, usize),
    /// The span the events fall in, ending at `end`.
    pub days: i64,
    pub end: DateTime<Utc>,
}

/// One generated event, and which planted theme it belongs to (if any).
pub struct Generated {
    pub event: NewEvent,
    pub theme: Option<usize>,
}

fn words(rng: &mut Rng, n: usize) -> Vec<&'static str> {
    (0..n).map(|_| *rng.pick(FILLER)).collect()
}

fn sentence(ws: &[&str]) -> String {
    let mut s = ws.join(" ");
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    s
}

/// Generates a journal, oldest first. Same spec, same journal.
pub fn journal(spec: &JournalSpec) -> Vec<Generated> {
    let mut rng = Rng::new(spec.seed);
    let mut out = Vec::with_capacity(spec.noise_events + spec.themes * spec.per_theme.1);
    let span = Duration::days(spec.days).num_seconds().max(1);
    let at = |rng: &mut Rng| spec.end - Duration::seconds(1 + (rng.next_u64() % span as u64) as i64);
    let kinds = EventType::ALL;
    for _ in 0..spec.noise_events {
        let area = rng.pick(&LIFE_AREAS).slug;
        let kind = *rng.pick(kinds);
        let charge = rng.range(-4, 4);
        let title_len = rng.range(3, 6) as usize;
        let desc_len = rng.range(12, 40) as usize;
        let tags: Vec<String> = (0..rng.below(3)).map(|_| rng.pick(FILLER_TAGS).to_string()).collect();
        let narrative = rng.chance(0.2).then(|| sentence(&words(&mut rng, 120)));
        out.push(Generated {
            event: NewEvent {
                life_area_id: None,
                life_area: Some(area.to_string()),
                kind,
                category: areas::default_category(area),
                tone: tone_for(charge),
                title: sentence(&words(&mut rng, title_len)),
                description: sentence(&words(&mut rng, desc_len)),
                narrative,
                occurred_at: Some(at(&mut rng)),
                emotional_charge: charge,
                tags,
            },
            theme: None,
        });
    }
    for (t, theme) in THEMES.iter().cycle().take(spec.themes).enumerate() {
        let n = rng.range(spec.per_theme.0 as i64, spec.per_theme.1 as i64) as usize;
        for _ in 0..n {
            // Each entry says it differently: two or three of the theme's words among everyday ones.
            let mut title: Vec<&str> = words(&mut rng, 2);
            title.insert(rng.below(3), *rng.pick(theme.words));
            let desc_len = rng.range(8, 20) as usize;
            let mut desc = words(&mut rng, desc_len);
            for _ in 0..rng.range(2, 3) {
                let pos = rng.below(desc.len() + 1);
                desc.insert(pos, *rng.pick(theme.words));
            }
            let mut tags = Vec::new();
            if rng.chance(0.6) {
                tags.push(theme.tag.to_string());
            }
            if rng.chance(0.3) {
                tags.push(rng.pick(FILLER_TAGS).to_string());
            }
            let charge = rng.range(theme.charge.0, theme.charge.1);
            out.push(Generated {
                event: NewEvent {
                    life_area_id: None,
                    life_area: Some(theme.area.to_string()),
                    kind: theme.kind,
                    category: areas::default_category(theme.area),
                    tone: tone_for(charge),
                    title: sentence(&title),
                    description: sentence(&desc),
                    narrative: None,
                    occurred_at: Some(at(&mut rng)),
                    emotional_charge: charge,
                    tags,
                },
                theme: Some(t),
            });
        }
    }
    out.sort_by_key(|g| g.event.occurred_at);
    out
}

fn tone_for(charge: i64) -> EventTone {
    match charge {
        c if c > 0 => EventTone::Positive,
        c if c < 0 => EventTone::Negative,
        _ => EventTone::Neutral,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_journal_and_theme_words_stay_out_of_filler() {
        let spec = JournalSpec { seed: 7, noise_events: 50, themes: 3, per_theme: (3, 5), days: 90, end: Utc::now() };
        let a = journal(&spec);
        let b = journal(&spec);
        assert_eq!(a.len(), b.len());
        assert!(a.iter().zip(&b).all(|(x, y)| x.event == y.event));
        for t in THEMES {
            for w in t.words {
                assert!(!FILLER.contains(w), "{w}");
            }
            assert!(!FILLER_TAGS.contains(&t.tag), "{}", t.tag);
        }
    }
}
