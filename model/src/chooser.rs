//! The system's file chooser, as each part of the product asks for it: what it is for decides its
//! title, whether it opens a file or a folder or saves one, and the file types it offers first.
//! The desktop's shell shows it (GTK's chooser on Linux); the rule lives here so that every front
//! end that ever shows one asks the same question in the same words.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::import::ImportFormat;

/// What the person is choosing a file for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "for")]
pub enum FilePurpose {
    /// A file to import in this format (a folder, for Markdown notes).
    Import { format: ImportFormat },
    /// Where to save an export, starting from the file the app suggests.
    Export { suggested: PathBuf },
    /// A photo or document to attach to an entry.
    Attachment,
    /// A folder to keep the journal's backups in.
    BackupFolder,
    /// Where to save a recovery key's sheet, starting from the file the app suggests.
    RecoveryKey { suggested: PathBuf },
}

/// Which kind of chooser a purpose needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chooser {
    OpenFile,
    OpenFolder,
    SaveFile,
}

impl FilePurpose {
    pub fn chooser(&self) -> Chooser {
        match self {
            FilePurpose::Import { format } if format.reads_folders() => Chooser::OpenFolder,
            FilePurpose::Import { .. } | FilePurpose::Attachment => Chooser::OpenFile,
            FilePurpose::Export { .. } | FilePurpose::RecoveryKey { .. } => Chooser::SaveFile,
            FilePurpose::BackupFolder => Chooser::OpenFolder,
        }
    }

    /// The chooser's title, a question the person answers by choosing.
    pub fn title(&self) -> String {
        match self {
            FilePurpose::Import { format } if format.reads_folders() => {
                format!("Choose the folder of {} notes to import", format.label())
            }
            FilePurpose::Import { format } => format!("Choose the {} file to import", format.label()),
            FilePurpose::Export { .. } => "Save the export as".to_string(),
            FilePurpose::Attachment => "Choose a file to attach".to_string(),
            FilePurpose::BackupFolder => "Choose a folder for the backups".to_string(),
            FilePurpose::RecoveryKey { .. } => "Save the recovery key as".to_string(),
        }
    }

    /// The file a save chooser starts from (its folder and name), for the purposes that save.
    pub fn suggested(&self) -> Option<&PathBuf> {
        match self {
            FilePurpose::Export { suggested } | FilePurpose::RecoveryKey { suggested } => Some(suggested),
            _ => None,
        }
    }

    /// Saving the recovery key of the journal called `journal`, in `folder`: the sheet's name says
    /// what it is and which journal it opens (characters a file name cannot hold become `-`).
    pub fn recovery_key(folder: PathBuf, journal: &str) -> Self {
        let journal: String =
            journal.chars().map(|c| if c.is_alphanumeric() || " ._-'()".contains(c) { c } else { '-' }).collect();
        let journal = journal.trim_matches(|c: char| c == '.' || c.is_whitespace());
        let name = if journal.is_empty() {
            "WisdomOS recovery key.txt".to_string()
        } else {
            format!("WisdomOS recovery key - {journal}.txt")
        };
        FilePurpose::RecoveryKey { suggested: folder.join(name) }
    }

    /// The file types offered first, as a name and extensions (without dots); the chooser also
    /// offers every file, as an export may have been renamed.
    pub fn filter(&self) -> Option<(String, &'static [&'static str])> {
        match self {
            FilePurpose::Import { format } if !format.reads_folders() => {
                Some((format!("{} files", format.label()), format.extensions()))
            }
            FilePurpose::Attachment => Some((
                "Photos and documents".to_string(),
                &["jpg", "jpeg", "png", "gif", "webp", "heic", "pdf", "txt", "md"],
            )),
            FilePurpose::RecoveryKey { .. } => Some(("Text files".to_string(), &["txt"])),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_purpose_asks_for_what_it_needs() {
        let notes = FilePurpose::Import { format: ImportFormat::Markdown };
        assert_eq!(notes.chooser(), Chooser::OpenFolder);
        assert_eq!(notes.title(), "Choose the folder of Markdown notes to import");
        assert_eq!(notes.filter(), None);
        let daylio = FilePurpose::Import { format: ImportFormat::Daylio };
        assert_eq!(daylio.chooser(), Chooser::OpenFile);
        assert_eq!(daylio.filter(), Some(("Daylio files".to_string(), &["csv"][..])));
        assert_eq!(FilePurpose::Export { suggested: "/tmp/x.json".into() }.chooser(), Chooser::SaveFile);
        assert_eq!(FilePurpose::BackupFolder.chooser(), Chooser::OpenFolder);
    }

    #[test]
    fn a_recovery_key_is_saved_under_a_name_that_says_whose_it_is() {
        let p = FilePurpose::recovery_key("/home/ana/Documents".into(), "Ana's journal");
        assert_eq!(p.chooser(), Chooser::SaveFile);
        assert_eq!(
            p.suggested(),
            Some(&PathBuf::from("/home/ana/Documents/WisdomOS recovery key - Ana's journal.txt"))
        );
        let odd = FilePurpose::recovery_key("/d".into(), "../work/2026: notes");
        assert_eq!(odd.suggested(), Some(&PathBuf::from("/d/WisdomOS recovery key - -work-2026- notes.txt")));
        let none = FilePurpose::recovery_key("/d".into(), " .. ");
        assert_eq!(none.suggested(), Some(&PathBuf::from("/d/WisdomOS recovery key.txt")));
    }

    #[test]
    fn a_purpose_crosses_as_tagged_json() {
        let p = FilePurpose::Import { format: ImportFormat::DayOne };
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, r#"{"for":"import","format":"dayone"}"#);
        assert_eq!(serde_json::from_str::<FilePurpose>(&json).unwrap(), p);
        assert_eq!(serde_json::to_string(&FilePurpose::Attachment).unwrap(), r#"{"for":"attachment"}"#);
    }
}
