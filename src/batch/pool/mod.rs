//! A bounded worker pool that hands results back in input order.
//!
//! The caller's thread pushes items and pops results; `jobs` worker threads run one function
//! over the items. At most [`PoolOptions::capacity`] items are in flight (queued, being worked on,
//! or finished but waiting for an earlier one), so memory stays flat on endless inputs, and a
//! slow item at the head stalls the workers only once that many have piled up behind it.
//! With `ordered: false` results come back as they finish instead.
//!
//! The caller reads the input itself (see [`PoolIter`]), so the input need not be `Send`
//! and reading overlaps with cleaning: while the workers chew on the queue, the caller's
//! thread reads the next records and writes the finished ones.
//!
//! Items may carry a weight (their size in bytes, [`Pool::push_weighted`]): then at most
//! [`PoolOptions::max_weight`] of it is in flight, unless a single item is heavier, which then
//! goes in alone. So a run of huge records is cleaned one at a time, whatever `jobs` says,
//! and memory follows the largest record rather than `capacity` times it.
//!
//! A panic in the work function is caught per item and comes back as [`Panicked`]; a worker
//! never dies, so a result never goes missing.
//!
//! For a caller that waits on other things too (an input channel, a second pool, a stop
//! signal), [`Pool::try_pop`] never blocks and [`Pool::watch`] adds the pool's results to a
//! `crossbeam_channel::Select`.
//!
//! Several pools can share one set of [`Workers`] ([`Pool::on`], [`PoolIter::on`]): the batch
//! runner's clean and serialise stages do, so that `--jobs N` means N busy threads and the
//! caller's thread is left with only the work that needs the records in order.
//!
//! ```
//! use zhclean::internals::batch::pool::{PoolIter, PoolOptions};
//! let squares: Vec<u64> = PoolIter::new(1..=100u64, PoolOptions::new(3), |n| n * n)
//!     .map(|r| r.unwrap())
//!     .collect();
//! assert_eq!(squares, (1..=100u64).map(|n| n * n).collect::<Vec<_>>());
//! ```

use std::collections::{BTreeMap, VecDeque};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender};

use super::{panic_message, Outcome};

/// How a [`Pool`] runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolOptions {
    /// Worker threads (at least 1).
    pub jobs: usize,
    /// Hand results back in input order (default) or as they finish.
    pub ordered: bool,
    /// Most items in flight at once (at least `jobs`).
    pub capacity: usize,
    /// Items handed to a worker together (at least 1). A worker wakes the caller's thread
    /// once per batch rather than once per item; on a VM each wake-up costs several
    /// microseconds, 7% of a worker's time per page with single items. A part-filled batch
    /// goes out as soon as the caller waits for a result.
    pub batch: usize,
    /// Most total weight in flight ([`Pool::push_weighted`]; items pushed with [`Pool::push`]
    /// weigh nothing). An item heavier than this is taken only when nothing else is in flight.
    pub max_weight: usize,
}

impl PoolOptions {
    /// `jobs` workers (0 means all cores), ordered, batches of [`DEFAULT_BATCH`] items, four
    /// batches in flight per worker.
    pub fn new(jobs: usize) -> PoolOptions {
        let jobs = if jobs == 0 { default_jobs() } else { jobs };
        PoolOptions {
            jobs,
            ordered: true,
            capacity: jobs * 4 * DEFAULT_BATCH,
            batch: DEFAULT_BATCH,
            max_weight: DEFAULT_MAX_WEIGHT,
        }
    }
}

/// Items per batch by default ([`PoolOptions::batch`]).
pub const DEFAULT_BATCH: usize = 4;

/// Weight in flight by default ([`PoolOptions::max_weight`]): 8 MiB of records. A news page is
/// tens of kilobytes, so only records of megabytes ever meet this limit; two such records are
/// then never cleaned at once (cleaning costs a small multiple of a record's size, see
/// docs/robustness.md).
pub const DEFAULT_MAX_WEIGHT: usize = 8 * 1024 * 1024;

/// The most worker threads a pool starts; more is a usage error in the CLI.
#[cfg(any(feature = "cli", feature = "internals"))]
pub const MAX_JOBS: usize = 1024;

/// The number of cores available to this process (1 if unknown).
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The work function panicked on the item with this sequence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panicked {
    /// Position of the item in push order, from 0.
    pub index: u64,
    /// The error message for the panic ([`super::panic_message`]).
    pub message: String,
}

