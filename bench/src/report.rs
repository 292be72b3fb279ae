//! The suite's output: a table of medians with ratios (ours / plain SQLite, ours / jrnl), the
//! budget rows, and an SVG of how each operation grows with the journal.

use std::fmt::Write as _;

use serde::Serialize;

use crate::measure::Stat;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum System {
    /// WisdomOS: encrypted store, engines on.
    Ours,
    /// The same store without encryption.
    OursPlaintext,
    /// Plain SQLite, no encryption, no engines: the machine's limit.
    Sqlite,
    /// jrnl (encrypted journal), a whole process per command.
    Jrnl,
    /// The `wisdom` command, a whole process per command (includes the KDF).
    OursCli,
}

impl System {
    pub fn label(self) -> &'static str {
        match self {
            System::Ours => "WisdomOS",
            System::OursPlaintext => "WisdomOS unencrypted",
            System::Sqlite => "plain SQLite",
            System::Jrnl => "jrnl (process)",
            System::OursCli => "wisdom CLI (process)",
        }
    }

    fn colour(self) -> &'static str {
        match self {
            System::Ours => "#d9480f",
            System::OursPlaintext => "#f08c00",
            System::Sqlite => "#495057",
            System::Jrnl => "#1971c2",
            System::OursCli => "#9c36b5",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Sample {
    pub operation: &'static str,
    pub system: System,
    pub events: usize,
    pub stat: Stat,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BudgetRow {
    pub issue: u32,
    pub budget: String,
    pub measured: Option<String>,
    /// None when this suite cannot measure it (the note says where it is measured).
    pub met: Option<bool>,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub date: String,
    pub machine: String,
    /// 1-minute load average before and after the run: above the core count, wall times are inflated.
    pub load: (f64, f64),
    pub command: String,
    pub samples: Vec<Sample>,
    pub budgets: Vec<BudgetRow>,
    /// Loading the language model (None where it is not installed).
    pub model: Option<crate::meaning::ModelFigures>,
    /// The language model reading each journal.
    pub backfills: Vec<crate::meaning::BackfillFigures>,
}

impl Report {
    pub fn get(&self, op: &str, system: System, events: usize) -> Option<Stat> {
        self.samples.iter().find(|s| s.operation == op && s.system == system && s.events == events).map(|s| s.stat)
    }

    fn sizes(&self) -> Vec<usize> {
        let mut s: Vec<usize> = self.samples.iter().map(|s| s.events).collect();
        s.sort_unstable();
        s.dedup();
        s
    }

    fn operations(&self) -> Vec<&'static str> {
        let mut ops: Vec<&'static str> = Vec::new();
        for s in &self.samples {
            if !ops.contains(&s.operation) {
                ops.push(s.operation);
            }
        }
        ops
    }

    /// The Markdown summary: one table per journal size, then the budgets.
    pub fn markdown(&self) -> String {
        let mut md = String::new();
        let _ = writeln!(md, "# WisdomOS benchmark results\n");
        let _ = writeln!(
            md,
            "- Date: {}\n- Machine: {}\n- Load average (1 min) before / after: {:.2} / {:.2}\n- Command: `{}`\n",
            self.date, self.machine, self.load.0, self.load.1, self.command
        );
        let _ = writeln!(
            md,
            "Medians in milliseconds. *Ours* is the encrypted WisdomOS store with its engines; *limit* is plain \
             SQLite on the same data (no encryption, no engines); *jrnl* runs one whole process per command on an \
             encrypted jrnl journal (it has no resident mode), so its ratio compares what a person waits for in each \
             tool. Ratios below 1 mean WisdomOS is faster. Where jrnl has only an import and one command at \
             the largest size, that is because a single jrnl command there takes minutes.\n"
        );
        for n in self.sizes() {
            let _ = writeln!(md, "## {n} events\n");
            let _ = writeln!(md, "| Operation | WisdomOS | unencrypted | plain SQLite | jrnl | ours / limit | ours / jrnl | SQLCipher cost |");
            let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|---:|---:|");
            for op in self.operations() {
                let cell = |sys: System| self.get(op, sys, n);
                let ours = cell(System::Ours).or(cell(System::OursCli));
                if ours.is_none() && cell(System::Jrnl).is_none() {
                    continue;
                }
                let fmt = |s: Option<Stat>| s.map_or("—".to_string(), |s| format!("{:.3}", s.median_ms));
                let ratio = |a: Option<Stat>, b: Option<Stat>| match (a, b) {
                    (Some(a), Some(b)) if b.median_ms > 0.0 => {
                        let r = a.median_ms / b.median_ms;
                        if r >= 0.01 {
                            format!("{r:.2}")
                        } else {
                            format!("{r:.1e}")
                        }
                    }
                    _ => "—".into(),
                };
                let ours_cell = match (cell(System::Ours), cell(System::OursCli)) {
                    (Some(s), _) => fmt(Some(s)),
                    (None, Some(s)) => format!("{} (CLI)", fmt(Some(s))),
                    _ => "—".into(),
                };
                let _ = writeln!(
                    md,
                    "| {op} | {ours_cell} | {} | {} | {} | {} | {} | {} |",
                    fmt(cell(System::OursPlaintext)),
                    fmt(cell(System::Sqlite)),
                    fmt(cell(System::Jrnl)),
                    ratio(ours, cell(System::Sqlite)),
                    ratio(ours, cell(System::Jrnl)),
                    ratio(cell(System::Ours), cell(System::OursPlaintext)),
                );
            }
            md.push('\n');
        }
        let _ = writeln!(
            md,
            "## Budgets\n\nJudged on wall time; the CPU time of the measuring thread is shown too (the same statistic \
             over each run's CPU time), because load from other processes inflates wall time on a busy machine: a \
             run preempted by another process waits out its time slice (about 4 ms here).\n\n| Issue | Budget | Measured | Met | Note |\n|---|---|---|---|---|"
        );
        for b in &self.budgets {
            let met = match b.met {
                Some(true) => "met",
                Some(false) => "**not met**",
                None => "not measured here",
            };
            let _ = writeln!(
                md,
                "| {} | {} | {} | {met} | {} |",
                b.issue,
                b.budget,
                b.measured.as_deref().unwrap_or("—"),
                b.note
            );
        }
        md
    }

    /// Small multiples: one log-log panel per operation, median time against journal size.
    pub fn svg(&self) -> String {
        let ops: Vec<&'static str> = self
            .operations()
            .into_iter()
            .filter(|op| {
                self.samples
                    .iter()
                    .filter(|s| s.operation == *op)
                    .map(|s| s.events)
                    .collect::<std::collections::BTreeSet<_>>()
                    .len()
                    > 1
            })
            .collect();
        let (cols, pw, ph) = (3usize, 300.0, 200.0);
        let rows = ops.len().div_ceil(cols).max(1);
        let (w, h) = (cols as f64 * pw + 40.0, rows as f64 * ph + 90.0);
        let mut svg = String::new();
        let _ = write!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="11"><rect width="100%" height="100%" fill="white"/><text x="20" y="24" font-size="15" font-weight="bold">Median time by journal size (log-log, ms)</text>"#
        );
        let systems = [System::Ours, System::OursPlaintext, System::Sqlite, System::Jrnl, System::OursCli];
        for (k, sys) in systems.iter().enumerate() {
            let x = 20.0 + k as f64 * 170.0;
            let _ = write!(
                svg,
                r#"<rect x="{x}" y="36" width="14" height="4" fill="{}"/><text x="{}" y="42">{}</text>"#,
                sys.colour(),
                x + 18.0,
                sys.label()
            );
        }
        for (i, op) in ops.iter().enumerate() {
            let (ox, oy) = (20.0 + (i % cols) as f64 * pw, 60.0 + (i / cols) as f64 * ph);
            let (px, py, iw, ih) = (ox + 45.0, oy + 22.0, pw - 65.0, ph - 55.0);
            let pts: Vec<&Sample> =
                self.samples.iter().filter(|s| s.operation == *op && s.stat.median_ms > 0.0).collect();
            if pts.is_empty() {
                continue;
            }
            let lx = |n: usize| (n as f64).log10();
            let ly = |ms: f64| ms.max(1e-3).log10();
            let (x0, x1) = pts.iter().fold((f64::MAX, f64::MIN), |a, s| (a.0.min(lx(s.events)), a.1.max(lx(s.events))));
            let (y0, y1) = pts
                .iter()
                .fold((f64::MAX, f64::MIN), |a, s| (a.0.min(ly(s.stat.median_ms)), a.1.max(ly(s.stat.median_ms))));
            let (y0, y1) = (y0.floor(), y1.ceil().max(y0.floor() + 1.0));
            let sx = |v: f64| px + if x1 > x0 { (v - x0) / (x1 - x0) * iw } else { iw / 2.0 };
            let sy = |v: f64| py + ih - (v - y0) / (y1 - y0) * ih;
            let _ = write!(svg, r#"<text x="{}" y="{}" font-weight="bold">{}</text>"#, ox + 5.0, oy + 12.0, escape(op));
            let _ =
                write!(svg, r##"<rect x="{px}" y="{py}" width="{iw}" height="{ih}" fill="none" stroke="#ced4da"/>"##);
            let mut d = y0 as i32;
            while d <= y1 as i32 {
                let y = sy(d as f64);
                let label = if d >= 3 { format!("{}s", 10f64.powi(d - 3)) } else { format!("{}", 10f64.powi(d)) };
                let _ = write!(
                    svg,
                    r##"<line x1="{px}" x2="{}" y1="{y}" y2="{y}" stroke="#f1f3f5"/><text x="{}" y="{}" text-anchor="end">{label}</text>"##,
                    px + iw,
                    px - 4.0,
                    y + 4.0
                );
                d += 1;
            }
            for n in self.sizes() {
                let x = sx(lx(n));
                let label = if n >= 1000 { format!("{}k", n / 1000) } else { n.to_string() };
                let _ = write!(svg, r#"<text x="{x}" y="{}" text-anchor="middle">{label}</text>"#, py + ih + 14.0);
            }
            for sys in systems {
                let mut line: Vec<&&Sample> = pts.iter().filter(|s| s.system == sys).collect();
                line.sort_by_key(|s| s.events);
                if line.is_empty() {
                    continue;
                }
                let path: Vec<String> =
                    line.iter().map(|s| format!("{:.1},{:.1}", sx(lx(s.events)), sy(ly(s.stat.median_ms)))).collect();
                let _ = write!(
                    svg,
                    r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>"#,
                    path.join(" "),
                    sys.colour()
                );
                for p in &path {
                    let (x, y) = p.split_once(',').unwrap_or(("0", "0"));
                    let _ = write!(svg, r#"<circle cx="{x}" cy="{y}" r="2.5" fill="{}"/>"#, sys.colour());
                }
            }
        }
        svg.push_str("</svg>\n");
        svg
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
