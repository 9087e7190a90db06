namespace Shop.LoadTest;

/// <summary>
/// Broker messages and database commits one order costs, counted from the code's flow (OrderStateMachine and the
/// consumers). Happy path, 9 messages: OrderSubmitted, ReserveStock, StockReserved, ChargePayment, PaymentCaptured,
/// CreateShipment, ShipmentCreated, CommitStock, OrderCompleted (CommitStock gets no reply). Payments commits the
/// charge's intent (its unit of work sends nothing), calls the provider, then commits the answer with PaymentCaptured: one
/// unit of work more than messages consumed for every charge, and for every refund. The payment timeout is
/// scheduled too, but the payment's answer unschedules it: its outbox row is deleted, never sent. Units of work: the POST, then one transaction per consumed message (inbox claim + state + outbox
/// rows). Each unit of work that wrote outbox rows is followed by at most one delivery transaction deleting them: far
/// fewer under load, when one delivery pass collects many units of work. Reads outside transactions (GETs) are not
/// counted here.
/// </summary>
sealed record FlowCost(int Messages, int UnitsOfWork, int DeliveryCommits)
{
    public int Commits => UnitsOfWork + DeliveryCommits;

    public static FlowCost Of(Outcome outcome) => outcome switch
    {
        Outcome.Happy => new(Messages: 9, UnitsOfWork: 11, DeliveryCommits: 8),
        // OrderSubmitted, ReserveStock, StockReserved, ChargePayment, PaymentDeclined, ReleaseStock, OrderCancelled,
        // StockReleased.
        Outcome.Declined => new(8, 9, 7),
        // OrderSubmitted, ReserveStock, StockReservationFailed, OrderCancelled.
        Outcome.OutOfStock => new(4, 5, 4),
        // ... PaymentCaptured, CreateShipment, ShipmentFailed, RefundPayment, ReleaseStock, OrderCancelled,
        // PaymentRefunded, StockReleased.
        Outcome.ShippingFailure => new(12, 13, 10),
        // Cancelled while Submitted (the usual case): OrderSubmitted, ReserveStock, CancelOrder, ReleaseStock,
        // OrderCancelled, the reservation's reply, StockReleased (+ a second release when the reservation won).
        Outcome.CustomerCancel => new(7, 7, 6),
        // Like the happy path when the answer comes before the payment timeout (the lost one is found by key).
        Outcome.SlowProvider or Outcome.LostAnswer => new(9, 11, 8),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    /// <summary>The cost of an average order of the mix.</summary>
    public static (double Messages, double UnitsOfWork, double Commits) Average(OrderMix mix) =>
        Enum.GetValues<Outcome>().Aggregate((0.0, 0.0, 0.0), (sum, outcome) =>
        {
            var cost = Of(outcome);
            var share = mix.Share(outcome);
            return (sum.Item1 + share * cost.Messages, sum.Item2 + share * cost.UnitsOfWork, sum.Item3 + share * cost.Commits);
        });
}
