using Shop.Data;

namespace Shop.Console.Audit;

sealed class ConsolePostgresDesignTimeFactory : PostgresDesignTimeFactory<ConsolePostgresDbContext>;

sealed class ConsoleSqlServerDesignTimeFactory : SqlServerDesignTimeFactory<ConsoleSqlServerDbContext>;
