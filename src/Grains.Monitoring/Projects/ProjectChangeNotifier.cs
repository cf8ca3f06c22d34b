namespace Grains.Monitoring.Projects;

/// <summary>Tells the ingest edge's caches that a project or its keys changed.</summary>
public sealed class ProjectChangeNotifier
{
    /// <summary>Raised with the project id after its configuration or keys changed.</summary>
    public event Action<long>? Changed;

    public void Notify(long projectId) => Changed?.Invoke(projectId);
}
