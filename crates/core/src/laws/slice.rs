//! A slice of the law suite's cases, drawn as the whole suite draws them, so
//! the cases can be split between machines (`check-laws --shard`) and the
//! first law broken is the one the whole suite finds, shrunk the same way.
//!
//! Proptest's runner, before each case, reseeds its generator with 32 bytes
//! drawn from it, then draws the case's value tree. [`Draws`] does the same
//! from the same deterministic start, so its i-th tree is the runner's i-th
//! case (`draws_are_the_runners_cases` holds the two equal); a case before
//! the slice is drawn and dropped, never played. A failing case is handed to
//! the runner's own `run_one`, which shrinks it as `run` would. The whole
//! suite (`Suite::check_with`) is the slice of every case.

use std::ops::Range;

use proptest::prelude::*;
use proptest::test_runner::{RngAlgorithm, TestError, TestRng, TestRunner};
use rand::RngExt;

use super::{Law, LawFailure, Suite, Violation};
use crate::scenario::Scenario;

/// The value trees a deterministic proptest runner draws, case by case.
pub(super) struct Draws<S> {
    runner: TestRunner,
    strategy: S,
}

impl<S: Strategy> Draws<S> {
    pub(super) fn new(runner: TestRunner, strategy: S) -> Draws<S> {
        Draws { runner, strategy }
    }

    /// The next case's value tree.
    pub(super) fn next_tree(&mut self) -> Result<S::Tree, String> {
        let seed: [u8; 32] = self.runner.rng().random();
        *self.runner.rng() = TestRng::from_seed(RngAlgorithm::ChaCha, &seed);
        self.strategy
            .new_tree(&mut self.runner)
            .map_err(|reason| reason.to_string())
    }
}

impl Suite {
    /// Checks every law on the cases `slice` of those [`Suite::check_with`]
    /// draws from `scenarios` (case 0 first). Returns the cases played, or
    /// the index of the first that broke a law with its shrunk failure (its
    /// `passed` is the index: every case before it kept every law).
    pub fn check_slice(
        &self,
        scenarios: impl Strategy<Value = Scenario>,
        slice: Range<u32>,
    ) -> Result<u32, (u32, LawFailure)> {
        let runner = TestRunner::new_with_rng(
            self.config(),
            TestRng::deterministic_rng(RngAlgorithm::ChaCha),
        );
        let mut draws = Draws::new(runner, (scenarios, any::<u64>()));
        let mut played = 0;
        for i in 0..slice.end.min(self.cases) {
            let tree = draws
                .next_tree()
                .map_err(|reason| (i, self.aborted(&reason, i)))?;
            if i < slice.start {
                continue;
            }
            let result = draws.runner.run_one(tree, |(scenario, seed)| {
                self.check_case(&scenario, seed)
                    .map_err(|v| TestCaseError::fail(format!("{}: {}", v.law.name(), v.detail)))
            });
            match result {
                Ok(_) => played += 1,
                Err(TestError::Fail(_, (scenario, seed))) => {
                    let violation = self.check_case(&scenario, seed).err().unwrap_or(Violation {
                        law: Law::SameSeedSameLog,
                        detail: "the case broke a law once and not when played again".to_owned(),
                    });
                    return Err((
                        i,
                        LawFailure {
                            violation,
                            scenario: Box::new(scenario),
                            seed,
                            passed: i,
                        },
                    ));
                }
                Err(TestError::Abort(reason)) => {
                    return Err((i, self.aborted(&reason.to_string(), i)));
                }
            }
        }
        Ok(played)
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use proptest::strategy::ValueTree;
    use proptest::test_runner::Config;

    use super::*;

    #[test]
    fn draws_are_the_runners_cases() {
        let strategy = (proptest::collection::vec(-50.0..50.0f64, 3), any::<u64>());
        let config = Config {
            cases: 40,
            failure_persistence: None,
            ..Config::default()
        };
        let seen = RefCell::new(Vec::new());
        let mut runner = TestRunner::new_with_rng(
            config.clone(),
            TestRng::deterministic_rng(RngAlgorithm::ChaCha),
        );
        runner
            .run(&strategy, |v| {
                seen.borrow_mut().push(v);
                Ok(())
            })
            .unwrap();
        let runner =
            TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
        let mut draws = Draws::new(runner, strategy);
        let drawn: Vec<_> = (0..40)
            .map(|_| draws.next_tree().unwrap().current())
            .collect();
        assert_eq!(seen.into_inner(), drawn);
    }
}
