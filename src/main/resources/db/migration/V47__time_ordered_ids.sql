-- Time-ordered ids (UUID version 7, RFC 9562: the creation millisecond, then random bits) for the rows the voice and
-- conversion paths insert. A random id (gen_random_uuid) puts each insert on a random page of the primary key, so
-- after every checkpoint most inserts also write a full image of that index page to the WAL (and the checkpointer
-- writes those pages back); a time-ordered id lands on the index's last page. The hub's Java side makes the same kind
-- of id (io.dcx.hub.support.Ids) for the rows whose id it chooses: calls, events, conversions.
-- PostgreSQL 18 has uuidv7(); this one is for 15-17: a random UUID with the millisecond laid over its first six
-- bytes and the version nibble turned from 4 (0100) into 7 (0111).
CREATE FUNCTION dcx_uuid_v7() RETURNS uuid
    LANGUAGE sql VOLATILE PARALLEL SAFE
AS $$
    SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
               PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
               FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid
$$;

ALTER TABLE call_sessions ALTER COLUMN id SET DEFAULT dcx_uuid_v7();
ALTER TABLE call_legs ALTER COLUMN id SET DEFAULT dcx_uuid_v7();
ALTER TABLE webhook_deliveries ALTER COLUMN id SET DEFAULT dcx_uuid_v7();
