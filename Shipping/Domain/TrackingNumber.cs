using System.Security.Cryptography;

namespace Shop.Shipping.Domain;

public static class TrackingNumber
{
    const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>"SHP-" and 10 random uppercase letters and digits (36^10 values; a collision fails the unique index and retries).</summary>
    public static string New() => "SHP-" + RandomNumberGenerator.GetString(Alphabet, 10);
}
