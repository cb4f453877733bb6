//! The reader of decide files: both dialects the package's files use, its
//! normalisation, and errors with their lines.

use super::*;

const SAMPLE: &str = include_str!("../../../../../data/decide/sample_data.txt");

/// The sample's layout in the package's older, unquoted dialect, with
/// comment rows, `#M` meanings and trailing empty fields (written here, a
/// cut-down version of that layout, not the package's file).
const UNQUOTED: &str = "#O\tA test case\t\t\n\
#/\tID\tFull name\t\n\
#A\tNorth\tThe north\t\t\n\
#A\tSouth\tThe south\t\t\n\
#P\ttoll\tShould there be a toll?\t\t\n\
#M\ttoll\t0\tNo\t\n\
#M\ttoll\t100\tYes\t\n\
#P\tfee\tHow high?\t\t\n\
#M\tfee\t0,5\teuro\t\n\
#M\tfee\t7\teuro\t\n\
\n\
#/\tactor\tissue\tposition\tsalience\tpower\n\
#D\tNorth\ttoll\t100\t0.95\t1\n\
#D\tSouth\ttoll\t25\t0.8\t0,5\n\
#D\tNorth\tfee\t3\t0.7\t1\n\
#D\tSouth\tfee\t0.5\t0\t0.5\n";

#[test]
fn reads_the_packages_sample() {
    let data = parse(SAMPLE).expect("parses");
    let ids: Vec<&str> = data.actors.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "Willems", "PvdA", "GL", "VVDs", "SP", "CDA", "D66", "CU", "KvK", "Wcentr"
        ]
    );
    assert_eq!(data.actors[0].comment, "Test");
    let issues: Vec<&str> = data.issues.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        issues,
        [
            "tolheffing-binnenstad",
            "tol-hoogte",
            "wanneer-tol",
            "woonwerkverkeer",
            "extra-investering",
            "kleine-of-grote-ring"
        ]
    );
    assert_eq!(data.issues[2].comment, "Wat is dit voor onzin?");
    assert_eq!((data.issues[1].lower, data.issues[1].upper), (0.5, 7.0));
    assert_eq!(data.issues[1].points.len(), 2);
    assert!(data.present.iter().all(|&p| p));
    // Willems on tol-hoogte: 3 on 0.5–7 is 38.46… on 0–100.
    assert_eq!(data.raw_position[1], 3.0);
    assert!((data.position[1] - 2.5 * 100.0 / 6.5).abs() < 1e-12);
    assert_eq!((data.salience[1], data.capability[1]), (0.7, 1.0));
    // Wcentr on extra-investering.
    let cell = 9 * 6 + 4;
    assert_eq!(
        (
            data.position[cell],
            data.salience[cell],
            data.capability[cell]
        ),
        (100.0, 0.9, 0.9)
    );
    assert!(data.input().is_ok());
}

#[test]
fn reads_the_unquoted_dialect() {
    let data = parse(UNQUOTED).expect("parses");
    assert_eq!(data.actors[0].name, "The north");
    assert_eq!(
        data.issues[1].points,
        vec![(0.5, "euro".to_string()), (7.0, "euro".to_string())]
    );
    assert_eq!(data.capability[2], 0.5, "a decimal comma is a point");
    // South's salience-0 stance on fee is not held.
    assert_eq!(data.present, vec![true, true, true, false]);
    assert!((data.position[1] - 2.5 * 100.0 / 6.5).abs() < 1e-12);
}

#[test]
fn reads_semicolons_and_double_quotes() {
    let text = "\"#A\";\"A;1\";\"First\"\n\"#A\";B;\"Say \"\"hi\"\"\"\n\"#P\";p\n\"#D\";\"A;1\";p;20;0.5;1\n\"#D\";B;p;60;1;0.5\n";
    let data = parse(text).expect("parses");
    assert_eq!(data.actors[0].id, "A;1");
    assert_eq!(data.actors[1].name, "Say \"hi\"");
    // No #M: the scale runs over the positions held, 20–60.
    assert_eq!((data.issues[0].lower, data.issues[0].upper), (20.0, 60.0));
    assert_eq!(data.position, vec![0.0, 100.0]);
}

#[test]
fn a_scale_of_no_width_puts_everyone_at_zero() {
    let data =
        parse("#A\ta\n#A\tb\n#P\tp\n#D\ta\tp\t4\t0.5\t1\n#D\tb\tp\t4\t0.5\t1\n").expect("parses");
    assert_eq!(data.position, vec![0.0, 0.0]);
}

fn error_of(text: &str) -> ParseError {
    match parse(text) {
        Ok(_) => panic!("{text:?} should not parse"),
        Err(e) => e,
    }
}

#[test]
fn errors_name_their_line() {
    let head = "#A\ta\n#P\tp\n#M\tp\t0\n#M\tp\t10\n";
    let cases = [
        (
            "#D\tb\tp\t1\t0.5\t1\n",
            ParseError::UnknownActor {
                line: 5,
                id: "b".into(),
            },
        ),
        (
            "#D\ta\tq\t1\t0.5\t1\n",
            ParseError::UnknownIssue {
                line: 5,
                id: "q".into(),
            },
        ),
        (
            "#D\ta\tp\tone\t0.5\t1\n",
            ParseError::BadNumber {
                line: 5,
                field: "position",
                text: "one".into(),
            },
        ),
        (
            "#D\ta\tp\t1\t1.5\t1\n",
            ParseError::OutOfRange {
                line: 5,
                field: "salience",
                value: 1.5,
            },
        ),
        (
            "#D\ta\tp\t1\t0.5\n",
            ParseError::MissingField {
                line: 5,
                field: "power",
            },
        ),
        (
            "#D\ta\tp\t11\t0.5\t1\n",
            ParseError::OffScale {
                line: 5,
                value: 11.0,
                lower: 0.0,
                upper: 10.0,
            },
        ),
        (
            "#A\ta\n",
            ParseError::DuplicateActor {
                line: 5,
                id: "a".into(),
            },
        ),
        (
            "#P\tp\n",
            ParseError::DuplicateIssue {
                line: 5,
                id: "p".into(),
            },
        ),
        (
            "#X\tp\n",
            ParseError::UnknownRow {
                line: 5,
                kind: "#X".into(),
            },
        ),
        (
            "#D\ta\tp\t1\t0.5\t1\n#D\ta\tp\t2\t0.5\t1\n",
            ParseError::DuplicateStance {
                line: 6,
                actor: "a".into(),
                issue: "p".into(),
            },
        ),
        (
            "\n#M\tq\t1\n",
            ParseError::UnknownIssue {
                line: 6,
                id: "q".into(),
            },
        ),
    ];
    for (tail, expected) in cases {
        assert_eq!(error_of(&format!("{head}{tail}")), expected, "{tail:?}");
    }
    assert_eq!(
        error_of("'#A'\t'a\n"),
        ParseError::UnterminatedQuote { line: 1 }
    );
    assert!(
        error_of("#D\ta\tp\tNaN\t0.5\t1\n#A\ta\n")
            .to_string()
            .starts_with("line 1:")
    );
}

#[test]
fn power_zero_is_no_stance() {
    let data =
        parse("#A\ta\n#A\tb\n#P\tp\n#D\ta\tp\t4\t0.5\t0\n#D\tb\tp\t6\t0.5\t1\n").expect("parses");
    assert_eq!(data.present, vec![false, true]);
    assert!(data.input().is_ok());
}
