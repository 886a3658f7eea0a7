-- Run by the one-shot service "incidents-db-role" after the processor (the schema owner) has
-- migrated: the incidents service's read-mostly login role with its password from a secret file,
-- then the grants of docs/sql/incidents-read-mostly-role.sql. Safe to run again on every start.
\set ON_ERROR_STOP on
\set incidents_password `cat /run/secrets/incidents-database-password`
SELECT 'CREATE ROLE tcportal_incidents LOGIN'
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tcportal_incidents')
\gexec
ALTER ROLE tcportal_incidents WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'incidents_password';
GRANT CONNECT ON DATABASE tcportal TO tcportal_incidents;
\i /etc/tcportal/sql/incidents-read-mostly-role.sql
