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

# The wasm-bindgen version ui/ is locked to; the CLI must match it exactly.
wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' ui/Cargo.lock
}

# What the desktop app needs to build: WebKitGTK and friends, the wasm target, wasm-bindgen's CLI.
ensure_desktop_deps() {
    ensure_core_deps
    ensure_apt libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev
    rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
    local want
    want=$(wasm_bindgen_version)
    if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $want"; then
        echo "installing wasm-bindgen-cli $want" >&2
        cargo install --quiet wasm-bindgen-cli --version "$want"
    fi
}

# Builds the Yew UI (release, size-optimised) into ui/dist, which the shell embeds at compile time.
build_ui() {
    local target="$CARGO_TARGET_DIR/ui"
    (cd ui && CARGO_TARGET_DIR="$target" cargo build --release --quiet --target wasm32-unknown-unknown)
    rm -rf ui/dist
    mkdir -p ui/dist
    wasm-bindgen --target web --no-typescript --out-dir ui/dist --out-name wisdom_ui \
        "$target/wasm32-unknown-unknown/release/wisdom-ui.wasm"
    cp ui/static/* ui/dist/
}

# What the end-to-end tests drive the app with: a virtual display and WebKit's WebDriver via
# tauri-driver.
ensure_e2e_deps() {
    ensure_apt xvfb xauth webkit2gtk-driver imagemagick
    if ! tauri-driver --help >/dev/null 2>&1; then
        echo "installing tauri-driver" >&2
        cargo install --quiet --locked tauri-driver --version "^2"
    fi
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
