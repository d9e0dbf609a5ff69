//! Reads on a hot standby.

mod standby;
