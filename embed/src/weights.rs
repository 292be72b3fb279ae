//! Reading tensors from a `.safetensors` file: an 8-byte little-endian header length, a JSON header
//! naming each tensor's dtype, shape and byte range, then the raw bytes. Tensors are read one at a
//! time in small chunks, so loading never holds the file and its copy at once.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::LoadError;

struct Entry {
    shape: Vec<usize>,
    begin: u64,
    end: u64,
}

pub(crate) struct Weights {
    path: PathBuf,
    file: File,
    data_start: u64,
    entries: HashMap<String, Entry>,
}

/// A header larger than this is not a model we know.
const MAX_HEADER: u64 = 16 << 20;

impl Weights {
    pub(crate) fn open(path: &Path) -> Result<Self, LoadError> {
        let bad = |message: String| LoadError::Format { path: path.to_path_buf(), message };
        let mut file = File::open(path).map_err(LoadError::io(path))?;
        let mut len = [0u8; 8];
        file.read_exact(&mut len).map_err(LoadError::io(path))?;
        let len = u64::from_le_bytes(len);
        if len > MAX_HEADER {
            return Err(bad(format!("header of {len} bytes")));
        }
        let mut header = vec![0u8; len as usize];
        file.read_exact(&mut header).map_err(LoadError::io(path))?;
        let header: serde_json::Value =
            serde_json::from_slice(&header).map_err(|e| bad(format!("header is not JSON: {e}")))?;
        let file_len = file.metadata().map_err(LoadError::io(path))?.len();
        let data_start = 8 + len;
        let mut entries = HashMap::new();
        for (name, info) in header.as_object().ok_or_else(|| bad("header is not an object".into()))? {
            if name == "__metadata__" {
                continue;
            }
            let dtype = info["dtype"].as_str().unwrap_or("");
            let shape: Vec<usize> = info["shape"]
                .as_array()
                .map(|s| s.iter().filter_map(|d| d.as_u64().map(|d| d as usize)).collect())
                .unwrap_or_default();
            let offsets: Vec<u64> = info["data_offsets"]
                .as_array()
                .map(|o| o.iter().filter_map(|d| d.as_u64()).collect())
                .unwrap_or_default();
            let [begin, end] = offsets[..] else {
                return Err(bad(format!("{name}: no data offsets")));
            };
            let elem = match dtype {
                "F32" | "I32" => 4,
                "I64" | "F64" => 8,
                "F16" | "BF16" => 2,
                _ => 1,
            };
            let count: usize = shape.iter().product();
            if end < begin || (end - begin) as usize != count * elem || data_start + end > file_len {
                return Err(bad(format!("{name}: byte range {begin}..{end} does not fit its shape or the file")));
            }
            if dtype == "F32" {
                entries.insert(name.clone(), Entry { shape, begin, end });
            }
        }
        Ok(Weights { path: path.to_path_buf(), file, data_start, entries })
    }

    /// The f32 tensor `name`, which must have `shape`.
    pub(crate) fn tensor(&mut self, name: &str, shape: &[usize]) -> Result<Vec<f32>, LoadError> {
        let path = self.path.clone();
        let entry = self.entries.get(name).ok_or_else(|| LoadError::Format {
            path: path.clone(),
            message: format!("tensor {name} (f32) is missing"),
        })?;
        if entry.shape != shape {
            return Err(LoadError::Format {
                path,
                message: format!("tensor {name} has shape {:?}, expected {shape:?}", entry.shape),
            });
        }
        let (begin, end) = (entry.begin, entry.end);
        self.file.seek(SeekFrom::Start(self.data_start + begin)).map_err(LoadError::io(&path))?;
        let mut out = Vec::with_capacity(((end - begin) / 4) as usize);
        let mut chunk = vec![0u8; 1 << 16];
        let mut left = (end - begin) as usize;
        while left > 0 {
            let n = left.min(chunk.len());
            self.file.read_exact(&mut chunk[..n]).map_err(LoadError::io(&path))?;
            out.extend(chunk[..n].chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])));
            left -= n;
        }
        Ok(out)
    }
}
