namespace Grains.Server.Seeding;

/// <summary>What a start says about the admin token: the token itself only when this start created it.</summary>
public sealed class AdminTokenNotice
{
    private readonly string? _token;
    private readonly Kind _kind;

    private AdminTokenNotice(Kind kind, string? token = null)
    {
        _kind = kind;
        _token = token;
    }

    private enum Kind
    {
        Created,
        Kept,
        Lost,
        Configured,
    }

    /// <summary>A token created earlier whose file is in place.</summary>
    public static AdminTokenNotice Kept { get; } = new(Kind.Kept);

    /// <summary>A token created earlier whose file is gone (only its hash is stored).</summary>
    public static AdminTokenNotice Lost { get; } = new(Kind.Lost);

    /// <summary>The token of <c>Grains:AdminToken</c> (the operator has it).</summary>
    public static AdminTokenNotice Configured { get; } = new(Kind.Configured);

    /// <summary>A token this start created: printed this once.</summary>
    public static AdminTokenNotice Created(string token) => new(Kind.Created, token);

    /// <summary>The text after <c>Admin token: </c> on the console.</summary>
    public string Describe(string tokenFile) => _kind switch
    {
        Kind.Created => $"{_token}   (printed only now; kept in {tokenFile})",
        Kind.Kept => $"kept in {tokenFile}",
        Kind.Lost => $"created earlier; {tokenFile} is gone (only the token's hash is stored)",
        _ => "the configured one (Grains:AdminToken)",
    };
}
