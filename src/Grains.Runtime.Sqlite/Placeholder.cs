namespace Grains.Runtime.Sqlite; internal static class Placeholder { }
