using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.Notifications.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class OutboxSchedulingToken : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "SchedulingTokenId",
                table: "OutboxMessage",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessage_SchedulingTokenId",
                table: "OutboxMessage",
                column: "SchedulingTokenId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OutboxMessage_SchedulingTokenId",
                table: "OutboxMessage");

            migrationBuilder.DropColumn(
                name: "SchedulingTokenId",
                table: "OutboxMessage");
        }
    }
}
