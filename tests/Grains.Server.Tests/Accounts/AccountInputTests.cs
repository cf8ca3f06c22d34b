using Grains.Server.Accounts;
using Microsoft.Extensions.Options;

namespace Grains.Server.Tests.Accounts;

/// <summary>The account input rules: where sign-in may redirect, what an email is, which passwords and options are accepted.</summary>
public sealed class AccountInputTests
{
    [Theory]
    [InlineData(null, "/")]
    [InlineData("", "/")]
    [InlineData("/", "/")]
    [InlineData("/organizations/default/issues/?query=is%3Aunresolved", "/organizations/default/issues/?query=is%3Aunresolved")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("javascript:alert(1)", "/")]
    [InlineData("evil.example", "/")]
    [InlineData("/a\\b", "/")]
    [InlineData("/a\r\nLocation: https://evil.example/", "/")]
    [InlineData("/a\tb", "/")]
    public void Sign_in_redirects_only_to_local_paths(string? next, string expected) => Assert.Equal(expected, LocalRedirect.Sanitize(next));

    [Fact]
    public void A_very_long_next_goes_home() => Assert.Equal("/", LocalRedirect.Sanitize("/" + new string('a', 3000)));

    [Theory]
    [InlineData("owner@localhost", true)]
    [InlineData(" ann@example.com ", true)]
    [InlineData("ann+tag@sub.example.com", true)]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData("ann", false)]
    [InlineData("@example.com", false)]
    [InlineData("ann@", false)]
    [InlineData("ann@@example.com", false)]
    [InlineData("a@b@c", false)]
    [InlineData("ann @example.com", false)]
    [InlineData("ann@exa\u0000mple.com", false)]
    public void Emails_are_checked_loosely(string? email, bool valid) => Assert.Equal(valid, AccountValidation.IsEmail(email));

    [Fact]
    public void An_overlong_email_is_refused() => Assert.False(AccountValidation.IsEmail(new string('a', 250) + "@b.co"));

    [Theory]
    [InlineData(null, "A password is required.")]
    [InlineData("", "A password is required.")]
    [InlineData("short", "The password must be at least 8 characters long.")]
    [InlineData("1234567", "The password must be at least 8 characters long.")]
    [InlineData("12345678", null)]
    public void Passwords_need_eight_characters(string? password, string? problem) => Assert.Equal(problem, AccountValidation.PasswordProblem(password));

    [Fact]
    public void An_overlong_password_is_refused() =>
        Assert.Equal("The password must be at most 256 characters long.", AccountValidation.PasswordProblem(new string('p', 257)));

    [Theory]
    [InlineData("member", OrganizationRole.Member)]
    [InlineData("Manager", OrganizationRole.Manager)]
    [InlineData(" owner ", OrganizationRole.Owner)]
    [InlineData("admin", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Role_names_parse(string? name, OrganizationRole? role) => Assert.Equal(role, Roles.Parse(name));

    [Fact]
    public void Role_names_round_trip()
    {
        foreach (var role in Enum.GetValues<OrganizationRole>())
        {
            Assert.Equal(role, Roles.Parse(Roles.Name(role)));
        }
    }

    public static TheoryData<Action<AccountsOptions>, string> BadOptions => new()
    {
        { o => o.OwnerEmail = "nobody", "OwnerEmail" },
        { o => o.OwnerEmail = "", "OwnerEmail" },
        { o => o.MaxFailedSignIns = 0, "MaxFailedSignIns" },
        { o => o.MaxFailedSignIns = 101, "MaxFailedSignIns" },
        { o => o.LockoutDuration = TimeSpan.Zero, "LockoutDuration" },
        { o => o.LockoutDuration = TimeSpan.FromDays(2), "LockoutDuration" },
        { o => o.SessionValidationInterval = TimeSpan.FromSeconds(-1), "SessionValidationInterval" },
        { o => o.SessionValidationInterval = TimeSpan.FromHours(2), "SessionValidationInterval" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_options_are_refused_naming_the_setting(Action<AccountsOptions> change, string setting)
    {
        var options = new AccountsOptions();
        change(options);

        var result = new AccountsOptionsValidator().Validate(Options.DefaultName, options);

        Assert.True(result.Failed);
        Assert.Contains("Grains:Accounts:" + setting, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_are_valid() => Assert.True(new AccountsOptionsValidator().Validate(Options.DefaultName, new AccountsOptions()).Succeeded);
}
