//! The overview (the seed's GET /dashboard), computed from stored scores and a few indexed queries.

use chrono::Duration;
use rusqlite::params;

use crate::db::{enum_at, ts_at};
use crate::error::Result;
use crate::time;
use crate::workspace::Workspace;
use wisdom_model::{AreaScore, AreaStatus, Dashboard, Distribution, RecentActivity, UpcomingReview};

/// Reviews due within this many days (or overdue) are "upcoming".
pub const REVIEW_HORIZON_DAYS: i64 = 14;
pub const TOP_AREAS: usize = 5;
pub const RECENT_ACTIVITY: u32 = 10;

impl Workspace {
    pub fn dashboard(&self) -> Result<Dashboard> {
        let now = self.now();
        let areas: Vec<AreaScore> = self
            .life_areas()?
            .into_iter()
            .filter(|a| a.is_active)
            .map(|a| AreaScore { slug: a.slug, name: a.name, score: a.current_score, status: a.status })
            .collect();
        let mut distribution = Distribution::default();
        for a in &areas {
            distribution.count(a.status);
        }
        let overall =
            if areas.is_empty() { 0.0 } else { areas.iter().map(|a| a.score).sum::<f64>() / areas.len() as f64 };
        let mut ranked = areas.clone();
        ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.slug.cmp(&b.slug)));
        let top_areas = ranked.iter().take(TOP_AREAS).cloned().collect();
        let mut needs_attention: Vec<AreaScore> =
            ranked.into_iter().filter(|a| matches!(a.status, AreaStatus::Struggling | AreaStatus::Crisis)).collect();
        needs_attention.reverse();

        let recent_activity = self
            .conn
            .prepare_cached(
                "SELECT e.id, e.title, e.type, a.slug, e.occurred_at, e.emotional_charge
                 FROM events e JOIN life_areas a ON a.id = e.life_area_id
                 ORDER BY e.occurred_at DESC, e.id DESC LIMIT ?1",
            )?
            .query_map([RECENT_ACTIVITY], |r| {
                Ok(RecentActivity {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    kind: enum_at(r, 2)?,
                    life_area: r.get(3)?,
                    occurred_at: ts_at(r, 4)?,
                    emotional_charge: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;

        let active_commitments: u32 =
            self.conn.query_row("SELECT count(*) FROM commitments WHERE status = 'ACTIVE'", [], |r| r.get(0))?;
        let horizon = time::to_db(now + Duration::days(REVIEW_HORIZON_DAYS));
        let upcoming_reviews = self
            .conn
            .prepare_cached(
                "SELECT c.id, c.statement, a.slug, c.next_review_at FROM commitments c
                 LEFT JOIN life_areas a ON a.id = c.life_area_id
                 WHERE c.status = 'ACTIVE' AND c.next_review_at IS NOT NULL AND c.next_review_at <= ?1
                 ORDER BY c.next_review_at LIMIT 20",
            )?
            .query_map(params![horizon], |r| {
                let at = ts_at(r, 3)?;
                Ok(UpcomingReview {
                    commitment_id: r.get(0)?,
                    statement: r.get(1)?,
                    life_area: r.get(2)?,
                    next_review_at: at,
                    overdue: at < now,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;

        Ok(Dashboard {
            overall_score: (overall * 10.0).round() / 10.0,
            distribution,
            top_areas,
            needs_attention,
            recent_activity,
            active_commitments,
            upcoming_reviews,
        })
    }
}
