//! An independent exact reference for the published figures, written from the domain
//! reference's formulas with big rationals (`num-rational`), sharing no arithmetic with
//! takst. The property tests compare every published figure with it.

use num_bigint::BigInt;
use num_rational::BigRational as Q;
use num_traits::{One, Signed, Zero};
use takst::{
    AddOnPrice, AllocationKey, Capacity, Category, DayBasis, Decimal, Occupancy, Offer, RoundMode,
    Rounding,
};

pub fn q(d: Decimal) -> Q {
    Q::new(BigInt::from(d.mantissa()), BigInt::from(10).pow(d.scale()))
}

pub fn qi(i: i64) -> Q {
    Q::from_integer(BigInt::from(i))
}

pub fn exact(e: takst::Exact) -> Q {
    let (n, d) = e.parts();
    Q::new(n.parse::<BigInt>().unwrap(), d.parse::<BigInt>().unwrap())
}

/// Rounds once to a multiple of the increment with the mode.
pub fn round(x: &Q, r: &Rounding) -> Q {
    let inc = q(r.increment);
    let steps = x / &inc;
    let floor = steps.floor();
    let frac = &steps - &floor;
    let ceil = &floor + Q::one();
    let half = Q::new(BigInt::from(1), BigInt::from(2));
    let positive = !x.is_negative();
    let (away, toward) = if positive {
        (ceil.clone(), floor.clone())
    } else {
        (floor.clone(), ceil.clone())
    };
    let nearest = |tie: Q| {
        if frac < half {
            floor.clone()
        } else if frac > half {
            ceil.clone()
        } else {
            tie
        }
    };
    let k = if frac.is_zero() {
        floor.clone()
    } else {
        match r.mode {
            RoundMode::HalfAwayFromZero => nearest(away),
            RoundMode::HalfTowardZero => nearest(toward),
            RoundMode::HalfEven => {
                let even = (floor.to_integer() % BigInt::from(2)).is_zero();
                nearest(if even { floor.clone() } else { ceil.clone() })
            }
            RoundMode::Up => away,
            RoundMode::Down => toward,
            RoundMode::Ceiling => ceil.clone(),
            RoundMode::Floor => floor.clone(),
            _ => unreachable!("a rounding mode the reference does not know"),
        }
    };
    k * inc
}

/// A published tariff: day, and month and year where published.
#[derive(Clone, Debug, PartialEq)]
pub struct Tariff {
    pub day: Q,
    pub month: Option<Q>,
    pub year: Option<Q>,
}

/// Every published figure of an offer.
#[derive(Debug, PartialEq)]
pub struct Figures {
    pub average: Tariff,
    pub services: Vec<Tariff>,
    pub basis: Option<Q>,
    pub interval: Option<Q>,
    pub part_time: Vec<Q>,
    pub add_ons: Vec<Q>,
    pub expected_days: Q,
    pub total: Q,
}

fn days_in_year(y: i32) -> i64 {
    if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
        366
    } else {
        365
    }
}

