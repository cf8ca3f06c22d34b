using Grains.Server.Api.RateLimits;
using Grains.Server.Dashboard.Settings;

namespace Grains.Dashboard.Tests.Settings;

public sealed class KeyRateLimitTests : SettingsTestContext
{
    [Theory]
    [InlineData("abc", "60", "count", RateLimitField.InvalidInteger)]
    [InlineData("1.5", "60", "count", RateLimitField.InvalidInteger)]
    [InlineData("-1", "60", "count", "Ensure this value is greater than or equal to 0.")]
    [InlineData("5", "-1", "window", "Ensure this value is greater than or equal to 0.")]
    [InlineData("5", "86401", "window", "Ensure this value is less than or equal to 86400.")]
    [InlineData("5", "1e3", "window", RateLimitField.InvalidInteger)]
    [InlineData("99999999999999999999", "60", "count", RateLimitField.InvalidInteger)]
    [InlineData("5", "", "window", RateLimitForm.BothOrNeither)]
    [InlineData("", "60", "count", RateLimitForm.BothOrNeither)]
    public void Malformed_limits_are_refused_with_the_apis_message(string count, string window, string field, string message)
    {
        Assert.False(RateLimitForm.TryParse(count, window, out var input, out var errors));
        Assert.Equal(message, Assert.Single(errors, e => e.Key == field).Value);
        Assert.False(input.Present);
    }

    [Theory]
    [InlineData("5", "60", 5L, 60L)]
    [InlineData(" 0 ", "86400", 0L, 86400L)]
    [InlineData("", "", null, null)]
    [InlineData("  ", null, null, null)]
    public void Valid_limits_parse(string? count, string? window, long? expectedCount, long? expectedWindow)
    {
        Assert.True(RateLimitForm.TryParse(count, window, out var input, out var errors));
        Assert.Empty(errors);
        Assert.Equal(new RateLimitInput(true, expectedCount, expectedWindow), input);
    }

    [Fact]
    public void The_editor_shows_the_error_and_does_not_save_an_invalid_limit()
    {
        var saved = new List<RateLimitInput>();
        var editor = Render<KeyRateLimitEditor>(p => p.Add(e => e.Count, 10L).Add(e => e.Window, 60L).Add(e => e.OnSave, i => saved.Add(i)));
        Assert.Equal("10", editor.Find("input[data-testid=key-rate-count]").GetAttribute("value"));

        editor.Find("input[data-testid=key-rate-count]").Change("ten");
        editor.Find("[data-testid=key-rate-save]").Click();

        Assert.Empty(saved);
        Assert.Contains(RateLimitField.InvalidInteger, editor.Markup, StringComparison.Ordinal);

        editor.Find("input[data-testid=key-rate-count]").Change("20");
        editor.Find("input[data-testid=key-rate-window]").Change("3600");
        editor.Find("[data-testid=key-rate-save]").Click();

        Assert.Equal([new RateLimitInput(true, 20, 3600)], saved);
        Assert.DoesNotContain(RateLimitField.InvalidInteger, editor.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Emptying_both_fields_removes_the_limit()
    {
        var saved = new List<RateLimitInput>();
        var editor = Render<KeyRateLimitEditor>(p => p.Add(e => e.Count, 10L).Add(e => e.Window, 60L).Add(e => e.OnSave, i => saved.Add(i)));

        editor.Find("input[data-testid=key-rate-count]").Change("");
        editor.Find("input[data-testid=key-rate-window]").Change("");
        editor.Find("[data-testid=key-rate-save]").Click();

        var input = Assert.Single(saved);
        Assert.True(input.Present);
        Assert.False(input.Sets);
    }
}
