using System.Data.Common;

namespace Shop.Data;

/// <summary>
/// A service whose connection string carries no credentials stops at start-up with a message saying so, instead of
/// logging in as whatever a default would be: each service has a database role of its own that owns only its
/// database (docs/operations.md). Local development values live in each service's <c>appsettings.Development.json</c>.
/// </summary>
public static class DatabaseCredentials
{
    /// <summary>Throws when <paramref name="connectionString"/> names no user or no password (and no integrated login).</summary>
    /// <exception cref="InvalidOperationException">A credential is missing; the message names the setting.</exception>
    public static void Require(string connectionName, string connectionString)
    {
        var settings = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (IsSet(settings, "Integrated Security", "Trusted_Connection") is { } integrated && !string.Equals(integrated, "false", StringComparison.OrdinalIgnoreCase))
            return;

        if (IsSet(settings, "Username", "User Id", "User ID", "UserId", "User", "Uid", "User Name") is null)
            throw new InvalidOperationException(Missing(connectionName, "no user (Username= / User Id=)"));
        if (IsSet(settings, "Password", "Pwd") is null)
            throw new InvalidOperationException(Missing(connectionName, "no password (Password=)"));
    }

    static string Missing(string connectionName, string what) =>
        $"ConnectionStrings:{connectionName} has {what}: every service logs in with its own database role " +
        $"(ConnectionStrings__{connectionName}); there is no default.";

    static string? IsSet(DbConnectionStringBuilder settings, params string[] keys) =>
        keys.Select(key => settings.TryGetValue(key, out var value) ? value?.ToString() : null)
            .FirstOrDefault(value => !string.IsNullOrWhiteSpace(value));
}
