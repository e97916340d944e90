//! Progressive loading: loading snapshots together announces each stage once per file, in
//! order, and what an early stage shows equals what the complete snapshot says.

use crate::common;
use common::fixture;
use heaptui_common::progress::Progress;
use heaptui_engine::Snapshot;
use heaptui_engine::{ComparisonRows, LoadEvent, MatchBy, Partial, Stage};
use std::sync::Mutex;

#[test]
fn stages_land_once_in_order_and_agree_with_the_complete_snapshot() {
    let files: Vec<_> = ["leak-base", "leak-after", "leak-final"]
        .iter()
        .map(|name| fixture(name))
        .collect();
    let landed: Mutex<Vec<(usize, Stage, Partial)>> = Mutex::new(Vec::new());
    let events = |event: LoadEvent| {
        if let LoadEvent::Landed {
            file,
            stage,
            snapshot,
        } = event
        {
            landed.lock().unwrap().push((file, stage, snapshot));
        }
    };
    // The first frame is built from every file's classes, once, before any dominators land:
    // it records how many stages had landed when it began, and with how many files.
    let first_frame_began: Mutex<Vec<(usize, usize)>> = Mutex::new(Vec::new());
    let first_frame = |partials: Vec<Partial>| {
        let landed_so_far = landed.lock().unwrap().len();
        first_frame_began
            .lock()
            .unwrap()
            .push((landed_so_far, partials.len()));
    };
    let all_events = |event: LoadEvent| match event {
        LoadEvent::EveryClassesLanded { snapshots } => first_frame(snapshots),
        other => events(other),
    };
    let complete = heaptui_engine::load_together(&files, Default::default(), &all_events).unwrap();
    let landed = landed.into_inner().unwrap();
    let first_frame_began = first_frame_began.into_inner().unwrap();
    assert_eq!(first_frame_began.len(), 1, "built once");
    let (landed_before_first_frame, partials) = first_frame_began[0];
    assert_eq!(partials, files.len());
    assert!(landed[landed_before_first_frame..]
        .iter()
        .all(|(_, stage, _)| *stage != Stage::Classes));
    assert!(landed[..landed_before_first_frame]
        .iter()
        .all(|(_, stage, _)| *stage != Stage::Dominators));
    for file in 0..files.len() {
        let stages: Vec<Stage> = landed
            .iter()
            .filter(|(f, ..)| *f == file)
            .map(|(_, stage, _)| *stage)
            .collect();
        assert_eq!(
            stages,
            [Stage::Classes, Stage::Distances, Stage::Dominators],
            "file {file}"
        );
    }
    // Every file's classes land before any file's dominators: the first frame comes first.
    let first_dominators = landed
        .iter()
        .position(|(_, stage, _)| *stage == Stage::Dominators)
        .unwrap();
    let classes_before = landed[..first_dominators]
        .iter()
        .filter(|(_, stage, _)| *stage == Stage::Classes)
        .count();
    assert_eq!(classes_before, files.len());

    for (file, snapshot) in complete.iter().enumerate() {
        // The classes stage's rows are the complete Summary's, but for the columns of the
        // later stages.
        let early = snapshot.class_rows();
        let summary = snapshot.summary();
        assert_eq!(early.len(), summary.len(), "file {file}");
        for (e, s) in early.iter().zip(summary) {
            assert_eq!(
                (&e.name, e.location, e.count, e.shallow_size, &e.nodes),
                (&s.name, s.location, s.count, s.shallow_size, &s.nodes),
                "file {file}"
            );
        }
        // A snapshot loaded alone (the headless order of work) has the same numbers.
        let alone = Snapshot::load(&files[file], Default::default(), &Progress::NONE).unwrap();
        let key = |r: &heaptui_engine::Aggregate| {
            (
                r.key(),
                r.count,
                r.shallow_size,
                r.retained_size,
                r.distance,
            )
        };
        let mut ours: Vec<_> = summary.iter().map(key).collect();
        let mut theirs: Vec<_> = alone.summary().iter().map(key).collect();
        ours.sort();
        theirs.sort();
        assert_eq!(ours, theirs, "file {file}");
        assert_eq!(snapshot.total_size(), alone.total_size());
    }

    // The Comparison from the classes stage equals the one from the complete snapshots.
    let partial_of = |file: usize| {
        landed
            .iter()
            .find(|(f, stage, _)| *f == file && *stage == Stage::Classes)
            .map(|(_, _, p)| p.clone())
            .unwrap()
    };
    let early = heaptui_engine::compare(&partial_of(0), &partial_of(2), Some(MatchBy::Id));
    let late = heaptui_engine::compare(&complete[0], &complete[2], Some(MatchBy::Id));
    match (early.rows, late.rows) {
        (ComparisonRows::ById(mut a), ComparisonRows::ById(mut b)) => {
            a.sort_by(|x, y| x.name.cmp(&y.name).then(x.location.cmp(&y.location)));
            b.sort_by(|x, y| x.name.cmp(&y.name).then(x.location.cmp(&y.location)));
            assert!(!a.is_empty());
            assert_eq!(a, b);
        }
        _ => panic!("matched by id as asked"),
    }
}

#[test]
fn a_failed_load_ends_the_wait_for_the_first_frame() {
    let missing = std::env::temp_dir().join("heaptui-no-such-file.heapsnapshot");
    let files = vec![fixture("leak-base"), missing];
    let built = Mutex::new(0);
    let events = |event: LoadEvent| {
        if let LoadEvent::EveryClassesLanded { .. } = event {
            *built.lock().unwrap() += 1;
        }
    };
    let loaded = heaptui_engine::load_together(&files, Default::default(), &events);
    let error = loaded.err().expect("the missing file fails the load");
    assert_eq!(error.file(), Some(files[1].as_path()));
    assert_eq!(
        *built.lock().unwrap(),
        0,
        "no first frame without every file"
    );
}
