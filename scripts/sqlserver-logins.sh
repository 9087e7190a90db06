#!/usr/bin/env bash
# docker compose's sqlserver-init step: as sa, creates each service's database and a login of its own that is db_owner
# of that database only (no server role, so no other database and no server-wide rights), then exits. Idempotent: an
# existing login gets its password reset. Runs in the SQL Server image (sqlcmd); passwords come from the environment:
# MSSQL_SA_PASSWORD and <SERVICE>_DB_PASSWORD (ORDERS_DB_PASSWORD ... ANALYTICS_DB_PASSWORD).
set -euo pipefail
readonly SQLCMD=/opt/mssql-tools18/bin/sqlcmd
readonly SERVICES=(orders payments inventory shipping notifications paymentprovider analytics)
# sqlcmd reads sa's password from here, never from its command line.
export SQLCMDPASSWORD=${MSSQL_SA_PASSWORD:?MSSQL_SA_PASSWORD is not set}

for service in "${SERVICES[@]}"; do
    variable=${service^^}_DB_PASSWORD
    password=${!variable:?$variable is not set}
    login=shop_$service database=shop_$service
    # The password as a T-SQL string literal: quotes doubled.
    literal=${password//\'/\'\'}
    "$SQLCMD" -C -S "${SQLSERVER_HOST:-sqlserver}" -U sa -b -Q "
        IF DB_ID(N'$database') IS NULL CREATE DATABASE [$database];
        IF SUSER_ID(N'$login') IS NULL
            CREATE LOGIN [$login] WITH PASSWORD = N'$literal', DEFAULT_DATABASE = [$database], CHECK_POLICY = ON;
        ELSE
            ALTER LOGIN [$login] WITH PASSWORD = N'$literal';
        EXEC (N'USE [$database];
            IF USER_ID(N''$login'') IS NULL CREATE USER [$login] FOR LOGIN [$login];
            ALTER ROLE db_owner ADD MEMBER [$login];');" >/dev/null
    echo "sqlserver-logins.sh: $login owns $database"
done
