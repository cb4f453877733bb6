//! Format 2 mechanism rules: packages among three or more parties, and
//! mirrored offers.

use super::*;

use crate::scenario::Split;

/// Three parties, each caring least about the issue it yields on: A about
/// x, B about y, C about z; everyone at `c_link` or 80 on the linkage issue.
fn three_way(c_link: f64) -> Scenario {
    let mut stances = vec![
        stance("A", "link", 80.0, 0.5),
        stance("B", "link", 80.0, 0.5),
        stance("C", "link", c_link, 0.5),
    ];
    for (issue, yielder) in [("x", "A"), ("y", "B"), ("z", "C")] {
        for who in ["A", "B", "C"] {
            let (at, salience) = if who == yielder {
                (0.0, 0.1)
            } else {
                (100.0, 0.9)
            };
            stances.push(stance(who, issue, at, salience));
        }
    }
    scenario(json!({
        "rounds": 2,
        "actors": actors(&["A", "B", "C"]),
        "issues": [
            issue("link", &["A", "B"], Some("linkage")),
            issue("x", &["A", "B"], None),
            issue("y", &["A", "B"], None),
            issue("z", &["A", "C"], None),
        ],
        "stances": stances,
        "linkage": {"issue": "link", "offer_at": 50, "accept_at": 50, "cooldown_rounds": 4,
            "groups": [{"parties": ["A", "B", "C"], "issues": ["x", "y", "z"], "basis": "analyst estimate"}]},
    }))
}

/// A group package binds all three: each moves to the others' mean on its
/// issue, every party gains, and the outcome names the group.
#[test]
fn a_group_package_moves_every_party_at_once() {
    let s = three_way(80.0);
    let events = run(&s, 1);
    let accepted = named(&events, "group_package_accepted");
    assert_eq!(accepted.len(), 1, "one offer in the cooldown");
    let Event::GroupPackageAccepted(t) = &accepted[0].event else {
        panic!()
    };
    assert_eq!(t.parties, ["A", "B", "C"]);
    assert!(t.gains.iter().all(|&g| g > 0.0), "{:?}", t.gains);
    let state = fold(&s, &events);
    for (issue, yielder) in [(1, 0), (2, 1), (3, 2)] {
        assert!(close(state.held(issue, yielder).unwrap().position, 100.0));
    }
    assert_eq!(
        Outcome::of(&accepted[0].event).unwrap().key(),
        "group_package_accepted:A+B+C"
    );
}

/// A party that rejects linkage refuses the package, and nobody moves.
#[test]
fn a_party_that_rejects_linkage_refuses_the_group_package() {
    let s = three_way(10.0);
    let events = run(&s, 1);
    let refused = named(&events, "group_package_refused");
    assert_eq!(refused.len(), 1);
    let Event::GroupPackageRefused(r) = &refused[0].event else {
        panic!()
    };
    assert_eq!(r.by, ["C"]);
    assert!(named(&events, "group_package_accepted").is_empty());
    let state = fold(&s, &events);
    assert!(close(state.held(1, 0).unwrap().position, 0.0));
}

/// Mirrored offers between the same two parties in one round are one offer.
#[test]
fn mirrored_offers_in_one_round_are_one_offer() {
    let s = scenario(json!({
        "rounds": 1,
        "actors": actors(&["A", "B"]),
        "issues": [
            issue("link", &["A", "B"], Some("linkage")),
            issue("one", &["A", "B"], None),
            issue("two", &["A", "B"], None),
        ],
        "stances": [
            stance("A", "link", 80.0, 0.5), stance("B", "link", 10.0, 0.5),
            stance("A", "one", 0.0, 0.1), stance("A", "two", 0.0, 0.9),
            stance("B", "one", 100.0, 0.6), stance("B", "two", 100.0, 0.5),
        ],
        "linkage": {"issue": "link", "offer_at": 50, "accept_at": 50, "cooldown_rounds": 4, "pairs": [
            {"offerer": "A", "receiver": "B", "issues": ["one", "two"], "basis": "analyst estimate"},
            {"offerer": "B", "receiver": "A", "issues": ["one", "two"], "basis": "analyst estimate"}]},
    }));
    // B's own position does not allow it to offer; raise it so both may.
    let mut s = s;
    s.stances[1].position = 80.0;
    let events = run(&s, 1);
    assert_eq!(named(&events, "package_offered").len(), 1);
}

