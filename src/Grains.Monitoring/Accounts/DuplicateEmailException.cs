namespace Grains.Monitoring.Accounts;

/// <summary>A user with this email (ignoring case) exists already (the API answers 409).</summary>
public sealed class DuplicateEmailException : Exception
{
    public DuplicateEmailException(string email)
        : base($"A user with the email '{email}' already exists.")
    {
        Email = email;
    }

    public DuplicateEmailException()
        : this("")
    {
    }

    public DuplicateEmailException(string message, Exception innerException)
        : base(message, innerException)
    {
        Email = "";
    }

    /// <summary>The email that was taken.</summary>
    public string Email { get; } = "";
}
