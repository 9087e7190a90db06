using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.Analytics.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OperationsAlerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "OperationsAlerts",
                columns: table => new
                {
                    OrderId = table.Column<Guid>(type: "uuid", nullable: false),
                    EventId = table.Column<Guid>(type: "uuid", nullable: false),
                    Reason = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CancelledAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "clock_timestamp()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OperationsAlerts", x => x.OrderId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_OperationsAlerts_RecordedAt",
                table: "OperationsAlerts",
                column: "RecordedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "OperationsAlerts");
        }
    }
}
