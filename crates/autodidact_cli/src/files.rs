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
///
/// With `force`, an existing regular file is replaced and keeps its permissions; a symbolic
/// link is followed and its target replaced (the link stays); anything else (a directory, a
/// device, a pipe) is refused. A new file gets the permissions the umask allows, as any
/// program's would.
pub fn write_output(path: Option<&Path>, contents: &str, force: bool) -> Result<()> {
    let Some(path) = path.filter(|p| p.as_os_str() != "-") else {
        let mut out = std::io::stdout().lock();
        out.write_all(contents.as_bytes())?;
        return Ok(out.flush()?);
    };
    let existing = std::fs::symlink_metadata(path).ok();
    if existing.is_some() && !force {
        bail!(
            "{} already exists: pass --force to replace it, or choose another name",
            path.display()
        );
    }
    // Where the bytes go: the path itself, or the target of a link.
    let (target, keep) = match existing {
        None => (path.to_path_buf(), None),
        Some(meta) if meta.file_type().is_symlink() => {
            let target = std::fs::canonicalize(path)
                .with_context(|| format!("{} is a link to nothing", path.display()))?;
            let meta = std::fs::metadata(&target)?;
            if !meta.is_file() {
                bail!(
                    "{} links to {}, which is not a regular file: choose another name",
                    path.display(),
                    target.display()
                );
            }
            (target, Some(meta.permissions()))
        }
        Some(meta) if meta.is_file() => (path.to_path_buf(), Some(meta.permissions())),
        Some(_) => bail!(
            "{} is not a regular file (a directory, device or pipe): choose another name",
            path.display()
        ),
    };
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Masked by the umask when the file is made, as for any new file.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder
        .tempfile_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    temp.write_all(contents.as_bytes())?;
    if let Some(permissions) = keep {
        temp.as_file().set_permissions(permissions)?;
    }
    temp.as_file().sync_all()?;
    temp.persist(&target)
        .with_context(|| format!("cannot write {}", target.display()))?;
    Ok(())
}
