-- A USER's lead imports are its own: the job remembers whose leads it creates (null: the operator's).
ALTER TABLE lead_import_jobs ADD COLUMN owner_user_id uuid REFERENCES users (id);
