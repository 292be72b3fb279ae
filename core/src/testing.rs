//! What the crate's own tests share.

use wisdom_model::{EventCategory, EventTone, EventType, NewEvent};

/// A plain positive work event titled `title`, happening now.
pub(crate) fn work_event(title: &str) -> NewEvent {
    NewEvent {
        life_area_id: None,
        life_area: Some("work".into()),
        kind: EventType::Breakthrough,
        category: EventCategory::Professional,
        tone: EventTone::Positive,
        title: title.into(),
        description: String::new(),
        narrative: None,
        occurred_at: None,
        emotional_charge: 2,
        tags: Vec::new(),
    }
}
