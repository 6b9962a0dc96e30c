//! Curricula: a TOML source and its owner.

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use autodidact_core::accounts::{Handle, UserId};
use autodidact_core::curriculum::ItemId;
use autodidact_core::store::{
    CurriculumId, CurriculumRecord, CurriculumStore, ForkOf, ForkSync, ImportReport, ItemStatus,
    Lineage, NewCurriculum, StoreError, StoreResult, Visibility,
};

use crate::accounts::expect_row;
use crate::crowd::write_addresses;
use crate::explore::SummaryColumns;
use crate::rows::{StoredRow, corrupt, db_err, get, get_ts, new_id, secs};
use crate::sqlite_reads::all;
use crate::{Db, commit};

macro_rules! curriculum_columns {
    () => {
        "id, owner_id, title, visibility, source, created_at, updated_at, version, template_id, \
         fork_of_id, fork_of_version, fork_of_owner_id, fork_of_owner_handle, fork_of_title, \
         fork_base"
    };
}

pub(crate) fn visibility_from_row(row: &impl StoredRow) -> StoreResult<Visibility> {
    let raw: String = get(row, "visibility")?;
    Visibility::parse(&raw).ok_or_else(|| corrupt("visibility", raw))
}

fn version_from(row: &impl StoredRow, column: &str) -> StoreResult<u32> {
    let n: i64 = get(row, column)?;
    u32::try_from(n).map_err(|e| corrupt(column, e))
}

fn lineage_from_row(row: &impl StoredRow) -> StoreResult<Lineage> {
    let template: Option<String> = get(row, "template_id")?;
    let source: Option<i64> = get(row, "fork_of_id")?;
    Ok(match (template, source) {
        (_, Some(source)) => {
            let owner: Option<i64> = get(row, "fork_of_owner_id")?;
            let handle: Option<String> = get(row, "fork_of_owner_handle")?;
            let title: Option<String> = get(row, "fork_of_title")?;
            let base: Option<String> = get(row, "fork_base")?;
            Lineage::Fork(ForkOf {
                source: CurriculumId(source),
                version: version_from(row, "fork_of_version")?,
                owner: UserId(owner.ok_or_else(|| corrupt("fork_of_owner_id", "missing"))?),
                owner_handle: Handle::from_trusted(
                    handle.ok_or_else(|| corrupt("fork_of_owner_handle", "missing"))?,
                ),
                title: title.unwrap_or_default(),
                base: base.unwrap_or_default(),
            })
        }
        (Some(id), None) => Lineage::Template { id },
        (None, None) => Lineage::Original,
    })
}

pub(crate) fn curriculum_from_row(row: &impl StoredRow) -> StoreResult<CurriculumRecord> {
    Ok(CurriculumRecord {
        id: CurriculumId(get(row, "id")?),
        owner: UserId(get(row, "owner_id")?),
        title: get(row, "title")?,
        visibility: visibility_from_row(row)?,
        source: get(row, "source")?,
        version: version_from(row, "version")?,
        lineage: lineage_from_row(row)?,
        created_at: get_ts(row, "created_at")?,
        updated_at: get_ts(row, "updated_at")?,
    })
}

/// Inserts a curriculum (in a transaction or on the pool) and returns it.
pub(crate) async fn insert_curriculum(
    conn: &mut AnyConnection,
    new: &NewCurriculum,
) -> StoreResult<CurriculumRecord> {
    let (template, fork) = match &new.lineage {
        Lineage::Original => (None, None),
        Lineage::Template { id } => (Some(id.as_str()), None),
        Lineage::Fork(fork) => (None, Some(fork)),
    };
    let summary = SummaryColumns::of_source(&new.source);
    let query = sqlx::query(concat!(
        "INSERT INTO curricula (",
        curriculum_columns!(),
        ", item_count, total_minutes, weekly_minutes, kinds, skills, search_text",
        ") VALUES ($1, $2, $3, $4, $5, $6, $6, 1, $7, $8, $9, $10, $11, $12, $13, \
         $14, $15, $16, $17, $18, $19) RETURNING ",
        curriculum_columns!()
    ))
    .bind(new_id())
    .bind(new.owner.0)
    .bind(&new.title)
    .bind(new.visibility.as_str())
    .bind(&new.source)
    .bind(secs(new.now))
    .bind(template)
    .bind(fork.map(|f| f.source.0))
    .bind(fork.map(|f| i64::from(f.version)))
    .bind(fork.map(|f| f.owner.0))
    .bind(fork.map(|f| f.owner_handle.as_str()))
    .bind(fork.map(|f| f.title.as_str()))
    .bind(fork.map(|f| f.base.as_str()));
    let record = summary
        .bind(query)
        .fetch_one(&mut *conn)
        .await
        .map_err(db_err)
        .and_then(|row| curriculum_from_row(&row))?;
    write_addresses(conn, record.id.0, &new.source)
        .await
        .map_err(db_err)?;
    Ok(record)
}

