-- Issue 24: the rest of a call's routing stack as uuid[] (16 bytes an offer) instead of a jsonb array of id strings
-- (~40 bytes each): with 20 buyers the stack was 768 of the call row's ~1,860 bytes, written to the WAL on every call.
-- A new column, not a type change: altering routing_stack would rewrite every call row and index under an exclusive
-- lock. Calls started before this version keep their jsonb stack, which failover still reads when routing_offers
-- is NULL; new calls leave routing_stack at its default ('[]').
ALTER TABLE call_sessions ADD COLUMN routing_offers uuid[];