/// The published figures of `o`, computed from the domain reference's formulas.
pub fn published(o: &Offer) -> Figures {
    let hundred = qi(100);
    let places = match o.capacity {
        Capacity::Places(p) => q(p),
        Capacity::TreatmentCitizens(n) => q(n) / qi(10),
    };
    let basis_days = match o.day_basis {
        None => qi(365),
        Some(DayBasis::Days(d)) => qi(i64::from(d)),
        Some(DayBasis::Named(_)) => qi(days_in_year(o.year)),
    };
    let occupancy = match &o.occupancy {
        Occupancy::BudgetedPct(p) => q(*p),
        Occupancy::PreviousYearsPct(ys) => {
            ys.iter().map(|y| q(*y)).fold(Q::zero(), |a, b| a + b) / qi(ys.len() as i64)
        }
    };
    let expected_days = &places * &basis_days * &occupancy / &hundred;

    // Cost lines: amounts first, then percentages of a base.
    let amount_of = |cat: Category| -> Q {
        o.costs
            .iter()
            .filter(|l| l.category == cat)
            .filter_map(|l| l.amount)
            .map(q)
            .fold(Q::zero(), |a, b| a + b)
    };
    let direct =
        amount_of(Category::Wages) + amount_of(Category::Operating) + amount_of(Category::Property);
    let mut total = Q::zero();
    let mut common = Q::zero();
    let mut support = Q::zero();
    for l in &o.costs {
        let v = match (l.amount, l.pct) {
            (Some(a), _) if l.category.is_income() => -q(a),
            (Some(a), _) => q(a),
            (None, Some(p)) => {
                let base = match &l.pct_base {
                    None => direct.clone(),
                    Some(cats) => cats
                        .iter()
                        .map(|c| amount_of(*c))
                        .fold(Q::zero(), |a, b| a + b),
                };
                base * q(p) / &hundred
            }
            (None, None) => unreachable!(),
        };
        total += &v;
        match l.key {
            AllocationKey::Days => common += &v,
            AllocationKey::SupportHours => support += &v,
        }
    }

    let pr = &o.settings.published_rounding;
    let dr = &o.settings.derived_rounding;
    let publish = |day_exact: &Q| Tariff {
        day: round(day_exact, pr),
        month: Some(round(&(day_exact * &basis_days / qi(12)), pr)),
        year: Some(round(&(day_exact * &basis_days), pr)),
    };
    let average = publish(&(&total / &expected_days));

    // Services by hours or package.
    let band = o.package_scheme.as_ref().map(|p| q(p.band_hours_per_week));
    let half = Q::new(BigInt::from(1), BigInt::from(2));
    let hours: Vec<Option<Q>> = o
        .services
        .iter()
        .map(|s| match (s.hours_per_week, s.package, &band) {
            (Some(h), _, _) => Some(q(h)),
            (None, Some(n), Some(b)) => Some((qi(i64::from(n)) - &half) * b),
            _ => None,
        })
        .collect();
    let mean: Q = o
        .services
        .iter()
        .zip(&hours)
        .filter_map(|(s, h)| h.as_ref().map(|h| h * q(s.share_pct) / &hundred))
        .fold(Q::zero(), |a, b| a + b);
    let has_support = o.costs.iter().any(|l| l.key == AllocationKey::SupportHours);
    let rate = has_support.then(|| &support / (&expected_days * &mean));
    let common_per_day = &common / &expected_days;
    let basis = o
        .services
        .iter()
        .any(|s| s.package.is_some())
        .then(|| round(&common_per_day, pr));
    let interval = basis.as_ref().map(|_| match (&rate, &band) {
        (Some(r), Some(b)) => round(&(r * b), pr),
        _ => Q::zero(),
    });

    let mut services: Vec<Option<Tariff>> = vec![None; o.services.len()];
    for (i, s) in o.services.iter().enumerate() {
        let Some(h) = &hours[i] else { continue };
        services[i] = Some(match (s.package, &basis, &interval) {
            (Some(n), Some(b), Some(iv)) => Tariff {
                day: b + round(&((qi(i64::from(n)) - &half) * iv), pr),
                month: None,
                year: None,
            },
            _ => {
                let support_part = rate.as_ref().map_or(Q::zero(), |r| r * h);
                publish(&(&common_per_day + support_part))
            }
        });
    }
    // Levels: a percentage of another published tariff, to the derived rounding.
    for (i, s) in o.services.iter().enumerate() {
        let Some(p) = &s.pct_of else { continue };
        let target = if p.service == "average" {
            average.clone()
        } else {
            let j = o.services.iter().position(|t| t.id == p.service).unwrap();
            services[j].clone().unwrap()
        };
        let pct = q(p.pct);
        let of = |v: &Q| round(&(v * &pct / &hundred), dr);
        services[i] = Some(Tariff {
            day: of(&target.day),
            month: target.month.as_ref().map(of),
            year: target.year.as_ref().map(of),
        });
    }
    let services: Vec<Tariff> = services.into_iter().flatten().collect();

    let days: Vec<Q> = std::iter::once(average.day.clone())
        .chain(services.iter().map(|t| t.day.clone()))
        .collect();
    let part_time = o
        .part_time
        .iter()
        .flat_map(|pt| {
            let pct = q(pt.pct);
            days.iter()
                .map(|d| round(&(d * &pct / &hundred), dr))
                .collect::<Vec<_>>()
        })
        .collect();
    let add_ons = o
        .add_ons
        .iter()
        .map(|a| match &a.price {
            AddOnPrice::PerHour(p) | AddOnPrice::PerKm(p) => q(*p),
            AddOnPrice::DayFraction(f) => {
                let day = if f.of == "average" {
                    average.day.clone()
                } else {
                    let j = o.services.iter().position(|t| t.id == f.of).unwrap();
                    services[j].day.clone()
                };
                round(
                    &(day * qi(i64::from(f.numerator)) / qi(i64::from(f.denominator))),
                    dr,
                )
            }
        })
        .collect();
    Figures {
        average,
        services,
        basis,
        interval,
        part_time,
        add_ons,
        expected_days,
        total,
    }
}

/// The same figures as takst published them.
pub fn from_sheet(c: &takst::Computed) -> Figures {
    let t = |t: &takst::Tariff| Tariff {
        day: q(t.day),
        month: t.month.map(q),
        year: t.year.map(q),
    };
    let s = &c.sheet;
    Figures {
        average: t(s.average.as_ref().unwrap()),
        services: s.services.iter().map(|x| t(&x.tariff)).collect(),
        basis: s.package_scheme.as_ref().map(|p| q(p.basis)),
        interval: s.package_scheme.as_ref().map(|p| q(p.interval)),
        part_time: s.part_time.iter().map(|p| q(p.day)).collect(),
        add_ons: s.add_ons.iter().map(|a| q(a.price)).collect(),
        expected_days: exact(c.cost_base.expected_days.clone()),
        total: exact(c.cost_base.total.clone()),
    }
}
