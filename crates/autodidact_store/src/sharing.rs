//! What a learner shares: their profile's settings, who follows them, and their journal.

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::any::AnyRow;

use autodidact_core::accounts::{Handle, UserId};
use autodidact_core::store::{
    CurriculumId, FollowId, FollowRequest, JournalPost, JournalPostId, LinkCheck, LinkStatus,
    ListedFork, NewJournalPost, ProfileSettings, Section, SharingStore, StoreResult, Visibility,
};

use crate::Db;
use crate::accounts::expect_row;
use crate::rows::{StoredRow, corrupt, db_err, get, get_item, get_opt_ts, get_ts, new_id, secs};

/// The profile's columns, in [`Section::ALL`] order after `profile`.
pub(crate) const PROFILE_OF_USER: &str = "SELECT bio, profile, progress, heatmap, portfolio, \
     journal, curricula, skills, crowd FROM profiles WHERE user_id = $1";

fn visibility(row: &impl StoredRow, column: &str) -> StoreResult<Visibility> {
    let raw: String = get(row, column)?;
    Visibility::parse(&raw).ok_or_else(|| corrupt(column, raw))
}

pub(crate) fn profile_from_row(row: &impl StoredRow) -> StoreResult<ProfileSettings> {
    let mut settings = ProfileSettings::default();
    settings.bio = get(row, "bio")?;
    settings.profile = visibility(row, "profile")?;
    settings.crowd = get::<i64>(row, "crowd")? == 1;
    for section in Section::ALL {
        settings.set_section(section, visibility(row, section.as_str())?);
    }
    Ok(settings)
}

/// The columns of a [`FollowRequest`], from `learner_follows l` joined to both users.
macro_rules! follow_request {
    () => {
        "SELECT l.follower_id, a.handle AS follower_handle, \
     l.followee_id, b.handle AS followee_handle, l.approved_at, l.created_at \
     FROM learner_follows l JOIN users a ON a.id = l.follower_id \
     JOIN users b ON b.id = l.followee_id"
    };
}

fn request_from_row(row: &AnyRow) -> StoreResult<FollowRequest> {
    Ok(FollowRequest {
        follower: UserId(get(row, "follower_id")?),
        follower_handle: Handle::from_trusted(get(row, "follower_handle")?),
        followee: UserId(get(row, "followee_id")?),
        followee_handle: Handle::from_trusted(get(row, "followee_handle")?),
        approved_at: get_opt_ts(row, "approved_at")?,
        created_at: get_ts(row, "created_at")?,
    })
}

/// The columns of a [`JournalPost`].
macro_rules! post_columns {
    () => {
        "id, user_id, title, body, follow_id, item_id, visibility, created_at, updated_at"
    };
}
pub(crate) use post_columns;

pub(crate) fn post_from_row(row: &impl StoredRow) -> StoreResult<JournalPost> {
    let follow: Option<i64> = get(row, "follow_id")?;
    let item: Option<String> = get(row, "item_id")?;
    Ok(JournalPost {
        id: JournalPostId(get(row, "id")?),
        author: UserId(get(row, "user_id")?),
        title: get(row, "title")?,
        body: get(row, "body")?,
        about: match (follow, item) {
            (Some(f), Some(_)) => Some((FollowId(f), get_item(row, "item_id")?)),
            _ => None,
        },
        visibility: visibility(row, "visibility")?,
        created_at: get_ts(row, "created_at")?,
        updated_at: get_ts(row, "updated_at")?,
    })
}

/// Seconds precision, as stored: what a read would return.
fn stored(t: Timestamp) -> Timestamp {
    Timestamp::from_second(t.as_second()).unwrap_or(t)
}

