using Microsoft.EntityFrameworkCore;
using Shop.Messaging.PaymentTokens;
using Shop.Messaging.Storage;
using Shop.Payments.Domain;

namespace Shop.Payments.Data;

public class PaymentsDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<PaymentRecord> Payments => Set<PaymentRecord>();

    public async Task<PaymentLedger> LoadLedgerAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var records = await Payments.AsNoTracking().Where(x => x.OrderId == orderId).ToListAsync(cancellationToken);
        return new PaymentLedger(orderId, records);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddMessagingTables();

        modelBuilder.Entity<PaymentRecord>(payment =>
        {
            payment.ToTable("Payments");
            payment.HasKey(x => new { x.OrderId, x.Sequence });
            payment.HasIndex(x => new { x.OrderId, x.Kind }).IsUnique();
            payment.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
            payment.Property(x => x.Amount).HasPrecision(18, 2);
            payment.Property(x => x.Reason).HasMaxLength(200);
            payment.Property(x => x.PaymentToken).HasMaxLength(SealedPaymentToken.MaxLength);
            payment.Property(x => x.KeyNonce).HasMaxLength(PaymentKeys.NonceLength).IsFixedLength();
        });
    }
}
