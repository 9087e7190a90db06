using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.Orders.Data.Migrations.Postgres
{
    /// <summary>
    /// The state between stock reserved and payment decided was called StockReserved, like the event that enters it; it
    /// is Reserved now, so each name means one thing. Orders waiting there keep waiting under the new name.
    /// </summary>
    public partial class RenameStockReservedState : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"UPDATE ""OrderState"" SET ""CurrentState"" = 'Reserved' WHERE ""CurrentState"" = 'StockReserved';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"UPDATE ""OrderState"" SET ""CurrentState"" = 'StockReserved' WHERE ""CurrentState"" = 'Reserved';");
        }
    }
}
