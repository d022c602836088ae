//! Charts, drawn at build time: the figures behind each chart and the place of every bar, in
//! the units of the SVG's coordinates, which the templates draw as SVG (no script) and print
//! again as a table for screen readers. Geometry only: every word is the template's.
//!
//! - referrals given and received per month, with the value won, over the twelve months to
//!   `as_of`;
//! - the pipeline by stage at the end of each of those months (the day each stage began is on
//!   the public site too, so the public progress page draws it as well).

use serde::Serialize;

use crate::model::Stage;
use crate::model::partner::{Direction, PartnerFile, ReferralStatus};
use crate::source::Date;

/// Months shown.
const MONTHS: usize = 12;
/// The drawing is 720 by 200 units; `_chart_axes.html` draws its axes at those sizes.
const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 200.0;

#[derive(Debug, Serialize)]
pub(crate) struct ReferralChart {
    pub(crate) months: Vec<ReferralMonth>,
    /// The count the tallest bar stands for, and where its line is drawn.
    pub(crate) scale: Scale,
    pub(crate) bar_width: f64,
}

#[derive(Debug, Serialize)]
pub(crate) struct ReferralMonth {
    /// The month's first day, `YYYY-MM-DD`.
    pub(crate) start: Date,
    pub(crate) given: usize,
    pub(crate) received: usize,
    pub(crate) given_value: f64,
    pub(crate) received_value: f64,
    /// The left edge of the month's pair of bars, and the middle for its label.
    pub(crate) x: f64,
    pub(crate) middle: f64,
    pub(crate) given_height: f64,
    pub(crate) received_height: f64,
}

