//! Tests of the worker pool: order, bounds, panics, weights.

use super::*;
use std::time::Duration;

#[test]
fn ordered_results_follow_input_order_even_when_early_items_are_slow() {
    let out: Vec<u64> = PoolIter::new(0..50u64, PoolOptions::new(4), |n| {
        if n % 7 == 0 {
            std::thread::sleep(Duration::from_millis(3));
        }
        n
    })
    .map(Result::unwrap)
    .collect();
    assert_eq!(out, (0..50).collect::<Vec<_>>());
}

#[test]
fn unordered_results_are_all_there() {
    let options = PoolOptions {
        ordered: false,
        ..PoolOptions::new(3)
    };
    let mut out: Vec<u64> = PoolIter::new(0..200u64, options, |n| n)
        .map(Result::unwrap)
        .collect();
    out.sort_unstable();
    assert_eq!(out, (0..200).collect::<Vec<_>>());
}

#[test]
fn a_panic_becomes_a_result_for_that_item_and_the_run_goes_on() {
    let out: Vec<Result<u64, Panicked>> = PoolIter::new(0..10u64, PoolOptions::new(2), |n| {
        if n == 3 {
            panic!("boom on {n}");
        }
        n
    })
    .collect();
    assert_eq!(out.len(), 10);
    assert_eq!(
        out[3],
        Err(Panicked {
            index: 3,
            message: "internal error in zhclean (a bug; please report it): boom on 3".into()
        })
    );
    assert_eq!(out[9], Ok(9));
}

#[test]
fn every_batch_size_gives_every_result_once_in_order() {
    for batch in [1, 2, 3, 7, 64] {
        for jobs in [1, 3] {
            let options = PoolOptions {
                batch,
                capacity: 10,
                ..PoolOptions::new(jobs)
            };
            let out: Vec<u64> = PoolIter::new(0..101u64, options, |n| n * 2)
                .map(Result::unwrap)
                .collect();
            assert_eq!(
                out,
                (0..101).map(|n| n * 2).collect::<Vec<_>>(),
                "batch {batch}"
            );
            let unordered = PoolOptions {
                ordered: false,
                ..options
            };
            let mut out: Vec<u64> = PoolIter::new(0..101u64, unordered, |n| n)
                .map(Result::unwrap)
                .collect();
            out.sort_unstable();
            assert_eq!(
                out,
                (0..101).collect::<Vec<_>>(),
                "unordered, batch {batch}"
            );
        }
    }
}

#[test]
fn a_panic_inside_a_batch_spares_the_rest_of_it() {
    let options = PoolOptions {
        batch: 4,
        ..PoolOptions::new(1)
    };
    let out: Vec<Result<u64, Panicked>> = PoolIter::new(0..8u64, options, |n| {
        if n == 5 {
            panic!("boom on {n}");
        }
        n
    })
    .collect();
    assert_eq!(out.len(), 8);
    assert_eq!(out[5].as_ref().unwrap_err().index, 5);
    assert_eq!(out[4], Ok(4));
    assert_eq!(out[6], Ok(6));
    assert_eq!(out[7], Ok(7));
}

#[test]
fn a_part_filled_batch_goes_out_when_a_result_is_wanted() {
    let mut pool = Pool::new(
        PoolOptions {
            batch: 100,
            ..PoolOptions::new(2)
        },
        |n: u64| n + 1,
    );
    pool.push(1);
    pool.push(2);
    assert_eq!(pool.pop(), Some(Ok(2)));
    pool.push(3);
    assert_eq!(pool.pop(), Some(Ok(3)));
    assert_eq!(pool.pop(), Some(Ok(4)));
    assert_eq!(pool.pop(), None);
}

#[test]
fn weight_in_flight_is_bounded_and_a_heavy_item_goes_in_alone() {
    let mut pool = Pool::new(
        PoolOptions {
            max_weight: 100,
            ..PoolOptions::new(2)
        },
        |n: u64| n,
    );
    assert!(pool.has_room_for(1000), "anything fits an empty pool");
    pool.push_weighted(1, 60);
    assert!(pool.has_room_for(40));
    assert!(!pool.has_room_for(41));
    pool.push_weighted(2, 40);
    assert_eq!(pool.weight_in_flight(), 100);
    assert_eq!(pool.pop(), Some(Ok(1)));
    assert_eq!(pool.weight_in_flight(), 40);
    assert!(!pool.has_room_for(1000));
    assert_eq!(pool.pop(), Some(Ok(2)));
    assert!(pool.has_room_for(1000));
    pool.push_weighted(3, 1000);
    assert!(
        !pool.has_room_for(0),
        "nothing joins an item over the limit"
    );
    assert_eq!(pool.pop(), Some(Ok(3)));
    assert_eq!(pool.weight_in_flight(), 0);
}

#[test]
fn try_pop_never_waits_and_watch_wakes_when_a_result_may_be_ready() {
    let mut pool = Pool::new(PoolOptions::new(1), |n: u64| {
        std::thread::sleep(Duration::from_millis(20));
        n
    });
    assert_eq!(pool.try_pop(), None, "nothing in flight");
    pool.push(7);
    assert_eq!(pool.try_pop(), None, "not sent to a worker yet");
    pool.send_pending();
    let result = loop {
        let mut select = crossbeam_channel::Select::new();
        pool.watch(&mut select);
        select.ready();
        if let Some(result) = pool.try_pop() {
            break result;
        }
    };
    assert_eq!(result, Ok(7));
    assert_eq!(pool.in_flight(), 0);
}

#[test]
fn input_is_pulled_lazily_and_never_more_than_capacity_ahead() {
    use std::cell::Cell;
    let pulled = Cell::new(0u64);
    let input = (0..1000u64).inspect(|_| pulled.set(pulled.get() + 1));
    let options = PoolOptions {
        capacity: 5,
        ..PoolOptions::new(2)
    };
    let mut iter = PoolIter::new(input, options, |n| n);
    assert_eq!(pulled.get(), 0);
    assert_eq!(iter.next(), Some(Ok(0)));
    assert_eq!(pulled.get(), 5);
    iter.stop_input();
    let rest: Vec<u64> = iter.map(Result::unwrap).collect();
    assert_eq!(rest, vec![1, 2, 3, 4]);
}

#[test]
fn a_weighed_pool_iter_keeps_the_weight_in_flight_bounded_and_the_order() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    static IN_WORK: AtomicUsize = AtomicUsize::new(0);
    static SEEN: Mutex<Vec<usize>> = Mutex::new(Vec::new());
    let options = PoolOptions {
        max_weight: 10,
        ..PoolOptions::new(4)
    };
    // Items of weight 6 (two never fit in 10) and one of 50 (heavier than the bound).
    let items: Vec<usize> = vec![6, 6, 50, 6, 1, 1, 6, 6];
    let out: Vec<usize> = PoolIter::new(items.clone().into_iter(), options, |w: usize| {
        let now = IN_WORK.fetch_add(w, Ordering::SeqCst) + w;
        SEEN.lock().unwrap().push(now);
        std::thread::sleep(Duration::from_millis(5));
        IN_WORK.fetch_sub(w, Ordering::SeqCst);
        w
    })
    .weighed_by(|w| *w)
    .map(Result::unwrap)
    .collect();
    assert_eq!(out, items);
    // The weight being worked on never passes the bound, but for the heavy item alone.
    let seen = SEEN.lock().unwrap();
    assert!(seen.iter().all(|&w| w <= 10 || w == 50), "{seen:?}");
}
