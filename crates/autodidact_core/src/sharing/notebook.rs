//! Runnable links for a notebook on GitHub: evidence that points to an `.ipynb` file gets its
//! Colab, Binder and nbviewer addresses, derived from the address alone (nothing is fetched).

/// Where a notebook on GitHub runs or renders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotebookLinks {
    pub colab: String,
    pub binder: String,
    pub nbviewer: String,
}

/// A GitHub owner or repository name: letters, digits, `-`, `_` and `.`.
fn is_name(part: &str) -> bool {
    !part.is_empty()
        && part != "."
        && part != ".."
        && part
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A query value, percent-encoded except for the characters a path keeps.
fn query_value(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for b in raw.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' | b'%' => {
                out.push(b as char);
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The links of a notebook at `https://github.com/OWNER/REPO/blob/REF/PATH.ipynb` (or its
/// `raw.githubusercontent.com` address); `None` for anything else.
pub fn notebook_links(url: &str) -> Option<NotebookLinks> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let rest = rest.split(['?', '#']).next()?;
    let (owner, repo, git_ref, path) = if let Some(p) = rest
        .strip_prefix("github.com/")
        .or_else(|| rest.strip_prefix("www.github.com/"))
    {
        let mut parts = p.splitn(5, '/');
        let (owner, repo, blob, git_ref, path) = (
            parts.next()?,
            parts.next()?,
            parts.next()?,
            parts.next()?,
            parts.next()?,
        );
        if blob != "blob" {
            return None;
        }
        (owner, repo, git_ref, path)
    } else if let Some(p) = rest.strip_prefix("raw.githubusercontent.com/") {
        let mut parts = p.splitn(4, '/');
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?)
    } else {
        return None;
    };
    let notebook = path.to_ascii_lowercase().ends_with(".ipynb");
    let safe_path = !path.split('/').any(|s| s.is_empty() || s == "..");
    if !(is_name(owner) && is_name(repo) && is_name(git_ref) && notebook && safe_path) {
        return None;
    }
    Some(NotebookLinks {
        colab: format!(
            "https://colab.research.google.com/github/{owner}/{repo}/blob/{git_ref}/{path}"
        ),
        binder: format!(
            "https://mybinder.org/v2/gh/{owner}/{repo}/{git_ref}?labpath={}",
            query_value(path)
        ),
        nbviewer: format!("https://nbviewer.org/github/{owner}/{repo}/blob/{git_ref}/{path}"),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_notebook_on_github_gets_its_colab_binder_and_nbviewer_links() {
        let links = notebook_links(
            "https://github.com/ada/dl-course/blob/main/lesson 1/intro.ipynb?plain=1",
        )
        .unwrap();
        assert_eq!(
            links.colab,
            "https://colab.research.google.com/github/ada/dl-course/blob/main/lesson 1/intro.ipynb"
        );
        assert_eq!(
            links.binder,
            "https://mybinder.org/v2/gh/ada/dl-course/main?labpath=lesson%201/intro.ipynb"
        );
        assert_eq!(
            links.nbviewer,
            "https://nbviewer.org/github/ada/dl-course/blob/main/lesson 1/intro.ipynb"
        );
        let raw = notebook_links("https://raw.githubusercontent.com/ada/dl/v2/nb.ipynb").unwrap();
        assert_eq!(
            raw.nbviewer,
            "https://nbviewer.org/github/ada/dl/blob/v2/nb.ipynb"
        );
    }

    #[test]
    fn anything_but_a_notebook_file_on_github_gets_none() {
        for url in [
            "https://github.com/ada/dl-course",
            "https://github.com/ada/dl-course/blob/main/README.md",
            "https://github.com/ada/dl-course/tree/main/nb.ipynb",
            "https://gitlab.com/ada/dl/blob/main/nb.ipynb",
            "https://github.com/ada/dl/blob/main/../../etc/nb.ipynb",
            "https://github.com/a<b/dl/blob/main/nb.ipynb",
            "javascript:alert(1)//github.com/a/b/blob/c/d.ipynb",
        ] {
            assert_eq!(notebook_links(url), None, "{url}");
        }
    }
}
