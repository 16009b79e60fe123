use chrono::{NaiveDate, TimeZone};
use rust_decimal::Decimal;

use super::*;
use crate::domain::{Money, PriceKind};
use crate::places::Place;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
}

const ROUND_TRIP: &str = r#"{"success":true,"currency":"brl","data":[{
  "origin":"SAO","destination":"LIS","origin_airport":"GRU","destination_airport":"LIS",
  "price":3120,"airline":"TP","flight_number":88,
  "departure_at":"2027-03-10T22:05:00-03:00","return_at":"2027-03-24T11:30:00+00:00",
  "transfers":0,"return_transfers":1,"duration":1380,"duration_to":600,"duration_back":780,
  "link":"/search/SAO1003LIS24031?t=TP1","found_at":"2026-11-21T08:00:00Z"}]}"#;

fn ctx(marker: Option<&str>) -> OfferContext<'_> {
    OfferContext {
        seats: 2,
        source: Currency::BRL,
        marker,
        now: now(),
    }
}

#[test]
fn a_cached_round_trip_becomes_an_indicative_offer_field_by_field() {
    let (entries, source) = read_entries::<PriceEntry>(ROUND_TRIP.as_bytes()).unwrap();
    assert_eq!(source, Currency::BRL);
    let offer = to_offer(&entries[0], &ctx(Some("12345"))).unwrap();
    assert_eq!(offer.provider, "travelpayouts");
    assert_eq!(offer.price_kind, PriceKind::Cached);
    assert_eq!(offer.price, Money::new(Decimal::from(6240), Currency::BRL));
    assert_eq!(offer.converted_from, None);
    assert_eq!(
        offer.found_at,
        Some(Utc.with_ymd_and_hms(2026, 11, 21, 8, 0, 0).unwrap())
    );
    assert_eq!(
        offer.booking_url.as_deref(),
        Some("https://www.aviasales.com/search/SAO1003LIS24031?t=TP1&marker=12345")
    );
    assert_eq!(offer.expires_at, now());
    let (out, back) = (&offer.slices[0], &offer.slices[1]);
    assert_eq!(
        (out.origin.as_str(), out.destination.as_str(), out.stops),
        ("GRU", "LIS", 0)
    );
    assert_eq!(out.segments[0].flight_number, "TP88");
    assert_eq!(out.segments[0].carrier_name, "TAP Air Portugal");
    assert_eq!(out.departure_local.to_string(), "2027-03-10 22:05:00");
    // 01:05 UTC + 600 min = 11:05 UTC, 11:05 in Lisbon (WET).
    assert_eq!(out.arrival_local.to_string(), "2027-03-11 11:05:00");
    assert_eq!(out.duration_minutes, 600);
    assert_eq!(
        (back.origin.as_str(), back.destination.as_str(), back.stops),
        ("LIS", "GRU", 1)
    );
    assert_eq!(back.segments[0].flight_number, "", "return flight unknown");
    assert_eq!(back.duration_minutes, 780);
    assert!(offer.fare_brand.is_none() && offer.bags.is_none());
}

#[test]
fn offers_keep_the_answers_currency_for_the_search_to_convert() {
    let (entries, _) = read_entries::<PriceEntry>(ROUND_TRIP.as_bytes()).unwrap();
    let offer = to_offer(&entries[0], &ctx(None)).unwrap();
    assert_eq!(offer.price, Money::new(Decimal::from(6240), Currency::BRL));
    assert_eq!(offer.converted_from, None);
    assert_eq!(
        offer.booking_url.as_deref(),
        Some("https://www.aviasales.com/search/SAO1003LIS24031?t=TP1")
    );
}

#[test]
fn refusals_are_classified_once() {
    assert!(matches!(
        classify(StatusCode::UNAUTHORIZED, b""),
        ProviderError::Unauthorized
    ));
    assert!(matches!(
        classify(StatusCode::FORBIDDEN, b""),
        ProviderError::Unauthorized
    ));
    assert!(matches!(
        classify(StatusCode::TOO_MANY_REQUESTS, b""),
        ProviderError::RateLimited
    ));
    assert!(matches!(
        classify(StatusCode::BAD_GATEWAY, b""),
        ProviderError::Unavailable(m) if m == "HTTP 502"
    ));
    let body = br#"{"success":false,"data":null,"error":"origin is required"}"#;
    assert!(matches!(
        classify(StatusCode::BAD_REQUEST, body),
        ProviderError::Rejected(m) if m == "origin is required"
    ));
    assert!(matches!(
        read_entries::<PriceEntry>(br#"{"success":false,"data":{},"error":"bad month"}"#),
        Err(ProviderError::Rejected(m)) if m == "bad month"
    ));
    assert!(matches!(
        read_entries::<PriceEntry>(b"<html>"),
        Err(ProviderError::Unavailable(_))
    ));
}

fn calendar_query(trip_days: Option<u16>) -> CalendarQuery {
    CalendarQuery {
        origin: Place::resolve("SAO").unwrap(),
        destination: Place::resolve("LIS").unwrap(),
        first_day: NaiveDate::from_ymd_opt(2027, 3, 25).unwrap(),
        days: 10,
        trip_days,
        cabin: Cabin::Economy,
        currency: Currency::BRL,
    }
}

#[test]
fn a_window_across_months_asks_each_month_once() {
    let months: Vec<String> = calendar::months(&calendar_query(None))
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(months, ["2027-03-01", "2027-04-01"]);
}

#[test]
fn the_matrix_gives_the_cheapest_entry_per_day_inside_the_window() {
    let body = r#"{"success":true,"data":[
      {"origin":"SAO","destination":"LIS","depart_date":"2027-03-25","return_date":"","number_of_changes":0,"value":4100,"found_at":"2026-11-20T10:00:00Z","actual":true},
      {"origin":"SAO","destination":"LIS","depart_date":"2027-03-25","return_date":"","number_of_changes":1,"value":3500,"found_at":"2026-11-21T10:00:00Z","actual":true},
      {"origin":"SAO","destination":"LIS","depart_date":"2027-03-24","return_date":"","number_of_changes":1,"value":1000,"actual":true},
      {"origin":"SAO","destination":"LIS","depart_date":"2027-04-02","return_date":"2027-04-09","number_of_changes":1,"value":900,"actual":true}
    ]}"#;
    let (entries, source) = read_entries::<MatrixEntry>(body.as_bytes()).unwrap();
    let days = calendar::day_prices(&entries, &calendar_query(None), source, None);
    assert_eq!(days.len(), 1, "{days:?}");
    assert_eq!(days[0].date.to_string(), "2027-03-25");
    assert_eq!(
        days[0].price,
        Money::new(Decimal::from(3500), Currency::BRL)
    );
    assert_eq!(days[0].source, crate::fares::DaySource::Cached);
    assert_eq!(
        days[0].found_at,
        Some(Utc.with_ymd_and_hms(2026, 11, 21, 10, 0, 0).unwrap())
    );
    let round = calendar::day_prices(&entries, &calendar_query(Some(7)), source, None);
    assert_eq!(round.len(), 1);
    assert_eq!(
        round[0].return_date.map(|d| d.to_string()).as_deref(),
        Some("2027-04-09")
    );
}
