//! The expected-utility model against the known values of Scholz's code on
//! the EC car-emissions table.

use crate::event::{Cause, Event, OfferKind};
use crate::{Run, RunConfig, Scenario};

fn ec() -> Scenario {
    serde_json::from_str(include_str!("../../../scenarios/ec-car-emissions.json")).unwrap()
}

#[test]
fn round_one_matches_scholz() {
    let scenario = ec();
    let events: Vec<_> = Run::new(&scenario, RunConfig::default())
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let closes: Vec<_> = events
        .iter()
        .filter_map(|e| match &e.event {
            Event::RoundClosed(rc) => Some(rc.issues[0].clone()),
            _ => None,
        })
        .collect();
    assert!((closes[0].mean - 7.389955686853767).abs() < 1e-9);
    assert_eq!(closes[0].median, 7.0);
    assert!((closes[1].mean - 7.461314378277189).abs() < 1e-9);
    let moves: Vec<_> = events
        .iter()
        .filter(|e| e.round == 1)
        .filter_map(|e| match &e.event {
            Event::PositionChanged(p) => Some(p.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(moves.len(), 3, "{moves:#?}");
    let be = &moves[0];
    assert_eq!(be.actor, "BE");
    assert!((be.to - 8.415932315426764).abs() < 1e-9);
    let Cause::Offer {
        kind,
        proposer,
        a,
        b,
    } = &be.cause
    else {
        panic!()
    };
    assert_eq!((*kind, proposer.as_str()), (OfferKind::Compromise, "FR"));
    assert!((a - -0.11483050347300794).abs() < 1e-9);
    assert!((b - 0.2432965945234421).abs() < 1e-9);
    assert_eq!((moves[1].actor.as_str(), moves[1].to), ("LU", 7.0));
    assert_eq!((moves[2].actor.as_str(), moves[2].to), ("IE", 4.0));
    let last = closes.last().unwrap();
    println!("{closes:#?}");
    assert!((last.mean - 7.242130958473938).abs() < 1e-9);
}
