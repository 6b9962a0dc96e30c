//! The public listing: each curriculum's figures, written with its source, and the search over
//! public curricula (see `autodidact_core::explore`).

use async_trait::async_trait;
use sqlx::AnyConnection;

use autodidact_core::accounts::Handle;
use autodidact_core::curriculum::{ItemKind, Minutes};
use autodidact_core::explore::summarize_source;
use autodidact_core::store::{
    CurriculumId, CurriculumSummary, ExploreFilter, ExploreSort, ExploreStore, ListedCurriculum,
    StoreResult,
};

use crate::Db;
use crate::rows::{StoredRow, corrupt, db_err, get, get_ts};
use crate::sqlite_reads::all;

/// Values one a line, between line breaks (`\na\nb\n`), so that `LIKE '%\na\n%'` matches one
/// whole; nothing for none.
fn lines<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for v in values {
        if out.is_empty() {
            out.push('\n');
        }
        out.push_str(v);
        out.push('\n');
    }
    out
}

fn from_lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n').filter(|l| !l.is_empty())
}

/// The summary columns of a curriculum, as bound: `item_count, total_minutes, weekly_minutes,
/// kinds, skills, search_text`.
pub(crate) struct SummaryColumns {
    pub items: i64,
    pub total: i64,
    pub weekly: Option<i64>,
    pub kinds: String,
    pub skills: String,
    pub search_text: String,
}

impl SummaryColumns {
    pub(crate) fn of_source(source: &str) -> Self {
        Self::of(&summarize_source(source))
    }

    /// Binds the six columns, in their order, as the next parameters of `query`.
    pub(crate) fn bind<'q>(
        self,
        query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
        query
            .bind(self.items)
            .bind(self.total)
            .bind(self.weekly)
            .bind(self.kinds)
            .bind(self.skills)
            .bind(self.search_text)
    }

    fn of(s: &CurriculumSummary) -> Self {
        Self {
            items: i64::from(s.items),
            total: i64::from(s.total.get()),
            weekly: s.weekly.map(|w| i64::from(w.get())),
            kinds: lines(s.kinds.iter().map(|k| k.as_str())),
            skills: lines(s.skills.iter().map(String::as_str)),
            search_text: s.search_text.clone(),
        }
    }
}

/// Summarises the curricula stored before their figures were kept (item count -1), in the
/// migration's transaction; the triggers count their finishers as each item count is set.
pub(crate) async fn summarize_pending(conn: &mut AnyConnection) -> Result<usize, sqlx::Error> {
    use sqlx::Row;
    let rows = sqlx::query("SELECT id, source FROM curricula WHERE item_count < 0")
        .fetch_all(&mut *conn)
        .await?;
    for row in &rows {
        let id: i64 = row.try_get("id")?;
        let source: String = row.try_get("source")?;
        let query = sqlx::query(
            "UPDATE curricula SET item_count = $2, total_minutes = $3, weekly_minutes = $4, \
             kinds = $5, skills = $6, search_text = $7 WHERE id = $1",
        )
        .bind(id);
        SummaryColumns::of_source(&source)
            .bind(query)
            .execute(&mut *conn)
            .await?;
    }
    Ok(rows.len())
}

/// A value bound to the listing's query.
#[derive(Debug, Clone, PartialEq)]
enum Param {
    Text(String),
    Int(i64),
}

