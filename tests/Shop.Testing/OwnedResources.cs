namespace Shop.Testing;

/// <summary>What a fixture started, disposed the last first (a service before the database and vhost it runs on).</summary>
public sealed class OwnedResources : IAsyncDisposable
{
    readonly List<IAsyncDisposable> _owned = [];

    public T Add<T>(T resource)
        where T : IAsyncDisposable
    {
        _owned.Add(resource);
        return resource;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
            await _owned[i].DisposeAsync();
        _owned.Clear();
    }
}
