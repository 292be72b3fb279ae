//! `wisdom generate`: the completions and man pages a package installs, made from the CLI itself.

use std::fs;
use std::process::Command;

#[test]
fn generate_writes_completions_for_three_shells_and_a_man_page_per_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_wisdom")).arg("generate").arg(dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let read = |rel: &str| fs::read_to_string(dir.path().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    // Each shell's script knows the subcommands and their flags, nested ones included.
    let bash = read("completions/wisdom.bash");
    assert!(bash.contains("complete -F _wisdom") && bash.contains("--passphrase-file"), "{bash}");
    assert!(bash.contains("on-this-day") && bash.contains("--template"));
    let zsh = read("completions/_wisdom");
    assert!(zsh.starts_with("#compdef wisdom") && zsh.contains("recovery-key"));
    let fish = read("completions/wisdom.fish");
    assert!(fish.contains("complete -c wisdom") && fish.contains("-l kdf-memory-mib"), "{fish}");
    // The generator itself is offered nowhere.
    assert!(!bash.contains("subcmd__generate") && !fish.contains("-a \"generate\"") && !zsh.contains("'generate:"));

    let man = read("man/wisdom.1");
    assert!(man.contains(".TH wisdom 1  \"WisdomOS 0.1.0\" \"WisdomOS Manual\""), "{man}");
    assert!(man.contains("\\-\\-workspace") && man.contains("dashboard"));
    let add = read("man/wisdom-event-add.1");
    assert!(add.contains(".TH wisdom-event-add 1  \"WisdomOS 0.1.0\"") && add.contains("\\-\\-charge"), "{add}");
    assert!(!dir.path().join("man/wisdom-generate.1").exists());
}
