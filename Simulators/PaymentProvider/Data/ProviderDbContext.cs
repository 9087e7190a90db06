using Microsoft.EntityFrameworkCore;
using Shop.Data;
using Shop.PaymentProvider.Domain;

namespace Shop.PaymentProvider.Data;

/// <summary>
/// The provider's own database — nobody else's transaction ever touches it. Tables:
/// <list type="bullet">
/// <item><c>Charges</c>: ChargeId PK, IdempotencyKey varchar(100) unique, OrderId indexed, Amount decimal(18,2),
/// AmountRefunded decimal(18,2), Status varchar(16) (<c>captured</c> / <c>declined</c> / <c>voided</c>), DeclineCode
/// varchar(50) null, CreatedAt.</item>
/// <item><c>Refunds</c>: RefundId PK, ChargeId indexed, IdempotencyKey varchar(100) unique, Amount decimal(18,2), CreatedAt.</item>
/// <item><c>ChargeAttempts</c>: IdempotencyKey PK, Attempts (a concurrency token).</item>
/// </list>
/// </summary>
public class ProviderDbContext(DbContextOptions options) : DbContext(options)
{
    public const int IdempotencyKeyLength = 100;

    public DbSet<Charge> Charges => Set<Charge>();
    public DbSet<Refund> Refunds => Set<Refund>();
    public DbSet<ChargeAttempt> ChargeAttempts => Set<ChargeAttempt>();

    public Task<Charge?> FindChargeByKeyAsync(string idempotencyKey, CancellationToken cancellationToken) =>
        Charges.AsNoTracking().SingleOrDefaultAsync(x => x.IdempotencyKey == idempotencyKey, cancellationToken);

    public Task<Refund?> FindRefundByKeyAsync(string idempotencyKey, CancellationToken cancellationToken) =>
        Refunds.AsNoTracking().SingleOrDefaultAsync(x => x.IdempotencyKey == idempotencyKey, cancellationToken);

    /// <summary>
    /// Stores a new charge under its key, or — when a concurrent request with the same key (a charge or a void) stored
    /// first and the unique index refused this one — returns the winner's row, which this request then answers as a replay.
    /// </summary>
    public async Task<Charge> StoreChargeOrFindWinnerAsync(Charge charge, CancellationToken cancellationToken)
    {
        Charges.Add(charge);
        try
        {
            await SaveChangesAsync(cancellationToken);
            return charge;
        }
        catch (DbUpdateException exception) when (DatabaseErrors.IsUniqueViolation(exception))
        {
            ChangeTracker.Clear();
            return await FindChargeByKeyAsync(charge.IdempotencyKey, cancellationToken)
                ?? throw new InvalidOperationException($"Key '{charge.IdempotencyKey}' conflicted but its charge is not found.", exception);
        }
    }

    /// <summary>
    /// Counts one more attempt of the key and returns its number. Portable optimistic concurrency instead of an upsert:
    /// a concurrent first insert loses on the primary key and a concurrent increment on the <c>Attempts</c> token
    /// (<c>UPDATE … WHERE Attempts = @seen</c>, 0 rows); the loser re-reads and counts again, so every attempt gets its
    /// own number on PostgreSQL and SQL Server alike.
    /// </summary>
    public async Task<int> CountAttemptAsync(string idempotencyKey, CancellationToken cancellationToken)
    {
        for (var round = 1; ; round++)
        {
            ChangeTracker.Clear();
            var attempt = await ChargeAttempts.SingleOrDefaultAsync(x => x.IdempotencyKey == idempotencyKey, cancellationToken);
            if (attempt is null)
                ChargeAttempts.Add(attempt = new ChargeAttempt { IdempotencyKey = idempotencyKey, Attempts = 1 });
            else
                attempt.Attempts++;

            try
            {
                await SaveChangesAsync(cancellationToken);
                return attempt.Attempts;
            }
            catch (DbUpdateException exception) when (round < 50 && (exception is DbUpdateConcurrencyException || DatabaseErrors.IsUniqueViolation(exception)))
            {
                // another attempt of the same key counted first: count after it
            }
            finally
            {
                ChangeTracker.Clear();
            }
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Charge>(charge =>
        {
            charge.ToTable("Charges");
            charge.HasKey(x => x.ChargeId);
            charge.Property(x => x.ChargeId).ValueGeneratedNever();
            charge.Property(x => x.IdempotencyKey).HasMaxLength(IdempotencyKeyLength).IsUnicode(false);
            charge.HasIndex(x => x.IdempotencyKey).IsUnique();
            charge.HasIndex(x => x.OrderId);
            charge.Property(x => x.Amount).HasPrecision(18, 2);
            charge.Property(x => x.AmountRefunded).HasPrecision(18, 2);
            charge.Property(x => x.Status)
                .HasConversion(status => status.ToWireName(), name => ChargeStatusNames.Parse(name))
                .HasMaxLength(ChargeStatusNames.MaxLength)
                .IsUnicode(false);
            charge.Property(x => x.DeclineCode).HasMaxLength(DeclineCodes.MaxLength).IsUnicode(false);
        });

        modelBuilder.Entity<Refund>(refund =>
        {
            refund.ToTable("Refunds");
            refund.HasKey(x => x.RefundId);
            refund.Property(x => x.RefundId).ValueGeneratedNever();
            refund.Property(x => x.IdempotencyKey).HasMaxLength(IdempotencyKeyLength).IsUnicode(false);
            refund.HasIndex(x => x.IdempotencyKey).IsUnique();
            refund.HasIndex(x => x.ChargeId);
            refund.Property(x => x.Amount).HasPrecision(18, 2);
            refund.HasOne<Charge>().WithMany().HasForeignKey(x => x.ChargeId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<ChargeAttempt>(attempt =>
        {
            attempt.ToTable("ChargeAttempts");
            attempt.HasKey(x => x.IdempotencyKey);
            attempt.Property(x => x.IdempotencyKey).HasMaxLength(IdempotencyKeyLength).IsUnicode(false);
            attempt.Property(x => x.Attempts).IsConcurrencyToken();
        });
    }
}
