//! The subcommands. Each module owns one part of the product; `run` dispatches.

mod agent;
mod attachments;
mod autobiography;
mod backup;
mod bench;
mod check;
mod events;
mod io;
mod meaning;
mod practice;
mod prompts;
mod records;
mod recovery;
mod sync;
mod templates;
mod workspace;

use clap::Subcommand;

use crate::Global;

pub use agent::hold_after_prompt;

/// Parses an enum name for clap, with our "allowed: ..." message on error.
pub fn enum_arg<T: std::str::FromStr<Err = wisdom_core::model::enums::UnknownVariant>>(s: &str) -> Result<T, String> {
    s.parse().map_err(|e: wisdom_core::model::enums::UnknownVariant| e.to_string())
}

#[derive(Subcommand)]
pub enum Command {
    /// Create a new encrypted workspace.
    Init(workspace::InitArgs),
    /// List the workspaces on this device.
    Workspaces,
    /// Change the workspace passphrase (rewraps the key; nothing is re-encrypted).
    Passwd(workspace::PasswdArgs),
    /// Set a new passphrase with the recovery key, when the passphrase is forgotten.
    Recover(recovery::RecoverArgs),
    /// The recovery key: `rotate` makes a new one (the old stops working), `status` says if one is set.
    #[command(subcommand, name = "recovery-key")]
    RecoveryKey(recovery::RecoveryKeyCommand),
    /// Unlock once: later commands skip the passphrase until the journal has gone unused for
    /// --idle (15m) or --max (8h) has passed, or `wisdom lock`.
    Unlock(agent::UnlockArgs),
    /// Lock every unlocked journal now: the agent wipes the keys and stops.
    Lock,
    /// The unlock agent: `status`, `mode off|on|auto`.
    #[command(subcommand)]
    Agent(agent::AgentCommand),
    /// The 30 life areas with their scores.
    Areas,
    /// One life area: its score and why.
    Area { slug: String },
    /// The overview: overall score, distribution, top areas, what needs attention.
    Dashboard,
    /// Search events, insights and the autobiography: by keywords, or `--meaning` for entries that
    /// mean the same thing even without a shared word.
    Search {
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: u32,
        /// Rank by meaning (the language model), mixed with keyword matches.
        #[arg(long)]
        meaning: bool,
    },
    /// Let the language model read the entries it has not read yet (for insights and search by meaning).
    Embed,
    /// Tags in use, most used first.
    Tags,
    /// Recompute every area's score now (and catch up snapshots and patterns if due).
    Refresh,
    /// Insights: list them, or run the pattern engine with `wisdom insights detect`.
    Insights {
        #[command(subcommand)]
        action: Option<records::InsightsAction>,
        /// Include dismissed insights.
        #[arg(long)]
        all: bool,
    },
    /// An area's score history, e.g. `wisdom snapshots work --from 2026-01-01 --to 2026-03-31`.
    Snapshots(workspace::SnapshotArgs),
    /// Show or set the time zone used for local days (IANA name, e.g. Europe/Paris).
    Timezone { name: Option<String> },
    /// Record and browse life events.
    #[command(subcommand)]
    Event(events::EventCommand),
    /// Files attached to events (photos, audio, PDFs): list, show, rm, extract.
    #[command(subcommand)]
    Attachment(attachments::AttachmentCommand),
    /// Commitments: what you decided to do.
    #[command(subcommand)]
    Commitment(records::CommitmentCommand),
    /// Boundaries and their violations.
    #[command(subcommand)]
    Boundary(records::BoundaryCommand),
    /// Insights you noted or the app noticed.
    #[command(subcommand)]
    Insight(records::InsightCommand),
    /// Autobiography entries.
    #[command(subcommand, name = "bio", alias = "autobiography")]
    Bio(autobiography::BioCommand),
    /// Eras: the chapters of your autobiography.
    #[command(subcommand)]
    Era(autobiography::EraCommand),
    /// Import events or a whole workspace.
    Import(io::ImportArgs),
    /// Export everything as JSON, or as a readable Markdown journal.
    Export(io::ExportArgs),
    /// End-to-end encrypted sync between your devices.
    #[command(subcommand)]
    Sync(sync::SyncCommand),
    /// Check the journal file: its encrypted pages, structure, links between records and search
    /// index. Exit code 0 when all is well, 1 when something is damaged.
    Check,
    /// Today: what you wrote, your streak, reviews due and entries from this day in other years.
    Today,
    /// Today's reflection prompt (or DATE's), about a part of life you have left quiet; or shape
    /// the prompts: `add`, `edit`, `hide`, `unhide`, `list`.
    #[command(args_conflicts_with_subcommands = true)]
    Prompt {
        #[command(subcommand)]
        action: Option<prompts::PromptCommand>,
        date: Option<String>,
    },
    /// Days in a row with an entry, the longest run, and entries per week.
    Streak,
    /// Entries from this calendar day (or DATE, YYYY-MM-DD) in earlier years and months.
    OnThisDay { date: Option<String> },
    /// A year in pixels: one cell a day, shaded by the day's average charge (or `--score`).
    Calendar(practice::CalendarArgs),
    /// The daily practice's settings: on this day, the daily reminder's time, review reminders.
    Settings(practice::SettingsArgs),
    /// Templates quick capture starts from: `wisdom event add --template NAME`.
    #[command(subcommand)]
    Template(templates::TemplateCommand),
    /// Back the journal up now (it is also backed up by itself once a day, and before every
    /// upgrade, import, passphrase change and restore).
    Backup,
    /// The journal's backups: id, date, size and why each was taken; `--folder` keeps them
    /// elsewhere.
    Backups(backup::ListArgs),
    /// Put a backup back in place of the journal (and its key file); the journal as it was is
    /// backed up first.
    Restore(backup::RestoreArgs),
    /// Time the hot paths on a generated journal against their budgets.
    Bench(bench::BenchArgs),
}

