//! Query plans: the policies answered from indexes at scale, the tenant's find on a small
//! table, the find functions, the admin's live counts.

mod at_scale;
mod find_functions;
mod live_counts;
mod small_table;
