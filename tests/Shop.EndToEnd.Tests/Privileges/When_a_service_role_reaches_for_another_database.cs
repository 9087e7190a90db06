using Npgsql;
using Shop.Testing;

namespace Shop.EndToEnd.Tests.Privileges;

/// <summary>
/// Each service's PostgreSQL roles (created by scripts/infra-up.sh: the runtime role and the migration identity that owns
/// its database, laid out as scripts/service-database.sql does) can do nothing else: not log in to another service's
/// database, not create databases or roles, not act as a superuser; the runtime role not even create a table.
/// </summary>
public sealed class When_a_service_role_reaches_for_another_database : IAsyncLifetime
{
    const string InsufficientPrivilege = "42501";
    static readonly string[] Services = ["Orders", "Payments", "Inventory", "Shipping", "Notifications", "PaymentProvider"];

    TestDatabase _orders = null!;
    TestDatabase _payments = null!;
    string _ordersAsOrders = null!;

    public async Task InitializeAsync()
    {
        _orders = await TestDatabase.CreateAsync("shop_priv_orders");
        _payments = await TestDatabase.CreateAsync("shop_priv_payments");
        _ordersAsOrders = await ServiceUsers.HandOverAsync(_orders, "Orders");
        await ServiceUsers.HandOverAsync(_payments, "Payments");
    }

    public async Task DisposeAsync()
    {
        await _orders.DisposeAsync();
        await _payments.DisposeAsync();
    }

    [Fact]
    public async Task Should_refuse_payments_logging_in_to_the_orders_database()
    {
        var exception = await Assert.ThrowsAsync<PostgresException>(() =>
            OpenAsync(ServiceUsers.ConnectionStringAs(_orders.Name, ServiceUsers.UserOf("Payments"))));

        Assert.Equal(InsufficientPrivilege, exception.SqlState);
    }

    [Fact]
    public async Task Should_let_only_the_migration_identity_create_tables()
    {
        await using (var migrator = await OpenAsync(ServiceUsers.ConnectionStringAs(_orders.Name, ServiceUsers.MigratorOf("Orders"))))
            await ExecuteAsync(migrator, "CREATE TABLE probe (id int PRIMARY KEY); INSERT INTO probe VALUES (1)");
        await using var runtime = await OpenAsync(_ordersAsOrders);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(runtime, "CREATE TABLE probe_of_the_runtime (id int)"));
        await ExecuteAsync(runtime, "INSERT INTO probe VALUES (2)");

        Assert.Equal(InsufficientPrivilege, refused.SqlState);
        Assert.Equal(ServiceUsers.MigratorOf("Orders"),
            await _orders.ScalarAsync<string>("SELECT tableowner FROM pg_tables WHERE tablename = 'probe'"));
        Assert.Equal(2L, await _orders.ScalarAsync<long>("SELECT count(*) FROM probe"));
    }

    [Fact]
    public async Task Should_refuse_orders_creating_a_database_or_a_role()
    {
        await using var connection = await OpenAsync(_ordersAsOrders);

        var database = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, "CREATE DATABASE shop_priv_never"));
        var role = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, "CREATE ROLE shop_priv_never"));

        Assert.Equal((InsufficientPrivilege, InsufficientPrivilege), (database.SqlState, role.SqlState));
    }

    [Fact]
    public async Task Should_give_no_service_role_a_superuser_right()
    {
        foreach (var role in Services.SelectMany(service => new[] { ServiceUsers.UserOf(service), ServiceUsers.MigratorOf(service) }))
        {
            var rights = await _orders.ScalarAsync<string>(
                $"SELECT concat_ws(',', rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls) FROM pg_roles WHERE rolname = '{role}'");

            Assert.True(rights == "t,f,f,f,f,f", $"{role}: login,super,createdb,createrole,replication,bypassrls = {rights ?? "no such role"}");
        }
    }

    static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
