namespace Grains.IngestBench;

/// <summary>A results file under bench/results: generated figures above the notes marker, hand-written notes below it (kept).</summary>
public static class ResultsFile
{
    /// <summary>Writes <paramref name="generated"/> above the notes of <paramref name="path"/> when <paramref name="write"/>, else prints it.</summary>
    public static async Task WriteAsync(string path, string generated, bool write)
    {
        if (!write)
        {
            Console.WriteLine(generated);
            return;
        }

        var existing = File.Exists(path) ? await File.ReadAllTextAsync(path) : "";
        var at = existing.IndexOf(BenchOptions.NotesMarker, StringComparison.Ordinal);
        var notes = at >= 0 ? existing[at..] : BenchOptions.NotesMarker + "\n";
        await File.WriteAllTextAsync(path, generated.TrimEnd() + "\n\n" + notes);
        Console.WriteLine($"wrote {path} (kept everything from the notes marker on)");
    }
}
