namespace Shop.Testing;

/// <summary>
/// A PostgreSQL database and RabbitMQ virtual host of a test class's (or fixture's) own, created by
/// <see cref="InitializeAsync"/> and dropped by <see cref="DisposeAsync"/> — after whatever was started on them and
/// handed to <see cref="Own"/> has been stopped, the last first.
/// </summary>
/// <remarks>
/// A test class or fixture derives from it and declares xUnit's <c>IAsyncLifetime</c>, which these two public methods
/// implement (Shop.Testing does not reference xUnit). An override of <see cref="InitializeAsync"/> calls the base first.
/// </remarks>
/// <example><code>
/// public sealed class InventoryFixture() : DatabaseAndVirtualHost("inventory_test"), IAsyncLifetime
/// {
///     public override async Task InitializeAsync()
///     {
///         await base.InitializeAsync();
///         Service = Own(await InProcessService.StartAsync("Inventory", Database, VirtualHost, InventoryApp.Build));
///     }
/// }
/// </code></example>
/// <param name="prefix">Names both (<c>inventory_test</c>: database <c>inventory_test_…</c>, vhost <c>inventory-test-…</c>).</param>
public abstract class DatabaseAndVirtualHost(string prefix)
{
    readonly OwnedResources _owned = new();

    public TestDatabase Database { get; private set; } = null!;
    public TestVirtualHost VirtualHost { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Database = Own(await TestDatabase.CreateAsync(prefix));
        VirtualHost = Own(await TestVirtualHost.CreateAsync(prefix.Replace('_', '-')));
    }

    /// <summary>Disposes <paramref name="resource"/> before the database and virtual host go (and before what was owned earlier).</summary>
    protected T Own<T>(T resource)
        where T : IAsyncDisposable =>
        _owned.Add(resource);

    public virtual async Task DisposeAsync() => await _owned.DisposeAsync();
}
