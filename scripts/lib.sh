# Shared by scripts/app and scripts/test: idempotent installs and a persistent build cache.
# shellcheck shell=bash

# A target dir outside the checkout, so a fresh clone (CI) reuses earlier builds when it can.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/wisdomos/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

# Installs the Debian packages that are missing; does nothing when all are present.
ensure_apt() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "installing Debian packages: ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# What the core needs to build: a C compiler for SQLCipher, and OpenSSL's libcrypto (Debian's).
ensure_core_deps() {
    ensure_apt build-essential pkg-config libssl-dev
}

# jrnl (the tool the benchmarks compare against) in its own venv, with a file-backed keyring so
# its encrypted journal needs no prompt.
export JRNL_VENV="${JRNL_VENV:-$HOME/.cache/wisdomos/jrnl-venv}"
ensure_jrnl() {
    if [ -x "$JRNL_VENV/bin/jrnl" ] && "$JRNL_VENV/bin/python" -c "import keyrings.alt" 2>/dev/null; then
        return 0
    fi
    ensure_apt python3-venv
    python3 -m venv "$JRNL_VENV"
    "$JRNL_VENV/bin/pip" install --quiet --disable-pip-version-check "jrnl==4.6" "keyrings.alt==5.0.2"
}

# What the sync tests need: PostgreSQL's server binaries (initdb, pg_ctl) to start throwaway clusters.
ensure_sync_test_deps() {
    ensure_apt postgresql
}
