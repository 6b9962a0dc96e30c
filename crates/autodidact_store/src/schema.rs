//! The live schema, read from the database's own catalog and described in terms both backends
//! share, so that the parity test can check the two migrations build the same thing.

use std::collections::{BTreeMap, BTreeSet};

use sqlx::any::AnyRow;

use autodidact_core::store::StoreResult;

use crate::rows::{db_err, get};
use crate::{Backend, Db};

/// Tables with their columns, named constraints, explicit indexes and foreign keys.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Schema {
    /// Columns in declaration order, per table.
    pub tables: BTreeMap<String, Vec<Column>>,
    /// `(table, constraint name, kind)`, kind being `PRIMARY`, `UNIQUE`, `FOREIGN` or `CHECK`.
    pub constraints: BTreeSet<(String, String, String)>,
    /// `(table, index name)` for indexes created by `CREATE INDEX`, not by a constraint.
    pub indexes: BTreeSet<(String, String)>,
    pub foreign_keys: BTreeSet<ForeignKey>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub family: TypeFamily,
    pub nullable: bool,
}

/// A column type up to width: SQLite's `INTEGER` and PostgreSQL's `BIGINT` are both integers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeFamily {
    Integer,
    Text,
    Real,
    Blob,
    Other(String),
}

impl TypeFamily {
    fn of(declared: &str) -> TypeFamily {
        let t = declared.to_ascii_uppercase();
        if t.contains("INT") {
            TypeFamily::Integer
        } else if t.contains("CHAR") || t.contains("TEXT") || t.contains("CLOB") {
            TypeFamily::Text
        } else if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") {
            TypeFamily::Real
        } else if t.contains("BLOB") || t == "BYTEA" {
            TypeFamily::Blob
        } else {
            TypeFamily::Other(t)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ForeignKey {
    pub table: String,
    pub column: String,
    pub references: String,
    pub references_column: String,
    /// `CASCADE`, `SET NULL`, `NO ACTION`, …
    pub on_delete: String,
}

impl Db {
    /// Describes the tables of this database as its catalog reports them.
    pub async fn schema(&self) -> StoreResult<Schema> {
        match self.backend {
            Backend::Sqlite => self.sqlite_schema().await,
            Backend::Postgres => self.postgres_schema().await,
        }
    }

    async fn sqlite_schema(&self) -> StoreResult<Schema> {
        let mut schema = Schema::default();
        let tables = self
            .fetch_all(
                "SELECT name, sql FROM sqlite_master \
                 WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            )
            .await?;
        for table in &tables {
            let name: String = get(table, "name")?;
            let sql: String = get(table, "sql")?;
            for (constraint, kind) in sqlite_named_constraints(&sql) {
                schema.constraints.insert((name.clone(), constraint, kind));
            }
            let columns = sqlx::query(
                "SELECT name, type, \"notnull\" AS not_null FROM pragma_table_info($1) ORDER BY cid",
            )
            .bind(&name)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
            let columns = columns
                .iter()
                .map(|c| {
                    Ok(Column {
                        name: get(c, "name")?,
                        family: TypeFamily::of(&get::<String>(c, "type")?),
                        nullable: get::<i64>(c, "not_null")? == 0,
                    })
                })
                .collect::<StoreResult<_>>()?;
            schema.tables.insert(name.clone(), columns);
            let keys = sqlx::query(
                "SELECT \"from\" AS col, \"table\" AS ref, \"to\" AS ref_col, on_delete \
                 FROM pragma_foreign_key_list($1)",
            )
            .bind(&name)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
            for key in &keys {
                schema.foreign_keys.insert(ForeignKey {
                    table: name.clone(),
                    column: get(key, "col")?,
                    references: get(key, "ref")?,
                    references_column: get(key, "ref_col")?,
                    on_delete: get(key, "on_delete")?,
                });
            }
        }
        let indexes = self
            .fetch_all(
                "SELECT tbl_name, name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
            )
            .await?;
        for index in &indexes {
            schema
                .indexes
                .insert((get(index, "tbl_name")?, get(index, "name")?));
        }
        Ok(schema)
    }

    async fn postgres_schema(&self) -> StoreResult<Schema> {
        let mut schema = Schema::default();
        // information_schema's columns are domains that `Any` cannot decode: cast to text.
        let columns = self
            .fetch_all(
                "SELECT table_name::text AS tbl, column_name::text AS col, \
                        data_type::text AS ty, is_nullable::text AS nullable \
                 FROM information_schema.columns WHERE table_schema = current_schema() \
                 ORDER BY table_name, ordinal_position",
            )
            .await?;
        for c in &columns {
            schema
                .tables
                .entry(get(c, "tbl")?)
                .or_default()
                .push(Column {
                    name: get(c, "col")?,
                    family: TypeFamily::of(&get::<String>(c, "ty")?),
                    nullable: get::<String>(c, "nullable")? == "YES",
                });
        }
        // NOT NULL shows up here as CHECK constraints with generated names: leave those out.
        let constraints = self
            .fetch_all(
                "SELECT table_name::text AS tbl, constraint_name::text AS name, \
                        constraint_type::text AS kind \
                 FROM information_schema.table_constraints \
                 WHERE table_schema = current_schema() AND constraint_name::text NOT LIKE '%_not_null'",
            )
            .await?;
        for c in &constraints {
            let kind: String = get(c, "kind")?;
            let kind = kind.split(' ').next().unwrap_or_default().to_owned();
            schema
                .constraints
                .insert((get(c, "tbl")?, get(c, "name")?, kind));
        }
        let indexes = self
            .fetch_all(
                "SELECT tablename::text AS tbl, indexname::text AS name FROM pg_indexes \
                 WHERE schemaname = current_schema()",
            )
            .await?;
        for index in &indexes {
            let table: String = get(index, "tbl")?;
            let name: String = get(index, "name")?;
            let backs_constraint = schema
                .constraints
                .iter()
                .any(|(t, c, _)| *t == table && *c == name);
            if !backs_constraint {
                schema.indexes.insert((table, name));
            }
        }
        let keys = self
            .fetch_all(
                "SELECT kcu.table_name::text AS tbl, kcu.column_name::text AS col, \
                        ccu.table_name::text AS ref, ccu.column_name::text AS ref_col, \
                        rc.delete_rule::text AS on_delete \
                 FROM information_schema.referential_constraints rc \
                 JOIN information_schema.key_column_usage kcu \
                   ON kcu.constraint_schema = rc.constraint_schema \
                  AND kcu.constraint_name = rc.constraint_name \
                 JOIN information_schema.constraint_column_usage ccu \
                   ON ccu.constraint_schema = rc.constraint_schema \
                  AND ccu.constraint_name = rc.constraint_name \
                 WHERE rc.constraint_schema = current_schema()",
            )
            .await?;
        for key in &keys {
            schema.foreign_keys.insert(ForeignKey {
                table: get(key, "tbl")?,
                column: get(key, "col")?,
                references: get(key, "ref")?,
                references_column: get(key, "ref_col")?,
                on_delete: get(key, "on_delete")?,
            });
        }
        Ok(schema)
    }

    async fn fetch_all(&self, sql: &'static str) -> StoreResult<Vec<AnyRow>> {
        sqlx::query(sql).fetch_all(&self.pool).await.map_err(db_err)
    }
}

/// `(name, kind)` of every `CONSTRAINT name KIND …` in a `CREATE TABLE` statement. SQLite keeps
/// constraint names only in the statement's text, comments included.
fn sqlite_named_constraints(create_table: &str) -> Vec<(String, String)> {
    let code: String = create_table
        .lines()
        .map(|line| line.split("--").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    let words: Vec<&str> = code
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    words
        .windows(3)
        .filter(|w| w[0].eq_ignore_ascii_case("CONSTRAINT"))
        .map(|w| (w[1].to_owned(), w[2].to_ascii_uppercase()))
        .collect()
}
