namespace Grains.Server.Silo;

/// <summary>
/// What the <c>Orleans</c> configuration section declares. Orleans builds every provider the section
/// names with a <c>ProviderType</c> itself, when the silo builder is created (that is how the Aspire
/// AppHost hands the silos their clustering, grain storage and reminders); the server registers its own
/// default only for what is not declared, since a provider registered twice would run twice.
/// </summary>
internal static class OrleansProviderDeclarations
{
    /// <summary>Whether <c>{section}:ProviderType</c> is set, e.g. <c>Orleans:Clustering</c>.</summary>
    public static bool Declares(this IConfiguration configuration, string section) =>
        !string.IsNullOrEmpty(configuration[section + ":ProviderType"]);
}
