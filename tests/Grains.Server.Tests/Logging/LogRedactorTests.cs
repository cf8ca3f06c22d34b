using Grains.Server.Logging;

namespace Grains.Server.Tests.Logging;

/// <summary>What <see cref="LogRedactor"/> removes, and what it leaves alone.</summary>
public sealed class LogRedactorTests
{
    [Theory]
    [InlineData("POST http://h/api/1/envelope/?sentry_key=abc123&sentry_version=7", "POST http://h/api/1/envelope/?sentry_key=[redacted]&sentry_version=7")]
    [InlineData("GET /api/1/store/?sentry_version=7&sentry_key=abc&sentry_data=eyJ", "GET /api/1/store/?sentry_version=7&sentry_key=[redacted]&sentry_data=[redacted]")]
    [InlineData("?token=grains_0123456789abcdef", "?token=[redacted]")]
    [InlineData("?a=1&b=2", "?a=[redacted]&b=[redacted]")]
    [InlineData("?limit=100&cursor=0:100:0&query=is:unresolved", "?limit=100&cursor=0:100:0&query=[redacted]")]
    [InlineData("Sentry sentry_key=abc123, sentry_secret=def456, sentry_version=7", "Sentry sentry_key=[redacted], sentry_secret=[redacted], sentry_version=7")]
    [InlineData("Authorization: Bearer grains_0123456789abcdef", "Authorization: Bearer [redacted]")]
    [InlineData("Authorization: Basic dXNlcjpwYXNzd29yZA==", "Authorization: Basic [redacted]")]
    [InlineData("the token grains_0123456789abcdef0123 leaked", "the token grains_[redacted] leaked")]
    [InlineData("dsn http://0123456789abcdef@127.0.0.1:8000/1", "dsn http://[redacted]@127.0.0.1:8000/1")]
    [InlineData("dsn https://key:secret@sentry.example.com/2", "dsn https://[redacted]@sentry.example.com/2")]
    [InlineData("password: hunter2hunter2", "password: [redacted]")]
    [InlineData("\"token\":\"abc\"", "\"token\":\"abc\"")] // JSON keys with quotes are not a pair; values never reach the logs
    public void Redacts(string text, string expected) => Assert.Equal(expected, LogRedactor.Redact(text));

    [Theory]
    [InlineData("Silo started: 64 partitions owned")]
    [InlineData("Opened SQLite database /data/grains.db (schema version 1, journal mode wal, synchronous Full)")]
    [InlineData("Now listening on: http://127.0.0.1:8000")]
    [InlineData("Request finished HTTP/1.1 POST http://127.0.0.1:8000/api/1/envelope/ - 200 - application/json 2.1ms")]
    [InlineData("")]
    public void Leaves_text_without_credentials_as_it_is(string text) => Assert.Same(text, LogRedactor.Redact(text));

    [Fact]
    public void Structured_values_keep_numbers_and_redact_text()
    {
        Assert.Equal(42, LogRedactor.RedactValue(42));
        Assert.Null(LogRedactor.RedactValue(null));
        Assert.Equal("?sentry_key=[redacted]", LogRedactor.RedactValue("?sentry_key=k"));
        Assert.Equal("http://h/?token=[redacted]", LogRedactor.RedactValue(new Uri("http://h/?token=t")));
    }
}