#[async_trait]
impl CurriculumStore for Db {
    async fn create_curriculum(&self, new: NewCurriculum) -> StoreResult<CurriculumRecord> {
        let mut tx = self.write_tx().await?;
        let record = insert_curriculum(&mut tx, &new).await?;
        commit(tx).await?;
        Ok(record)
    }

    async fn create_imported_curriculum(
        &self,
        new: NewCurriculum,
        report: &ImportReport,
    ) -> StoreResult<CurriculumRecord> {
        let mut tx = self.write_tx().await?;
        let record = insert_curriculum(&mut tx, &new).await?;
        insert_import_report(&mut tx, record.id, report).await?;
        commit(tx).await?;
        Ok(record)
    }

    async fn import_report(&self, id: CurriculumId) -> StoreResult<Option<ImportReport>> {
        let Some(row) = sqlx::query(
            "SELECT format, notes, progress, created_at FROM import_reports \
             WHERE curriculum_id = $1",
        )
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?
        else {
            return Ok(None);
        };
        report_from_row(&row).map(Some)
    }

    async fn curriculum(&self, id: CurriculumId) -> StoreResult<Option<CurriculumRecord>> {
        const SQL: &str = concat!(
            "SELECT ",
            curriculum_columns!(),
            " FROM curricula WHERE id = $1"
        );
        if let Some(reads) = &self.reads {
            return reads.run_here(move |conn| {
                Ok(all(conn, SQL, [id.0], |r| curriculum_from_row(r))?.pop())
            });
        }
        sqlx::query(SQL)
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?
            .as_ref()
            .map(curriculum_from_row)
            .transpose()
    }

