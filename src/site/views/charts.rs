//! Charts, drawn at build time: the figures behind each chart and the place of every bar, in
//! the units of the SVG's coordinates, which the templates draw as SVG (no script) and print
//! again as a table for screen readers. Geometry only: every word is the template's.
//!
//! - referrals given and received per month, with the value won, over the twelve months to
//!   `as_of`;
//! - the pipeline by stage at the end of each of those months (the day each stage began is on
//!   the public site too, so the public progress page draws it as well);
//! - one relationship's contact rhythm: each time we were in touch over those months, as the
//!   days since the time before, against the agreed limit (private: the partner page only).

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

#[derive(Debug, Serialize)]
pub(crate) struct RhythmChart {
    /// Each day we were in touch in the twelve months, oldest first.
    pub(crate) contacts: Vec<Gap>,
    /// The days from the last contact to `as_of`: the gap still open.
    pub(crate) since_last: Option<Gap>,
    /// The agreed most days between contacts, and the height of its line.
    pub(crate) limit_days: u32,
    pub(crate) limit_y: f64,
    /// How many of the gaps shown (`contacts` after a contact before them) there are, and how
    /// many ran past the limit.
    pub(crate) gaps: usize,
    pub(crate) late: usize,
    pub(crate) scale: Scale,
    pub(crate) months: Vec<MonthTick>,
    pub(crate) bar_width: f64,
}

#[derive(Debug, Serialize)]
pub(crate) struct Gap {
    pub(crate) date: Date,
    /// Days since the contact before; `None` for the first one the file records.
    pub(crate) days: Option<i64>,
    /// Where the day is across the drawing; the bar's left edge (centred on the day, kept
    /// inside the drawing), its top and its height.
    pub(crate) middle: f64,
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) height: f64,
    pub(crate) late: bool,
}

