//! The closed vocabularies of the product. Each enum serialises as its SCREAMING_SNAKE_CASE name (the
//! seed's JSON), parses case-insensitively from that name, and says what is allowed when it does not.

use std::fmt;
use std::str::FromStr;

/// An enum name that is not one of the allowed values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownVariant {
    pub kind: &'static str,
    pub value: String,
    pub allowed: &'static [&'static str],
}

impl fmt::Display for UnknownVariant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} {:?}; allowed: {}", self.kind, self.value, self.allowed.join(", "))
    }
}

impl std::error::Error for UnknownVariant {}

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident, $kind:literal { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownVariant;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                // The stored form first, without the copy the lenient match needs: a listing
                // reads three enums per event.
                $(if s == $text { return Ok($name::$variant); })+
                let wanted = s.trim().replace(['-', ' '], "_");
                $(if wanted.eq_ignore_ascii_case($text) { return Ok($name::$variant); })+
                Err(UnknownVariant { kind: $kind, value: s.to_string(), allowed: Self::NAMES })
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

string_enum!(
    /// The six groups of five life areas.
    LifeAreaCluster, "cluster" {
        SystemicStructural = "SYSTEMIC_STRUCTURAL",
        RelationalHuman = "RELATIONAL_HUMAN",
        InnerPersonal = "INNER_PERSONAL",
        CreativeExpressive = "CREATIVE_EXPRESSIVE",
        ExploratoryExpansive = "EXPLORATORY_EXPANSIVE",
        IntegrativeLegacy = "INTEGRATIVE_LEGACY",
    }
);

impl LifeAreaCluster {
    /// The cluster's name as a person reads it.
    pub fn label(self) -> &'static str {
        match self {
            Self::SystemicStructural => "Systemic & Structural",
            Self::RelationalHuman => "Relational & Human",
            Self::InnerPersonal => "Inner & Personal",
            Self::CreativeExpressive => "Creative & Expressive",
            Self::ExploratoryExpansive => "Exploratory & Expansive",
            Self::IntegrativeLegacy => "Integrative & Legacy",
        }
    }
}

string_enum!(
    /// Where an area's score sits; derived from the score by [`AreaStatus::from_score`].
    AreaStatus, "status" {
        Crisis = "CRISIS",
        Struggling = "STRUGGLING",
        Balanced = "BALANCED",
        Thriving = "THRIVING",
        Flourishing = "FLOURISHING",
    }
);

impl AreaStatus {
    /// The seed's bands: <20 CRISIS, 20-39 STRUGGLING, 40-69 BALANCED, 70-89 THRIVING, 90-100
    /// FLOURISHING. Scores are continuous, so each band runs up to (not including) the next bound.
    pub fn from_score(score: f64) -> Self {
        if score < 20.0 {
            Self::Crisis
        } else if score < 40.0 {
            Self::Struggling
        } else if score < 70.0 {
            Self::Balanced
        } else if score < 90.0 {
            Self::Thriving
        } else {
            Self::Flourishing
        }
    }
}

string_enum!(
    EventType, "event type" {
        Breakthrough = "BREAKTHROUGH",
        Progress = "PROGRESS",
        Setback = "SETBACK",
        Upset = "UPSET",
        Milestone = "MILESTONE",
        Pattern = "PATTERN",
        Learning = "LEARNING",
    }
);

string_enum!(
    EventCategory, "event category" {
        Personal = "PERSONAL",
        Relational = "RELATIONAL",
        Professional = "PROFESSIONAL",
        Health = "HEALTH",
        Spiritual = "SPIRITUAL",
        Financial = "FINANCIAL",
        Creative = "CREATIVE",
        Other = "OTHER",
    }
);

string_enum!(
    EventTone, "event tone" {
        Positive = "POSITIVE",
        Negative = "NEGATIVE",
        Neutral = "NEUTRAL",
        Transformational = "TRANSFORMATIONAL",
        Complex = "COMPLEX",
    }
);

string_enum!(
    InsightType, "insight type" {
        TruthRevealed = "TRUTH_REVEALED",
        LimitingBelief = "LIMITING_BELIEF",
        StrengthDiscovered = "STRENGTH_DISCOVERED",
        ValueClarified = "VALUE_CLARIFIED",
        PatternRecognized = "PATTERN_RECOGNIZED",
        WisdomIntegrated = "WISDOM_INTEGRATED",
    }
);

string_enum!(
    CommitmentStatus, "commitment status" {
        Active = "ACTIVE",
        Completed = "COMPLETED",
        Paused = "PAUSED",
        Abandoned = "ABANDONED",
        Integrated = "INTEGRATED",
    }
);

string_enum!(
    BoundaryStatus, "boundary status" {
        Active = "ACTIVE",
        Suspended = "SUSPENDED",
        Dissolved = "DISSOLVED",
        Integrated = "INTEGRATED",
    }
);

string_enum!(
    /// How often a metric snapshot is taken.
    SnapshotPeriod, "snapshot period" {
        Daily = "DAILY",
        Weekly = "WEEKLY",
        Monthly = "MONTHLY",
    }
);

string_enum!(
    /// Where a version that lost a sync conflict stands: open until the person decides.
    ConflictState, "conflict state" {
        Open = "OPEN",
        KeptCurrent = "KEPT_CURRENT",
        Restored = "RESTORED",
        KeptBoth = "KEPT_BOTH",
    }
);

string_enum!(
    /// What the person decides about a version that lost a sync conflict: keep the version in
    /// force (the loser is only marked as seen), restore the loser as the current version (a new
    /// local change, so it syncs and wins), or keep both (the loser becomes a new entry).
    Resolution, "resolution" {
        KeepCurrent = "KEEP_CURRENT",
        Restore = "RESTORE",
        KeepBoth = "KEEP_BOTH",
    }
);

impl Resolution {
    /// The state a conflict is in once resolved this way.
    pub fn state(self) -> ConflictState {
        match self {
            Resolution::KeepCurrent => ConflictState::KeptCurrent,
            Resolution::Restore => ConflictState::Restored,
            Resolution::KeepBoth => ConflictState::KeptBoth,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_json_and_parse_leniently() {
        for t in EventType::ALL {
            let json = serde_json::to_string(t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.as_str()));
            assert_eq!(serde_json::from_str::<EventType>(&json).unwrap(), *t);
        }
        assert_eq!("romantic".parse::<EventTone>().ok(), None);
        assert_eq!("truth-revealed".parse::<InsightType>().unwrap(), InsightType::TruthRevealed);
    }

    #[test]
    fn unknown_name_lists_what_is_allowed() {
        let err = "GREAT".parse::<EventTone>().unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("\"GREAT\""), "{msg}");
        assert!(msg.contains("POSITIVE, NEGATIVE, NEUTRAL"), "{msg}");
    }

    #[test]
    fn status_bands_match_the_seed() {
        let cases = [
            (0.0, AreaStatus::Crisis),
            (19.99, AreaStatus::Crisis),
            (20.0, AreaStatus::Struggling),
            (39.9, AreaStatus::Struggling),
            (40.0, AreaStatus::Balanced),
            (69.9, AreaStatus::Balanced),
            (70.0, AreaStatus::Thriving),
            (89.9, AreaStatus::Thriving),
            (90.0, AreaStatus::Flourishing),
            (100.0, AreaStatus::Flourishing),
        ];
        for (score, want) in cases {
            assert_eq!(AreaStatus::from_score(score), want, "score {score}");
        }
    }
}
