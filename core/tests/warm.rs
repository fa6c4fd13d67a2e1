//! A warm `Pricer` prices each course as a fresh one does, in any order: the buffers, texts
//! and tariffs it keeps from one course to the next (`Plan::recycle`, the quote's reused texts,
//! `Engine::found`, the cached tariffs in force) carry nothing of one course into another.
//! `warm_courses.json` holds 300 generated courses (services, packages, part time, add-ons,
//! changes, terminations, unknown offers and services).
#![allow(clippy::unwrap_used)]
use serde_json::{json, Value};
use takst::{Billing, Course, Indexation, Pricer, Quote, TariffSheet};

fn sheet(id: &str, year: i64, shift: i64) -> Value {
    json!({
        "format": "takst/tariff-sheet", "version": 1,
        "offer": {"id": id, "name": format!("Offer {id}"), "kind": "residential", "year": year},
        "day_basis": 365, "rounding": {"increment": "1", "mode": "half_away_from_zero"},
        "average": {"day": (3657 + shift).to_string(), "month": "111244", "year": "1334927"},
        "services": [
            {"id": "udredning", "name": "Udredningsmodul", "kind": "module", "stage": "assessment",
             "tariff": {"day": (4801 + shift).to_string(), "month": "146024", "year": "1752291"}},
            {"id": "udvikling", "name": "Udviklingsmodul", "kind": "module", "stage": "development",
             "tariff": {"day": "3716", "month": "113043", "year": "1356515"}},
            {"id": "laengerevarende", "name": "Længerevarende", "kind": "module",
             "stage": "long_term", "tariff": {"day": "2928", "month": "89056", "year": "1068677"}},
            {"id": "lav", "name": "Lav takst", "tariff": {"day": "2008.37"}}
        ],
        "package_scheme": {"basis": "1000", "interval": "349", "band_hours_per_week": "7"},
        "part_time": [{"of": "udvikling", "days_per_week": 3, "pct": "85", "day": "3158.60"}],
        "add_ons": [
            {"id": "to_timer", "name": "2 timer ugentligt", "unit": "day", "price": "1462.80"},
            {"id": "ekstra", "name": "Ekstra støtte", "unit": "hour", "price": "465"}
        ]
    })
}

fn big() -> Value {
    let mut s = sheet("big", 2026, 0);
    s["services"][0]["tariff"] = json!({"day": "922337203685477.58"});
    s["services"][1]["tariff"] = json!({"day": "9223372036854775.807"});
    s["average"] = json!({"day": "461168601842738.79", "month": "14026289642052970.79"});
    s["part_time"] = json!([]);
    s["add_ons"][0]["price"] = json!("922337203685477.5807");
    s
}

fn courses() -> Vec<Value> {
    vec![
        json!({"id": "big1", "offer": "big", "start": "2026-01-20",
               "phases": [{"service": "udredning", "months": 3}, {"service": "udvikling", "months": 14, "add_ons": [{"id": "to_timer"}]}]}),
        json!({"id": "big2", "offer": "big", "start": "2026-03-01",
               "phases": [{"service": "average", "months": 2}, {"service": "udvikling", "days": 5}],
               "changes": [{"terminate": {"notice_given": "2026-04-03"}}]}),
        json!({"id": "a", "offer": "elbaek", "municipality": "Aarhus", "start": "2026-03-01",
               "phases": [{"service": "udredning", "months": 1}, {"service": "udvikling", "months": 14}]}),
        json!({"id": "b", "offer": "other", "start": "2026-03-10",
               "phases": [{"service": "udredning", "months": 2}, {"service": "udvikling", "months": 2, "part_time_days": 3}]}),
        json!({"offer": "elbaek", "start": "2026-01-15", "phases": [{"package": 3, "months": 4}, {"service": "average", "days": 40}]}),
        json!({"id": "d", "offer": "other", "start": "2026-02-01",
               "phases": [{"service": "udvikling", "months": 6, "add_ons": [{"id": "to_timer"}, {"id": "ekstra", "quantity_per_month": "3"}]}],
               "changes": [{"terminate": {"notice_given": "2026-04-10"}}]}),
        json!({"id": "e", "offer": "nosuch", "start": "2026-02-01", "phases": [{"service": "udvikling", "months": 6}]}),
        json!({"id": "f", "offer": "elbaek", "municipality": "Skive", "start": "2026-02-01", "phases": [{"service": "nosuch", "months": 6}]}),
        json!({"id": "g", "offer": "other", "start": "2027-12-20",
               "phases": [{"service": "lav", "days": 30}, {"service": "udvikling", "months": 3, "add_ons": [{"id": "to_timer"}]}]}),
        json!({"id": "h", "offer": "elbaek", "start": "2026-05-31", "phases": [{"service": "udvikling", "months": 2, "part_time_days": 3}, {"service": "udvikling", "months": 2}]}),
        json!({"id": "i", "offer": "elbaek", "start": "2026-01-01", "phases": [{"service": "udvikling", "months": 12}],
               "changes": [{"service": {"from": "2026-06-01", "service": "udredning"}}]}),
    ]
}