#[derive(Debug, Serialize)]
pub(crate) struct MonthTick {
    pub(crate) start: Date,
    pub(crate) middle: f64,
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

/// `value` to two places: enough for a drawing, and short in the SVG.
fn rounded(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

fn height(count: usize, top: usize) -> f64 {
    rounded(count as f64 / top as f64 * HEIGHT)
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
                        y: rounded(bottom),
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

/// Where `date` falls across the twelve months starting `starts[0]`; `None` before them.
fn x_of(date: Date, starts: &[Date]) -> Option<f64> {
    let slot = WIDTH / MONTHS as f64;
    let month = starts.iter().rposition(|start| *start <= date)?;
    let start = starts[month];
    let days_in_month = start.days_until(Date(start.0.last_of_month())) + 1;
    let into = start.days_until(date) as f64 / days_in_month as f64;
    Some(rounded((month as f64 + into) * slot))
}

/// A contact's bar: a thin stem, so that contacts two days apart stay apart.
const STEM: f64 = 3.0;

/// The gaps between the days in `contacts` (any order, repeats allowed) over the twelve months
/// to `as_of`, against `limit_days`; `None` if there is no contact on or before `as_of`. A
/// relationship whose last contact is older than the months shown has the open gap alone.
pub(crate) fn rhythm_chart(
    contacts: impl Iterator<Item = Date>,
    limit_days: u32,
    as_of: Date,
) -> Option<RhythmChart> {
    let starts = month_starts(as_of);
    let slot = WIDTH / MONTHS as f64;
    let mut days: Vec<Date> = contacts.filter(|d| *d <= as_of).collect();
    days.sort_unstable();
    days.dedup();
    let last = *days.last()?;
    let limit = i64::from(limit_days);
    let gap = |date: Date, before: Option<Date>| {
        let middle = x_of(date, &starts)?;
        let days = before.map(|b| b.days_until(date));
        Some((date, days, middle))
    };
    let shown: Vec<(Date, Option<i64>, f64)> = days
        .iter()
        .enumerate()
        .filter_map(|(i, &date)| gap(date, i.checked_sub(1).map(|b| days[b])))
        .collect();
    let open = (last < as_of).then(|| gap(as_of, Some(last))).flatten();
    let longest = shown
        .iter()
        .chain(open.iter())
        .filter_map(|(_, days, _)| *days)
        .max()
        .unwrap_or(0);
    let scale = scale(usize::try_from(longest.max(limit)).unwrap_or(usize::MAX));
    let bar = |(date, days, middle): (Date, Option<i64>, f64)| {
        let height = height(usize::try_from(days.unwrap_or(0)).unwrap_or(0), scale.top);
        Gap {
            date,
            days,
            middle,
            x: rounded((middle - STEM / 2.0).clamp(0.0, WIDTH - STEM)),
            y: rounded(HEIGHT - height),
            height,
            late: days.is_some_and(|d| d > limit),
        }
    };
    let contacts: Vec<Gap> = shown.into_iter().map(bar).collect();
    let since_last = open.map(bar);
    Some(RhythmChart {
        gaps: contacts.iter().filter(|g| g.days.is_some()).count(),
        late: contacts.iter().filter(|g| g.late).count(),
        contacts,
        since_last,
        limit_days,
        limit_y: rounded(HEIGHT - height(limit_days as usize, scale.top)),
        months: starts
            .iter()
            .enumerate()
            .map(|(i, &start)| MonthTick {
                start,
                middle: i as f64 * slot + slot / 2.0,
            })
            .collect(),
        scale,
        bar_width: STEM,
    })
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

    #[test]
    fn the_rhythm_measures_each_gap_from_the_contact_before_even_outside_the_months() {
        let contacts = [
            day("2025-01-10"),
            day("2025-12-01"),
            day("2026-01-05"),
            day("2026-01-05"),
            day("2026-01-20"),
        ];
        let chart = rhythm_chart(contacts.into_iter(), 30, day("2026-03-01")).unwrap();
        let gaps: Vec<(Date, Option<i64>, bool)> = chart
            .contacts
            .iter()
            .map(|g| (g.date, g.days, g.late))
            .collect();
        assert_eq!(
            gaps,
            [
                (day("2025-12-01"), Some(325), true),
                (day("2026-01-05"), Some(35), true),
                (day("2026-01-20"), Some(15), false),
            ],
            "the first contact is older than the months shown, the repeat counts once"
        );
        assert_eq!((chart.gaps, chart.late), (3, 2));
        let open = chart.since_last.as_ref().unwrap();
        assert_eq!(
            (open.date, open.days, open.late),
            (day("2026-03-01"), Some(40), true)
        );
        // The tallest gap sets the scale; the limit's line is where 30 days is.
        assert_eq!(chart.scale.top, 326);
        assert_eq!(chart.contacts[0].height, 199.39);
        assert_eq!(
            chart.limit_y, 181.6,
            "30 of 326 days is 18.4 of the 200 units"
        );
        // 1 December is the start of the ninth month shown, 1 March of the last; each bar is
        // centred on its day.
        assert_eq!(chart.contacts[0].middle, 8.0 * 60.0);
        assert_eq!(chart.contacts[0].x, 8.0 * 60.0 - STEM / 2.0);
        assert_eq!(chart.contacts[0].y, 0.61);
        assert_eq!(open.middle, 11.0 * 60.0);
    }

    #[test]
    fn every_bar_stays_inside_the_drawing() {
        let chart = rhythm_chart(
            [day("2025-01-01"), day("2025-12-31")].into_iter(),
            7,
            day("2025-12-31"),
        )
        .unwrap();
        let last = &chart.contacts[1];
        assert!(last.x + STEM <= WIDTH, "{}", last.x);
        assert!(chart.contacts[0].x >= 0.0);
    }

    #[test]
    fn a_relationship_quiet_for_longer_than_the_months_shown_has_the_open_gap_alone() {
        let chart = rhythm_chart([day("2024-06-01")].into_iter(), 7, day("2026-03-01")).unwrap();
        assert!(chart.contacts.is_empty());
        assert_eq!(chart.gaps, 0);
        let open = chart.since_last.unwrap();
        assert_eq!(open.days, Some(638));
        assert!(open.late);
    }

    #[test]
    fn no_rhythm_without_a_contact_and_the_first_contact_has_no_gap() {
        assert!(rhythm_chart([day("2026-03-02")].into_iter(), 14, day("2026-03-01")).is_none());
        let chart = rhythm_chart([day("2026-02-15")].into_iter(), 14, day("2026-02-15")).unwrap();
        assert_eq!(chart.contacts[0].days, None);
        assert_eq!(chart.contacts[0].height, 0.0);
        assert!(chart.since_last.is_none(), "in touch today: no gap is open");
        assert_eq!(chart.scale.top, 14);
    }
}