pub fn run(g: &Global, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Init(a) => workspace::init(g, a),
        Command::Workspaces => workspace::list(g),
        Command::Passwd(a) => workspace::passwd(g, a),
        Command::Recover(a) => recovery::recover(g, a),
        Command::RecoveryKey(c) => recovery::run(g, c),
        Command::Unlock(a) => agent::unlock(g, a),
        Command::Lock => agent::lock(g),
        Command::Agent(c) => agent::run(g, c),
        Command::Areas => workspace::areas(g),
        Command::Area { slug } => workspace::area(g, &slug),
        Command::Dashboard => workspace::dashboard(g),
        Command::Search { query, limit, meaning } => workspace::search(g, &query, limit, meaning),
        Command::Embed => meaning::embed(g),
        Command::Tags => workspace::tags(g),
        Command::Refresh => workspace::refresh(g),
        Command::Insights { action, all } => records::insights(g, action, all),
        Command::Snapshots(a) => workspace::snapshots(g, a),
        Command::Timezone { name } => workspace::timezone(g, name),
        Command::Event(c) => events::run(g, c),
        Command::Attachment(c) => attachments::run(g, c),
        Command::Commitment(c) => records::commitment(g, c),
        Command::Boundary(c) => records::boundary(g, c),
        Command::Insight(c) => records::insight(g, c),
        Command::Bio(c) => autobiography::bio(g, c),
        Command::Era(c) => autobiography::era(g, c),
        Command::Template(c) => templates::run(g, c),
        Command::Import(a) => io::import(g, a),
        Command::Export(a) => io::export(g, a),
        Command::Today => practice::today(g),
        Command::Prompt { action: Some(c), .. } => prompts::run(g, c),
        Command::Prompt { action: None, date } => practice::prompt(g, date.as_deref()),
        Command::Streak => practice::streak(g),
        Command::OnThisDay { date } => practice::on_this_day(g, date.as_deref()),
        Command::Calendar(a) => practice::calendar(g, a),
        Command::Settings(a) => practice::settings(g, a),
        Command::Bench(a) => bench::run(g, a),
        Command::Check => check::check(g),
        Command::Backup => backup::backup(g),
        Command::Backups(a) => backup::list(g, a),
        Command::Restore(a) => backup::restore(g, a),
        Command::Sync(c) => sync::run(g, c),
    }
}
