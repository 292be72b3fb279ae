//! The BERT encoder of MiniLM-L6-H384 in plain Rust: token, position and type embeddings, six
//! layers of twelve-head self-attention and a GELU feed-forward, each followed by a residual
//! LayerNorm. A batch of sentences is packed end to end without padding: the dense layers see one
//! matrix of every token, only attention looks at one sentence at a time.

use crate::weights::Weights;
use crate::LoadError;

pub(crate) const HIDDEN: usize = 384;
const HEADS: usize = 12;
const HEAD_DIM: usize = HIDDEN / HEADS;
const INTERMEDIATE: usize = 1536;
const LAYERS: usize = 6;
pub(crate) const MAX_POSITIONS: usize = 512;
const VOCAB: usize = 30522;
const LN_EPS: f32 = 1e-12;

struct Layer {
    /// Query, key and value projections stacked: [3 * HIDDEN, HIDDEN], one matrix product for all three.
    qkv_w: Vec<f32>,
    qkv_b: Vec<f32>,
    out_w: Vec<f32>,
    out_b: Vec<f32>,
    ln1: (Vec<f32>, Vec<f32>),
    up_w: Vec<f32>,
    up_b: Vec<f32>,
    down_w: Vec<f32>,
    down_b: Vec<f32>,
    ln2: (Vec<f32>, Vec<f32>),
}

pub(crate) struct Bert {
    word: Vec<f32>,
    position: Vec<f32>,
    token_type: Vec<f32>,
    ln: (Vec<f32>, Vec<f32>),
    layers: Vec<Layer>,
}

impl Bert {
    pub(crate) fn load(w: &mut Weights) -> Result<Self, LoadError> {
        let ln = |w: &mut Weights, prefix: &str| -> Result<(Vec<f32>, Vec<f32>), LoadError> {
            Ok((w.tensor(&format!("{prefix}.weight"), &[HIDDEN])?, w.tensor(&format!("{prefix}.bias"), &[HIDDEN])?))
        };
        let mut layers = Vec::with_capacity(LAYERS);
        for i in 0..LAYERS {
            let p = format!("encoder.layer.{i}");
            let mut qkv_w = Vec::with_capacity(3 * HIDDEN * HIDDEN);
            let mut qkv_b = Vec::with_capacity(3 * HIDDEN);
            for part in ["query", "key", "value"] {
                qkv_w.extend(w.tensor(&format!("{p}.attention.self.{part}.weight"), &[HIDDEN, HIDDEN])?);
                qkv_b.extend(w.tensor(&format!("{p}.attention.self.{part}.bias"), &[HIDDEN])?);
            }
            layers.push(Layer {
                qkv_w,
                qkv_b,
                out_w: w.tensor(&format!("{p}.attention.output.dense.weight"), &[HIDDEN, HIDDEN])?,
                out_b: w.tensor(&format!("{p}.attention.output.dense.bias"), &[HIDDEN])?,
                ln1: ln(w, &format!("{p}.attention.output.LayerNorm"))?,
                up_w: w.tensor(&format!("{p}.intermediate.dense.weight"), &[INTERMEDIATE, HIDDEN])?,
                up_b: w.tensor(&format!("{p}.intermediate.dense.bias"), &[INTERMEDIATE])?,
                down_w: w.tensor(&format!("{p}.output.dense.weight"), &[HIDDEN, INTERMEDIATE])?,
                down_b: w.tensor(&format!("{p}.output.dense.bias"), &[HIDDEN])?,
                ln2: ln(w, &format!("{p}.output.LayerNorm"))?,
            });
        }
        Ok(Bert {
            word: w.tensor("embeddings.word_embeddings.weight", &[VOCAB, HIDDEN])?,
            position: w.tensor("embeddings.position_embeddings.weight", &[MAX_POSITIONS, HIDDEN])?,
            token_type: w.tensor("embeddings.token_type_embeddings.weight", &[2, HIDDEN])?,
            ln: ln(w, "embeddings.LayerNorm")?,
            layers,
        })
    }

    /// Mean-pooled, L2-normalised sentence vectors of `sentences` (token ids, each at most
    /// [`MAX_POSITIONS`] long and non-empty), written to `out` ([`HIDDEN`] floats per sentence).
    pub(crate) fn encode(&self, sentences: &[Vec<u32>], out: &mut [f32]) {
        let spans: Vec<(usize, usize)> = sentences
            .iter()
            .scan(0, |start, s| {
                let span = (*start, s.len());
                *start += s.len();
                Some(span)
            })
            .collect();
        let tokens: usize = sentences.iter().map(Vec::len).sum();
        let mut x = vec![0f32; tokens * HIDDEN];
        for (s, &(start, len)) in sentences.iter().zip(&spans) {
            for (p, &id) in s.iter().enumerate().take(len) {
                let row = &mut x[(start + p) * HIDDEN..(start + p + 1) * HIDDEN];
                let word = &self.word[(id as usize).min(VOCAB - 1) * HIDDEN..][..HIDDEN];
                let pos = &self.position[p * HIDDEN..][..HIDDEN];
                for (((r, w), q), t) in row.iter_mut().zip(word).zip(pos).zip(&self.token_type[..HIDDEN]) {
                    *r = w + q + t;
                }
            }
        }
        layer_norm(&mut x, &self.ln);
        let mut qkv = vec![0f32; tokens * 3 * HIDDEN];
        let mut ctx = vec![0f32; tokens * HIDDEN];
        let mut hidden = vec![0f32; tokens * HIDDEN];
        let mut up = vec![0f32; tokens * INTERMEDIATE];
        for layer in &self.layers {
            linear(&x, &layer.qkv_w, &layer.qkv_b, &mut qkv, HIDDEN, 3 * HIDDEN);
            for &(start, len) in &spans {
                attend(
                    &qkv[start * 3 * HIDDEN..(start + len) * 3 * HIDDEN],
                    &mut ctx[start * HIDDEN..(start + len) * HIDDEN],
                    len,
                );
            }
            linear(&ctx, &layer.out_w, &layer.out_b, &mut hidden, HIDDEN, HIDDEN);
            add(&mut x, &hidden);
            layer_norm(&mut x, &layer.ln1);
            linear(&x, &layer.up_w, &layer.up_b, &mut up, HIDDEN, INTERMEDIATE);
            up.iter_mut().for_each(|v| *v = gelu(*v));
            linear(&up, &layer.down_w, &layer.down_b, &mut hidden, INTERMEDIATE, HIDDEN);
            add(&mut x, &hidden);
            layer_norm(&mut x, &layer.ln2);
        }
        for (&(start, len), v) in spans.iter().zip(out.chunks_exact_mut(HIDDEN)) {
            v.fill(0.0);
            for row in x[start * HIDDEN..(start + len) * HIDDEN].chunks_exact(HIDDEN) {
                v.iter_mut().zip(row).for_each(|(a, b)| *a += b);
            }
            let norm = v.iter().map(|a| a * a).sum::<f32>().sqrt().max(1e-12);
            v.iter_mut().for_each(|a| *a /= norm);
        }
    }
}

