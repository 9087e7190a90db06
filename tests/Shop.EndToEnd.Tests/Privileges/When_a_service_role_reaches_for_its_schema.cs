using Microsoft.EntityFrameworkCore;
using Npgsql;
using Shop.Payments.Data;
using Shop.Testing;

namespace Shop.EndToEnd.Tests.Privileges;

/// <summary>
/// A service's runtime role (shop_payments, as scripts/infra-up.sh and scripts/service-database.sql make it) reads and
/// writes the rows of its tables and nothing more: an injection or a compromised Payments cannot drop, alter or truncate
/// its ledger or the unique index that keeps one capture per order. Only the migration identity (shop_payments_migrator),
/// which migrated the database here as `--migrate` does, may change the schema.
/// </summary>
public sealed class When_a_service_role_reaches_for_its_schema : IAsyncLifetime
{
    const string InsufficientPrivilege = "42501";

    TestDatabase _payments = null!;
    string _asPayments = null!;
    string _ledgerIndex = null!;

    public async Task InitializeAsync()
    {
        _payments = await TestDatabase.CreateAsync("shop_priv_schema");
        _asPayments = await ServiceUsers.HandOverAsync(_payments, "Payments");
        var asMigrator = ServiceUsers.ConnectionStringAs(_payments.Name, ServiceUsers.MigratorOf("Payments"));
        await using (var context = new PaymentsPostgresDbContext(new DbContextOptionsBuilder<PaymentsPostgresDbContext>().UseNpgsql(asMigrator).Options))
            await context.Database.MigrateAsync();
        _ledgerIndex = (await _payments.ScalarAsync<string>(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'Payments' AND indexdef LIKE 'CREATE UNIQUE INDEX%' AND indexname NOT LIKE 'PK%' LIMIT 1"))!;
    }

    public async Task DisposeAsync() => await _payments.DisposeAsync();

    [Theory]
    [InlineData("""DROP TABLE "Payments" """)]
    [InlineData("""ALTER TABLE "Payments" ADD COLUMN "Forged" int""")]
    [InlineData("""TRUNCATE "Payments" """)]
    [InlineData("""CREATE TABLE "Shadow" ("Id" int)""")]
    [InlineData("""CREATE INDEX "IX_Shadow" ON "Payments" ("OrderId")""")]
    [InlineData("""DROP TABLE "__EFMigrationsHistory" """)]
    [InlineData("""CREATE TEMPORARY TABLE "Scratch" ("Id" int)""")]
    public async Task Should_refuse_the_runtime_role_changing_the_schema(string statement)
    {
        var exception = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(_asPayments, statement));

        Assert.Equal(InsufficientPrivilege, exception.SqlState);
    }

    [Fact]
    public async Task Should_refuse_the_runtime_role_dropping_the_ledgers_unique_index()
    {
        var exception = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(_asPayments, $"""DROP INDEX "{_ledgerIndex}" """));

        Assert.Equal(InsufficientPrivilege, exception.SqlState);
        Assert.Equal(1L, await _payments.ScalarAsync<long>($"SELECT count(*) FROM pg_indexes WHERE indexname = '{_ledgerIndex}'"));
    }

    [Fact]
    public async Task Should_let_the_runtime_role_read_and_write_rows_and_the_migrations_history()
    {
        // Each statement is checked for its privilege whether or not a row matches.
        await ExecuteAsync(_asPayments, """
            INSERT INTO "Payments" SELECT * FROM "Payments" WHERE false;
            UPDATE "Payments" SET "OrderId" = "OrderId" WHERE false;
            DELETE FROM "Payments" WHERE false;
            """);

        var applied = await ScalarAsync(_asPayments, """SELECT count(*) FROM "__EFMigrationsHistory" """);

        Assert.True(applied > 0, "the runtime role reads which migrations were applied (the start-up check)");
    }

    static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
