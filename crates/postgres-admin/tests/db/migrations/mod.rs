//! Migrations: up, down and up again to the same schema, the data-loss guard, reworded
//! comments, and a comment on every table and column.

mod comments;
mod data_loss;
mod reworded;
mod round_trip;
mod schema_file;
