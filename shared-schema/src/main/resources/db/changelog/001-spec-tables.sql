--liquibase formatted sql

--changeset tcportal:001-spec-tables
--comment: The specification's two tables, column for column. IF NOT EXISTS keeps a database that the spec's own migration created.
CREATE TABLE IF NOT EXISTS public.task_monitors (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  task_key TEXT NOT NULL,
  task_name TEXT NOT NULL,
  kind TEXT NOT NULL,
  machine_name TEXT NULL,
  enabled BOOLEAN NOT NULL DEFAULT true,
  last_status TEXT NULL,
  last_started_at TIMESTAMPTZ NULL,
  last_finished_at TIMESTAMPTZ NULL,
  last_exit_code INT NULL,
  last_message TEXT NULL,
  last_log_url TEXT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX IF NOT EXISTS idx_task_monitors_unique
  ON public.task_monitors(task_key, kind, COALESCE(machine_name, ''));

CREATE TABLE IF NOT EXISTS public.task_monitor_runs (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  monitor_id UUID NOT NULL REFERENCES task_monitors(id) ON DELETE CASCADE,
  status TEXT NOT NULL,
  started_at TIMESTAMPTZ NULL,
  finished_at TIMESTAMPTZ NULL,
  duration_ms INT NULL,
  exit_code INT NULL,
  message TEXT NULL,
  log_url TEXT NULL,
  raw JSONB NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS idx_task_monitor_runs_monitor_id
  ON public.task_monitor_runs(monitor_id, created_at DESC);
--rollback DROP TABLE public.task_monitor_runs; DROP TABLE public.task_monitors;
