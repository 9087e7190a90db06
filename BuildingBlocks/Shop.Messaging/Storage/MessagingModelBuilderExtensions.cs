using Microsoft.EntityFrameworkCore;

namespace Shop.Messaging.Storage;

public static class MessagingModelBuilderExtensions
{
    /// <summary>
    /// Adds the inbox and outbox tables (<c>InboxState</c>, <c>OutboxState</c>, <c>OutboxMessage</c>) to a service's
    /// model, so its migrations create them. Works for PostgreSQL and SQL Server.
    /// </summary>
    public static ModelBuilder AddMessagingTables(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<InboxState>(inbox =>
        {
            inbox.ToTable("InboxState");
            inbox.HasKey(x => new { x.MessageId, x.ConsumerId });
            inbox.HasIndex(x => x.Received);
        });

        modelBuilder.Entity<OutboxState>(state =>
        {
            state.ToTable("OutboxState");
            state.HasKey(x => x.OutboxId);
            state.Property(x => x.OutboxId).ValueGeneratedNever();
            // The delivery query's order (DueTime, Created): a range seek that stops after TOP/LIMIT rows, so it locks
            // only the groups it takes (SQL Server would otherwise scan and U-lock every due group to sort them).
            state.HasIndex(x => new { x.DueTime, x.Created });
        });

        modelBuilder.Entity<OutboxMessage>(message =>
        {
            message.ToTable("OutboxMessage");
            message.HasKey(x => x.SequenceNumber);
            message.Property(x => x.SequenceNumber).ValueGeneratedOnAdd();
            message.HasIndex(x => new { x.OutboxId, x.SequenceNumber });
            message.HasIndex(x => x.SchedulingTokenId);
            message.Property(x => x.ContentType).HasMaxLength(256);
            message.Property(x => x.MessageType).IsRequired();
            message.Property(x => x.Body).IsRequired();
        });

        return modelBuilder;
    }
}
