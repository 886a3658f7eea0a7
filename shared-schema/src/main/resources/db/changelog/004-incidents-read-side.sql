--liquibase formatted sql

--changeset tcportal:004-local-accounts
--comment: Local accounts of the incidents service (when no OpenID Connect issuer is configured): bcrypt hashes, one of two roles.
CREATE TABLE IF NOT EXISTS public.tcportal_users (
  username TEXT PRIMARY KEY,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('VIEWER', 'ADMIN')),
  enabled BOOLEAN NOT NULL DEFAULT true,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
--rollback DROP TABLE public.tcportal_users;

--changeset tcportal:004-incident-order
--comment: The incidents list shows failing (failed and enabled) monitors first, then the most recent; this index serves its first page and keyset pages without sorting 100,000 rows.
CREATE INDEX IF NOT EXISTS idx_task_monitors_incident_order
  ON public.task_monitors (
    ((last_status IS NOT DISTINCT FROM 'failed') AND enabled) DESC,
    COALESCE(last_occurred_at, '-infinity'::timestamptz) DESC,
    id DESC);
--rollback DROP INDEX public.idx_task_monitors_incident_order;

--changeset tcportal:004-change-marker
--comment: max(updated_at) is the dashboard's cheap change marker for live updates; the index makes it one index probe.
CREATE INDEX IF NOT EXISTS idx_task_monitors_updated_at
  ON public.task_monitors(updated_at);
--rollback DROP INDEX public.idx_task_monitors_updated_at;
