-- Bluedesk on PostgreSQL: state as rows, the decision log with its hash chain, and archived records.
-- JSON is kept as text, not jsonb: jsonb rejects \u0000 in strings, and a user's text must never poison a write.

-- Every state write takes the next version, so an instance can fetch what changed since it last looked.
CREATE SEQUENCE bd_state_ver;

-- One row per entry of a state collection (an escalation, an outbox item, a dialog session ...).
-- Top-level values that are not collections (the checkpoint's walSeq) live in collection '$'.
CREATE TABLE bd_state (
  collection text NOT NULL,
  id text NOT NULL,
  -- NULL once removed: kept as a tombstone so other instances see the removal.
  value text,
  ver bigint NOT NULL,
  PRIMARY KEY (collection, id)
);
CREATE INDEX bd_state_by_ver ON bd_state (ver);

-- The decision log: each record's canonical JSON exactly as hashed, with the columns searches use.
CREATE TABLE bd_decisions (
  seq bigint PRIMARY KEY,
  at text NOT NULL,
  action text NOT NULL,
  subject_type text,
  subject_id text,
  actor_id text,
  hash text NOT NULL,
  line text NOT NULL
);
CREATE INDEX bd_decisions_subject ON bd_decisions (subject_type, subject_id, seq);
CREATE INDEX bd_decisions_actor ON bd_decisions (actor_id, seq);
CREATE INDEX bd_decisions_at ON bd_decisions (at);

-- Finished records moved out of hot state (closed escalations), read by id.
CREATE TABLE bd_archive (
  kind text NOT NULL,
  id text NOT NULL,
  value text NOT NULL,
  PRIMARY KEY (kind, id)
);
