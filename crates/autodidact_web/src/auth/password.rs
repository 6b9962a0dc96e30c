//! Password hashing with argon2id, on the blocking pool and through a gate: a hash takes tens
//! of milliseconds of CPU (which would stall every request sharing an async worker) and
//! 19 MiB of memory. At most one hash per core runs at once; a short queue waits for them,
//! and beyond it the answer is "busy, come back" (503 with `Retry-After`), so a flood of
//! sign-ins costs a bounded amount of memory instead of 19 MiB per request.

use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use autodidact_core::accounts::Password;
use autodidact_core::secrets::{HashError, hash_password, verify_password};
use tokio::sync::Semaphore;

/// Hashes running at once, and how many may wait for one.
struct Gate {
    running: Semaphore,
    waiting: AtomicUsize,
    max_waiting: usize,
}

/// How many requests may wait per hashing slot: about a second and a half of work each.
const WAITING_PER_SLOT: usize = 32;

static GATE: LazyLock<Gate> = LazyLock::new(|| {
    let slots = std::thread::available_parallelism()
        .map_or(2, std::num::NonZero::get)
        .clamp(1, 4);
    Gate::new(slots, slots * WAITING_PER_SLOT)
});

impl Gate {
    fn new(slots: usize, max_waiting: usize) -> Self {
        Gate {
            running: Semaphore::new(slots),
            waiting: AtomicUsize::new(0),
            max_waiting,
        }
    }

    /// Runs `work` on the blocking pool once a slot is free; `Busy` when the queue is full.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashError> {
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(HashError::Busy {
                retry_after_secs: 2,
            });
        }
        let permit = self.running.acquire().await;
        self.waiting.fetch_sub(1, Ordering::AcqRel);
        let _permit = permit.map_err(|e| HashError::new(e.to_string()))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| HashError::new(e.to_string()))
    }
}

async fn through_gate<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, HashError> {
    GATE.run(work).await
}

pub async fn hash(password: Password) -> Result<String, HashError> {
    through_gate(move || {
        let mut salt = [0u8; 16];
        rand::fill(&mut salt);
        hash_password(&password, &salt)
    })
    .await?
}

/// Checks a password against a stored hash, taking as long when there is none.
pub async fn verify(password: Password, stored: Option<String>) -> Result<bool, HashError> {
    through_gate(move || verify_password(&password, stored.as_deref())).await
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn beyond_the_slots_and_the_queue_a_hash_is_refused_as_busy_not_run() {
        let gate = Arc::new(Gate::new(1, 2));
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..6 {
            let (gate, running, most) = (gate.clone(), running.clone(), most.clone());
            tasks.push(tokio::spawn(async move {
                gate.run(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(100));
                    running.fetch_sub(1, Ordering::SeqCst);
                })
                .await
            }));
            // In order: the first runs, the next two wait, the rest find the queue full.
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let mut busy = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(()) => {}
                Err(HashError::Busy { retry_after_secs }) => {
                    assert!(retry_after_secs > 0);
                    busy += 1;
                }
                Err(e) => panic!("{e}"),
            }
        }
        assert_eq!(busy, 3);
        assert_eq!(most.load(Ordering::SeqCst), 1);
        // Afterwards the gate is free again.
        assert!(gate.run(|| ()).await.is_ok());
    }
}