/// `word` for `LIKE … ESCAPE '\'`: its own `%`, `_` and `\` match themselves.
fn like_escaped(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The listing's SQL and its values, in the order of their `$n`. Only fixed fragments are
/// written into the text; every value the learner typed is bound.
fn listing_sql(filter: &ExploreFilter) -> (String, Vec<Param>) {
    let mut sql = String::from(
        "SELECT c.id, c.title, u.handle AS owner_handle, c.item_count, c.total_minutes, \
         c.weekly_minutes, c.kinds, c.skills, c.search_text, c.followers, c.finishers, \
         c.updated_at \
         FROM curricula c JOIN users u ON u.id = c.owner_id \
         WHERE c.visibility = 'public'",
    );
    let mut params = Vec::new();
    let mut bind = |sql: &mut String, fragment: &str, value: Param| {
        params.push(value);
        let n = params.len();
        sql.push_str(&fragment.replace("$n", &format!("${n}")));
    };
    for word in &filter.words {
        bind(
            &mut sql,
            " AND (c.search_text LIKE $n ESCAPE '\\' OR u.handle LIKE $n ESCAPE '\\')",
            Param::Text(format!("%{}%", like_escaped(word))),
        );
    }
    if let Some(skill) = &filter.skill {
        bind(
            &mut sql,
            " AND c.search_text LIKE $n ESCAPE '\\'",
            Param::Text(format!("%\n{}\n%", like_escaped(skill))),
        );
    }
    if let Some(kind) = filter.kind {
        bind(
            &mut sql,
            " AND c.kinds LIKE $n",
            Param::Text(format!("%\n{}\n%", kind.as_str())),
        );
    }
    if let Some(min) = filter.min_total {
        bind(
            &mut sql,
            " AND c.total_minutes >= $n",
            Param::Int(i64::from(min.get())),
        );
    }
    if let Some(max) = filter.max_total {
        bind(
            &mut sql,
            " AND c.total_minutes <= $n",
            Param::Int(i64::from(max.get())),
        );
    }
    if let Some(max) = filter.max_weekly {
        bind(
            &mut sql,
            " AND c.weekly_minutes <= $n",
            Param::Int(i64::from(max.get())),
        );
    }
    // The order of each partial index, so that a page is read from the index.
    sql.push_str(match filter.sort {
        ExploreSort::Followers => " ORDER BY c.followers DESC, c.updated_at DESC, c.id",
        ExploreSort::Finishers => " ORDER BY c.finishers DESC, c.updated_at DESC, c.id",
        ExploreSort::Recent => " ORDER BY c.updated_at DESC, c.id",
    });
    bind(&mut sql, " LIMIT $n", Param::Int(i64::from(filter.limit)));
    bind(&mut sql, " OFFSET $n", Param::Int(i64::from(filter.offset)));
    (sql, params)
}

fn count(row: &impl StoredRow, column: &str) -> StoreResult<u32> {
    let n: i64 = get(row, column)?;
    // A count below zero would be a bug in a trigger: shown as none rather than refused.
    Ok(u32::try_from(n.max(0)).unwrap_or(u32::MAX))
}

fn listed_from_row(row: &impl StoredRow) -> StoreResult<ListedCurriculum> {
    let kinds: String = get(row, "kinds")?;
    let skills: String = get(row, "skills")?;
    let minutes = |column: &str| -> StoreResult<Minutes> {
        let n: i64 = get(row, column)?;
        u32::try_from(n)
            .map(Minutes::new)
            .map_err(|e| corrupt(column, e))
    };
    let weekly: Option<i64> = get(row, "weekly_minutes")?;
    Ok(ListedCurriculum {
        id: CurriculumId(get(row, "id")?),
        title: get(row, "title")?,
        owner_handle: Handle::from_trusted(get(row, "owner_handle")?),
        summary: CurriculumSummary {
            items: count(row, "item_count")?,
            total: minutes("total_minutes")?,
            weekly: weekly
                .map(|w| u32::try_from(w).map(Minutes::new))
                .transpose()
                .map_err(|e| corrupt("weekly_minutes", e))?,
            kinds: from_lines(&kinds)
                .map(|k| ItemKind::parse(k).ok_or_else(|| corrupt("kinds", k)))
                .collect::<StoreResult<_>>()?,
            skills: from_lines(&skills).map(str::to_owned).collect(),
            search_text: get(row, "search_text")?,
        },
        followers: count(row, "followers")?,
        finishers: count(row, "finishers")?,
        updated_at: get_ts(row, "updated_at")?,
    })
}

#[async_trait]
impl ExploreStore for Db {
    async fn explore(&self, filter: &ExploreFilter) -> StoreResult<Vec<ListedCurriculum>> {
        let (sql, params) = listing_sql(filter);
        if let Some(reads) = &self.reads {
            return reads.run_here(move |conn| {
                let values = params.into_iter().map(|p| match p {
                    Param::Text(t) => rusqlite::types::Value::Text(t),
                    Param::Int(n) => rusqlite::types::Value::Integer(n),
                });
                all(conn, &sql, rusqlite::params_from_iter(values), |r| {
                    listed_from_row(r)
                })
            });
        }
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for p in params {
            query = match p {
                Param::Text(t) => query.bind(t),
                Param::Int(n) => query.bind(n),
            };
        }
        query
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?
            .iter()
            .map(listed_from_row)
            .collect()
    }

    async fn follower_counts(&self, id: CurriculumId) -> StoreResult<Option<(u32, u32)>> {
        sqlx::query("SELECT followers, finishers FROM curricula WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?
            .map(|row| Ok((count(&row, "followers")?, count(&row, "finishers")?)))
            .transpose()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use super::*;

    #[test]
    fn values_are_kept_one_a_line_between_line_breaks() {
        assert_eq!(lines(["course", "book"]), "\ncourse\nbook\n");
        assert_eq!(lines([]), "");
        assert_eq!(from_lines("\na b\nc\n").collect::<Vec<_>>(), ["a b", "c"]);
    }

    #[test]
    fn what_the_learner_typed_is_bound_and_its_wildcards_match_themselves() {
        let (sql, params) = listing_sql(&ExploreFilter {
            words: vec!["50%_off\\".to_owned()],
            kind: Some(ItemKind::Book),
            limit: 21,
            ..ExploreFilter::default()
        });
        assert!(!sql.contains("50"), "{sql}");
        assert!(
            sql.contains("LIKE $1") && sql.contains("LIMIT $3 OFFSET $4"),
            "{sql}"
        );
        assert_eq!(params[0], Param::Text("%50\\%\\_off\\\\%".to_owned()));
        assert_eq!(params[1], Param::Text("%\nbook\n%".to_owned()));
    }
}
