--liquibase formatted sql

--changeset tcportal:003-status-outbox
--comment: MonitorStatusChanged events are written here in the same transaction as the state they describe, then relayed to Kafka, so a crash between the commit and the publish loses no event.
CREATE TABLE IF NOT EXISTS public.tcportal_event_outbox (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  topic TEXT NOT NULL,
  event_key TEXT NOT NULL,
  payload JSONB NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
--rollback DROP TABLE public.tcportal_event_outbox;
