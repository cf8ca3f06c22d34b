using Orleans.Storage;

namespace Grains.Persistence.Sqlite;

/// <summary>
/// Options of one named <see cref="SqliteGrainStorage"/>. The database file itself (path, durability,
/// group-commit size) is the shared <see cref="Grains.Sqlite.SqliteStorageOptions"/>: every SQLite
/// provider of the process writes through the same writer.
/// </summary>
public sealed class SqliteGrainStorageOptions : IStorageProviderSerializerOptions
{
    /// <summary>
    /// The default <see cref="DeleteStateOnClear"/>: <c>false</c>. Keeping a cleared row (with a new
    /// ETag and no payload) fences a stale activation that still holds the ETag from before the
    /// clear; deleting frees the space, which matters only for grains that are cleared for good.
    /// </summary>
    public const bool DefaultDeleteStateOnClear = false;

    /// <summary>
    /// Whether <c>ClearStateAsync</c> deletes the row (the grain's ETag becomes <c>null</c>, as if
    /// it had never been written) instead of keeping it without a payload under a new ETag.
    /// Default <see cref="DefaultDeleteStateOnClear"/>.
    /// </summary>
    public bool DeleteStateOnClear { get; set; } = DefaultDeleteStateOnClear;

    /// <summary>
    /// The serializer of the state. When left unset, Orleans' default grain storage serializer
    /// (Orleans' binary serialization, which honours <c>[GenerateSerializer]</c>, <c>[Id]</c> and
    /// <c>[Alias]</c>, so renamed and extended types still read) is filled in after configuration.
    /// </summary>
    public IGrainStorageSerializer GrainStorageSerializer { get; set; } = default!;
}
