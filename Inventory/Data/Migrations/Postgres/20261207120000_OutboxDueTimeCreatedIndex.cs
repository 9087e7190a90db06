using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.Inventory.Data.Migrations.Postgres
{
    /// <summary>
    /// The outbox groups indexed in the delivery query's order, (DueTime, Created): a pass seeks to the first due group
    /// and locks only the groups it takes (docs/scaling-messaging.md).
    /// </summary>
    public partial class OutboxDueTimeCreatedIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OutboxState_DueTime",
                table: "OutboxState");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxState_DueTime_Created",
                table: "OutboxState",
                columns: new[] { "DueTime", "Created" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OutboxState_DueTime_Created",
                table: "OutboxState");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxState_DueTime",
                table: "OutboxState",
                column: "DueTime");
        }
    }
}
