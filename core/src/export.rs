//! Export: our JSON of everything (lossless, re-importable) and a readable Markdown journal.

use std::collections::HashMap;
use std::io::Write;

use serde::{Deserialize, Serialize};

use crate::boundaries::all_violations;
use crate::error::{Error, Result};
use crate::workspace::Workspace;
use wisdom_model::*;

pub const EXPORT_FORMAT: &str = "wisdomos-export";
pub const EXPORT_VERSION: u32 = 1;

pub use wisdom_model::Progress;

pub type ProgressFn<'a> = &'a mut dyn FnMut(Progress);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportedWorkspace {
    pub id: String,
    pub name: String,
}

/// Our JSON format: everything in a workspace, in the seed's camelCase shapes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportDocument {
    pub format: String,
    pub version: u32,
    pub exported_at: Timestamp,
    pub workspace: ExportedWorkspace,
    #[serde(default)]
    pub life_areas: Vec<LifeArea>,
    #[serde(default)]
    pub events: Vec<Event>,
    #[serde(default)]
    pub insights: Vec<Insight>,
    #[serde(default)]
    pub commitments: Vec<Commitment>,
    #[serde(default)]
    pub boundaries: Vec<Boundary>,
    #[serde(default)]
    pub boundary_violations: Vec<BoundaryViolation>,
    #[serde(default)]
    pub eras: Vec<Era>,
    #[serde(default)]
    pub autobiography_entries: Vec<AutobiographyEntry>,
    #[serde(default)]
    pub metric_snapshots: Vec<MetricSnapshot>,
    #[serde(default)]
    pub templates: Vec<Template>,
    /// The prompts the person wrote, edited or hid (the library's others are the app's).
    #[serde(default)]
    pub prompts: Vec<ReflectionPrompt>,
    /// The daily practice's settings (absent in exports made before they existed).
    #[serde(default)]
    pub settings: Option<PracticeSettings>,
}

impl Workspace {
    /// Everything in the workspace as one document (oldest events first).
    pub fn export_document(&self) -> Result<ExportDocument> {
        let mut events = self.list_events(&EventFilter::default())?;
        events.reverse();
        Ok(ExportDocument {
            format: EXPORT_FORMAT.into(),
            version: EXPORT_VERSION,
            exported_at: self.now(),
            workspace: ExportedWorkspace { id: self.id().to_string(), name: self.name()? },
            life_areas: self.life_areas()?,
            events,
            insights: self.list_insights(&InsightFilter { include_dismissed: true, ..Default::default() })?,
            commitments: self.list_commitments(&CommitmentFilter::default())?,
            boundaries: self.list_boundaries(&BoundaryFilter::default())?,
            boundary_violations: all_violations(&self.conn)?,
            eras: self.eras()?,
            autobiography_entries: self.list_autobiography(&AutobiographyFilter::default())?,
            metric_snapshots: self.all_snapshots()?,
            templates: self.templates()?,
            prompts: self.prompts()?.into_iter().filter(|p| p.own || p.edited || p.hidden).collect(),
            settings: Some(self.practice_settings()?),
        })
    }

    /// Writes our JSON, reporting progress per record.
    pub fn export_json(&self, out: &mut dyn Write, progress: ProgressFn<'_>) -> Result<()> {
        let doc = self.export_document()?;
        let total = (doc.life_areas.len()
            + doc.events.len()
            + doc.insights.len()
            + doc.commitments.len()
            + doc.boundaries.len()
            + doc.boundary_violations.len()
            + doc.eras.len()
            + doc.autobiography_entries.len()
            + doc.metric_snapshots.len()
            + doc.templates.len()
            + doc.prompts.len()) as u64;
        let mut w = JsonArrays { out, done: 0, total, progress, first_field: true };
        w.raw("{\n")?;
        w.field("format", &doc.format)?;
        w.field("version", &doc.version)?;
        w.field("exportedAt", &doc.exported_at)?;
        w.field("workspace", &doc.workspace)?;
        w.array("lifeAreas", &doc.life_areas)?;
        w.array("events", &doc.events)?;
        w.array("insights", &doc.insights)?;
        w.array("commitments", &doc.commitments)?;
        w.array("boundaries", &doc.boundaries)?;
        w.array("boundaryViolations", &doc.boundary_violations)?;
        w.array("eras", &doc.eras)?;
        w.array("autobiographyEntries", &doc.autobiography_entries)?;
        w.array("metricSnapshots", &doc.metric_snapshots)?;
        w.array("templates", &doc.templates)?;
        w.array("prompts", &doc.prompts)?;
        w.field("settings", &doc.settings)?;
        w.raw("\n}\n")?;
        (w.progress)(Progress { done: total, total });
        Ok(())
    }

