using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.Orders.Data.Migrations.Postgres
{
    /// <summary>
    /// Each waiting state's deadline on the order's row (<c>DeadlineAt</c>, indexed where set) instead of a timeout
    /// scheduled in the outbox per state. The four scheduling-token columns stay, unused, so instances of the previous
    /// release keep loading the rows during a rolling upgrade; the release after this one drops them. Orders in flight
    /// keep their timeouts already scheduled in the outbox, which arrive as before.
    /// </summary>
    public partial class DeadlinesOnOrderRow : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "DeadlineAt",
                table: "OrderState",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_OrderState_DeadlineAt",
                table: "OrderState",
                column: "DeadlineAt",
                filter: "\"DeadlineAt\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OrderState_DeadlineAt",
                table: "OrderState");

            migrationBuilder.DropColumn(
                name: "DeadlineAt",
                table: "OrderState");
        }
    }
}
