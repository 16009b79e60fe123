//! The offline understanding on tables of real-looking requests.
//!
//! `understanding/dev.jsonl` was written with the understanding and must
//! pass completely, and so must `understanding/dev2.jsonl`, written later
//! by someone outside the team and then developed against. The held-out
//! tables, written independently by people who never read the code, only
//! print their scores: `holdout.jsonl` and `holdout2.jsonl` (both since
//! read and learnt from, so no longer held out), `holdout3.jsonl`,
//! `holdout4.jsonl` and `holdout5.jsonl`, sealed: their failures are
//! listed only with `SHOW_SEALED_FAILURES=1`, so that their scores stay an
//! honest measure. `dev3.jsonl` and `dev4.jsonl`, later outside tables
//! developed against, print their failures and are not yet enforced.
//! Run with `cargo test -p shared --test understanding -- --nocapture`.
//!
//! One line is one conversation:
//! `{"id":"d001","today":"2026-11-30","turns":["..."],"expect":{"origin":"SAO",...}}`.
//! Every `expect` key is optional; what is left out is not checked.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::Value;
use shared::assistant::{
    Clarification, DateSpec, Lang, Slot, TripRequest, understand_conversation,
};
use shared::domain::Cabin;
use shared::search::Sort;

/// One conversation and what it must be understood as.
#[derive(serde::Deserialize)]
struct Case {
    id: String,
    today: NaiveDate,
    turns: Vec<String>,
    expect: BTreeMap<String, Value>,
}

/// Keys that make up the headline score: the search cannot run without them.
const ROUTE_KEYS: [&str; 3] = ["origin", "destination", "departure"];

fn table(name: &str) -> Option<Vec<Case>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/understanding")
        .join(name);
    let text = std::fs::read_to_string(path).ok()?;
    let cases = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(n, l)| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("{name} line {}: {e}", n + 1))
        })
        .collect();
    Some(cases)
}

fn place(p: Option<shared::places::Place>) -> Value {
    p.map_or(Value::Null, |p| p.code().to_string().into())
}

fn date(d: Option<DateSpec>) -> Value {
    match d {
        Some(DateSpec::Day(d)) => d.format("%Y-%m-%d").to_string().into(),
        Some(DateSpec::Month { year, month }) => format!("{year}-{month:02}").into(),
        None => Value::Null,
    }
}

fn cabin(c: Option<Cabin>) -> Value {
    c.map_or(Value::Null, |c| c.as_str().into())
}

fn sort(s: Option<Sort>) -> Value {
    match s {
        Some(Sort::Cheapest) => "cheapest".into(),
        Some(Sort::Fastest) => "fastest".into(),
        Some(Sort::Best) => "best".into(),
        None => Value::Null,
    }
}

fn clarify(c: Option<&Clarification>) -> Value {
    let name = match c {
        None => return Value::Null,
        Some(Clarification::NatalCityOrChristmas) => "natal",
        Some(Clarification::DayOrMonth { .. }) => "day_or_month",
        Some(Clarification::EitherDate { .. } | Clarification::EitherDay { .. }) => "either_date",
        Some(Clarification::WhichPlace { .. }) => "which_place",
        Some(Clarification::ReturnDate) => "return",
    };
    name.into()
}

fn slot(s: &Slot) -> Value {
    match s {
        Slot::Origin => "origin",
        Slot::Destination => "destination",
        Slot::Departure => "departure",
    }
    .into()
}

/// What the understanding produced for `key`, in the table's notation;
/// `None` for a key this runner does not know.
fn actual(got: &TripRequest, key: &str) -> Option<Value> {
    let n = |v: Option<u8>| v.map_or(Value::Null, Value::from);
    let time = |t: Option<chrono::NaiveTime>| {
        t.map_or(Value::Null, |t| t.format("%H:%M").to_string().into())
    };
    Some(match key {
        "origin" => place(got.origin),
        "destination" => place(got.destination),
        "departure" => date(got.departure),
        "return" => date(got.return_date),
        "adults" => n(got.adults),
        "children" => n(got.children),
        "infants" => n(got.infants),
        "cabin" => cabin(got.cabin),
        "max_stops" => n(got.max_stops),
        "budget" => got.budget.map_or(Value::Null, |(a, c)| {
            format!("{} {c}", a.normalize()).into()
        }),
        "budget_currency" => got
            .budget
            .map_or(Value::Null, |(_, c)| c.to_string().into()),
        "sort" => sort(got.sort),
        "lang" => match got.lang {
            Some(Lang::Pt) => "pt".into(),
            Some(Lang::En) => "en".into(),
            None => Value::Null,
        },
        "ask" => {
            let mut ask: Vec<Value> = got.missing().iter().map(slot).collect();
            if got.clarify == Some(Clarification::ReturnDate) {
                ask.push("return".into());
            }
            ask.into()
        }
        "one_way" => got.one_way.map_or(Value::Null, Value::from),
        "carriers" => got.carriers.iter().map(|c| c.to_string()).collect(),
        "depart_after" => time(got.depart_after),
        "depart_before" => time(got.depart_before),
        "trip_length_days" => got.trip_length_days.map_or(Value::Null, Value::from),
        "clarify" => clarify(got.clarify.as_ref()),
        "window" => got
            .window
            .map_or(Value::Null, |(a, b)| format!("{a}/{b}").into()),
        "weekend" => got.weekend.into(),
        "days_either_side" => got.days_either_side.map_or(Value::Null, Value::from),
        "other_origins" => got
            .other_origins
            .iter()
            .map(|p| p.code().to_string())
            .collect(),
        _ => return None,
    })
}

