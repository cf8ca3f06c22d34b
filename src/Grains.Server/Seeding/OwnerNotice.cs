namespace Grains.Server.Seeding;

/// <summary>What a start says about the seeded owner: the password itself only when this start created it.</summary>
public sealed class OwnerNotice
{
    private readonly string? _password;
    private readonly bool _created;
    private readonly bool _kept;

    private OwnerNotice(string email, bool created, bool kept, string? password)
    {
        Email = email;
        _created = created;
        _kept = kept;
        _password = password;
    }

    /// <summary>The owner's email.</summary>
    public string Email { get; }

    /// <summary>An owner this start created: the password is printed this once.</summary>
    public static OwnerNotice Created(string email, string password) => new(email, created: true, kept: true, password);

    /// <summary>An owner created earlier (its password file is in place, or not).</summary>
    public static OwnerNotice Existing(string email, bool fileKept) => new(email, created: false, kept: fileKept, password: null);

    /// <summary>The text after <c>Owner sign-in: </c> on the console.</summary>
    public string Describe(string passwordFile)
    {
        if (_created)
        {
            return $"{Email} / {_password}   (printed only now; kept in {passwordFile})";
        }

        return _kept
            ? $"{Email}   (password kept in {passwordFile})"
            : $"{Email}   (created earlier; {passwordFile} is gone: only the password's hash is stored)";
    }
}
