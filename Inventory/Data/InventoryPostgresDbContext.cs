using Microsoft.EntityFrameworkCore;

namespace Shop.Inventory.Data;

public sealed class InventoryPostgresDbContext(DbContextOptions<InventoryPostgresDbContext> options) : InventoryDbContext(options);
