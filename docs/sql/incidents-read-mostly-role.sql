-- The read-mostly database role of the incidents service (production).
--
-- The incidents service reads what the run-processor writes; the only row it changes is a
-- monitor's "enabled" flag and its schedule settings (and updated_at, the change marker of live
-- updates). It also keeps its local accounts. Run this as the schema owner AFTER the owner (the processor) has applied
-- the Liquibase changelog, then start the service with tcportal.incidents.migrate=false:
--
--   CREATE ROLE tcportal_incidents LOGIN PASSWORD '<secret>';
--   psql -d tcportal -f docs/sql/incidents-read-mostly-role.sql
--   GRANT CONNECT ON DATABASE tcportal TO tcportal_incidents;
--
-- The test jp.tcportal.incidents.schema.ReadMostlyRoleTest applies exactly this file and checks
-- that the service works, that the role can update exactly those columns of task_monitors, and
-- that it cannot insert runs or change a monitor's state.

GRANT USAGE ON SCHEMA public TO tcportal_incidents;

-- Spec 2.3: authenticated users read both tables.
GRANT SELECT ON public.task_monitors, public.task_monitor_runs TO tcportal_incidents;

-- Admins enable and disable monitors and set their schedule settings (issue 13); nothing else in
-- task_monitors may change from this side.
GRANT UPDATE (enabled, updated_at,
              schedule_type, schedule_interval_seconds, schedule_cron, schedule_time_zone,
              grace_seconds, max_runtime_seconds, failure_threshold, recovery_threshold)
  ON public.task_monitors TO tcportal_incidents;

-- Local accounts: TC_PORTAL_ADMIN_PASSWORD creates/updates "admin"; admins manage viewers.
GRANT SELECT, INSERT, UPDATE, DELETE ON public.tcportal_users TO tcportal_incidents;

-- With tcportal.incidents.migrate=false the service waits until its changesets are recorded here.
GRANT SELECT ON public.databasechangelog TO tcportal_incidents;