/// Self-attention within one sentence: `qkv` holds its tokens' query, key and value rows.
fn attend(qkv: &[f32], ctx: &mut [f32], len: usize) {
    let scale = 1.0 / (HEAD_DIM as f32).sqrt();
    let mut scores = vec![0f32; len];
    for h in 0..HEADS {
        for i in 0..len {
            let q = &qkv[i * 3 * HIDDEN + h * HEAD_DIM..][..HEAD_DIM];
            let mut max = f32::NEG_INFINITY;
            for (j, s) in scores.iter_mut().enumerate() {
                let k = &qkv[j * 3 * HIDDEN + HIDDEN + h * HEAD_DIM..][..HEAD_DIM];
                *s = q.iter().zip(k).map(|(a, b)| a * b).sum::<f32>() * scale;
                max = max.max(*s);
            }
            let mut sum = 0.0;
            for s in &mut scores {
                *s = (*s - max).exp();
                sum += *s;
            }
            let out = &mut ctx[i * HIDDEN + h * HEAD_DIM..][..HEAD_DIM];
            out.fill(0.0);
            for (j, s) in scores.iter().enumerate() {
                let v = &qkv[j * 3 * HIDDEN + 2 * HIDDEN + h * HEAD_DIM..][..HEAD_DIM];
                let p = s / sum;
                out.iter_mut().zip(v).for_each(|(o, v)| *o += p * v);
            }
        }
    }
}

fn add(x: &mut [f32], y: &[f32]) {
    x.iter_mut().zip(y).for_each(|(a, b)| *a += b);
}

fn layer_norm(x: &mut [f32], (gamma, beta): &(Vec<f32>, Vec<f32>)) {
    for row in x.chunks_exact_mut(HIDDEN) {
        let mean = row.iter().sum::<f32>() / HIDDEN as f32;
        let var = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / HIDDEN as f32;
        let inv = 1.0 / (var + LN_EPS).sqrt();
        for ((v, g), b) in row.iter_mut().zip(gamma).zip(beta) {
            *v = (*v - mean) * inv * g + b;
        }
    }
}

/// GELU as BERT defines it, with erf (not the tanh approximation).
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

/// erf through the classic Chebyshev fit of erfc (fractional error below 1.2e-7 everywhere),
/// evaluated in f64: the standard library has no erf.
fn erf(x: f32) -> f32 {
    let x = x as f64;
    let t = 1.0 / (1.0 + 0.5 * x.abs());
    let poly = -x * x - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98 + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let erfc = t * poly.exp();
    (if x >= 0.0 { 1.0 - erfc } else { erfc - 1.0 }) as f32
}

/// `out = x · wᵀ + b` for `x` of `rows × inputs` and `w` of `outputs × inputs` (PyTorch's layout).
pub(crate) fn linear(x: &[f32], w: &[f32], b: &[f32], out: &mut [f32], inputs: usize, outputs: usize) {
    let rows = x.len() / inputs;
    assert!(
        x.len() == rows * inputs && w.len() == outputs * inputs && b.len() == outputs && out.len() >= rows * outputs
    );
    for row in out[..rows * outputs].chunks_exact_mut(outputs) {
        row.copy_from_slice(b);
    }
    // SAFETY: the assertion above proves every index sgemm touches is inside the three slices:
    // x is rows × inputs (row stride `inputs`), wᵀ is read as inputs × outputs with row stride 1
    // and column stride `inputs` inside w, and out is rows × outputs (row stride `outputs`).
    #[allow(unsafe_code)]
    unsafe {
        matrixmultiply::sgemm(
            rows,
            inputs,
            outputs,
            1.0,
            x.as_ptr(),
            inputs as isize,
            1,
            w.as_ptr(),
            1,
            inputs as isize,
            1.0,
            out.as_mut_ptr(),
            outputs as isize,
            1,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erf_matches_known_values() {
        for (x, want) in [(0.0, 0.0), (0.5, 0.520_499_9), (1.0, 0.842_700_8), (-2.0, -0.995_322_3), (3.5, 0.999_999_3)]
        {
            assert!((erf(x) - want).abs() < 2e-7, "erf({x}) = {} not {want}", erf(x));
        }
    }
}
