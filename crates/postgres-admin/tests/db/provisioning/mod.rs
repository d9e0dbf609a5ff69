//! The owner's side of `mtdb migrate` and `mtdb seed`: the login role and the demo.

mod login_role;
mod seed;