    /// The owner's curricula, most recently changed first.
    async fn curricula_of(&self, owner: UserId) -> StoreResult<Vec<CurriculumRecord>> {
        sqlx::query(concat!(
            "SELECT ",
            curriculum_columns!(),
            " FROM curricula WHERE owner_id = $1 ORDER BY updated_at DESC, id"
        ))
        .bind(owner.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(curriculum_from_row)
        .collect()
    }

    /// Oldest first.
    async fn copies_of(
        &self,
        owner: UserId,
        source: CurriculumId,
    ) -> StoreResult<Vec<CurriculumRecord>> {
        sqlx::query(concat!(
            "SELECT ",
            curriculum_columns!(),
            " FROM curricula WHERE owner_id = $1 AND fork_of_id = $2 ORDER BY created_at, id"
        ))
        .bind(owner.0)
        .bind(source.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(curriculum_from_row)
        .collect()
    }

    async fn update_curriculum(
        &self,
        id: CurriculumId,
        owner: UserId,
        title: &str,
        source: &str,
        now: Timestamp,
    ) -> StoreResult<()> {
        // The figures of the listing are written with the source they come from.
        let summary = SummaryColumns::of_source(source);
        let query = sqlx::query(
            "UPDATE curricula SET title = $3, source = $4, updated_at = $5, version = version + 1, \
             item_count = $6, total_minutes = $7, weekly_minutes = $8, kinds = $9, skills = $10, \
             search_text = $11 \
             WHERE id = $1 AND owner_id = $2",
        )
        .bind(id.0)
        .bind(owner.0)
        .bind(title)
        .bind(source)
        .bind(secs(now));
        let mut tx = self.write_tx().await?;
        let done = summary
            .bind(query)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        expect_row(done.rows_affected())?;
        write_addresses(&mut tx, id.0, source)
            .await
            .map_err(db_err)?;
        commit(tx).await
    }

    async fn set_curriculum_visibility(
        &self,
        id: CurriculumId,
        owner: UserId,
        visibility: Visibility,
        now: Timestamp,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE curricula SET visibility = $3, updated_at = $4 \
             WHERE id = $1 AND owner_id = $2",
        )
        .bind(id.0)
        .bind(owner.0)
        .bind(visibility.as_str())
        .bind(secs(now))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        expect_row(done.rows_affected())
    }

    async fn sync_fork(&self, sync: ForkSync<'_>) -> StoreResult<()> {
        let summary = SummaryColumns::of_source(sync.source);
        let query = sqlx::query(
            "UPDATE curricula SET title = $4, source = $5, updated_at = $6, version = version + 1, \
             fork_base = $7, fork_of_version = $8, \
             item_count = $9, total_minutes = $10, weekly_minutes = $11, kinds = $12, \
             skills = $13, search_text = $14 \
             WHERE id = $1 AND owner_id = $2 AND version = $3 AND fork_of_id IS NOT NULL",
        )
        .bind(sync.id.0)
        .bind(sync.owner.0)
        .bind(i64::from(sync.version))
        .bind(sync.title)
        .bind(sync.source)
        .bind(secs(sync.now))
        .bind(sync.base)
        .bind(i64::from(sync.base_version));
        let mut tx = self.write_tx().await?;
        let done = summary
            .bind(query)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        if done.rows_affected() == 1 {
            write_addresses(&mut tx, sync.id.0, sync.source)
                .await
                .map_err(db_err)?;
            return commit(tx).await;
        }
        drop(tx);
        // Which of the two: a copy of theirs at another version, or none.
        match self.curriculum(sync.id).await? {
            Some(c) if c.owner == sync.owner && matches!(c.lineage, Lineage::Fork(_)) => {
                Err(StoreError::Conflict {
                    constraint: "curricula_version".to_owned(),
                })
            }
            _ => Err(StoreError::NotFound),
        }
    }

    /// The follows, board states and evidence go by `ON DELETE CASCADE`; logs keep their time
    /// and lose the follow by `ON DELETE SET NULL`.
    async fn delete_curriculum(&self, id: CurriculumId, owner: UserId) -> StoreResult<()> {
        let done = sqlx::query("DELETE FROM curricula WHERE id = $1 AND owner_id = $2")
            .bind(id.0)
            .bind(owner.0)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        expect_row(done.rows_affected())
    }
}

/// Keeps the report of the import that made curriculum `id`, in the caller's transaction.
pub(crate) async fn insert_import_report(
    conn: &mut AnyConnection,
    id: CurriculumId,
    report: &ImportReport,
) -> StoreResult<()> {
    // One note a line (a note is one sentence; a line break in one becomes a space).
    let notes = report
        .notes
        .iter()
        .map(|n| n.replace(['\n', '\r'], " "))
        .collect::<Vec<_>>()
        .join("\n");
    let progress = report
        .progress
        .iter()
        .map(|(item, status)| format!("{} {item}", status.as_str()))
        .collect::<Vec<_>>()
        .join("\n");
    sqlx::query(
        "INSERT INTO import_reports (curriculum_id, format, notes, progress, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id.0)
    .bind(&report.format)
    .bind(notes)
    .bind(progress)
    .bind(secs(report.created_at))
    .execute(conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// An `import_reports` row (`format, notes, progress, created_at`) as the report.
pub(crate) fn report_from_row(row: &AnyRow) -> StoreResult<ImportReport> {
    let notes: String = get(row, "notes")?;
    let progress: String = get(row, "progress")?;
    let progress = progress
        .lines()
        .filter(|l| !l.is_empty())
        .map(|line| {
            let (status, item) = line
                .split_once(' ')
                .ok_or_else(|| corrupt("progress", line))?;
            let status = ItemStatus::parse(status).ok_or_else(|| corrupt("progress", line))?;
            let item = ItemId::parse(item).map_err(|_| corrupt("progress", line))?;
            Ok((item, status))
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(ImportReport {
        format: get(row, "format")?,
        notes: notes
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        progress,
        created_at: get_ts(row, "created_at")?,
    })
}
