using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Shop.Analytics.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CancellationsByReason",
                columns: table => new
                {
                    Generation = table.Column<int>(type: "integer", nullable: false),
                    Reason = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Orders = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CancellationsByReason", x => new { x.Generation, x.Reason });
                });

            migrationBuilder.CreateTable(
                name: "Events",
                columns: table => new
                {
                    Position = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    EventId = table.Column<Guid>(type: "uuid", nullable: false),
                    Type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SchemaVersion = table.Column<int>(type: "integer", nullable: false),
                    OrderId = table.Column<Guid>(type: "uuid", nullable: false),
                    OccurredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "clock_timestamp()"),
                    Body = table.Column<string>(type: "text", nullable: false),
                    TxId = table.Column<long>(type: "bigint", nullable: false, defaultValueSql: "(pg_current_xact_id()::text)::bigint")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Events", x => x.Position);
                });

            migrationBuilder.CreateTable(
                name: "FunnelSteps",
                columns: table => new
                {
                    Generation = table.Column<int>(type: "integer", nullable: false),
                    Step = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Orders = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FunnelSteps", x => new { x.Generation, x.Step });
                });

            migrationBuilder.CreateTable(
                name: "InboxState",
                columns: table => new
                {
                    MessageId = table.Column<Guid>(type: "uuid", nullable: false),
                    ConsumerId = table.Column<Guid>(type: "uuid", nullable: false),
                    Received = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InboxState", x => new { x.MessageId, x.ConsumerId });
                });

            migrationBuilder.CreateTable(
                name: "OrderFacts",
                columns: table => new
                {
                    OrderId = table.Column<Guid>(type: "uuid", nullable: false),
                    SubmittedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    SubmittedTotal = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    Lines = table.Column<string>(type: "text", nullable: false),
                    ReservedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ReleasedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    PaidAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RefundedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ShippedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    EndedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CompletedTotal = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    CancelReason = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Epoch = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrderFacts", x => x.OrderId);
                });

            migrationBuilder.CreateTable(
                name: "OutboxMessage",
                columns: table => new
                {
                    SequenceNumber = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OutboxId = table.Column<Guid>(type: "uuid", nullable: false),
                    EnqueueTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    SchedulingTokenId = table.Column<Guid>(type: "uuid", nullable: true),
                    SentTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Headers = table.Column<string>(type: "text", nullable: true),
                    Properties = table.Column<string>(type: "text", nullable: true),
                    MessageId = table.Column<Guid>(type: "uuid", nullable: false),
                    ContentType = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    MessageType = table.Column<string>(type: "text", nullable: false),
                    Body = table.Column<string>(type: "text", nullable: false),
                    ConversationId = table.Column<Guid>(type: "uuid", nullable: true),
                    CorrelationId = table.Column<Guid>(type: "uuid", nullable: true),
                    InitiatorId = table.Column<Guid>(type: "uuid", nullable: true),
                    RequestId = table.Column<Guid>(type: "uuid", nullable: true),
                    SourceAddress = table.Column<string>(type: "text", nullable: true),
                    DestinationAddress = table.Column<string>(type: "text", nullable: true),
                    ResponseAddress = table.Column<string>(type: "text", nullable: true),
                    FaultAddress = table.Column<string>(type: "text", nullable: true),
                    ExpirationTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutboxMessage", x => x.SequenceNumber);
                });

            migrationBuilder.CreateTable(
                name: "OutboxState",
                columns: table => new
                {
                    OutboxId = table.Column<Guid>(type: "uuid", nullable: false),
                    DueTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Created = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutboxState", x => x.OutboxId);
                });

            migrationBuilder.CreateTable(
                name: "Projections",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    LiveGeneration = table.Column<int>(type: "integer", nullable: false),
                    CodeVersion = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    BuildingGeneration = table.Column<int>(type: "integer", nullable: true),
                    BuildingCodeVersion = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    RebuildStartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RebuiltAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Projections", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "RevenueByDay",
                columns: table => new
                {
                    Generation = table.Column<int>(type: "integer", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    OrdersSubmitted = table.Column<long>(type: "bigint", nullable: false),
                    OrdersCompleted = table.Column<long>(type: "bigint", nullable: false),
                    OrdersCancelled = table.Column<long>(type: "bigint", nullable: false),
                    Revenue = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RevenueByDay", x => new { x.Generation, x.Day });
                });

            migrationBuilder.CreateTable(
                name: "SkuUnits",
                columns: table => new
                {
                    Generation = table.Column<int>(type: "integer", nullable: false),
                    Sku = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UnitsSold = table.Column<long>(type: "bigint", nullable: false),
                    UnitsCancelled = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SkuUnits", x => new { x.Generation, x.Sku });
                });

            migrationBuilder.CreateIndex(
                name: "IX_Events_EventId",
                table: "Events",
                column: "EventId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Events_OccurredAt",
                table: "Events",
                column: "OccurredAt");

            migrationBuilder.CreateIndex(
                name: "IX_Events_OrderId",
                table: "Events",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_Events_RecordedAt",
                table: "Events",
                column: "RecordedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Events_TxId_Position",
                table: "Events",
                columns: new[] { "TxId", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_InboxState_Received",
                table: "InboxState",
                column: "Received");

            migrationBuilder.CreateIndex(
                name: "IX_OrderFacts_Epoch",
                table: "OrderFacts",
                column: "Epoch");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessage_OutboxId_SequenceNumber",
                table: "OutboxMessage",
                columns: new[] { "OutboxId", "SequenceNumber" });

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessage_SchedulingTokenId",
                table: "OutboxMessage",
                column: "SchedulingTokenId");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxState_DueTime",
                table: "OutboxState",
                column: "DueTime");

            // Each view's live rows without the generation: what a person queries (docs/analytics.md).
            migrationBuilder.Sql("CREATE VIEW \"LiveRevenueByDay\" AS SELECT r.\"Day\", r.\"OrdersSubmitted\", r.\"OrdersCompleted\", r.\"OrdersCancelled\", r.\"Revenue\" FROM \"RevenueByDay\" r JOIN \"Projections\" p ON p.\"Name\" = 'revenue' AND r.\"Generation\" = p.\"LiveGeneration\"");
            migrationBuilder.Sql("CREATE VIEW \"LiveSkuUnits\" AS SELECT r.\"Sku\", r.\"UnitsSold\", r.\"UnitsCancelled\" FROM \"SkuUnits\" r JOIN \"Projections\" p ON p.\"Name\" = 'skus' AND r.\"Generation\" = p.\"LiveGeneration\"");
            migrationBuilder.Sql("CREATE VIEW \"LiveCancellationsByReason\" AS SELECT r.\"Reason\", r.\"Orders\" FROM \"CancellationsByReason\" r JOIN \"Projections\" p ON p.\"Name\" = 'cancellations' AND r.\"Generation\" = p.\"LiveGeneration\"");
            migrationBuilder.Sql("CREATE VIEW \"LiveFunnelSteps\" AS SELECT r.\"Step\", r.\"Orders\" FROM \"FunnelSteps\" r JOIN \"Projections\" p ON p.\"Name\" = 'funnel' AND r.\"Generation\" = p.\"LiveGeneration\"");
            // The log is append-only: the database refuses to change or remove a row.
            migrationBuilder.Sql("CREATE FUNCTION \"EventsAppendOnly\"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the event log is append-only'; END $$");
            migrationBuilder.Sql("CREATE TRIGGER \"EventsAppendOnly\" BEFORE UPDATE OR DELETE ON \"Events\" FOR EACH ROW EXECUTE FUNCTION \"EventsAppendOnly\"()");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP VIEW \"LiveRevenueByDay\"");
            migrationBuilder.Sql("DROP VIEW \"LiveSkuUnits\"");
            migrationBuilder.Sql("DROP VIEW \"LiveCancellationsByReason\"");
            migrationBuilder.Sql("DROP VIEW \"LiveFunnelSteps\"");
            migrationBuilder.Sql("DROP TRIGGER \"EventsAppendOnly\" ON \"Events\"");
            migrationBuilder.Sql("DROP FUNCTION \"EventsAppendOnly\"()");

            migrationBuilder.DropTable(
                name: "CancellationsByReason");

            migrationBuilder.DropTable(
                name: "Events");

            migrationBuilder.DropTable(
                name: "FunnelSteps");

            migrationBuilder.DropTable(
                name: "InboxState");

            migrationBuilder.DropTable(
                name: "OrderFacts");

            migrationBuilder.DropTable(
                name: "OutboxMessage");

            migrationBuilder.DropTable(
                name: "OutboxState");

            migrationBuilder.DropTable(
                name: "Projections");

            migrationBuilder.DropTable(
                name: "RevenueByDay");

            migrationBuilder.DropTable(
                name: "SkuUnits");
        }
    }
}
