using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Shop.Data;
using Shop.Testing;

namespace Shop.Shipping.Tests.Hosting;

/// <summary>
/// A service never migrates its own database (its runtime role may not change the schema): it refuses to start while a
/// migration is pending, and the same build started with <c>--migrate</c> (here <c>Database:Migrate=true</c>) applies
/// them as the migration role and exits — with nothing else configured and nothing else started. Shipping here; the
/// code is Shop.Data's, which every service uses.
/// </summary>
public sealed class When_a_migration_is_pending() : DatabaseAndVirtualHost("shop_shipping_pending"), IAsyncLifetime
{
    [Fact]
    public async Task Should_refuse_to_start_and_say_how_to_migrate()
    {
        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            InProcessService.StartAsync("Shipping", Database, VirtualHost, ShippingApp.Build, migrate: false));

        Assert.Contains("migration(s) not applied", exception.Message);
        Assert.Contains(DatabaseMigrations.MigrateArgument, exception.Message);
        Assert.Contains("ConnectionStrings:ShippingMigrations", exception.Message);
        // Refused before the bus started: no queue was declared.
        Assert.Empty(await VirtualHost.QueueNamesAsync());
    }

    [Fact]
    public async Task Should_migrate_as_the_migration_role_then_start_as_the_runtime_role()
    {
        var exitCode = await ShippingApp.Build(MigrationOnly(new() { ["ConnectionStrings:ShippingMigrations"] = Database.MigratorConnectionString }))
            .RunOrMigrateAsync();

        Assert.Equal(0, exitCode);
        Assert.Equal(Database.MigratorRole, await Database.ScalarAsync<string>(
            "SELECT string_agg(DISTINCT tableowner, ',') FROM pg_tables WHERE schemaname = 'public'"));
        await using var shipping = await InProcessService.StartAsync("Shipping", Database, VirtualHost, ShippingApp.Build, migrate: false);
        using var ready = JsonDocument.Parse(await shipping.Http.GetStringAsync("/health/ready"));
        Assert.Equal("Healthy", ready.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Should_fail_the_migration_run_without_the_migration_identity()
    {
        // The runtime role's string is no substitute: it may not change the schema.
        var exitCode = await ShippingApp.Build(MigrationOnly(new() { ["ConnectionStrings:Shipping"] = Database.RuntimeConnectionString }))
            .RunOrMigrateAsync();

        Assert.Equal(1, exitCode);
        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
    }

    /// <summary>A builder as a migration job gets it: Production, the migrate flag and <paramref name="settings"/>, nothing else.</summary>
    static WebApplicationBuilder MigrationOnly(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ApplicationName = "Shop.Shipping" });
        builder.Configuration.Sources.Clear();
        settings[DatabaseMigrations.MigrateSetting] = "true";
        settings["Serilog:MinimumLevel:Default"] = "Fatal";
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }
}
