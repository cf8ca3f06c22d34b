using Microsoft.Extensions.Options;

namespace Grains.Server;

/// <summary>
/// Validates options that decide which services a server registers, before it is built: those cannot
/// wait for <c>ValidateOnStart</c>, because the registration itself needs them to be right.
/// </summary>
public static class ValidatedOptions
{
    /// <summary>Returns <paramref name="options"/> when <paramref name="validator"/> accepts them.</summary>
    /// <exception cref="OptionsValidationException">Every failure, in one message.</exception>
    public static T Check<T>(T options, IValidateOptions<T> validator)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(validator);
        var result = validator.Validate(Options.DefaultName, options);
        return result.Failed ? throw new OptionsValidationException(Options.DefaultName, typeof(T), result.Failures) : options;
    }
}
