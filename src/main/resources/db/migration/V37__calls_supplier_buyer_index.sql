-- The calls list filtered by supplier and buyer together (issue 21): with only the per-column indexes, a supplier
-- and a buyer that never traded walked the whole supplier index looking for a row that is not there (387 ms at
-- 5 million calls, docs/benchmarks.md). One more index entry per call; the pair is an ordered walk like the others.
CREATE INDEX call_sessions_supplier_buyer_idx ON call_sessions (supplier_id, buyer_id, created_at DESC, id DESC);
