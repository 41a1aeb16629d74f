//! The SQLite database behind the controller: opening it, and running work
//! on it off the async threads.
//!
//! A file database runs in WAL mode with one writer connection and a few
//! reader connections, so that a long stats read never waits behind another
//! read. `:memory:` has a single connection that does both.
//! The SQL itself lives in [`crate::db`].

use crate::db;
use crate::error::{ApiError, ApiResult};
use rusqlite::{Connection, Transaction};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

const READERS: usize = 3;
/// How much of a database file each connection maps into memory.
const MMAP_BYTES: i64 = 1 << 30;

/// The database, shared by every request.
pub struct Store {
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
}

/// Locks a connection; a panic elsewhere while it was held leaves it usable,
/// since an open transaction rolls back when dropped.
fn lock(m: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Store {
    /// Opens (creating if absent) the database at `path`, or an in-memory one
    /// for `:memory:`, and brings its schema up to date.
    pub fn open(path: &str) -> rusqlite::Result<Store> {
        let memory = path == ":memory:";
        let writer = Connection::open(path)?;
        configure(&writer, memory)?;
        db::create_schema(&writer)?;
        let mut readers = Vec::new();
        if !memory {
            for _ in 0..READERS {
                let c = Connection::open(path)?;
                configure(&c, memory)?;
                readers.push(Mutex::new(c));
            }
        }
        Ok(Store {
            writer: Mutex::new(writer),
            readers,
            next_reader: AtomicUsize::new(0),
        })
    }

    /// An empty in-memory database, for tests.
    pub fn memory() -> rusqlite::Result<Store> {
        Store::open(":memory:")
    }

    /// Runs `f` in one write transaction, committed when `f` succeeds and
    /// rolled back otherwise. Blocks the calling thread.
    pub fn write_blocking<T>(&self, f: impl FnOnce(&Transaction) -> ApiResult<T>) -> ApiResult<T> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction()?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Runs `f` on a reader connection. Blocks the calling thread.
    pub fn read_blocking<T>(&self, f: impl FnOnce(&Connection) -> ApiResult<T>) -> ApiResult<T> {
        if self.readers.is_empty() {
            return f(&lock(&self.writer));
        }
        // Take a free reader if there is one, else wait for the next in turn.
        for r in &self.readers {
            if let Ok(conn) = r.try_lock() {
                return f(&conn);
            }
        }
        let i = self.next_reader.fetch_add(1, Ordering::Relaxed) % self.readers.len();
        f(&lock(&self.readers[i]))
    }

    /// [`Store::read_blocking`] on the blocking thread pool.
    pub async fn read<T, F>(self: &Arc<Self>, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> ApiResult<T> + Send + 'static,
    {
        let store = Arc::clone(self);
        tokio::task::spawn_blocking(move || store.read_blocking(f))
            .await
            .map_err(join_error)?
    }

    /// [`Store::write_blocking`] on the blocking thread pool.
    pub async fn write<T, F>(self: &Arc<Self>, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction) -> ApiResult<T> + Send + 'static,
    {
        let store = Arc::clone(self);
        tokio::task::spawn_blocking(move || store.write_blocking(f))
            .await
            .map_err(join_error)?
    }
}

fn configure(c: &Connection, memory: bool) -> rusqlite::Result<()> {
    if !memory {
        c.pragma_update(None, "journal_mode", "WAL")?;
        c.pragma_update(None, "synchronous", "NORMAL")?;
        // Stats reads walk thousands of rows; reading pages from a mapping
        // spares copying each into SQLite's own cache.
        c.pragma_update(None, "mmap_size", MMAP_BYTES)?;
    }
    c.pragma_update(None, "foreign_keys", "ON")?;
    c.busy_timeout(std::time::Duration::from_secs(10))?;
    c.set_prepared_statement_cache_capacity(64);
    Ok(())
}

fn join_error(e: tokio::task::JoinError) -> ApiError {
    tracing::error!(error = %e, "a storage task failed");
    ApiError::internal("the controller failed while handling the request")
}
