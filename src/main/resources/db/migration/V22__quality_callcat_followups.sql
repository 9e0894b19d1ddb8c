-- Issue 20 items 3-5: AI quality (REQ-AI-1/2), CallCat artifacts, the Vapi dialer's follow-up e-mails and lead owners.

-- ---------------------------------------------------------------------------------------------
-- AI quality: the rubric a campaign's calls are scored with (the hub-wide default is settings 'quality'),
-- and the model's reasons next to llm_qa_score / sentiment_score (V2).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE qa_rubrics (
    campaign_id  uuid PRIMARY KEY REFERENCES campaigns (id),
    rubric       text        NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE call_sessions ADD COLUMN qa_reasons jsonb;
ALTER TABLE call_sessions ADD COLUMN qa_scored_at timestamptz;
INSERT INTO settings (key, value) VALUES ('quality', '{"default_rubric": null}'::jsonb) ON CONFLICT (key) DO NOTHING;

-- ---------------------------------------------------------------------------------------------
-- CallCat artifacts: action items and tags on the call, when it was finalized, the final state NO_SHOW, and
-- transcript segments appended while (or after) the call runs, in order.
-- ---------------------------------------------------------------------------------------------
ALTER TABLE call_sessions ADD COLUMN action_items jsonb NOT NULL DEFAULT '[]'::jsonb;
ALTER TABLE call_sessions ADD COLUMN tags text[] NOT NULL DEFAULT '{}';
ALTER TABLE call_sessions ADD COLUMN finalized_at timestamptz;
ALTER TABLE call_sessions DROP CONSTRAINT call_sessions_status_check;
ALTER TABLE call_sessions ADD CONSTRAINT call_sessions_status_check
    CHECK (status IN ('INITIATED', 'RINGING', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'BUSY', 'NO_ANSWER', 'CANCELED',
                      'SCHEDULED', 'NO_SHOW'));

CREATE TABLE transcript_segments (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    call_session_id  uuid        NOT NULL REFERENCES call_sessions (id) ON DELETE CASCADE,
    -- 1, 2, 3 … per call, in the order the segments were appended
    seq              integer     NOT NULL CHECK (seq >= 1),
    -- agent | user | … as the client sends it (Retell transcript_object roles)
    role             text        NOT NULL,
    content          text        NOT NULL,
    start_ms         bigint      CHECK (start_ms >= 0),
    end_ms           bigint      CHECK (end_ms >= 0),
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT transcript_segments_call_seq_key UNIQUE (call_session_id, seq)
);
CREATE INDEX transcript_segments_created_idx ON transcript_segments (created_at);

-- whether a reschedule (PUT /api/calls/{id} with scheduled_at) may overlap another open call of the same user
INSERT INTO settings (key, value) VALUES ('callcat', '{"reject_overlapping_reschedule": false, "call_slot_minutes": 15}'::jsonb)
ON CONFLICT (key) DO NOTHING;

-- ---------------------------------------------------------------------------------------------
-- Vapi dialer: follow-up e-mails, each kind sent once per lead (a durable work item per e-mail), and the
-- editable templates; leads owned by a user.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE follow_up_emails (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    lead_id              uuid        NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    kind                 text        NOT NULL CHECK (kind IN ('BOOKING_CONFIRMATION', 'MISSED_CALL', 'NOT_INTERESTED')),
    status               text        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENDING', 'SENT', 'FAILED', 'SKIPPED')),
    attempts             integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at      timestamptz NOT NULL DEFAULT now(),
    locked_at            timestamptz,
    last_error           text,
    provider_message_id  text,
    sent_at              timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT follow_up_emails_lead_kind_key UNIQUE (lead_id, kind)
);
CREATE INDEX follow_up_emails_due_idx ON follow_up_emails (next_attempt_at) WHERE status IN ('PENDING', 'SENDING');

-- off until an admin turns it on (PUT /api/settings/email-templates {"enabled": true}) with RESEND_API_KEY set
INSERT INTO settings (key, value) VALUES ('email_templates', jsonb_build_object(
    'enabled', false,
    'booking_confirmation', jsonb_build_object(
        'subject', 'Your appointment is booked',
        'text', 'Hello {{contact_name}}, thank you for your time today. Your appointment is confirmed (booking {{booking_uid}}). We look forward to speaking with you.'),
    'missed_call', jsonb_build_object(
        'subject', 'Sorry we missed you',
        'text', 'Hello {{contact_name}}, we tried to reach you about {{company_name}}. Reply to this e-mail to pick a time that suits you.'),
    'not_interested', jsonb_build_object(
        'subject', 'Thank you for your time',
        'text', 'Hello {{contact_name}}, thank you for speaking with us. If anything changes, just reply to this e-mail.')))
ON CONFLICT (key) DO NOTHING;

ALTER TABLE leads ADD COLUMN owner_user_id uuid REFERENCES users (id);
CREATE INDEX leads_owner_idx ON leads (owner_user_id, created_at DESC, id DESC) WHERE owner_user_id IS NOT NULL;
