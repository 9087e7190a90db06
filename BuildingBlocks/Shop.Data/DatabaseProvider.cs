namespace Shop.Data;

/// <summary>Which database a service runs on: PostgreSQL locally and in CI, SQL Server in docker compose.</summary>
public enum DatabaseProvider
{
    Postgres,
    SqlServer,
}
