-- One service's database with two roles: the migration identity __MIGRATOR__ owns the database and its schema and runs
-- the migrations; the runtime role __ROLE__ (the service) may only connect and read and write the rows of its tables. It
-- owns nothing and may create nothing, so it cannot DROP, ALTER, TRUNCATE or CREATE anything: an injection in the
-- service cannot rewrite a ledger's unique indexes. Run as the operator while connected to that database, with
-- __DATABASE__, __MIGRATOR__ and __ROLE__ replaced (scripts/access.sh; the tests read this file too). Idempotent; a
-- database of the earlier layout (owned by the runtime role) is handed over with its tables.
ALTER DATABASE __DATABASE__ OWNER TO __MIGRATOR__;
-- PUBLIC may connect to (and create temporary tables in) every database by default: not to this one.
REVOKE ALL ON DATABASE __DATABASE__ FROM PUBLIC;
REVOKE ALL ON DATABASE __DATABASE__ FROM __ROLE__;
GRANT CONNECT ON DATABASE __DATABASE__ TO __ROLE__;
-- PostgreSQL 15 gives schema public to the database owner and revokes CREATE from PUBLIC; older versions do neither.
ALTER SCHEMA public OWNER TO __MIGRATOR__;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON SCHEMA public FROM __ROLE__;
GRANT USAGE ON SCHEMA public TO __ROLE__;
-- Tables, views and sequences created by anyone else (the runtime role, in the earlier layout, or an operator): the
-- migration identity must own them to migrate them further. A table's indexes and identity sequences follow it.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND pg_get_userbyid(c.relowner) <> '__MIGRATOR__'
               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
    LOOP
        EXECUTE format('ALTER %s public.%I OWNER TO %I',
            CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
            r.relname, '__MIGRATOR__');
    END LOOP;
END $$;
-- Rows only: the tables and sequences there are now, and (default privileges) those later migrations create.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM __ROLE__;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO __ROLE__;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO __ROLE__;
ALTER DEFAULT PRIVILEGES FOR ROLE __MIGRATOR__ IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO __ROLE__;
ALTER DEFAULT PRIVILEGES FOR ROLE __MIGRATOR__ IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO __ROLE__;