impl Panicked {
    /// An error record for the item (the input itself is unknown at this level).
    pub fn into_outcome(self) -> Outcome {
        let message = format!("record {}: {}", self.index + 1, self.message);
        Outcome::Error(Box::new(crate::article::ErrorRecord::new(
            &crate::InputMeta::default(),
            0,
            super::PANIC,
            message,
        )))
    }
}

/// The results of one batch: each item's push index, weight and outcome.
type Done<R> = Vec<(u64, usize, Result<R, Panicked>)>;
type Job = Box<dyn FnOnce() + Send>;

/// Worker threads running queued jobs first come, first served; shared by the pools built
/// on them. Dropping the last handle lets the threads finish the queue and joins them.
pub struct Workers {
    todo: Option<Sender<Job>>,
    threads: Vec<JoinHandle<()>>,
}

impl Workers {
    /// Starts `jobs` threads (at least 1).
    ///
    /// # Panics
    /// When the threads cannot be started (the process is out of threads or memory); see
    /// [`Workers::try_new`].
    pub fn new(jobs: usize) -> Arc<Workers> {
        Workers::try_new(jobs).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Starts `jobs` threads (at least 1).
    ///
    /// # Errors
    /// When a thread cannot be started; the threads already started are stopped again.
    pub fn try_new(jobs: usize) -> std::io::Result<Arc<Workers>> {
        // The queue is unbounded: each pool keeps to its own capacity via `is_full`.
        let (todo, queue) = crossbeam_channel::unbounded::<Job>();
        let mut workers = Workers {
            todo: Some(todo),
            threads: Vec::with_capacity(jobs.max(1)),
        };
        for n in 0..jobs.max(1) {
            let queue: Receiver<Job> = queue.clone();
            let thread = std::thread::Builder::new()
                .name(format!("zhclean-worker-{n}"))
                .spawn(move || {
                    for job in queue {
                        job();
                    }
                })
                .map_err(|e| {
                    std::io::Error::new(
                        e.kind(),
                        format!(
                            "cannot start worker thread {} of {}: {e}",
                            n + 1,
                            jobs.max(1)
                        ),
                    )
                })?;
            workers.threads.push(thread);
        }
        // (On error, dropping `workers` closes the queue and joins the threads started.)
        Ok(Arc::new(workers))
    }
}

impl Drop for Workers {
    fn drop(&mut self) {
        self.todo = None;
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

/// A running pool of workers; see the module doc. Dropping it discards its queued items
/// (workers skip them) and, if it was the last user of its [`Workers`], joins them after the
/// item each is working on.
pub struct Pool<T, R> {
    options: PoolOptions,
    workers: Arc<Workers>,
    work: Arc<dyn Fn(T) -> R + Send + Sync>,
    done_tx: Sender<Done<R>>,
    done: Receiver<Done<R>>,
    cancelled: Arc<AtomicBool>,
    /// Items pushed but not yet handed to a worker, with their push index and weight.
    pending: Vec<(u64, usize, T)>,
    pushed: u64,
    next_out: u64,
    in_flight: usize,
    /// Total weight of the items in flight.
    weight: usize,
    /// Finished results not yet popped, with their weight: by index when ordered, in arrival
    /// order when not.
    waiting: BTreeMap<u64, (usize, Result<R, Panicked>)>,
    arrived: VecDeque<(usize, Result<R, Panicked>)>,
}

impl<T: Send + 'static, R: Send + 'static> Pool<T, R> {
    /// Starts `options.jobs` workers running `work`.
    #[cfg(any(test, feature = "internals"))]
    pub fn new<F>(options: PoolOptions, work: F) -> Pool<T, R>
    where
        F: Fn(T) -> R + Send + Sync + 'static,
    {
        Pool::on(Workers::new(options.jobs), options, work)
    }

    /// Runs `work` on `workers` (shared with other pools); `options.jobs` only sets the
    /// default capacity's floor.
    pub fn on<F>(workers: Arc<Workers>, options: PoolOptions, work: F) -> Pool<T, R>
    where
        F: Fn(T) -> R + Send + Sync + 'static,
    {
        let jobs = options.jobs.max(1);
        let options = PoolOptions {
            jobs,
            capacity: options.capacity.max(jobs),
            batch: options.batch.max(1),
            max_weight: options.max_weight.max(1),
            ..options
        };
        let (done_tx, done) = crossbeam_channel::unbounded::<Done<R>>();
        Pool {
            options,
            workers,
            work: Arc::new(work),
            done_tx,
            done,
            cancelled: Arc::new(AtomicBool::new(false)),
            pending: Vec::new(),
            pushed: 0,
            next_out: 0,
            in_flight: 0,
            weight: 0,
            waiting: BTreeMap::new(),
            arrived: VecDeque::new(),
        }
    }

    /// Items pushed and not yet popped.
    #[cfg(any(test, feature = "cli", feature = "internals"))]
    pub fn in_flight(&self) -> usize {
        self.in_flight
    }

    /// Total weight of the items in flight ([`Pool::push_weighted`]).
    #[cfg(any(test, feature = "internals"))]
    pub fn weight_in_flight(&self) -> usize {
        self.weight
    }

    /// `true` when `capacity` items are in flight: pop before pushing more.
    pub fn is_full(&self) -> bool {
        self.in_flight >= self.options.capacity
    }

    /// `true` when an item of `weight` may be pushed: the pool is not full, and the item
    /// keeps the weight in flight within [`PoolOptions::max_weight`] or nothing is in flight.
    pub fn has_room_for(&self, weight: usize) -> bool {
        !self.is_full()
            && (self.in_flight == 0
                || self.weight.saturating_add(weight) <= self.options.max_weight)
    }

    /// Queues `item`. Never blocks; keep to the capacity with [`Pool::is_full`].
#[cfg(any(test, feature = "internals"))]
        pub fn push(&mut self, item: T) {
        self.push_weighted(item, 0);
    }

    /// [`Pool::push_weighted`] if [`Pool::has_room_for`] the item, else gives it back.
    pub fn try_push_weighted(&mut self, item: T, weight: usize) -> Result<(), T> {
        if !self.has_room_for(weight) {
            return Err(item);
        }
        self.push_weighted(item, weight);
        Ok(())
    }

    /// Queues `item` weighing `weight` (its size in bytes, say) until its result is popped.
    /// Never blocks; keep to the limits with [`Pool::has_room_for`].
    pub fn push_weighted(&mut self, item: T, weight: usize) {
        // Only while the workers are shutting down (never while a pool holds them).
        if self.workers.todo.is_none() {
            return;
        }
        self.pending.push((self.pushed, weight, item));
        self.pushed += 1;
        self.in_flight += 1;
        self.weight = self.weight.saturating_add(weight);
        if self.pending.len() >= self.options.batch {
            self.dispatch();
        }
    }

    /// Hands a part-filled batch to the workers now (before the caller waits on something
    /// else than [`Pool::pop`], which does this itself).
    #[cfg(any(test, feature = "cli", feature = "internals"))]
    pub fn send_pending(&mut self) {
        self.dispatch();
    }

    /// Hands the pending items to the workers as one job.
    fn dispatch(&mut self) {
        let Some(todo) = &self.workers.todo else {
            return;
        };
        if self.pending.is_empty() {
            return;
        }
        let items = std::mem::take(&mut self.pending);
        let (work, done) = (Arc::clone(&self.work), self.done_tx.clone());
        let cancelled = Arc::clone(&self.cancelled);
        let job: Job = Box::new(move || {
            let mut results = Vec::with_capacity(items.len());
            for (index, weight, item) in items {
                // A dropped pool's queued items are skipped: nobody will pop their results.
                if cancelled.load(Ordering::Relaxed) {
                    return;
                }
                let result =
                    panic::catch_unwind(AssertUnwindSafe(|| work(item))).map_err(|payload| {
                        Panicked {
                            index,
                            message: panic_message(payload.as_ref()),
                        }
                    });
                results.push((index, weight, result));
            }
            let _ = done.send(results);
        });
        // The worker threads hold the receiver until `Workers` is dropped, and this pool
        // holds a handle to it, so this cannot fail.
        let _ = todo.send(job);
    }

    /// The next result (in push order when ordered), waiting for it if needed; `None` when
    /// nothing is in flight.
    pub fn pop(&mut self) -> Option<Result<R, Panicked>> {
        loop {
            if let Some(result) = self.try_pop() {
                return Some(result);
            }
            if self.in_flight == 0 {
                return None;
            }
            // About to wait: the result may be in the part-filled batch.
            self.dispatch();
            // Jobs catch every panic and are only skipped once the pool is dropped, so a
            // result for every pushed item arrives.
            let done = self.done.recv().ok()?;
            self.file(done);
        }
    }

    /// The next result if it is ready now (in push order when ordered); never waits. Does
    /// not send a part-filled batch: see [`Pool::send_pending`].
    pub fn try_pop(&mut self) -> Option<Result<R, Panicked>> {
        loop {
            if self.in_flight == 0 {
                return None;
            }
            if let Some(result) = self.take_ready() {
                return Some(result);
            }
            let done = self.done.try_recv().ok()?;
            self.file(done);
        }
    }

    /// Adds this pool's finished batches to `select`, which then wakes when a result may be
    /// ready for [`Pool::try_pop`]; returns the operation's index in `select`.
    #[cfg(any(test, feature = "cli", feature = "internals"))]
    pub fn watch<'a>(&'a self, select: &mut crossbeam_channel::Select<'a>) -> usize {
        select.recv(&self.done)
    }

    /// The result due next, if it has arrived.
    fn take_ready(&mut self) -> Option<Result<R, Panicked>> {
        let ready = if self.options.ordered {
            let result = self.waiting.remove(&self.next_out);
            self.next_out += u64::from(result.is_some());
            result
        } else {
            self.arrived.pop_front()
        };
        let (weight, result) = ready?;
        self.in_flight -= 1;
        self.weight -= weight;
        Some(result)
    }

    /// Files a finished batch's results for popping.
    fn file(&mut self, done: Done<R>) {
        for (index, weight, result) in done {
            if self.options.ordered {
                self.waiting.insert(index, (weight, result));
            } else {
                self.arrived.push_back((weight, result));
            }
        }
    }
}

impl<T, R> Drop for Pool<T, R> {
    fn drop(&mut self) {
        // The workers themselves are joined when the last pool using them lets go.
        self.cancelled.store(true, Ordering::Relaxed);
    }
}

/// A pool fed from an iterator: pulls items lazily (on the caller's thread) to keep the pool
/// full, and yields results. With [`PoolIter::weighed_by`], items also count their weight
/// against [`PoolOptions::max_weight`] ([`Pool::has_room_for`]). Call
/// [`PoolIter::stop_input`] to stop reading (e.g. on Ctrl-C) and drain what is in flight.
pub struct PoolIter<I: Iterator, R> {
    input: I,
    input_done: bool,
    pool: Pool<I::Item, R>,
    /// An item read but not pushed yet: the weight in flight had no room for it.
    held: Option<I::Item>,
    /// An item's weight (0 for all unless [`PoolIter::weighed_by`] says otherwise).
    weigh: fn(&I::Item) -> usize,
}

impl<I, R> PoolIter<I, R>
where
    I: Iterator,
    I::Item: Send + 'static,
    R: Send + 'static,
{
    /// Starts the workers; nothing is read from `input` before the first `next`.
    pub fn new<F>(input: I, options: PoolOptions, work: F) -> PoolIter<I, R>
    where
        F: Fn(I::Item) -> R + Send + Sync + 'static,
    {
        PoolIter::on(Workers::new(options.jobs), input, options, work)
    }

    /// Like [`PoolIter::new`], on `workers` shared with other pools.
    pub fn on<F>(workers: Arc<Workers>, input: I, options: PoolOptions, work: F) -> PoolIter<I, R>
    where
        F: Fn(I::Item) -> R + Send + Sync + 'static,
    {
        PoolIter {
            input,
            input_done: false,
            pool: Pool::on(workers, options, work),
            held: None,
            weigh: |_| 0,
        }
    }

    /// Weighs each item with `weigh` (its size in bytes, say), so that the items in flight
    /// stay within [`PoolOptions::max_weight`], or are one item when it alone is heavier.
    #[must_use]
    pub fn weighed_by(mut self, weigh: fn(&I::Item) -> usize) -> PoolIter<I, R> {
        self.weigh = weigh;
        self
    }

    /// The next item to push: the one held back, else the next of the input while the pool
    /// is not full.
    fn next_input(&mut self) -> Option<I::Item> {
        if let Some(held) = self.held.take() {
            return Some(held);
        }
        if self.input_done || self.pool.is_full() {
            return None;
        }
        let item = self.input.next();
        self.input_done = item.is_none();
        item
    }

    /// Reads no more input; the items in flight still come out.
    #[cfg(any(test, feature = "internals"))]
    pub fn stop_input(&mut self) {
        self.input_done = true;
    }
}

impl<I, R> Iterator for PoolIter<I, R>
where
    I: Iterator,
    I::Item: Send + 'static,
    R: Send + 'static,
{
    type Item = Result<R, Panicked>;

    fn next(&mut self) -> Option<Self::Item> {
        while let Some(item) = self.next_input() {
            // An empty pool always has room, so a held item never waits on nothing.
            let weight = (self.weigh)(&item);
            if let Err(item) = self.pool.try_push_weighted(item, weight) {
                self.held = Some(item);
                break;
            }
        }
        self.pool.pop()
    }
}

#[cfg(test)]
mod tests;
