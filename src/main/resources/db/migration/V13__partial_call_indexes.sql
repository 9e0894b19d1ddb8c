-- Inbound calls (the hot insert) have no lead and no user: index only the rows that do, so an inbound call updates
-- four fewer indexes. Lookups are by equality (lead_id = ?, user_id = ?), which implies NOT NULL, so the planner
-- still uses these indexes; so do the foreign-key checks of leads and users.
DROP INDEX call_sessions_lead_idx;
CREATE INDEX call_sessions_lead_idx ON call_sessions (lead_id) WHERE lead_id IS NOT NULL;
DROP INDEX call_sessions_user_upcoming_idx;
CREATE INDEX call_sessions_user_upcoming_idx ON call_sessions (user_id, status, scheduled_at, id) WHERE user_id IS NOT NULL;
DROP INDEX call_sessions_user_completed_idx;
CREATE INDEX call_sessions_user_completed_idx ON call_sessions (user_id, completed_at DESC, id DESC) WHERE user_id IS NOT NULL;
DROP INDEX call_sessions_user_created_idx;
CREATE INDEX call_sessions_user_created_idx ON call_sessions (user_id, created_at DESC, id DESC) WHERE user_id IS NOT NULL;
