using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Shop.Audit.Tests;

public sealed class When_the_audit_opens_a_database : AuditTest
{
    [Fact]
    public async Task Should_not_be_able_to_change_it()
    {
        await Shop.CompletedOrderAsync();
        var options = AuditOptions.Parse(["--payments", Shop.Payments.ConnectionString]);
        await using var payments = new ServiceDatabases(options).Payments();

        var refused = await Assert.ThrowsAsync<PostgresException>(() => payments.Database.ExecuteSqlRawAsync("""DELETE FROM "Payments" """));

        Assert.Equal(PostgresErrorCodes.ReadOnlySqlTransaction, refused.SqlState);
        Assert.Equal(1, await Shop.Payments.ScalarAsync<long>("""SELECT COUNT(*) FROM "Payments" """));
    }
}
