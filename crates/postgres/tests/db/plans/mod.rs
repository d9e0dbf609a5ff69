//! Query plans: the policies answered from indexes at scale, the find functions, the
//! admin's live counts.

mod at_scale;
mod find_functions;
mod live_counts;