fn key(r: &Result<Quote, takst::Errors>) -> String {
    match r {
        Ok(q) => format!(
            "{} | {} | {}",
            serde_json::to_string(q).unwrap(),
            serde_json::to_string(&q.warnings).unwrap(),
            serde_json::to_string(&q.original_lines).unwrap()
        ),
        Err(e) => format!("ERR {e:?}"),
    }
}

fn billings() -> Vec<Billing> {
    let b = |v: Value| -> Billing { serde_json::from_value(v).unwrap() };
    vec![
        b(json!({"comparison": true})),
        b(json!({"comparison": true, "invoicing": "full_months"})),
        b(
            json!({"comparison": true, "first_day": false, "last_day": false, "line_rounding": {"increment": "0.01"}}),
        ),
    ]
}

#[test]
fn warm_pricer_equals_fresh() {
    let sheets: Vec<TariffSheet> = vec![
        serde_json::from_value(sheet("elbaek", 2026, 0)).unwrap(),
        serde_json::from_value(sheet("other", 2026, 7)).unwrap(),
        serde_json::from_value(big()).unwrap(),
    ];
    let index: Indexation = serde_json::from_value(
        json!({"rates_pct": [{"year": 2027, "pct": "1.96"}, {"year": 2028, "pct": "3.56"}]}),
    )
    .unwrap();
    let cs: Vec<Course> = courses()
        .into_iter()
        .map(|c| serde_json::from_value(c).unwrap())
        .collect();
    for billing in billings() {
        let alone: Vec<String> = cs
            .iter()
            .map(|c| key(&Pricer::new(&sheets, &index, &billing).unwrap().price(c)))
            .collect();
        for a in &alone {
            eprintln!("{}", &a[..a.len().min(160)]);
        }
        let n = cs.len();
        // several orders, each course twice, into one reused quote and through price()
        let orders: Vec<Vec<usize>> = vec![
            (0..n).chain(0..n).collect(),
            (0..n).rev().chain((0..n).rev()).collect(),
            (0..n)
                .flat_map(|i| [i, (i * 5 + 3) % n, (i * 7 + 1) % n])
                .collect(),
        ];
        for order in &orders {
            let mut p = Pricer::new(&sheets, &index, &billing).unwrap();
            let mut q = Quote::default();
            for &i in order {
                let r = p.price_into(&cs[i], &mut q).map(|()| {
                    let mut x = Quote::default();
                    std::mem::swap(&mut x, &mut q);
                    // put it back after keying to keep buffers warm
                    x
                });
                let k = key(&r);
                if let Ok(x) = r {
                    q = x;
                }
                assert_eq!(k, alone[i], "course {i} in order {order:?}");
            }
            let mut p = Pricer::new(&sheets, &index, &billing).unwrap();
            for &i in order {
                assert_eq!(
                    key(&p.price(&cs[i])),
                    alone[i],
                    "price() course {i} in order {order:?}"
                );
            }
        }
    }
}

#[test]
fn warm_pricer_equals_fresh_generated() {
    let data: Value = serde_json::from_str(include_str!("warm_courses.json")).unwrap();
    let sheets: Vec<TariffSheet> = serde_json::from_value(data["sheets"].clone()).unwrap();
    let cs: Vec<Course> = serde_json::from_value(data["courses"].clone()).unwrap();
    let index: Indexation = serde_json::from_value(
        json!({"rates_pct": [{"year": 2027, "pct": "1.96"}, {"year": 2028, "pct": "3.56"}]}),
    )
    .unwrap();
    let mut billings = billings();
    billings.push(
        serde_json::from_value(
            json!({"comparison": false, "invoicing": "full_months", "last_day": false}),
        )
        .unwrap(),
    );
    for billing in billings {
        let alone: Vec<String> = cs
            .iter()
            .map(|c| key(&Pricer::new(&sheets, &index, &billing).unwrap().price(c)))
            .collect();
        let n = cs.len();
        let mut errs = 0;
        for step in [1usize, 7, 13, 101] {
            let mut p = Pricer::new(&sheets, &index, &billing).unwrap();
            let mut q = Quote::default();
            for k in 0..n {
                let i = (k * step + 3) % n;
                let r = p.price_into(&cs[i], &mut q);
                let k = match r {
                    Ok(()) => {
                        let x = std::mem::take(&mut q);
                        let s = key(&Ok(x));
                        // rebuild q warm by pricing again into it
                        let _ = p.price_into(&cs[i], &mut q);
                        s
                    }
                    Err(e) => {
                        errs += 1;
                        key(&Err(e))
                    }
                };
                assert_eq!(k, alone[i], "course {i} step {step}");
                // and the quote reused as is
                let mut q2 = std::mem::take(&mut q);
                let r2 = p.price_into(&cs[(i + 1) % n], &mut q2);
                let k2 = match r2 {
                    Ok(()) => key(&Ok(q2.clone())),
                    Err(e) => key(&Err(e)),
                };
                assert_eq!(k2, alone[(i + 1) % n], "next {} step {step}", (i + 1) % n);
                q = q2;
            }
        }
        eprintln!(
            "billing ok, errors seen {errs}, ok {}",
            alone.iter().filter(|a| !a.starts_with("ERR")).count()
        );
    }
}
