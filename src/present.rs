//! How the model's values read: stage names and amounts of money, the same on pages and in
//! PDFs.

use crate::model::Stage;

/// The four stages' names, as the guide and every page call them.
pub const STAGE_NAMES: [&str; 4] = [
    "Exploratory meeting",
    "Briefings",
    "Agreement, referrals and teaching",
    "Follow-up",
];

pub fn stage_name(stage: Stage) -> &'static str {
    STAGE_NAMES[stage.index()]
}

/// `1234.5` becomes `1,234.50`; whole numbers keep no decimals. (Amounts are checked to be
/// below 10^12 when read; beyond what a number of cents can hold, the largest is shown.)
pub fn format_money(value: f64) -> String {
    let cents = if value.is_nan() {
        0
    } else {
        (value * 100.0).round() as i64
    };
    let (whole, fraction) = (cents.unsigned_abs() / 100, cents.unsigned_abs() % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if cents < 0 { "-" } else { "" };
    if fraction == 0 {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{fraction:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_grouped_in_thousands() {
        assert_eq!(format_money(1200.0), "1,200");
        assert_eq!(format_money(1234567.5), "1,234,567.50");
        assert_eq!(format_money(999.0), "999");
        assert_eq!(format_money(0.0), "0");
        assert_eq!(format_money(f64::NAN), "0");
        assert_eq!(
            format_money(f64::NEG_INFINITY),
            "-92,233,720,368,547,758.08"
        );
    }
}
