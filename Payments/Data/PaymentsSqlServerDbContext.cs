using Microsoft.EntityFrameworkCore;

namespace Shop.Payments.Data;

public sealed class PaymentsSqlServerDbContext(DbContextOptions<PaymentsSqlServerDbContext> options) : PaymentsDbContext(options);