/// Whether a budget written as "4000 BRL" equals "4000.00 BRL"; a budget
/// written as a bare number (its currency under `budget_currency`) is
/// compared by amount.
fn same(key: &str, want: &Value, got: &Value) -> bool {
    if key != "budget" {
        return want == got;
    }
    let split = |v: &Value| {
        let s = v.as_str()?.to_owned();
        let (amount, currency) = s.split_once(' ')?;
        Some((amount.parse::<Decimal>().ok()?, currency.to_owned()))
    };
    if let Some(amount) = want.as_f64() {
        let got = split(got).and_then(|(a, _)| a.to_string().parse::<f64>().ok());
        return got.is_some_and(|g| (g - amount).abs() < 0.005);
    }
    split(want).is_some_and(|w| Some(w) == split(got))
}

/// The cases' failures: (case id, key, wanted, got).
fn run(cases: &[Case], strict_keys: bool) -> Vec<(String, String, Value, Value)> {
    let mut failures = Vec::new();
    for case in cases {
        let got = understand_conversation(case.turns.iter().map(String::as_str), case.today);
        for (key, want) in &case.expect {
            match actual(&got, key) {
                Some(value) if same(key, want, &value) => {}
                Some(value) => {
                    let id = format!("{} {:?}", case.id, case.turns.join(" | "));
                    failures.push((id, key.clone(), want.clone(), value));
                }
                None if strict_keys => panic!("{}: unknown expect key '{key}'", case.id),
                None => {}
            }
        }
    }
    failures
}

/// The share of cases whose origin, destination and departure all came out
/// right, and failures counted by key.
fn score(cases: &[Case], failures: &[(String, String, Value, Value)]) -> String {
    let route_wrong = |id: &str| {
        failures.iter().any(|(f, key, ..)| {
            f.split(' ').next() == Some(id) && ROUTE_KEYS.contains(&key.as_str())
        })
    };
    let right = cases.iter().filter(|c| !route_wrong(&c.id)).count();
    let mut by_key: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, key, ..) in failures {
        *by_key.entry(key.as_str()).or_default() += 1;
    }
    format!(
        "{right}/{} conversations with origin, destination and departure right ({:.1}%); failures by key: {by_key:?}",
        cases.len(),
        100.0 * right as f64 / cases.len().max(1) as f64
    )
}

#[test]
fn the_dev_table_has_at_least_400_conversations_half_in_portuguese() {
    let cases = table("dev.jsonl").expect("the dev table is present");
    assert!(
        cases.len() >= 400,
        "the dev table has {} lines",
        cases.len()
    );
    let pt = cases
        .iter()
        .filter(|c| shared::assistant::detect_language(&c.turns[0]) == Lang::Pt)
        .count();
    assert!(
        2 * pt >= cases.len(),
        "{pt} of {} in portuguese",
        cases.len()
    );
}

/// Runs a table that must pass completely, listing every failure.
fn assert_understood(name: &str) {
    let cases = table(name).unwrap_or_else(|| panic!("the table {name} is present"));
    let failures = run(&cases, true);
    eprintln!("{name}: {}", score(&cases, &failures));
    let listed: Vec<String> = failures
        .iter()
        .map(|(id, key, want, got)| format!("{id} {key}: want {want}, got {got}"))
        .collect();
    assert!(listed.is_empty(), "{}", listed.join("\n"));
}

#[test]
fn every_dev_conversation_is_understood_exactly() {
    assert_understood("dev.jsonl");
}

/// The second development table, written by an outsider after the first
/// was passing; its first score measured how the rules generalised.
#[test]
fn every_second_dev_conversation_is_understood_exactly() {
    assert_understood("dev2.jsonl");
}

/// Prints a held-out table's score, and its failures when `failures` is
/// set; never enforced, so that nobody is tempted to tune the
/// understanding to it.
fn report_holdout(name: &str, failures_shown: bool) {
    let Some(cases) = table(name) else {
        return;
    };
    let failures = run(&cases, false);
    eprintln!("{name}: {}", score(&cases, &failures));
    if !failures_shown {
        eprintln!("{name}: failures sealed (SHOW_SEALED_FAILURES=1 to list them)");
        return;
    }
    for (id, key, want, got) in &failures {
        eprintln!("{name} {id} {key}: want {want}, got {got}");
    }
}

