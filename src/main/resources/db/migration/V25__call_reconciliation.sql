-- Reconciliation of calls whose final callback never came (issue 26 item 5): a worker leases a stuck call while it
-- asks the provider about it, so two instances never look the same call up at once; the lease also spaces the
-- checks of a call that is still live at the provider.
ALTER TABLE call_sessions ADD COLUMN reconcile_lease_until timestamptz;
