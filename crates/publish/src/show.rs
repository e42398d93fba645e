//! Numbers as people read them: "5,653", "5,650 to 5,661", "+1,750".

pub use foi_model::thousands;

/// "5,653", or "5,650 to 5,661".
pub fn show_range(lo: u64, hi: u64) -> String {
    if lo == hi {
        thousands(lo)
    } else {
        format!("{} to {}", thousands(lo), thousands(hi))
    }
}
