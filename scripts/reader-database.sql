-- The console's read-only access to one service's database: the role __READER__ may connect and SELECT, nothing else
-- (no INSERT/UPDATE/DELETE, no DDL), on the tables there are now and (default privileges of the migration identity
-- __MIGRATOR__) on those later migrations create. Run as the operator while connected to that database, after
-- scripts/service-database.sql, with __DATABASE__, __MIGRATOR__ and __READER__ replaced (scripts/access.sh; the console's
-- browser tests read this file too). Idempotent.
GRANT CONNECT ON DATABASE __DATABASE__ TO __READER__;
GRANT USAGE ON SCHEMA public TO __READER__;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM __READER__;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO __READER__;
ALTER DEFAULT PRIVILEGES FOR ROLE __MIGRATOR__ IN SCHEMA public GRANT SELECT ON TABLES TO __READER__;
