--liquibase formatted sql

--changeset tcportal:005-run-body-digest
--comment: SHA-256 of the run's validated fields (hex). Idempotency-Key is scoped to the monitor (report_id is a UUIDv5 of monitor id and key); when one key brings a different report, the processor compares this digest and stores the other run under a derived report_id instead of dropping it. NULL for runs stored before.
ALTER TABLE public.task_monitor_runs ADD COLUMN IF NOT EXISTS body_digest TEXT NULL;
--rollback ALTER TABLE public.task_monitor_runs DROP COLUMN body_digest;

--changeset tcportal:005-run-assumed-time-zone
--comment: The zone (e.g. Asia/Tokyo) in which an instant sent without an offset was read; NULL when the client sent offsets. raw keeps the client's original text.
ALTER TABLE public.task_monitor_runs ADD COLUMN IF NOT EXISTS assumed_time_zone TEXT NULL;
--rollback ALTER TABLE public.task_monitor_runs DROP COLUMN assumed_time_zone;
