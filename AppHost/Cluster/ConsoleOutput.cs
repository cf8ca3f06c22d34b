namespace Grains.AppHost.Cluster;

/// <summary>
/// The launcher's console: whole lines from many threads (the launcher and every child's output
/// pumps), never interleaved mid-line. Loud messages go to standard error between marker lines.
/// </summary>
public sealed class ConsoleOutput(TextWriter output, TextWriter error)
{
    private readonly Lock _gate = new();

    /// <summary>Writes a line to standard output.</summary>
    public void Line(string line)
    {
        lock (_gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    /// <summary>Writes a line to standard error.</summary>
    public void ErrorLine(string line)
    {
        lock (_gate)
        {
            error.WriteLine(line);
            error.Flush();
        }
    }

    /// <summary>Writes a message nobody should miss (a child died, a silo did not come up) to standard error.</summary>
    public void Alarm(string message)
    {
        lock (_gate)
        {
            error.WriteLine();
            error.WriteLine("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
            foreach (var line in message.Split('\n'))
            {
                error.WriteLine("!!! " + line.TrimEnd('\r'));
            }

            error.WriteLine("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
            error.WriteLine();
            error.Flush();
        }
    }
}
