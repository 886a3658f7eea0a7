--liquibase formatted sql

--changeset tcportal:007-monitor-schedule-settings
--comment: A monitor's schedule settings (issue 13), set by admins in the incidents service (PATCH /api/v1/monitors/{id} and the monitor page). The defaults mean what every monitor meant before: no schedule, grace 600 s, no runtime limit, thresholds 1 and 1, so existing rows and the processor's inserts need no change. The ranges repeat jp.tcportal.schema.schedule.ScheduleLimits so no writer can store what the services would refuse to read.
ALTER TABLE public.task_monitors
  ADD COLUMN IF NOT EXISTS schedule_type TEXT NOT NULL DEFAULT 'none',
  ADD COLUMN IF NOT EXISTS schedule_interval_seconds INT NULL,
  ADD COLUMN IF NOT EXISTS schedule_cron TEXT NULL,
  ADD COLUMN IF NOT EXISTS schedule_time_zone TEXT NOT NULL DEFAULT 'Asia/Tokyo',
  ADD COLUMN IF NOT EXISTS grace_seconds INT NOT NULL DEFAULT 600,
  ADD COLUMN IF NOT EXISTS max_runtime_seconds INT NULL,
  ADD COLUMN IF NOT EXISTS failure_threshold INT NOT NULL DEFAULT 1,
  ADD COLUMN IF NOT EXISTS recovery_threshold INT NOT NULL DEFAULT 1;
ALTER TABLE public.task_monitors
  ADD CONSTRAINT task_monitors_schedule_settings_check CHECK (
    schedule_type IN ('none', 'interval', 'cron')
    AND (schedule_type = 'interval') = (schedule_interval_seconds IS NOT NULL)
    AND (schedule_type = 'cron') = (schedule_cron IS NOT NULL)
    AND (schedule_interval_seconds IS NULL OR schedule_interval_seconds BETWEEN 60 AND 2678400)
    AND grace_seconds BETWEEN 30 AND 604800
    AND (max_runtime_seconds IS NULL OR max_runtime_seconds BETWEEN 30 AND 2419200)
    AND failure_threshold BETWEEN 1 AND 100
    AND recovery_threshold BETWEEN 1 AND 100);
--rollback ALTER TABLE public.task_monitors DROP CONSTRAINT task_monitors_schedule_settings_check, DROP COLUMN schedule_type, DROP COLUMN schedule_interval_seconds, DROP COLUMN schedule_cron, DROP COLUMN schedule_time_zone, DROP COLUMN grace_seconds, DROP COLUMN max_runtime_seconds, DROP COLUMN failure_threshold, DROP COLUMN recovery_threshold;
