namespace Grains.Ingestion; internal static class Placeholder { }
