namespace Grains.Server;

/// <summary>Reads the settings of an external service: its section, and its connection string from <c>ConnectionStrings</c> (where hosts and secret stores put them).</summary>
public static class ServiceSettings
{
    /// <summary>Binds <paramref name="section"/> to a new <typeparamref name="T"/>, then sets <c>ConnectionStrings:<paramref name="connectionStringName"/></c> through <paramref name="setConnectionString"/> when it is present.</summary>
    public static T Read<T>(IConfiguration configuration, string section, string connectionStringName, Action<T, string> setConnectionString)
        where T : new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(setConnectionString);
        var options = new T();
        configuration.GetSection(section).Bind(options);
        if (configuration.GetConnectionString(connectionStringName) is { } connectionString)
        {
            setConnectionString(options, connectionString);
        }

        return options;
    }
}
