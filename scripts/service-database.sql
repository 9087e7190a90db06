-- Hands one service's database to that service's role and closes it to every other role. Run as the operator while
-- connected to that database, with __DATABASE__ and __ROLE__ replaced (scripts/access.sh; the tests read this file too).
-- The role owns the database, so its migrations create (and later alter) their tables as that role.
ALTER DATABASE __DATABASE__ OWNER TO __ROLE__;
-- PUBLIC may connect to (and create temporary tables in) every database by default: not to this one.
REVOKE ALL ON DATABASE __DATABASE__ FROM PUBLIC;
-- Tables an operator's migrations created before the role existed: the role must own them to migrate them further.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') AND pg_get_userbyid(c.relowner) <> '__ROLE__'
    LOOP
        EXECUTE format('ALTER %s public.%I OWNER TO %I',
            CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, r.relname, '__ROLE__');
    END LOOP;
END $$;
