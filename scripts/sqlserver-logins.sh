#!/usr/bin/env bash
# docker compose's sqlserver-init step: as sa, creates each service's database and two logins for it, then exits:
#   shop_<service>_migrator  the migration identity: db_owner of that database only (the <service>-migrate job);
#   shop_<service>           the runtime login: db_datareader + db_datawriter of that database only (the service) —
#                            rows, never the schema: no CREATE, ALTER or DROP, no db_owner.
# No server role for either, so no other database and no server-wide rights. Idempotent: an existing login gets its
# password reset, and a runtime user of the earlier layout loses db_owner. Runs in the SQL Server image (sqlcmd);
# passwords come from the environment: MSSQL_SA_PASSWORD, <SERVICE>_DB_PASSWORD and <SERVICE>_DB_MIGRATOR_PASSWORD
# (ORDERS_DB_PASSWORD, ORDERS_DB_MIGRATOR_PASSWORD ... ANALYTICS_DB_MIGRATOR_PASSWORD).
set -euo pipefail
readonly SQLCMD=/opt/mssql-tools18/bin/sqlcmd
# console: the console's own database (its audit); its runtime login is shop_console, the reader below.
readonly SERVICES=(orders payments inventory shipping notifications paymentprovider identity analytics console)
# sqlcmd reads sa's password from here, never from its command line.
export SQLCMDPASSWORD=${MSSQL_SA_PASSWORD:?MSSQL_SA_PASSWORD is not set}

# ensure_login <login> <password> <database>: the login exists with that password, and a user of it in the database.
ensure_login() {
    local login=$1 password=$2 database=$3
    # The password as a T-SQL string literal: quotes doubled.
    local literal=${password//\'/\'\'}
    "$SQLCMD" -C -S "${SQLSERVER_HOST:-sqlserver}" -U sa -b -Q "
        IF SUSER_ID(N'$login') IS NULL
            CREATE LOGIN [$login] WITH PASSWORD = N'$literal', DEFAULT_DATABASE = [$database], CHECK_POLICY = ON;
        ELSE
            ALTER LOGIN [$login] WITH PASSWORD = N'$literal';
        EXEC (N'USE [$database]; IF USER_ID(N''$login'') IS NULL CREATE USER [$login] FOR LOGIN [$login];');" >/dev/null
}

for service in "${SERVICES[@]}"; do
    runtime_variable=${service^^}_DB_PASSWORD migrator_variable=${service^^}_DB_MIGRATOR_PASSWORD
    runtime_password=${!runtime_variable:?$runtime_variable is not set}
    migrator_password=${!migrator_variable:?$migrator_variable is not set}
    runtime=shop_$service migrator=shop_${service}_migrator database=shop_$service
    "$SQLCMD" -C -S "${SQLSERVER_HOST:-sqlserver}" -U sa -b -Q "IF DB_ID(N'$database') IS NULL CREATE DATABASE [$database];" >/dev/null
    ensure_login "$migrator" "$migrator_password" "$database"
    ensure_login "$runtime" "$runtime_password" "$database"
    "$SQLCMD" -C -S "${SQLSERVER_HOST:-sqlserver}" -U sa -b -Q "
        EXEC (N'USE [$database];
            ALTER ROLE db_owner ADD MEMBER [$migrator];
            IF IS_ROLEMEMBER(N''db_owner'', N''$runtime'') = 1 ALTER ROLE db_owner DROP MEMBER [$runtime];
            ALTER ROLE db_datareader ADD MEMBER [$runtime];
            ALTER ROLE db_datawriter ADD MEMBER [$runtime];');" >/dev/null
    echo "sqlserver-logins.sh: $migrator owns $database; $runtime reads and writes its rows"
done

# The operator console: one login, shop_console, db_datareader (SELECT only) of the databases it shows, never of
# Identity's (password hashes) or the simulator's. Its password: CONSOLE_DB_PASSWORD.
readonly CONSOLE_READS=(orders payments inventory shipping notifications analytics)
console_password=${CONSOLE_DB_PASSWORD:?CONSOLE_DB_PASSWORD is not set}
for service in "${CONSOLE_READS[@]}"; do
    ensure_login shop_console "$console_password" "shop_$service"
    "$SQLCMD" -C -S "${SQLSERVER_HOST:-sqlserver}" -U sa -b -Q "
        EXEC (N'USE [shop_$service]; ALTER ROLE db_datareader ADD MEMBER [shop_console];');" >/dev/null
done
echo "sqlserver-logins.sh: shop_console reads ${CONSOLE_READS[*]}"
