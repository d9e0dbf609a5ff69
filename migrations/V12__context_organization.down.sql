-- Reverts V12 to V11's state exactly: the function goes (with its grant and comment). It
-- holds no data.

drop function mtdb_context_organization();
