using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Shop.Data;

public static class ChangeTrackerExtensions
{
    /// <summary>
    /// The entities of type <typeparamref name="T"/> added to the context and not yet saved. <c>DbContext.Add</c> tracks
    /// an entity at once, so listing them needs no change detection: <see cref="ChangeTracker.Entries{TEntity}"/> would
    /// scan every tracked entity first, each time it is called, and SaveChanges scans them again anyway.
    /// </summary>
    public static List<T> Added<T>(this ChangeTracker tracker)
        where T : class
    {
        var detect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            return [.. tracker.Entries<T>().Where(entry => entry.State == EntityState.Added).Select(entry => entry.Entity)];
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detect;
        }
    }
}
