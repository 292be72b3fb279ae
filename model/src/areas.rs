//! The 30 life areas every workspace starts with: five per cluster, in display order.
//!
//! A seeded area's id is derived from its slug (`area_<slug>`), so two devices that each create the
//! same workspace agree on every area's identity without talking to each other.

use crate::enums::EventCategory;
use crate::enums::LifeAreaCluster::{self, *};

/// One entry of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AreaSpec {
    pub slug: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub cluster: LifeAreaCluster,
}

impl AreaSpec {
    /// The stable id of a seeded area.
    pub fn id(&self) -> String {
        area_id(self.slug)
    }
}

/// The id every device gives the seeded area with this slug.
pub fn area_id(slug: &str) -> String {
    format!("area_{slug}")
}

macro_rules! area {
    ($slug:literal, $name:literal, $cluster:ident, $desc:literal) => {
        AreaSpec { slug: $slug, name: $name, description: $desc, cluster: $cluster }
    };
}

/// The catalogue, in sort order (the index plus one is the area's `sortOrder`).
pub const LIFE_AREAS: [AreaSpec; 30] = [
    area!("work", "Work & Purpose", SystemicStructural, "The work you do and how much of yourself it lets you bring."),
    area!(
        "finance",
        "Financial Abundance",
        SystemicStructural,
        "Money coming in, going out, and the ease or strain around it."
    ),
    area!(
        "living-environment",
        "Living Environment",
        SystemicStructural,
        "Your home and surroundings, and how well they hold you."
    ),
    area!("legal-civic", "Legal & Civic", SystemicStructural, "Paperwork, obligations and your part in civic life."),
    area!("time-energy", "Time & Energy", SystemicStructural, "Where your hours and your energy actually go."),
    area!("romantic-intimacy", "Romantic Intimacy", RelationalHuman, "Partnership, closeness and being truly known."),
    area!("family", "Family", RelationalHuman, "The family you come from and the one you make."),
    area!("friendships", "Friendships", RelationalHuman, "The friends who know you and whom you show up for."),
    area!(
        "professional-network",
        "Professional Network",
        RelationalHuman,
        "Colleagues, mentors and the people you build with."
    ),
    area!("community", "Community", RelationalHuman, "Belonging to the places and groups around you."),
    area!("physical-health", "Physical Health", InnerPersonal, "Body, sleep, movement and food."),
    area!("mental-health", "Mental Health", InnerPersonal, "Clarity, focus and a mind that is on your side."),
    area!(
        "emotional-wellbeing",
        "Emotional Wellbeing",
        InnerPersonal,
        "Feeling your feelings and coming back to centre."
    ),
    area!("personal-growth", "Personal Growth", InnerPersonal, "Becoming more of who you mean to be."),
    area!("spirituality", "Spirituality", InnerPersonal, "Meaning, faith, practice and what is larger than you."),
    area!(
        "creative-expression",
        "Creative Expression",
        CreativeExpressive,
        "Making things that carry something of you."
    ),
    area!("hobbies-play", "Hobbies & Play", CreativeExpressive, "Doing things for the joy of them."),
    area!(
        "style-aesthetics",
        "Style & Aesthetics",
        CreativeExpressive,
        "How you present yourself and shape what you see."
    ),
    area!("humor-levity", "Humor & Levity", CreativeExpressive, "Laughter and lightness, even on hard days."),
    area!("sensuality", "Sensuality", CreativeExpressive, "Pleasure of the senses and being at home in your body."),
    area!("travel-adventure", "Travel & Adventure", ExploratoryExpansive, "New places and the nerve to go to them."),
    area!(
        "learning-education",
        "Learning & Education",
        ExploratoryExpansive,
        "Study, skills and what you are learning now."
    ),
    area!("innovation", "Innovation", ExploratoryExpansive, "New ideas and the courage to try them."),
    area!("nature", "Nature", ExploratoryExpansive, "Time outdoors and your bond with the living world."),
    area!("curiosity", "Curiosity", ExploratoryExpansive, "Questions you follow for their own sake."),
    area!("purpose-mission", "Purpose & Mission", IntegrativeLegacy, "The why that organises the rest."),
    area!("values-integrity", "Values & Integrity", IntegrativeLegacy, "Living by what you say matters."),
    area!("legacy-impact", "Legacy & Impact", IntegrativeLegacy, "What you leave behind and who it reaches."),
    area!("contribution", "Contribution", IntegrativeLegacy, "Service, teaching and giving back."),
    area!("wisdom", "Wisdom", IntegrativeLegacy, "Lessons lived, integrated and passed on."),
];

/// The catalogue entry for a slug.
pub fn spec(slug: &str) -> Option<&'static AreaSpec> {
    LIFE_AREAS.iter().find(|a| a.slug == slug)
}

/// The event category most events in an area belong to, for front ends that let a person skip it.
pub fn default_category(slug: &str) -> EventCategory {
    match slug {
        "work" | "professional-network" | "innovation" => EventCategory::Professional,
        "finance" => EventCategory::Financial,
        "physical-health" | "mental-health" => EventCategory::Health,
        "spirituality" | "purpose-mission" | "values-integrity" | "wisdom" => EventCategory::Spiritual,
        "romantic-intimacy" | "family" | "friendships" | "community" => EventCategory::Relational,
        "creative-expression" | "style-aesthetics" => EventCategory::Creative,
        _ => EventCategory::Personal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn thirty_unique_areas_five_per_cluster() {
        let slugs: HashSet<_> = LIFE_AREAS.iter().map(|a| a.slug).collect();
        assert_eq!(slugs.len(), 30);
        for c in LifeAreaCluster::ALL {
            let in_cluster: Vec<_> = LIFE_AREAS.iter().filter(|a| a.cluster == *c).collect();
            assert_eq!(in_cluster.len(), 5, "{c}");
        }
        assert_eq!(spec("wisdom").unwrap().cluster, IntegrativeLegacy);
        assert_eq!(spec("work").unwrap().id(), "area_work");
    }
}
