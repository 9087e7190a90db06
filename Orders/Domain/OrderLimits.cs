namespace Shop.Orders.Domain;

/// <summary>Bounds of an order, shared by the API's validation and the database columns.</summary>
public static class OrderLimits
{
    public const int MaxLines = 100;
    public const int MinQuantity = 1;
    public const int MaxQuantity = 1000;
    public const decimal MaxUnitPrice = 1_000_000m;
    public const int IdLength = 64;
    public const int EmailLength = 254;
    public const int PaymentTokenLength = 128;

    /// <summary>The stored token is sealed for Payments (ciphertext), longer than the token itself.</summary>
    public const int SealedPaymentTokenLength = Shop.Messaging.PaymentTokens.SealedPaymentToken.MaxLength;
    public const int AddressLineLength = 200;
    public const int CityLength = 100;
    public const int PostalCodeLength = 20;
    public const int IdempotencyKeyLength = 100;
    public const int ProductNameLength = 200;
}
