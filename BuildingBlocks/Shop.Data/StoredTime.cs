namespace Shop.Data;

public static class StoredTime
{
    /// <summary>
    /// Cuts a timestamp to whole microseconds, what PostgreSQL stores: a value built in memory then equals the same
    /// value read back, so a reply given again (from the stored row) equals the first one.
    /// </summary>
    public static DateTimeOffset ToStoredPrecision(this DateTimeOffset time) => time.AddTicks(-(time.Ticks % TimeSpan.TicksPerMicrosecond));
}
