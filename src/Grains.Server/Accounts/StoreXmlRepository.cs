using System.Xml.Linq;
using Grains.Monitoring.Accounts;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Grains.Server.Accounts;

/// <summary>
/// The Data Protection key ring in the shared store (<c>data_protection_keys</c>), so a session cookie,
/// an antiforgery token or a circuit protected by one silo is read by every other: the dashboard works
/// behind a load balancer without sticky sessions, and sessions survive restarts.
/// </summary>
/// <remarks>
/// <see cref="IXmlRepository"/> is synchronous; Data Protection calls it only when it loads or rotates the
/// key ring (at start, then about once a day), never per request, so blocking on the store is acceptable.
/// Keys are stored unencrypted at rest, like the default file-system repository on Linux: the database
/// is as private as the key files would be.
/// </remarks>
public sealed class StoreXmlRepository(IAccountStore store) : IXmlRepository
{
    /// <inheritdoc />
    public IReadOnlyCollection<XElement> GetAllElements() =>
        store.ListDataProtectionKeysAsync().GetAwaiter().GetResult().Select(XElement.Parse).ToList();

    /// <inheritdoc />
    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        store.AddDataProtectionKeyAsync(friendlyName ?? "", element.ToString(SaveOptions.DisableFormatting)).GetAwaiter().GetResult();
    }
}
