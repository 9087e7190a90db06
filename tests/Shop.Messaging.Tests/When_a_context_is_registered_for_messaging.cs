using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shop.Data;
using Shop.Messaging.Configuration;
using Shop.Messaging.Delivery;
using Shop.Messaging.Tests.Infrastructure;
using Shop.ServiceDefaults;

namespace Shop.Messaging.Tests;

/// <summary>
/// The outbox commit interceptor is attached by <c>AddShopMessaging</c>, not by the database wiring: a context built
/// through Shop.Data's <c>AddShopDbContext</c> (pooled, registered for the provider's type) carries it exactly once when
/// the service has the bus, and not at all when it has none. Nothing is started; the options are built as a request's would be.
/// </summary>
public sealed class When_a_context_is_registered_for_messaging
{
    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.SqlServer)]
    public void Should_attach_the_outbox_signals_once_through_AddShopDbContext(DatabaseProvider provider)
    {
        var builder = NewBuilder(provider);
        builder.AddShopDbContext<SignalsDbContext, SignalsPostgresDbContext, SignalsSqlServerDbContext>("Signals");
        builder.Services.AddShopMessaging<SignalsDbContext>(builder.Configuration, _ => { });

        Assert.Single(InterceptorsOf<SignalsDbContext>(builder).OfType<OutboxCommitInterceptor>());
    }

    [Fact]
    public void Should_attach_none_without_messaging()
    {
        var builder = NewBuilder(DatabaseProvider.Postgres);
        builder.AddShopDbContext<SignalsDbContext, SignalsPostgresDbContext, SignalsSqlServerDbContext>("Signals");

        Assert.Empty(InterceptorsOf<SignalsDbContext>(builder));
    }

    [Fact]
    public void Should_attach_them_to_a_context_registered_by_hand_under_its_own_type()
    {
        var builder = NewBuilder(DatabaseProvider.Postgres);
        builder.Services.AddDbContextPool<TestDbContext>(options => options.UseNpgsql("Host=127.0.0.1;Database=signals;Username=shop;Password=unused"));
        builder.Services.AddShopMessaging<TestDbContext>(builder.Configuration, _ => { });

        Assert.Single(InterceptorsOf<TestDbContext>(builder).OfType<OutboxCommitInterceptor>());
    }

    [Fact]
    public void Should_attach_them_once_to_a_context_that_also_asks_for_them_itself()
    {
        var builder = NewBuilder(DatabaseProvider.Postgres);
        builder.Services.AddDbContextPool<TestDbContext>((services, options) => options
            .UseNpgsql("Host=127.0.0.1;Database=signals;Username=shop;Password=unused")
            .UseShopOutboxSignals(services));
        builder.Services.AddShopMessaging<TestDbContext>(builder.Configuration, _ => { });

        Assert.Single(InterceptorsOf<TestDbContext>(builder).OfType<OutboxCommitInterceptor>());
    }

    [Fact]
    public void Should_keep_service_defaults_free_of_the_other_building_blocks()
    {
        var references = typeof(ServiceDefaultsExtensions).Assembly.GetReferencedAssemblies().Select(x => x.Name).ToList();

        Assert.Contains("Serilog.AspNetCore", references);
        Assert.DoesNotContain(references, name => name!.StartsWith("Shop.", StringComparison.Ordinal));
    }

    static WebApplicationBuilder NewBuilder(DatabaseProvider provider)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider.ToString(),
            ["Database:CheckSchemaOnStartup"] = "false",
            ["ConnectionStrings:Signals"] = provider == DatabaseProvider.Postgres
                ? "Host=127.0.0.1;Database=signals;Username=shop;Password=unused"
                : "Server=127.0.0.1;Database=signals;User Id=shop;Password=unused",
        });
        return builder;
    }

    static IReadOnlyList<IInterceptor> InterceptorsOf<TContext>(WebApplicationBuilder builder)
        where TContext : DbContext
    {
        using var app = builder.Build();
        using var scope = app.Services.CreateScope();
        var context = scope.ServiceProvider.GetRequiredService<TContext>();
        return context.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?.ToList() ?? [];
    }
}

public class SignalsDbContext(DbContextOptions options) : DbContext(options);

public sealed class SignalsPostgresDbContext(DbContextOptions<SignalsPostgresDbContext> options) : SignalsDbContext(options);

public sealed class SignalsSqlServerDbContext(DbContextOptions<SignalsSqlServerDbContext> options) : SignalsDbContext(options);
