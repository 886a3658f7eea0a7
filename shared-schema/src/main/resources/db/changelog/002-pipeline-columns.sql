--liquibase formatted sql

--changeset tcportal:002-run-report-id
--comment: One run per report: a redelivered or retried report finds its report_id taken and is a no-op. Rows from before this change keep NULL (NULLs never collide).
ALTER TABLE public.task_monitor_runs ADD COLUMN IF NOT EXISTS report_id UUID NULL;
ALTER TABLE public.task_monitor_runs ADD COLUMN IF NOT EXISTS received_at TIMESTAMPTZ NULL;
CREATE UNIQUE INDEX IF NOT EXISTS idx_task_monitor_runs_report_id
  ON public.task_monitor_runs(report_id);
--rollback DROP INDEX public.idx_task_monitor_runs_report_id; ALTER TABLE public.task_monitor_runs DROP COLUMN received_at; ALTER TABLE public.task_monitor_runs DROP COLUMN report_id;

--changeset tcportal:002-monitor-ordering-and-streak
--comment: last_occurred_at is the instant of the report that set the last_* columns (finished, else started, else received); an older report never moves them. failure_streak counts consecutive failed runs for escalation.
ALTER TABLE public.task_monitors ADD COLUMN IF NOT EXISTS last_occurred_at TIMESTAMPTZ NULL;
ALTER TABLE public.task_monitors ADD COLUMN IF NOT EXISTS last_duration_ms INT NULL;
ALTER TABLE public.task_monitors ADD COLUMN IF NOT EXISTS last_report_id UUID NULL;
ALTER TABLE public.task_monitors ADD COLUMN IF NOT EXISTS failure_streak INT NOT NULL DEFAULT 0;
--rollback ALTER TABLE public.task_monitors DROP COLUMN failure_streak; ALTER TABLE public.task_monitors DROP COLUMN last_report_id; ALTER TABLE public.task_monitors DROP COLUMN last_duration_ms; ALTER TABLE public.task_monitors DROP COLUMN last_occurred_at;

--changeset tcportal:002-badge-index
--comment: The sidebar badge counts last_status = 'failed' AND enabled = true (spec 7.2); this partial index makes that an index-only count.
CREATE INDEX IF NOT EXISTS idx_task_monitors_failing
  ON public.task_monitors(id) WHERE last_status = 'failed' AND enabled;
--rollback DROP INDEX public.idx_task_monitors_failing;

--changeset tcportal:002-run-history-keyset
--comment: Run history is paged newest first by (created_at, id) without OFFSET; id breaks ties between runs stored in one batch.
CREATE INDEX IF NOT EXISTS idx_task_monitor_runs_history
  ON public.task_monitor_runs(monitor_id, created_at DESC, id DESC);
--rollback DROP INDEX public.idx_task_monitor_runs_history;
