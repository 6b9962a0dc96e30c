//! Reading inputs with a size limit, and writing outputs all-or-nothing.

use std::io::{Read, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};

/// Reads a whole file, refusing one larger than `limit` bytes before reading it.
pub fn read_limited(path: &Path, limit: usize) -> Result<Vec<u8>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > limit as u64 {
        bail!(
            "{} is {}, more than the {} limit: is it the right file?",
            path.display(),
            megabytes(len),
            megabytes(limit as u64)
        );
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // The length may change while reading (a pipe, a growing file): read at most limit + 1.
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.len() > limit {
        bail!(
            "{} is larger than the {} limit",
            path.display(),
            megabytes(limit as u64)
        );
    }
    Ok(bytes)
}

pub fn read_text(path: &Path, limit: usize) -> Result<String> {
    let bytes = read_limited(path, limit)?;
    String::from_utf8(bytes).with_context(|| format!("{} is not UTF-8 text", path.display()))
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

/// Writes `contents` to `path` (or standard output for `-` / `None`) all at once: a temporary
/// file in the same directory is renamed over the target, so a failure never leaves half a file.
pub fn write_output(path: Option<&Path>, contents: &str, force: bool) -> Result<()> {
    let Some(path) = path.filter(|p| p.as_os_str() != "-") else {
        let mut out = std::io::stdout().lock();
        out.write_all(contents.as_bytes())?;
        return Ok(out.flush()?);
    };
    if path.exists() && !force {
        bail!(
            "{} already exists: pass --force to replace it, or choose another name",
            path.display()
        );
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut temp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    temp.write_all(contents.as_bytes())?;
    temp.as_file().sync_all()?;
    temp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
