-- Reverts V10 to V9's state exactly: the two find functions go (with their grants and
-- comments). They hold no data; the repository's named statements never used them.

drop function mtdb_find_as_admin(uuid);
drop function mtdb_find_as_tenant(uuid);