    /// Writes a Markdown journal a person can read anywhere: events by month, then insights,
    /// commitments, boundaries and the autobiography by era.
    pub fn export_markdown(&self, out: &mut dyn Write, progress: ProgressFn<'_>) -> Result<()> {
        self.export_markdown_linked(out, progress, &HashMap::new())
    }

    /// The Markdown journal with each entry's attachments as relative links (images inline):
    /// `links` maps an entry id to (file name, path, is an image).
    pub(crate) fn export_markdown_linked(
        &self,
        out: &mut dyn Write,
        progress: ProgressFn<'_>,
        links: &HashMap<String, Vec<(String, String, bool)>>,
    ) -> Result<()> {
        let doc = self.export_document()?;
        let linked = |md: &mut String, id: &str| {
            for (name, path, image) in links.get(id).into_iter().flatten() {
                let bang = if *image { "!" } else { "" };
                let name = name.replace(['[', ']'], "");
                let target = if path.contains([' ', '(', ')', '<', '>']) { format!("<{path}>") } else { path.clone() };
                md.push_str(&format!("\n{bang}[{name}]({target})\n"));
            }
        };
        let areas: HashMap<&str, &LifeArea> = doc.life_areas.iter().map(|a| (a.id.as_str(), a)).collect();
        let area_name = |id: &str| areas.get(id).map_or(id.to_string(), |a| a.name.clone());
        let total = doc.events.len() as u64;
        let mut md = String::new();
        md.push_str(&format!("# {}\n\n", doc.workspace.name));
        md.push_str(&format!("_Exported {} from WisdomOS._\n\n", doc.exported_at.format("%Y-%m-%d %H:%M UTC")));
        md.push_str("## Life areas\n\n| Area | Score | Status |\n|---|---:|---|\n");
        for a in &doc.life_areas {
            md.push_str(&format!("| {} | {:.1} | {} |\n", a.name, a.current_score, a.status));
        }
        md.push_str("\n## Journal\n");
        let mut month = String::new();
        let mut io = |md: &mut String| -> Result<()> {
            out.write_all(md.as_bytes()).map_err(Error::io("export"))?;
            md.clear();
            Ok(())
        };
        for (i, e) in doc.events.iter().enumerate() {
            let m = e.occurred_at.format("%B %Y").to_string();
            if m != month {
                md.push_str(&format!("\n### {m}\n"));
                month = m;
            }
            md.push_str(&format!(
                "\n#### {} — {}\n\n*{} · {} · {} · {} · charge {:+}*\n",
                e.occurred_at.format("%Y-%m-%d"),
                e.title,
                area_name(&e.life_area_id),
                e.kind,
                e.category,
                e.tone,
                e.emotional_charge
            ));
            if !e.description.trim().is_empty() {
                md.push_str(&format!("\n{}\n", e.description.trim()));
            }
            if let Some(n) = &e.narrative {
                md.push_str(&format!("\n{}\n", n.trim()));
            }
            if !e.tags.is_empty() {
                let tags: Vec<String> = e.tags.iter().map(|t| format!("#{t}")).collect();
                md.push_str(&format!("\nTags: {}\n", tags.join(" ")));
            }
            linked(&mut md, &e.id);
            if i % 1000 == 999 {
                io(&mut md)?;
                progress(Progress { done: i as u64 + 1, total });
            }
        }
        if !doc.insights.is_empty() {
            md.push_str("\n## Insights\n");
            for i in &doc.insights {
                let mark = if i.applied {
                    " (applied)"
                } else if i.dismissed_at.is_some() {
                    " (dismissed)"
                } else {
                    ""
                };
                md.push_str(&format!("\n### {}{mark}\n\n*{}*\n\n{}\n", i.title, i.kind, i.description.trim()));
            }
        }
        if !doc.commitments.is_empty() {
            md.push_str("\n## Commitments\n\n");
            for c in &doc.commitments {
                let area = c.life_area_id.as_deref().map(area_name).unwrap_or_else(|| "no area".into());
                md.push_str(&format!("- **{}** ({}, {}): {}\n", c.statement, c.status, area, c.intention));
            }
        }
        if !doc.boundaries.is_empty() {
            md.push_str("\n## Boundaries\n\n");
            for b in &doc.boundaries {
                md.push_str(&format!(
                    "- **{}** ({}, {}): {}; violated {} time(s)\n",
                    b.statement,
                    b.status,
                    area_name(&b.life_area_id),
                    b.reason,
                    b.violation_count
                ));
            }
        }
        if !doc.eras.is_empty() {
            md.push_str("\n## Autobiography\n");
            for era in &doc.eras {
                let end = era.end_year.map_or("now".to_string(), |y| y.to_string());
                md.push_str(&format!("\n### {} ({}–{end})\n", era.name, era.start_year));
                if let Some(d) = &era.description {
                    md.push_str(&format!("\n{}\n", d.trim()));
                }
                for a in doc.autobiography_entries.iter().filter(|a| a.era_id == era.id) {
                    let when = a.month.map_or(a.year.to_string(), |m| format!("{}-{m:02}", a.year));
                    md.push_str(&format!("\n#### {when} — {}\n\n{}\n", a.title, a.narrative.trim()));
                    linked(&mut md, &a.id);
                }
            }
        }
        let own: Vec<&ReflectionPrompt> = doc.prompts.iter().filter(|p| (p.own || p.edited) && !p.hidden).collect();
        if !own.is_empty() {
            md.push_str("\n## My prompts\n\n");
            for p in own {
                md.push_str(&format!("- {}\n", p.text));
            }
        }
        if !doc.templates.is_empty() {
            md.push_str("\n## Templates\n");
            for t in &doc.templates {
                md.push_str(&format!("\n### {}: {}\n", t.name, t.title));
                if !t.body.trim().is_empty() {
                    md.push_str(&format!("\n{}\n", t.body.trim()));
                }
            }
        }
        io(&mut md)?;
        progress(Progress { done: total, total });
        Ok(())
    }
}