/// A group package can be put into a history by naming the parties and
/// the issues; its terms are sized as the mechanism would.
#[test]
fn a_group_package_can_be_injected() {
    let s = three_way(80.0);
    let state = State::new(&s);
    let e = crate::inject::complete(
        &json!({"group_package_accepted": {"parties": ["A", "B", "C"], "issues": ["x", "y", "z"]}}),
        &s,
        s.rounds,
        &state,
    )
    .unwrap();
    let Event::GroupPackageAccepted(t) = e else {
        panic!()
    };
    assert_eq!(t.yields.len(), 3);
    assert!(close(t.yields[0].to, 100.0));
}

/// [`three_way`] with C caring `c_own` about z, the issue it yields on,
/// and the linkage rule splitting by `split`.
fn lopsided(c_own: f64, split: &str) -> Scenario {
    let mut s = three_way(80.0);
    for st in &mut s.stances {
        if st.actor == "C" && st.issue == "z" {
            st.salience = c_own;
        }
    }
    let l = s.linkage.as_mut().expect("a linkage rule");
    l.split = serde_json::from_value(json!(split)).expect("a split");
    s
}

/// Conceding fully costs C more than it gains (salience 0.7 on z): the
/// old rule (`full`) offers nothing, the equal-gain bargain has C concede
/// part of its move and every party gain, and the Nash split too.
#[test]
fn a_group_package_is_struck_as_a_bargain_where_conceding_fully_would_cost_a_party() {
    let full = run(&lopsided(0.7, "full"), 1);
    assert!(named(&full, "group_package_offered").is_empty());
    for split in ["equal_gain", "nash"] {
        let s = lopsided(0.7, split);
        let events = run(&s, 1);
        let accepted = named(&events, "group_package_accepted");
        assert_eq!(accepted.len(), 1, "{split}");
        let Event::GroupPackageAccepted(t) = &accepted[0].event else {
            panic!()
        };
        assert!(t.gains.iter().all(|&g| g > 0.0), "{split}: {:?}", t.gains);
        let state = fold(&s, &events);
        let c_on_z = state.held(3, 2).unwrap().position;
        assert!(
            c_on_z > 0.0 && c_on_z < 100.0,
            "{split}: C concedes part: {c_on_z}"
        );
    }
}

/// Where no shares leave every party a gain, nothing is offered, and
/// `explain_group` says who would lose by the best package found: C
/// stands with the yielders on x and y (at 0), so A's and B's concessions
/// move the means away from it, and its own costs it.
#[test]
fn where_no_package_is_offered_the_best_found_names_who_would_lose() {
    let mut s = lopsided(0.5, "equal_gain");
    for st in &mut s.stances {
        if st.actor == "C" && (st.issue == "x" || st.issue == "y") {
            st.position = 0.0;
        }
    }
    let events = run(&s, 1);
    assert!(named(&events, "group_package_offered").is_empty());
    let state = State::new(&s);
    let why = crate::mechanism::explain_group(&state, &[0, 1, 2], &[1, 2, 3], Split::EqualGain)
        .expect("terms");
    assert!(why.gains[2] <= 1e-9, "{why:?}");
    assert!(why.shares.iter().all(|t| (0.0..=1.0).contains(t)));
    // Under `full`, the package with every party conceding fully, and C
    // loses by it (0.7 × its whole move on z against nothing).
    let s = lopsided(0.7, "full");
    let why = crate::mechanism::explain_group(&State::new(&s), &[0, 1, 2], &[1, 2, 3], Split::Full)
        .expect("terms");
    assert_eq!(why.shares, [1.0, 1.0, 1.0]);
    assert!(why.gains[2] <= 0.0 && why.gains[0] > 0.0, "{why:?}");
}

/// The state refuses a group package among parties that are no group of
/// the scenario (another party, a party twice, another order) and a gain
/// beyond what salience times a mean's move can give.
#[test]
fn the_state_refuses_a_group_package_that_is_no_group_or_gains_the_impossible() {
    let s = three_way(80.0);
    let events = run(&s, 1);
    let accepted = named(&events, "group_package_accepted")[0];
    let before = fold(&s, &events[..accepted.seq as usize - 1]);
    assert_eq!(before.check(&accepted.event), Ok(()));
    let Event::GroupPackageAccepted(t) = &accepted.event else {
        panic!()
    };
    let forged = |f: &dyn Fn(&mut GroupPackage)| {
        let mut x = t.clone();
        f(&mut x);
        before.check(&Event::GroupPackageAccepted(x))
    };
    assert!(forged(&|x| x.parties[2] = "A".into()).is_err());
    assert!(forged(&|x| x.parties.swap(0, 1)).is_err());
    assert!(forged(&|x| x.yields.swap(0, 1)).is_err());
    assert!(forged(&|x| x.gains[0] = 1e308).is_err());
    assert!(forged(&|x| x.gains[1] = -501.0).is_err());
}
