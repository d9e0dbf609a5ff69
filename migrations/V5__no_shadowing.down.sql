-- Reverts V5's grant change: PUBLIC holds TEMP on the database again, as PostgreSQL
-- grants it by default.
--
-- The functions keep pg_temp last in their search_path: putting it back first would
-- protect nothing, and a later migration may have pinned the same functions (the path
-- V5 sets is the one V4 and later use), so resetting it here could undo theirs.
do $$
begin
  execute format('grant temporary on database %I to public', current_database());
end
$$;