/// Writes a JSON object field by field, arrays element by element, so progress can be reported.
struct JsonArrays<'a, 'p> {
    out: &'a mut dyn Write,
    done: u64,
    total: u64,
    progress: ProgressFn<'p>,
    first_field: bool,
}

impl JsonArrays<'_, '_> {
    fn raw(&mut self, s: &str) -> Result<()> {
        self.out.write_all(s.as_bytes()).map_err(Error::io("export"))
    }

    fn key(&mut self, name: &str) -> Result<()> {
        let sep = if self.first_field { "" } else { ",\n" };
        self.first_field = false;
        self.raw(&format!("{sep}  \"{name}\": "))
    }

    fn field<T: Serialize>(&mut self, name: &str, value: &T) -> Result<()> {
        self.key(name)?;
        serde_json::to_writer(&mut self.out, value)?;
        Ok(())
    }

    fn array<T: Serialize>(&mut self, name: &str, items: &[T]) -> Result<()> {
        self.key(name)?;
        if items.is_empty() {
            return self.raw("[]");
        }
        self.raw("[\n")?;
        for (i, item) in items.iter().enumerate() {
            self.raw(if i == 0 { "    " } else { ",\n    " })?;
            serde_json::to_writer(&mut self.out, item)?;
            self.done += 1;
            if self.done.is_multiple_of(1000) {
                (self.progress)(Progress { done: self.done, total: self.total });
            }
        }
        self.raw("\n  ]")
    }
}
