namespace Grains.Monitoring.Sqlite; internal static class Placeholder { }
