-- Runs once, when the PostgreSQL volume is first initialised (docker-entrypoint-initdb.d), as the
-- owner role POSTGRES_USER (`owabi`, which owns the tables and runs the migrations).
-- Creates the service's own role: it logs in, owns nothing and is given, by the grant step after
-- each migration (`npm run migrate`), the DML it needs, and only INSERT and SELECT on the audit
-- log. For a volume initialised before this file existed, run it once by hand:
--   docker compose exec -e OWABI_APP_DB_PASSWORD postgres psql -U owabi -d owabi -f /docker-entrypoint-initdb.d/10-owabi-app-role.sql
\set ON_ERROR_STOP on
\getenv app_password OWABI_APP_DB_PASSWORD
\if :{?app_password}
\else
  DO $$ BEGIN RAISE EXCEPTION 'OWABI_APP_DB_PASSWORD is not set: the service role cannot be created'; END $$;
\endif
CREATE ROLE owabi_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD :'app_password';
REVOKE ALL ON DATABASE owabi FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE owabi TO owabi_app;
