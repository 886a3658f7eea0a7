--liquibase formatted sql

--changeset tcportal:008-notification-channels
--comment: Where notifications go (issue 14). The incidents service writes channels, the notifier reads them; URLs and secrets are AES-GCM ciphertexts (ChannelCrypto), never plain text.
CREATE TABLE IF NOT EXISTS public.notification_channels (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  name TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('slack', 'teams', 'webhook', 'email')),
  url_encrypted BYTEA,
  secret_encrypted BYTEA,
  to_addresses TEXT[] NOT NULL DEFAULT '{}',
  language TEXT NOT NULL DEFAULT 'ja' CHECK (language IN ('ja', 'en')),
  filter JSONB NOT NULL DEFAULT '{}'::jsonb,
  remind_every_minutes INTEGER CHECK (remind_every_minutes IS NULL OR remind_every_minutes > 0),
  enabled BOOLEAN NOT NULL DEFAULT true,
  disabled_reason TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  -- An e-mail channel has addresses and no URL; every other type has a URL.
  CONSTRAINT notification_channels_target CHECK (
    (type = 'email' AND cardinality(to_addresses) > 0)
    OR (type <> 'email' AND url_encrypted IS NOT NULL))
);
--rollback DROP TABLE public.notification_channels;

--changeset tcportal:008-notification-deliveries
--comment: The notifier's ledger: one row per (event, channel), written before the event's offset is committed, so no incident is dropped and a redelivered event adds nothing.
CREATE TABLE IF NOT EXISTS public.notification_deliveries (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id UUID NOT NULL,
  channel_id UUID NOT NULL REFERENCES public.notification_channels(id) ON DELETE CASCADE,
  monitor_id UUID NOT NULL,
  event_json JSONB NOT NULL,
  -- What the event means to people (opened or resolved); resolved rows carry when the incident began.
  notice TEXT NOT NULL CHECK (notice IN ('opened', 'resolved')),
  incident_opened_at TIMESTAMPTZ,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'retrying', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_error TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  sent_at TIMESTAMPTZ,
  CONSTRAINT notification_deliveries_event_channel UNIQUE (event_id, channel_id)
);
--rollback DROP TABLE public.notification_deliveries;

--changeset tcportal:008-notification-deliveries-open
--comment: The worker scans only open deliveries (pending or retrying), oldest first per (monitor, channel); sent and dead rows stay for the delivery log without slowing the scan.
CREATE INDEX IF NOT EXISTS idx_notification_deliveries_open
  ON public.notification_deliveries (channel_id, monitor_id, id)
  WHERE state IN ('pending', 'retrying');
--rollback DROP INDEX public.idx_notification_deliveries_open;

--changeset tcportal:008-notification-deliveries-log
--comment: The delivery log of one channel, newest first.
CREATE INDEX IF NOT EXISTS idx_notification_deliveries_channel_log
  ON public.notification_deliveries (channel_id, id DESC);
--rollback DROP INDEX public.idx_notification_deliveries_channel_log;
