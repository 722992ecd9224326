//! A small bounded, ordered worker pool: jobs go in numbered, results come out in the same
//! order, at most `window` jobs are in flight (so memory stays flat whatever the input size).
//!
//! Hand-written rather than taken from the core crate because the core crate does not (yet)
//! export a pool; it is std threads and crossbeam channels (multi-consumer, and `Sync`, which
//! a `#[pyclass]` needs), and knows nothing about Python, so the binding can release the GIL
//! while it waits.
//!
//! Contract: every submitted job yields exactly one result, even if the job panics (the
//! panic becomes an error result, see [`crate::clean_one`]); results are returned by
//! [`OrderedPool::next`] strictly in submission order.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::thread;

use crossbeam_channel::{unbounded, Receiver, Sender};

/// Jobs in flight per worker thread: enough that workers never wait for the (GIL-holding)
/// consumer between two jobs, small enough to keep memory flat.
const WINDOW_PER_THREAD: usize = 4;

/// Runs `work` on every submitted job over `threads` threads; hands results back in order.
pub struct OrderedPool<J, R> {
    jobs: Option<Sender<(u64, J)>>,
    results: Receiver<(u64, R)>,
    /// Results that arrived before their predecessors.
    early: BTreeMap<u64, R>,
    submitted: u64,
    returned: u64,
    window: usize,
}

impl<J: Send + 'static, R: Send + 'static> OrderedPool<J, R> {
    /// Starts `threads` worker threads (at least one) running `work`.
    pub fn new<F>(threads: usize, work: F) -> Self
    where
        F: Fn(J) -> R + Send + Sync + 'static,
    {
        let threads = threads.max(1);
        // Unbounded channels, bounded in practice by the in-flight window (`has_room`).
        let (job_tx, job_rx) = unbounded::<(u64, J)>();
        let (result_tx, result_rx) = unbounded::<(u64, R)>();
        let work = Arc::new(work);
        for _ in 0..threads {
            let job_rx = job_rx.clone();
            let result_tx = result_tx.clone();
            let work = Arc::clone(&work);
            thread::spawn(move || {
                for (seq, job) in job_rx {
                    if result_tx.send((seq, work(job))).is_err() {
                        return;
                    }
                }
            });
        }
        OrderedPool {
            jobs: Some(job_tx),
            results: result_rx,
            early: BTreeMap::new(),
            submitted: 0,
            returned: 0,
            window: threads * WINDOW_PER_THREAD,
        }
    }

    /// Whether another job may be submitted without exceeding the in-flight window.
    pub fn has_room(&self) -> bool {
        self.in_flight() < self.window
    }

    /// Jobs submitted whose results have not been returned yet.
    pub fn in_flight(&self) -> usize {
        (self.submitted - self.returned) as usize
    }

    /// Queues a job for the workers.
    pub fn submit(&mut self, job: J) {
        let seq = self.submitted;
        self.submitted += 1;
        if let Some(jobs) = &self.jobs {
            // Fails only if every worker is gone, which `next` reports.
            let _ = jobs.send((seq, job));
        }
    }

    /// Takes a result computed outside the pool (e.g. an input that could not be read) as the
    /// result of the next job, keeping its place in the order.
    pub fn submit_done(&mut self, result: R) {
        let seq = self.submitted;
        self.submitted += 1;
        self.early.insert(seq, result);
    }

    /// The next result in submission order, waiting for it if needed; `None` when nothing is
    /// in flight. `Err` only if the workers died (cannot happen: work never unwinds past them).
    pub fn next(&mut self) -> Result<Option<R>, &'static str> {
        if self.in_flight() == 0 {
            return Ok(None);
        }
        loop {
            if let Some(result) = self.early.remove(&self.returned) {
                self.returned += 1;
                return Ok(Some(result));
            }
            match self.results.recv() {
                Ok((seq, result)) => {
                    self.early.insert(seq, result);
                }
                Err(_) => return Err("zhclean worker threads stopped unexpectedly"),
            }
        }
    }
}

impl<J, R> Drop for OrderedPool<J, R> {
    fn drop(&mut self) {
        // Closing the job channel lets idle workers exit; busy ones exit after their job (their
        // result send fails once `results` is dropped). Not joined: nothing waits on them.
        self.jobs.take();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_order() {
        let mut pool = OrderedPool::new(3, |n: u64| {
            // Later jobs finish first.
            thread::sleep(std::time::Duration::from_millis(10 - n % 10));
            n * 2
        });
        let mut out = Vec::new();
        for n in 0..40u64 {
            if !pool.has_room() {
                out.push(pool.next().unwrap().unwrap());
            }
            if n == 7 {
                pool.submit_done(999);
            } else {
                pool.submit(n);
            }
        }
        while let Some(r) = pool.next().unwrap() {
            out.push(r);
        }
        let expected: Vec<u64> = (0..40).map(|n| if n == 7 { 999 } else { n * 2 }).collect();
        assert_eq!(out, expected);
        assert_eq!(pool.next(), Ok(None));
    }
}