#[test]
fn holdout_conversations_are_scored_when_present() {
    report_holdout("holdout.jsonl", true);
}

#[test]
fn second_holdout_conversations_are_scored_when_present() {
    report_holdout("holdout2.jsonl", true);
}

/// The third table is sealed: its failures stay unread while the rules
/// change, so its score stays an honest measure.
#[test]
fn sealed_holdout_is_scored_without_its_failures() {
    let shown = std::env::var_os("SHOW_SEALED_FAILURES").is_some();
    report_holdout("holdout3.jsonl", shown);
}

/// The fourth table (200 requests, 1 December), sealed like the third from
/// the day it was written: scored once when it landed, never read since.
#[test]
fn fourth_sealed_holdout_is_scored_without_its_failures() {
    let shown = std::env::var_os("SHOW_SEALED_FAILURES").is_some();
    report_holdout("holdout4.jsonl", shown);
}

/// The third development table (260 requests, 1 December, a sixth outside
/// writer): scored before any rule changed, then developed against.
#[test]
fn third_dev_table_is_scored() {
    report_holdout("dev3.jsonl", true);
}

/// The fifth sealed table (200 requests, 1 December, a seventh outside
/// writer), written to be a typical sample rather than a hard one; sealed
/// from the day it was written.
#[test]
fn fifth_sealed_holdout_is_scored_without_its_failures() {
    let shown = std::env::var_os("SHOW_SEALED_FAILURES").is_some();
    report_holdout("holdout5.jsonl", shown);
}

/// The fourth development table (220 requests, 1 December, an eighth
/// outside writer), about places: scored before any rule changed, then
/// developed against.
#[test]
fn fourth_dev_table_is_scored() {
    report_holdout("dev4.jsonl", true);
}

/// The sixth sealed table (200 requests, 1 December, a ninth outside
/// writer), a typical day's sample in both languages; sealed from the day it
/// was written.
#[test]
fn sixth_sealed_holdout_is_scored_without_its_failures() {
    let shown = std::env::var_os("SHOW_SEALED_FAILURES").is_some();
    report_holdout("holdout6.jsonl", shown);
}

/// The fifth development table (240 requests, 1 December, a tenth outside
/// writer), typical requests heavy in dates and parties: scored before any
/// rule changed for it, then developed against.
#[test]
fn fifth_dev_table_is_scored() {
    report_holdout("dev5.jsonl", true);
}

/// The sixth development table (240 requests, 1 December, an eleventh
/// outside writer), a typical sample half in English: scored before any
/// rule changed for it, then developed against.
#[test]
fn sixth_dev_table_is_scored() {
    report_holdout("dev6.jsonl", true);
}

/// The seventh development table (240 requests, 1 December, a twelfth
/// outside writer), typical requests over a wide spread of places (mid-size
/// cities, beach towns, foreign cities in Portuguese): scored before any
/// rule changed for it, then developed against.
#[test]
fn seventh_dev_table_is_scored() {
    report_holdout("dev7.jsonl", true);
}

/// The seventh sealed table (200 requests, 1 December, a thirteenth outside
/// writer), a typical sample in both languages written after the rounds of
/// `dev5.jsonl` to `dev7.jsonl`; sealed from the day it was written.
#[test]
fn seventh_sealed_holdout_is_scored_without_its_failures() {
    let shown = std::env::var_os("SHOW_SEALED_FAILURES").is_some();
    report_holdout("holdout7.jsonl", shown);
}

/// The eighth development table (240 requests, 1 December, a fourteenth
/// outside writer), weighted to conversations that change one thing at a
/// time, questions, and dates written every way: scored before any rule
/// changed for it, then developed against.
#[test]
fn eighth_dev_table_is_scored() {
    report_holdout("dev8.jsonl", true);
}

/// The ninth development table (240 requests, 1 December, a fifteenth
/// outside writer), many kinds of writer (regional slang, transcribed
/// speech, non-native English, assistants booking for others): scored
/// before any rule changed for it, then developed against.
#[test]
fn ninth_dev_table_is_scored() {
    report_holdout("dev9.jsonl", true);
}

/// The tenth development table (240 requests, 1 December, a sixteenth
/// outside writer), mostly English from many countries with their own date
/// and party habits: scored before any rule changed for it, then developed
/// against.
#[test]
fn tenth_dev_table_is_scored() {
    report_holdout("dev10.jsonl", true);
}

/// The eighth sealed table (200 requests, 1 December, a seventeenth outside
/// writer), a typical day's sample written during the round of `dev9.jsonl`
/// and `dev10.jsonl` and first scored after it, when no rule would change
/// again that session: the honest figure for requests nobody on the team
/// has seen.
#[test]
fn eighth_sealed_holdout_is_scored_without_its_failures() {
    let shown = std::env::var_os("SHOW_SEALED_FAILURES").is_some();
    report_holdout("holdout8.jsonl", shown);
}
