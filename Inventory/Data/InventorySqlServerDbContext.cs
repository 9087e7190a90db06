using Microsoft.EntityFrameworkCore;

namespace Shop.Inventory.Data;

public sealed class InventorySqlServerDbContext(DbContextOptions<InventorySqlServerDbContext> options) : InventoryDbContext(options);
