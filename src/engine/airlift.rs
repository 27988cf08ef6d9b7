//! MODEL.md §5 step 4: banknotes flown from New York to Baghdad, the number
//! of flights they need, and what the flights cost the treasury.

use rust_decimal::prelude::*;

use crate::model::Params;
use crate::num::decimal::{round2, Checked, Overflow};

/// The month's airlift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Airlift {
    pub shipped: Decimal,
    pub flights: Decimal,
    /// What the flights cost.
    pub cost: Decimal,
}

/// `shipped = min(cash_usd_per_month, avail)`;
/// `flights = ceil(shipped / plane_capacity)`;
/// `cost = flights × (transport + security) + round2(insurance_rate × shipped)`.
pub fn airlift(p: &Params, avail: Decimal) -> Result<Airlift, Overflow> {
    let a = &p.airlift;
    let shipped = a.cash_per_month.value.min(avail);
    let flights = flights(shipped, a.plane_capacity.value)?;
    let per_flight = a
        .transport_per_flight
        .value
        .add(a.security_per_flight.value, "the cost per flight")?;
    let insurance = round2(a.insurance_rate.value.mul(shipped, "airlift insurance")?);
    let cost = flights
        .mul(per_flight, "airlift cost")?
        .add(insurance, "airlift cost")?;
    Ok(Airlift {
        shipped,
        flights,
        cost,
    })
}

/// Planes needed, counted exactly in cents (both amounts have at most two
/// decimals), so 1,000,000,000.01 on 500,000,000 planes is 3 flights.
pub fn flights(shipped: Decimal, capacity: Decimal) -> Result<Decimal, Overflow> {
    let what = "the number of flights";
    if shipped <= Decimal::ZERO || capacity <= Decimal::ZERO {
        return Ok(Decimal::ZERO);
    }
    let cents = |x: Decimal| {
        x.mul(Decimal::ONE_HUNDRED, what)?
            .trunc()
            .to_i128()
            .ok_or(Overflow { what })
    };
    let (s, c) = (cents(shipped)?, cents(capacity)?);
    let n = s.div_euclid(c) + i128::from(s.rem_euclid(c) != 0);
    Decimal::from_i128(n).ok_or(Overflow { what })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::{d, params};

    #[test]
    fn flights_round_up_to_whole_planes() {
        let cap = d("500000000");
        assert_eq!(flights(d("0"), cap).unwrap(), d("0"));
        assert_eq!(flights(d("0.01"), cap).unwrap(), d("1"));
        assert_eq!(flights(d("500000000"), cap).unwrap(), d("1"));
        assert_eq!(flights(d("500000000.01"), cap).unwrap(), d("2"));
        assert_eq!(flights(d("1000000000"), cap).unwrap(), d("2"));
        assert_eq!(flights(d("833333333.33"), cap).unwrap(), d("2"));
    }

    #[test]
    fn cost_is_per_flight_plus_insurance() {
        let p = params();
        // Small model: 1,200,000 ordered, 500,000 planes → 3 flights;
        // 3 × (1,000 + 500) + round2(0.001 × 1,200,000) = 4,500 + 1,200 = 5,700.
        let a = airlift(&p, d("2856000.00")).unwrap();
        assert_eq!(
            a,
            Airlift {
                shipped: d("1200000"),
                flights: d("3"),
                cost: d("5700.00")
            }
        );
        // Only 700,000.50 available: ships that, 2 flights,
        // 3,000 + round2(700.0005) = 3,700.00.
        let a = airlift(&p, d("700000.50")).unwrap();
        assert_eq!(
            a,
            Airlift {
                shipped: d("700000.50"),
                flights: d("2"),
                cost: d("3700.00")
            }
        );
    }
}
