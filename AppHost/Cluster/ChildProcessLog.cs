namespace Grains.AppHost.Cluster;

/// <summary>
/// The output of one child process on the launcher's console: every line prefixed with the child's
/// name (<c>[silo1] ...</c>), secrets the launcher handed to it replaced by a label (the admin token
/// and the cluster secret are printed once, by the launcher), and each line offered to listeners
/// (the launcher picks the DSN out of the first silo's output).
/// </summary>
public sealed class ChildProcessLog
{
    private readonly ConsoleOutput _console;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _redactions;
    private readonly Queue<string> _tail = new();
    private readonly Lock _gate = new();

    /// <summary>A log for child <paramref name="name"/>; each key of <paramref name="redactions"/> found in a line is replaced by its value.</summary>
    public ChildProcessLog(string name, ConsoleOutput console, IReadOnlyDictionary<string, string>? redactions = null)
    {
        Name = name;
        _console = console;
        _redactions = (redactions ?? new Dictionary<string, string>())
            .Where(r => r.Key.Length > 0)
            .OrderByDescending(r => r.Key.Length)
            .ToList();
    }

    /// <summary>The child's name, as in the prefix.</summary>
    public string Name { get; }

    /// <summary>The prefix of every line.</summary>
    public string Prefix => $"[{Name}] ";

    /// <summary>Raised for every line (already redacted), on the thread that read it.</summary>
    public event Action<string>? LineReceived;

    /// <summary>The last lines (at most 20), redacted, for error messages.</summary>
    public IReadOnlyList<string> Tail
    {
        get
        {
            lock (_gate)
            {
                return _tail.ToList();
            }
        }
    }

    /// <summary>The line as it is shown, without the prefix: secrets replaced.</summary>
    public string Redact(string line)
    {
        foreach (var (secret, label) in _redactions)
        {
            line = line.Replace(secret, label, StringComparison.Ordinal);
        }

        return line;
    }

    /// <summary>Shows one line the child wrote (<paramref name="isError"/>: on its standard error).</summary>
    public void Write(string line, bool isError = false)
    {
        var shown = Redact(line.TrimEnd('\r'));
        lock (_gate)
        {
            _tail.Enqueue(shown);
            if (_tail.Count > 20)
            {
                _tail.Dequeue();
            }
        }

        if (isError)
        {
            _console.ErrorLine(Prefix + shown);
        }
        else
        {
            _console.Line(Prefix + shown);
        }

        LineReceived?.Invoke(shown);
    }

    /// <summary>Copies every line of <paramref name="reader"/> until it ends.</summary>
    public async Task PumpAsync(TextReader reader, bool isError)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                Write(line, isError);
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
            // The pipe closed under us: the child is gone.
        }
    }
}
