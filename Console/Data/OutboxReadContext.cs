using Microsoft.EntityFrameworkCore;
using Shop.Messaging.Storage;

namespace Shop.Console.Data;

/// <summary>A service's inbox and outbox tables only (every service has the same ones): the console reads its backlog.</summary>
public sealed class OutboxReadContext(DbContextOptions<OutboxReadContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddMessagingTables();
}
