using Microsoft.EntityFrameworkCore;
using Shop.PaymentProvider.Domain;

namespace Shop.PaymentProvider.Data;

public sealed class ProviderSqlServerDbContext(DbContextOptions<ProviderSqlServerDbContext> options) : ProviderDbContext(options)
{
    /// <summary>A binary collation, so that keys compare case-sensitively as on PostgreSQL ("K1" and "k1" are two keys).</summary>
    public const string KeyCollation = "Latin1_General_100_BIN2";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        // SQL Server's default collation is case-insensitive: its unique indexes would merge keys PostgreSQL keeps apart.
        modelBuilder.Entity<Charge>().Property(x => x.IdempotencyKey).UseCollation(KeyCollation);
        modelBuilder.Entity<Refund>().Property(x => x.IdempotencyKey).UseCollation(KeyCollation);
        modelBuilder.Entity<ChargeAttempt>().Property(x => x.IdempotencyKey).UseCollation(KeyCollation);
    }
}
