--liquibase formatted sql

--changeset tcportal:006-monitor-last-received-at
--comment: last_received_at is the gateway's received_at of the report that set the last_* columns. It bounds the client's instants (a report dated in the future of its arrival orders by arrival instead) and breaks ties between reports of the same instant (the later arrival wins).
ALTER TABLE public.task_monitors ADD COLUMN IF NOT EXISTS last_received_at TIMESTAMPTZ NULL;
UPDATE public.task_monitors m SET last_received_at = r.received_at
  FROM public.task_monitor_runs r
  WHERE r.report_id = m.last_report_id AND m.last_received_at IS NULL;
--rollback ALTER TABLE public.task_monitors DROP COLUMN last_received_at;

--changeset tcportal:006-clamp-future-ordering-instants
--comment: last_occurred_at becomes the ordering instant: the client's instant, or the arrival when the client's instant is more than the default tolerance (2 minutes) ahead of it. Monitors that already hold such a future instant (a PC dated 2099) get their arrival instead, so the dashboard's recency order is sane; last_started_at and last_finished_at keep what the client said. The processor applies the same bound to stored values at run time, whatever its configured tolerance.
UPDATE public.task_monitors
  SET last_occurred_at = COALESCE(last_received_at, updated_at)
  WHERE last_occurred_at > COALESCE(last_received_at, updated_at) + interval '2 minutes';
--rollback SELECT 1;

--changeset tcportal:006-parked-records
--comment: Records of the run topic that were refused and could not be written to the dead-letter topic either (too large for it, or it is gone) are parked here so their partition moves on. Unique per topic, partition and offset: a redelivered batch parks a record once. See docs/runbook.md for listing and replaying them.
CREATE TABLE IF NOT EXISTS public.tcportal_parked_records (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  topic TEXT NOT NULL,
  kafka_partition INT NOT NULL,
  kafka_offset BIGINT NOT NULL,
  record_key TEXT NULL,
  record_value BYTEA NULL,
  headers JSONB NOT NULL DEFAULT '[]'::jsonb,
  reason TEXT NOT NULL,
  detail TEXT NULL,
  dead_letter_error TEXT NULL,
  parked_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  replayed_at TIMESTAMPTZ NULL,
  CONSTRAINT uq_tcportal_parked_records_position UNIQUE (topic, kafka_partition, kafka_offset)
);
--rollback DROP TABLE public.tcportal_parked_records;