#[derive(Debug, Serialize)]
pub(crate) struct Scale {
    pub(crate) top: usize,
    pub(crate) half: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct PipelineChart {
    pub(crate) months: Vec<PipelineMonth>,
    pub(crate) scale: Scale,
    pub(crate) bar_width: f64,
}

#[derive(Debug, Serialize)]
pub(crate) struct PipelineMonth {
    pub(crate) start: Date,
    pub(crate) x: f64,
    pub(crate) middle: f64,
    /// How many relationships were at each stage at the month's end (or at `as_of`), and the
    /// band each makes, stage 1 at the bottom.
    pub(crate) stages: Vec<StageBand>,
    pub(crate) total: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct StageBand {
    pub(crate) stage: Stage,
    pub(crate) count: usize,
    pub(crate) y: f64,
    pub(crate) height: f64,
}

/// The first days of the twelve months to the month of `as_of`, oldest first.
fn month_starts(as_of: Date) -> Vec<Date> {
    let first = as_of.0.first_of_month();
    (0..MONTHS as i32)
        .rev()
        .filter_map(|back| first.checked_sub(jiff::Span::new().months(back)).ok())
        .map(Date)
        .collect()
}

/// The last day that counts in the month starting `start`: its end, or `as_of`.
fn month_end(start: Date, as_of: Date) -> Date {
    let end = Date(start.0.last_of_month());
    end.min(as_of)
}

fn scale(largest: usize) -> Scale {
    let top = largest.max(2).div_ceil(2) * 2;
    Scale { top, half: top / 2 }
}

fn height(count: usize, top: usize) -> f64 {
    (count as f64 / top as f64 * HEIGHT * 100.0).round() / 100.0
}

/// Referrals per month from `partners`' files.
pub(crate) fn referral_chart<'a>(
    partners: impl Iterator<Item = &'a PartnerFile>,
    as_of: Date,
) -> ReferralChart {
    let starts = month_starts(as_of);
    let slot = WIDTH / MONTHS as f64;
    let mut months: Vec<ReferralMonth> = starts
        .iter()
        .enumerate()
        .map(|(i, &start)| ReferralMonth {
            start,
            given: 0,
            received: 0,
            given_value: 0.0,
            received_value: 0.0,
            x: i as f64 * slot + slot * 0.15,
            middle: i as f64 * slot + slot / 2.0,
            given_height: 0.0,
            received_height: 0.0,
        })
        .collect();
    for referral in partners.flat_map(|p| p.referrals.iter()) {
        if referral.date > as_of {
            continue;
        }
        // The last month that starts on or before the referral: none if it is older.
        let Some(month) = starts
            .iter()
            .rposition(|start| *start <= referral.date)
            .map(|i| &mut months[i])
        else {
            continue;
        };
        let value = match referral.status {
            ReferralStatus::Won => referral.value.as_ref().map_or(0.0, |v| v.value),
            _ => 0.0,
        };
        match referral.direction {
            Direction::Given => {
                month.given += 1;
                month.given_value += value;
            }
            Direction::Received => {
                month.received += 1;
                month.received_value += value;
            }
        }
    }
    let scale = scale(
        months
            .iter()
            .map(|m| m.given.max(m.received))
            .max()
            .unwrap_or(0),
    );
    for month in &mut months {
        month.given_height = height(month.given, scale.top);
        month.received_height = height(month.received, scale.top);
    }
    ReferralChart {
        months,
        scale,
        bar_width: slot * 0.35,
    }
}

/// The pipeline at each month's end, from each relationship's stage dates.
pub(crate) fn pipeline_chart(stage_dates: &[[Option<Date>; 4]], as_of: Date) -> PipelineChart {
    let starts = month_starts(as_of);
    let slot = WIDTH / MONTHS as f64;
    let counts: Vec<[usize; 4]> = starts
        .iter()
        .map(|&start| {
            let end = month_end(start, as_of);
            let mut counts = [0; 4];
            for dates in stage_dates {
                let reached = dates.iter().rposition(|d| d.is_some_and(|d| d <= end));
                if let Some(stage) = reached {
                    counts[stage] += 1;
                }
            }
            counts
        })
        .collect();
    let scale = scale(counts.iter().map(|c| c.iter().sum()).max().unwrap_or(0));
    let months = starts
        .iter()
        .zip(&counts)
        .enumerate()
        .map(|(i, (&start, counts))| {
            let mut bottom = HEIGHT;
            let stages = Stage::ALL
                .into_iter()
                .map(|stage| {
                    let count = counts[stage.index()];
                    let band = height(count, scale.top);
                    bottom -= band;
                    StageBand {
                        stage,
                        count,
                        y: (bottom * 100.0).round() / 100.0,
                        height: band,
                    }
                })
                .collect();
            PipelineMonth {
                start,
                x: i as f64 * slot + slot * 0.2,
                middle: i as f64 * slot + slot / 2.0,
                stages,
                total: counts.iter().sum(),
            }
        })
        .collect();
    PipelineChart {
        months,
        scale,
        bar_width: slot * 0.6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn twelve_months_end_with_the_month_of_as_of() {
        let starts = month_starts(day("2026-03-15"));
        assert_eq!(starts.len(), 12);
        assert_eq!(starts[0], day("2025-04-01"));
        assert_eq!(starts[11], day("2026-03-01"));
        assert_eq!(
            month_end(day("2026-03-01"), day("2026-03-15")),
            day("2026-03-15")
        );
        assert_eq!(
            month_end(day("2026-02-01"), day("2026-03-15")),
            day("2026-02-28")
        );
    }

    #[test]
    fn the_pipeline_counts_each_relationship_at_the_stage_reached_by_the_months_end() {
        let dates = [
            [Some(day("2026-01-05")), Some(day("2026-02-10")), None, None],
            [Some(day("2026-02-20")), None, None, None],
        ];
        let chart = pipeline_chart(&dates, day("2026-03-15"));
        let count = |month: usize| -> Vec<usize> {
            chart.months[month].stages.iter().map(|s| s.count).collect()
        };
        assert_eq!(count(9), [1, 0, 0, 0], "January");
        assert_eq!(count(10), [1, 1, 0, 0], "February");
        assert_eq!(chart.months[10].total, 2);
        // Bands stack from the bottom: stage 1 lowest.
        let feb = &chart.months[10].stages;
        assert_eq!(feb[0].y + feb[0].height, HEIGHT);
        assert_eq!(feb[1].y + feb[1].height, feb[0].y);
        assert_eq!(chart.scale.top, 2);
    }
}