/// Stores a post as it is (a takeout keeps its times), under `id`.
pub(crate) async fn insert_post(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    post: &NewJournalPost,
    created_at: Timestamp,
) -> StoreResult<()> {
    sqlx::query(concat!(
        "INSERT INTO journal_posts (",
        post_columns!(),
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    ))
    .bind(id)
    .bind(post.author.0)
    .bind(&post.title)
    .bind(&post.body)
    .bind(post.about.as_ref().map(|(f, _)| f.0))
    .bind(post.about.as_ref().map(|(_, i)| i.as_str().to_owned()))
    .bind(post.visibility.as_str())
    .bind(secs(created_at))
    .bind(secs(post.now))
    .execute(conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Stores a learner's settings, whole.
pub(crate) async fn upsert_profile(
    conn: &mut sqlx::AnyConnection,
    user: UserId,
    settings: &ProfileSettings,
    now: Timestamp,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO profiles (user_id, bio, profile, progress, heatmap, portfolio, journal, \
         curricula, skills, crowd, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (user_id) DO UPDATE SET bio = excluded.bio, profile = excluded.profile, \
         progress = excluded.progress, heatmap = excluded.heatmap, \
         portfolio = excluded.portfolio, journal = excluded.journal, \
         curricula = excluded.curricula, skills = excluded.skills, crowd = excluded.crowd, \
         updated_at = excluded.updated_at",
    )
    .bind(user.0)
    .bind(&settings.bio)
    .bind(settings.profile.as_str())
    .bind(settings.section(Section::Progress).as_str())
    .bind(settings.section(Section::Heatmap).as_str())
    .bind(settings.section(Section::Portfolio).as_str())
    .bind(settings.section(Section::Journal).as_str())
    .bind(settings.section(Section::Curricula).as_str())
    .bind(settings.section(Section::Skills).as_str())
    .bind(i64::from(settings.crowd))
    .bind(secs(now))
    .execute(conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

fn check_from_row(row: &AnyRow) -> StoreResult<LinkCheck> {
    let code: i64 = get(row, "http_status")?;
    let code = u16::try_from(code).map_err(|e| corrupt("http_status", e))?;
    Ok(LinkCheck {
        url: get(row, "url")?,
        status: match (code, get::<i64>(row, "alive")? == 1) {
            (0, _) => LinkStatus::Unreachable,
            (c, true) => LinkStatus::Alive(c),
            (c, false) => LinkStatus::Broken(c),
        },
        checked_at: get_ts(row, "checked_at")?,
    })
}

#[async_trait]
impl SharingStore for Db {
    async fn link_checks_of(&self, user: UserId) -> StoreResult<Vec<LinkCheck>> {
        sqlx::query(
            "SELECT l.url, l.http_status, l.alive, l.checked_at FROM link_checks l \
             WHERE l.url IN (SELECT e.url FROM evidence e JOIN follows f ON f.id = e.follow_id \
             WHERE f.user_id = $1)",
        )
        .bind(user.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(check_from_row)
        .collect()
    }

    async fn links_to_check(&self, older_than: Timestamp, limit: u32) -> StoreResult<Vec<String>> {
        sqlx::query(
            "SELECT e.url, MIN(COALESCE(l.checked_at, 0)) AS last FROM evidence e \
             LEFT JOIN link_checks l ON l.url = e.url \
             WHERE l.url IS NULL OR l.checked_at <= $1 \
             GROUP BY e.url ORDER BY last, e.url LIMIT $2",
        )
        .bind(secs(older_than))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(|row| get(row, "url"))
        .collect()
    }

    async fn record_link_check(&self, check: &LinkCheck) -> StoreResult<()> {
        let (code, alive) = match check.status {
            LinkStatus::Alive(c) => (c, 1),
            LinkStatus::Broken(c) => (c, 0),
            LinkStatus::Unreachable => (0, 0),
        };
        sqlx::query(
            "INSERT INTO link_checks (url, http_status, alive, checked_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (url) DO UPDATE SET http_status = excluded.http_status, \
             alive = excluded.alive, checked_at = excluded.checked_at",
        )
        .bind(&check.url)
        .bind(i64::from(code))
        .bind(alive)
        .bind(secs(check.checked_at))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn listed_forks(
        &self,
        source: CurriculumId,
        limit: u32,
    ) -> StoreResult<(Vec<ListedFork>, u64)> {
        let forks = sqlx::query(
            "SELECT c.id, c.title, u.handle, c.updated_at FROM curricula c \
             JOIN users u ON u.id = c.owner_id \
             WHERE c.fork_of_id = $1 AND c.visibility = 'public' \
             ORDER BY c.updated_at DESC, c.id LIMIT $2",
        )
        .bind(source.0)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(|row| {
            Ok(ListedFork {
                id: CurriculumId(get(row, "id")?),
                title: get(row, "title")?,
                owner: Handle::from_trusted(get(row, "handle")?),
                updated_at: get_ts(row, "updated_at")?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
        let all: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM curricula WHERE fork_of_id = $1 AND visibility = 'public'",
        )
        .bind(source.0)
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)
        .and_then(|row| get(&row, "n"))?;
        Ok((forks, u64::try_from(all).unwrap_or_default()))
    }

    async fn profile_settings(&self, user: UserId) -> StoreResult<ProfileSettings> {
        let row = sqlx::query(PROFILE_OF_USER)
            .bind(user.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref()
            .map_or_else(|| Ok(ProfileSettings::default()), profile_from_row)
    }

    async fn set_profile_settings(
        &self,
        user: UserId,
        settings: &ProfileSettings,
        now: Timestamp,
    ) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        upsert_profile(&mut conn, user, settings, now).await
    }

    async fn set_follow_visibility(
        &self,
        follow: FollowId,
        user: UserId,
        visibility: Visibility,
        now: Timestamp,
    ) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        let done = sqlx::query(
            "UPDATE follows SET visibility = $3, updated_at = $4 WHERE id = $1 AND user_id = $2",
        )
        .bind(follow.0)
        .bind(user.0)
        .bind(visibility.as_str())
        .bind(secs(now))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        expect_row(done.rows_affected())?;
        // The progress names its curriculum: that is shown at least as widely.
        sqlx::query(
            "UPDATE curricula SET visibility = $3, updated_at = $4 \
             WHERE id = (SELECT curriculum_id FROM follows WHERE id = $1) AND owner_id = $2 \
             AND (CASE visibility WHEN 'private' THEN 0 WHEN 'followers' THEN 1 \
                  WHEN 'unlisted' THEN 2 ELSE 3 END) < $5",
        )
        .bind(follow.0)
        .bind(user.0)
        .bind(visibility.as_str())
        .bind(secs(now))
        .bind(i64::from(visibility.breadth()))
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)
    }

    async fn request_follow(
        &self,
        follower: UserId,
        followee: UserId,
        approve_at: Option<Timestamp>,
        now: Timestamp,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO learner_follows (follower_id, followee_id, approved_at, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(follower.0)
        .bind(followee.0)
        .bind(approve_at.map(secs))
        .bind(secs(now))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn approve_follow(
        &self,
        followee: UserId,
        follower: UserId,
        now: Timestamp,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE learner_follows SET approved_at = $3 \
             WHERE follower_id = $1 AND followee_id = $2 AND approved_at IS NULL",
        )
        .bind(follower.0)
        .bind(followee.0)
        .bind(secs(now))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        expect_row(done.rows_affected())
    }

    async fn remove_follow_request(&self, follower: UserId, followee: UserId) -> StoreResult<()> {
        let done =
            sqlx::query("DELETE FROM learner_follows WHERE follower_id = $1 AND followee_id = $2")
                .bind(follower.0)
                .bind(followee.0)
                .execute(&self.pool)
                .await
                .map_err(db_err)?;
        expect_row(done.rows_affected())
    }

    async fn follow_request(
        &self,
        follower: UserId,
        followee: UserId,
    ) -> StoreResult<Option<FollowRequest>> {
        sqlx::query(concat!(
            follow_request!(),
            " WHERE l.follower_id = $1 AND l.followee_id = $2"
        ))
        .bind(follower.0)
        .bind(followee.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?
        .as_ref()
        .map(request_from_row)
        .transpose()
    }

    async fn followers_of(&self, user: UserId) -> StoreResult<Vec<FollowRequest>> {
        const SQL: &str = concat!(
            follow_request!(),
            " WHERE l.followee_id = $1 ORDER BY l.created_at, l.follower_id"
        );
        requests(self, SQL, user).await
    }

    async fn followed_by(&self, user: UserId) -> StoreResult<Vec<FollowRequest>> {
        const SQL: &str = concat!(
            follow_request!(),
            " WHERE l.follower_id = $1 ORDER BY l.created_at, l.followee_id"
        );
        requests(self, SQL, user).await
    }

    async fn add_journal_post(&self, post: &NewJournalPost) -> StoreResult<JournalPost> {
        let id = new_id();
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        insert_post(&mut conn, id, post, post.now).await?;
        Ok(JournalPost {
            id: JournalPostId(id),
            author: post.author,
            title: post.title.clone(),
            body: post.body.clone(),
            about: post.about.clone(),
            visibility: post.visibility,
            created_at: stored(post.now),
            updated_at: stored(post.now),
        })
    }

    async fn update_journal_post(
        &self,
        id: JournalPostId,
        post: &NewJournalPost,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE journal_posts SET title = $3, body = $4, follow_id = $5, item_id = $6, \
             visibility = $7, updated_at = $8 WHERE id = $1 AND user_id = $2",
        )
        .bind(id.0)
        .bind(post.author.0)
        .bind(&post.title)
        .bind(&post.body)
        .bind(post.about.as_ref().map(|(f, _)| f.0))
        .bind(post.about.as_ref().map(|(_, i)| i.as_str().to_owned()))
        .bind(post.visibility.as_str())
        .bind(secs(post.now))
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        expect_row(done.rows_affected())
    }

    async fn delete_journal_post(&self, id: JournalPostId, author: UserId) -> StoreResult<()> {
        let done = sqlx::query("DELETE FROM journal_posts WHERE id = $1 AND user_id = $2")
            .bind(id.0)
            .bind(author.0)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        expect_row(done.rows_affected())
    }

    async fn journal_post(&self, id: JournalPostId) -> StoreResult<Option<JournalPost>> {
        sqlx::query(concat!(
            "SELECT ",
            post_columns!(),
            " FROM journal_posts WHERE id = $1"
        ))
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?
        .as_ref()
        .map(post_from_row)
        .transpose()
    }

    async fn journal_of(&self, author: UserId) -> StoreResult<Vec<JournalPost>> {
        sqlx::query(concat!(
            "SELECT ",
            post_columns!(),
            " FROM journal_posts WHERE user_id = $1 ORDER BY created_at DESC, id DESC"
        ))
        .bind(author.0)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(post_from_row)
        .collect()
    }
}

/// The follow requests `sql` selects for `user`.
async fn requests(db: &Db, sql: &'static str, user: UserId) -> StoreResult<Vec<FollowRequest>> {
    sqlx::query(sql)
        .bind(user.0)
        .fetch_all(&db.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(request_from_row)
        .collect()
}
