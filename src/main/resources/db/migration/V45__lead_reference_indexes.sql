-- Two references to leads had no index (follow_up_emails is served by its (lead_id, kind) key): deleting a lead (an
-- erasure request, retention, an operator removing an import) scanned the whole of each table for every lead deleted. lead_import_rows grows by every imported row, so
-- removing a 100,000-lead import took over half a minute in the tests and grew with the table. Only rows that name a
-- lead are indexed (most report rows of rejected lines, and contacts without a lead, name none).
CREATE INDEX lead_import_rows_lead_idx ON lead_import_rows (lead_id) WHERE lead_id IS NOT NULL;
CREATE INDEX dialer_contacts_lead_idx ON dialer_contacts (lead_id) WHERE lead_id IS NOT NULL;
